package io.routereflector.datastore.derive;

import io.routereflector.reflector.config.PeerConfig;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;

import static io.routereflector.datastore.derive.PeerDerivationTest.ip;
import static io.routereflector.datastore.derive.PeerDerivationTest.node;
import static io.routereflector.datastore.derive.PeerDerivationTest.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 §4, as calico/node's populateNodeConfig (bgp_processor.go) does it: the router id (CALICO_ROUTER_ID,
 * an address or hash) and where we listen ({@code bindMode} of the {@code default} BGPConfiguration).
 */
class IdentityAndBindingTest {

    @Test
    void hashIsCalicoNodesHashToIpv4() {
        // sha256("rr1") starts 53 2c f6 7c; sha256("node-a.example.com") starts fe: above 223, lowered by 32.
        assertEquals(ip("83.44.246.124"), Identity.hashRouterId("rr1"));
        assertEquals(ip("222.91.27.75"), Identity.hashRouterId("node-a.example.com"));
    }

    @Test
    void anIpv6OnlyReflectorRunsWithAGivenRouterId() {
        String yaml = """
                apiVersion: projectcalico.org/v3
                kind: Node
                metadata: {name: rr6, labels: {route-reflector: 'true'}}
                spec: {bgp: {ipv6Address: 'fd00::1/64', routeReflectorClusterID: 224.0.0.1}}
                ---
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata: {name: peer-with-route-reflectors}
                spec: {nodeSelector: all(), peerSelector: has(route-reflector)}
                ---
                """ + node("w1", "10.0.0.11", "fd00::11", null, "") + node("w2", "10.0.0.12", null, null, "");
        Derivation none = PeerDerivation.derive(Identity.node("rr6"), resources(yaml), null);
        assertNull(none.config());
        assertTrue(none.problems().get(0).message().contains("no router id (CALICO_ROUTER_ID or --router-id"), none.problems().toString());

        Derivation d = PeerDerivation.derive(Identity.node("rr6").withRouterId(Identity.hashRouterId("rr6")), resources(yaml), null);
        assertEquals(Identity.hashRouterId("rr6"), d.config().routerId());
        assertEquals(ip("224.0.0.1"), d.config().clusterId());
        // calico/node: "IPv4 disabled on this node" — IPv6 sessions only, listening on every address (no bindMode).
        assertEquals(List.of(ip("fd00::11")), d.config().peers().stream().map(PeerConfig::address).toList());
        assertEquals(List.of(ip("::")), d.config().listenAddresses());
    }

    @Test
    void aGivenRouterIdWinsOverTheIpv4AddressAndIsAStandaloneReflectorsClusterId() {
        Identity id = new Identity(null, (Inet4Address) ip("10.0.0.100"), (Inet6Address) ip("fd00::100"), (Inet4Address) ip("192.0.2.7"));
        Derivation d = PeerDerivation.derive(id, resources(node("w1", "10.0.0.11", null, null, "")), null);
        assertEquals(ip("192.0.2.7"), d.config().routerId());
        assertEquals(ip("192.0.2.7"), d.config().clusterId());
        assertEquals(List.of(ip("0.0.0.0"), ip("::")), d.config().listenAddresses());
    }

    @Test
    void bindModeNodeIpListensOnTheNodesAddressesAndAnythingElseOnEveryAddress() {
        String rr1 = node("rr1", "10.0.0.1", "fd00::1", "224.0.0.1", "");
        String config = "apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata: {name: %s}\nspec: {bindMode: %s}\n---\n";
        assertEquals(List.of(ip("10.0.0.1"), ip("fd00::1")), listen(rr1 + config.formatted("default", "NodeIP")));
        // Every address of either family, as BIRD without "listen bgp address".
        assertEquals(List.of(ip("0.0.0.0"), ip("::")), listen(rr1 + config.formatted("default", "None")));
        assertEquals(List.of(ip("0.0.0.0"), ip("::")), listen(rr1));
        // calico/node reads bindMode from the default BGPConfiguration only (processorContext.getBindMode).
        assertEquals(List.of(ip("0.0.0.0"), ip("::")), listen(rr1 + config.formatted("node.rr1", "NodeIP")));
    }

    private static List<java.net.InetAddress> listen(String yaml) {
        return PeerDerivation.derive(Identity.node("rr1"), resources(yaml), null).config().listenAddresses();
    }
}
