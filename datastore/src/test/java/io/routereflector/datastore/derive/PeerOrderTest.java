package io.routereflector.datastore.derive;

import io.routereflector.reflector.config.AddPathMode;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.PeerKind;
import io.routereflector.rib.PeerRole;
import io.routereflector.wire.nlri.AddressFamily;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.routereflector.datastore.derive.PeerDerivationTest.ip;
import static io.routereflector.datastore.derive.PeerDerivationTest.node;
import static io.routereflector.datastore.derive.PeerDerivationTest.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 §2, one rule per test, each from calico/node's confd: {@code updatePeersV1} (client.go: the
 * global pass, the node pass, the reverse pass, {@code emit}'s "first one wins"), {@code nodesWithIPPortAndAS},
 * {@code automaticReversePeering}, {@code getPassword}, {@code getNextHopMode}; {@code buildPeerFromData}
 * (bgp_processor.go: protocol names) and {@code bgp_template} in bird.cfg.template ({@code add paths on}).
 */
class PeerOrderTest {

    /** rr1 (a reflector, 10.0.0.1) and two workers; AS 64512, no mesh. */
    private static final String CLUSTER = node("rr1", "10.0.0.1", null, "224.0.0.1", "route-reflector: 'true'")
            + node("w1", "10.0.0.11", null, null, "rack: a")
            + node("w2", "10.0.0.12", null, null, "rack: b")
            + "apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata: {name: default}\n"
            + "spec: {nodeToNodeMeshEnabled: false, asNumber: 64512}\n---\n";

    private static String peer(String name, String spec) {
        return "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: " + name + "}\nspec: " + spec + "\n---\n";
    }

    private static Derivation derive(String yaml) {
        return PeerDerivation.derive(Identity.node("rr1"), resources(CLUSTER + yaml), null);
    }

    private static PeerConfig at(Derivation d, String address) {
        return d.config().peers().stream().filter(p -> p.address().equals(ip(address))).findFirst().orElse(null);
    }

    @Test
    void aGlobalBgpPeerWinsOverANodeScopedOneForTheSamePeer() {
        // updatePeersV1 runs its global pass first; emit skips a node key whose global key exists.
        Derivation d = derive(peer("a-on-rr1", "{node: rr1, peerIP: 192.168.1.1, asNumber: 65000, keepaliveTime: 30s}")
                + peer("z-everywhere", "{peerIP: 192.168.1.1, asNumber: 65000, keepaliveTime: 20s}"));
        PeerConfig tor = at(d, "192.168.1.1");
        assertEquals(PeerKind.GLOBAL, tor.kind());
        assertEquals("Global_192_168_1_1", tor.protocolName());
        assertEquals(20, tor.keepaliveTime());
    }

    @Test
    void withinAPassTheBgpPeerWhoseNameSortsFirstWins() {
        // Go's map order is arbitrary; ours is by name, whatever order the resources come in.
        String a = peer("a-first", "{nodeSelector: has(route-reflector), peerIP: 192.168.1.1, asNumber: 65000, keepaliveTime: 10s}");
        String b = peer("b-second", "{node: rr1, peerIP: 192.168.1.1, asNumber: 65000, keepaliveTime: 40s}");
        assertEquals(10, at(derive(a + b), "192.168.1.1").keepaliveTime());
        assertEquals(10, at(derive(b + a), "192.168.1.1").keepaliveTime());
        // A nodeSelector peering by peerIP is under calico/node's host key: Node_, not Global_.
        assertEquals("Node_192_168_1_1", at(derive(a), "192.168.1.1").protocolName());
    }

    @Test
    void aNodeScopedPeeringWinsOverTheReverseOfAnotherNodesBgpPeer() {
        // w1's own BGPPeer names rr1 (reverse: w1 with its settings); rr1's own BGPPeer names w1: written first.
        Derivation d = derive(peer("w1-to-rr", "{node: w1, peerIP: 10.0.0.1, asNumber: 64512, keepaliveTime: 10s}")
                + peer("zz-rr-to-w1", "{node: rr1, peerIP: 10.0.0.11, asNumber: 64512, keepaliveTime: 50s}"));
        assertEquals(50, at(d, "10.0.0.11").keepaliveTime());
        assertEquals(PeerKind.NODE_SPECIFIC, at(d, "10.0.0.11").kind());
    }

    @Test
    void reversePeeringManualMakesNoReversePeering() {
        String spec = "{nodeSelector: has(rack), peerSelector: has(route-reflector)%s}";
        assertEquals(List.of(ip("10.0.0.11"), ip("10.0.0.12")), addresses(derive(peer("to-rr", spec.formatted("")))));
        assertEquals(List.of(), addresses(derive(peer("to-rr", spec.formatted(", reversePeering: Manual")))));
    }

    @Test
    void aReversePeeringByPeerIpNeedsOurAsAndOurPort() {
        // nodesWithIPPortAndAS: the address, the AS (the node's, else the default) and a given port must match.
        assertEquals(List.of(ip("10.0.0.11")),
                addresses(derive(peer("w1-to-rr", "{node: w1, peerIP: 10.0.0.1, asNumber: 64512}"))));
        assertEquals(List.of(ip("10.0.0.11")),
                addresses(derive(peer("w1-to-rr", "{node: w1, peerIP: '10.0.0.1:179', asNumber: 64512}"))));
        Derivation otherAs = derive(peer("w1-to-rr", "{node: w1, peerIP: 10.0.0.1, asNumber: 64999}"));
        assertEquals(List.of(), addresses(otherAs));
        assertTrue(otherAs.problems().get(0).message().contains("no reverse peering"), otherAs.problems().toString());
        assertEquals(List.of(), addresses(derive(peer("w1-to-rr", "{node: w1, peerIP: '10.0.0.1:1790', asNumber: 64512}"))));
        // With rr1 listening on 1790, a peerIP naming that port is ours; one naming 179 is not.
        String rrPort = "apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata: {name: node.rr1}\nspec: {listenPort: 1790}\n---\n";
        assertEquals(List.of(ip("10.0.0.11")),
                addresses(derive(rrPort + peer("w1-to-rr", "{node: w1, peerIP: '10.0.0.1:1790', asNumber: 64512}"))));
        assertEquals(List.of(ip("10.0.0.11")), addresses(derive(rrPort + peer("w1-to-rr", "{node: w1, peerIP: 10.0.0.1, asNumber: 64512}"))));
        Derivation wrongPort = derive(rrPort + peer("w1-to-rr", "{node: w1, peerIP: '10.0.0.1:179', asNumber: 64512}"));
        assertEquals(List.of(), addresses(wrongPort));
        assertTrue(wrongPort.problems().get(0).message().contains("port 179") && wrongPort.problems().get(0).message().contains("port 1790"),
                wrongPort.problems().toString());
    }

    @Test
    void aPeerIpWithoutPortUsesThePeerNodesListenPortAndNamesIt() {
        // updatePeersV1: port 0 → nodesWithIPPortAndAS → that node's listenPort; buildPeerFromData adds _port_N.
        String w1Port = "apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata: {name: node.w1}\nspec: {listenPort: 1790}\n---\n";
        PeerConfig w1 = at(derive(w1Port + peer("rr-to-w1", "{node: rr1, peerIP: 10.0.0.11, asNumber: 64512}")), "10.0.0.11");
        assertEquals(1790, w1.port());
        assertEquals("Node_10_0_0_11_port_1790", w1.protocolName());
        // In another AS it is not that node: the default port, no suffix.
        PeerConfig other = at(derive(w1Port + peer("rr-to-w1", "{node: rr1, peerIP: 10.0.0.11, asNumber: 65000}")), "10.0.0.11");
        assertEquals(179, other.port());
        assertEquals("Node_10_0_0_11", other.protocolName());
        PeerConfig given = at(derive(peer("tor", "{peerIP: '192.168.1.1:1790', asNumber: 65000}")), "192.168.1.1");
        assertEquals("Global_192_168_1_1_port_1790", given.protocolName());
    }

    @Test
    void peeringsAreKeyedByAddressAndPortSoASecondPortIsASecondSession() {
        // emit keys peerings by address and port: calico/node writes two BIRD protocols, the one with a port
        // named _port_N (buildPeerFromData).
        Derivation d = derive(peer("a", "{peerIP: '192.168.1.1:1790', asNumber: 65000}") + peer("b", "{peerIP: 192.168.1.1, asNumber: 65001}"));
        assertEquals(List.of(), d.problems());
        assertEquals(List.of("Global_192_168_1_1:179:65001", "Global_192_168_1_1_port_1790:1790:65000"), d.config().peers().stream()
                .map(p -> p.protocolName() + ":" + p.port() + ":" + p.remoteAs()).toList());
        // The same address and port twice is one session: the first one written wins quietly, as in emit.
        Derivation same = derive(peer("a", "{peerIP: '192.168.1.1:179', asNumber: 65000}") + peer("b", "{peerIP: 192.168.1.1, asNumber: 65001}"));
        assertEquals(List.of(), same.problems());
        assertEquals(List.of(65000L), same.config().peers().stream().map(PeerConfig::remoteAs).toList());
    }

    @Test
    void aGlobalPeerSelectorIsNamedGlobalAndABlankNodeSelectorIsNotGlobal() {
        // A BGPPeer without node/nodeSelector goes to /global/peer_v4 even when it selects nodes: Global_<ip>.
        assertEquals(PeerKind.GLOBAL, at(derive(peer("to-workers", "{peerSelector: has(rack)}")), "10.0.0.11").kind());
        // nodeSelector " " is set (Go's != ""), means all(): the node pass, Node_<ip>.
        assertEquals(PeerKind.NODE_SPECIFIC,
                at(derive(peer("to-workers", "{nodeSelector: ' ', peerSelector: has(rack)}")), "10.0.0.11").kind());
    }

    @Test
    void addPathIsOfferedToEveryPeerToo() {
        PeerConfig tor = at(derive(peer("tor", "{peerIP: 192.168.1.1, asNumber: 65000}")), "192.168.1.1");
        assertEquals(Map.of(AddressFamily.IPV4_UNICAST, AddPathMode.BOTH), tor.addPath());
    }

    @Test
    void nextHopModeAsCalicoNodeAppliesIt() {
        PeerConfig keep = at(derive(peer("tor", "{peerIP: 192.168.1.1, asNumber: 65000, nextHopMode: Keep}")), "192.168.1.1");
        assertTrue(keep.keepOriginalNextHop());
        PeerConfig self = at(derive(peer("tor", "{peerIP: 192.168.1.1, asNumber: 65000, keepOriginalNextHop: true,"
                + " nextHopMode: Self}")), "192.168.1.1");
        assertFalse(self.keepOriginalNextHop(), "nextHopMode overrides keepOriginalNextHop");
        Derivation ibgp = derive(peer("to-workers", "{nodeSelector: has(route-reflector), peerSelector: has(rack), nextHopMode: Self}"));
        PeerConfig w1 = at(ibgp, "10.0.0.11");
        assertEquals(PeerRole.CLIENT, w1.role());
        assertFalse(w1.keepOriginalNextHop());
        assertTrue(w1.warnings().get(0).startsWith("nextHopMode Self not applied"), w1.warnings().toString());
        assertTrue(ibgp.problems().stream().anyMatch(p -> p.field().equals("spec.nextHopMode")), ibgp.problems().toString());
    }

    @Test
    void anUnreadableSecretGivesTheSessionWithoutPassword() {
        PeerConfig tor = at(derive(peer("tor", "{peerIP: 192.168.1.1, asNumber: 65000,"
                + " password: {secretKeyRef: {name: bgp, key: tor}}}")), "192.168.1.1");
        assertNull(tor.password());
        assertTrue(tor.warnings().get(0).endsWith("the session runs without TCP MD5"), tor.warnings().toString());
    }

    private static List<java.net.InetAddress> addresses(Derivation d) {
        return d.config().peers().stream().map(PeerConfig::address).toList();
    }
}
