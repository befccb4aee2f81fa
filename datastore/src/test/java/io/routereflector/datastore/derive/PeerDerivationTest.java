package io.routereflector.datastore.derive;

import io.routereflector.datastore.ResourceProblem;
import io.routereflector.datastore.calico.CalicoResource;
import io.routereflector.datastore.calico.ResourceReader;
import io.routereflector.reflector.config.AddPathMode;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.PeerKind;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.rib.PeerRole;
import io.routereflector.wire.nlri.AddressFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class PeerDerivationTest {

    @TempDir
    Path secrets;

    public static List<CalicoResource> resources(String yaml) {
        ResourceReader.Result r = ResourceReader.read("t.yaml", yaml.getBytes(StandardCharsets.UTF_8), false);
        assertEquals(List.of(), r.problems());
        return r.resources();
    }

    public static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public static String node(String name, String v4, String v6, String clusterId, String labels) {
        return "apiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: " + name + "\n  labels: {" + labels + "}\nspec:\n  bgp:\n"
                + "    ipv4Address: " + v4 + "/24\n" + (v6 != null ? "    ipv6Address: " + v6 + "/64\n" : "")
                + (clusterId != null ? "    routeReflectorClusterID: " + clusterId + "\n" : "") + "---\n";
    }

    /** Five nodes: reflectors rr1, rr2 (cluster id 224.0.0.1) and workers w1..w3; the usual BGPPeers. */
    public static String cluster(String rr2ClusterId) {
        return node("rr1", "10.0.0.1", "fd00::1", "224.0.0.1", "route-reflector: 'true'")
                + node("rr2", "10.0.0.2", null, rr2ClusterId, "route-reflector: 'true'")
                + node("w1", "10.0.0.11", null, null, "rack: a")
                + node("w2", "10.0.0.12", null, null, "rack: b")
                + node("w3", "10.0.0.13", "fd00::13", null, "rack: b")
                + """
                apiVersion: projectcalico.org/v3
                kind: BGPConfiguration
                metadata: {name: default}
                spec: {nodeToNodeMeshEnabled: false, asNumber: 64512}
                ---
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata: {name: peer-with-route-reflectors}
                spec:
                  peerSelector: has(route-reflector)
                ---
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata: {name: rr1-tor}
                spec:
                  node: rr1
                  peerIP: 192.168.1.1
                  asNumber: 65000
                  password: {secretKeyRef: {name: bgp-secrets, key: tor}}
                  ttlSecurity: 1
                  keepaliveTime: 30s
                  maxRestartTime: 300s
                  keepOriginalNextHop: true
                  numAllowedLocalASNumbers: 2
                """;
    }

    private PeerConfig calico(String address, PeerRole role, String source) {
        return calico(address, role, source, PeerKind.NODE_SPECIFIC);
    }

    private PeerConfig calico(String address, PeerRole role, String source, PeerKind kind) {
        InetAddress a = ip(address);
        AddressFamily f = a instanceof Inet4Address ? AddressFamily.IPV4_UNICAST : AddressFamily.IPV6_UNICAST;
        return PeerConfig.builder(a, 64512).role(role).addPath(Map.of(f, AddPathMode.BOTH)).sourceAddress(ip(source))
                .kind(kind).build();
    }

    @Test
    void goldenTwoReflectorsSharingAClusterIdWithAToR() throws IOException {
        Files.createDirectories(secrets.resolve("bgp-secrets"));
        Files.writeString(secrets.resolve("bgp-secrets/tor"), "s3cret\n");
        Derivation d = PeerDerivation.derive(Identity.node("rr1"), resources(cluster("224.0.0.1")), secrets);
        assertEquals(List.of(), d.problems());
        List<PeerConfig> expected = List.of(
                // peer-with-route-reflectors has no node/nodeSelector: a global BGPPeer (Global_10_0_0_2), whose
                // reverse toward the workers is node specific (Node_10_0_0_11, as calico/node names it).
                calico("10.0.0.2", PeerRole.NON_CLIENT, "10.0.0.1", PeerKind.GLOBAL),
                calico("10.0.0.11", PeerRole.CLIENT, "10.0.0.1"),
                calico("10.0.0.12", PeerRole.CLIENT, "10.0.0.1"),
                calico("10.0.0.13", PeerRole.CLIENT, "10.0.0.1"),
                PeerConfig.builder(ip("192.168.1.1"), 65000).role(PeerRole.EBGP).password("s3cret").ttlSecurityHops(1)
                        .holdTime(240).keepaliveTime(30).gracefulRestartTime(300).sourceAddress(ip("10.0.0.1"))
                        .kind(PeerKind.NODE_SPECIFIC).keepOriginalNextHop(true).allowedLocalAs(2)
                        // bird.cfg.template's bgp_template says "add paths on" for every peer.
                        .addPath(Map.of(AddressFamily.IPV4_UNICAST, AddPathMode.BOTH)).build(),
                calico("fd00::13", PeerRole.CLIENT, "fd00::1"));
        // No bindMode: every address, as calico/node's BIRD listens without "listen bgp address".
        ReflectorConfig want = new ReflectorConfig((Inet4Address) ip("10.0.0.1"), (Inet4Address) ip("224.0.0.1"), 64512,
                List.of(ip("0.0.0.0"), ip("::")), 179, expected, false);
        assertEquals(want, d.config());
    }

    @Test
    void aBgpPeerAnnotationSetsThePrefixLimitOfThePeersItMakes() {
        String yaml = cluster("224.0.0.1").replace("metadata: {name: rr1-tor}",
                "metadata: {name: rr1-tor, annotations: {routereflector.io/max-prefixes: '1000000'}}");
        Derivation d = PeerDerivation.derive(Identity.node("rr1"), resources(yaml), null);
        for (PeerConfig p : d.config().peers()) {
            assertEquals(p.address().equals(ip("192.168.1.1")) ? 1_000_000 : PeerConfig.DEFAULT_MAX_PREFIXES, p.maxPrefixes(),
                    p.toString());
        }
        ResourceReader.Result bad = ResourceReader.read("t.yaml", cluster("224.0.0.1").replace("metadata: {name: rr1-tor}",
                "metadata: {name: rr1-tor, annotations: {routereflector.io/max-prefixes: lots}}").getBytes(StandardCharsets.UTF_8), false);
        assertEquals(1, bad.problems().size(), bad.problems().toString());
        assertTrue(bad.problems().get(0).toString().contains("routereflector.io/max-prefixes"), bad.problems().toString());
    }

    @Test
    void reflectorsWithDifferentClusterIdsAreClientsOfEachOther() {
        Derivation d = PeerDerivation.derive(Identity.node("rr2"), resources(cluster("224.0.0.2")), null);
        PeerConfig rr1 = d.config().peers().stream().filter(p -> p.address().equals(ip("10.0.0.1"))).findFirst().orElseThrow();
        assertEquals(PeerRole.CLIENT, rr1.role());
        assertEquals(ip("224.0.0.2"), d.config().clusterId());
        // rr2 has no IPv6: w3's IPv6 address is not a peer; the ToR peering is rr1's alone.
        assertEquals(List.of(ip("10.0.0.1"), ip("10.0.0.11"), ip("10.0.0.12"), ip("10.0.0.13")),
                d.config().peers().stream().map(PeerConfig::address).toList());
    }

    @Test
    void aMissingSecretGivesASessionWithoutMd5AndAWarningThatSaysWhere() {
        // calico/node's getPassword (confd client.go): an unreadable secret leaves the peering without a password.
        Derivation d = PeerDerivation.derive(Identity.node("rr1"), resources(cluster("224.0.0.1")), secrets);
        assertEquals(6, d.config().peers().size());
        PeerConfig tor = d.config().peers().stream().filter(p -> p.address().equals(ip("192.168.1.1"))).findFirst().orElseThrow();
        assertNull(tor.password());
        assertEquals(1, tor.warnings().size(), tor.warnings().toString());
        assertTrue(tor.warnings().get(0).contains("bgp-secrets/tor not found") && tor.warnings().get(0).contains("without TCP MD5"),
                tor.warnings().toString());
        assertEquals(1, d.problems().size());
        ResourceProblem p = d.problems().get(0);
        assertEquals("spec.password.secretKeyRef", p.field());
        assertTrue(p.source().startsWith("t.yaml:"), p.toString());
        assertTrue(p.message().contains("bgp-secrets/tor not found"), p.toString());
    }

    @Test
    void theResultDoesNotDependOnTheOrderOfResources() throws IOException {
        Files.createDirectories(secrets.resolve("bgp-secrets"));
        Files.writeString(secrets.resolve("bgp-secrets/tor"), "s3cret");
        List<CalicoResource> rs = new ArrayList<>(resources(cluster("224.0.0.1")));
        ReflectorConfig first = PeerDerivation.derive(Identity.node("rr1"), rs, secrets).config();
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(rs, random);
            assertEquals(first, PeerDerivation.derive(Identity.node("rr1"), rs, secrets).config());
        }
    }

    @Test
    void aStandaloneReflectorNamedByAGlobalPeerIpGetsEveryNodeAsClient() {
        String yaml = node("w1", "10.0.0.11", "fd00::11", null, "")
                + node("w2", "10.0.0.12", null, null, "")
                + """
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata: {name: to-rr}
                spec: {peerIP: 10.0.0.100, asNumber: 64512}
                ---
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata: {name: to-rr6}
                spec: {peerIP: "fd00::100", asNumber: 64513, nodeSelector: all()}
                """;
        Derivation d = PeerDerivation.derive(Identity.address((Inet4Address) ip("10.0.0.100"), (Inet6Address) ip("fd00::100")),
                resources(yaml), null);
        ReflectorConfig c = d.config();
        assertEquals(ip("10.0.0.100"), c.routerId());
        assertEquals(ip("10.0.0.100"), c.clusterId());
        // to-rr6 names our IPv6 address with another AS: calico/node's nodesWithIPPortAndAS finds no node, no reverse peering.
        assertEquals(List.of(ip("10.0.0.11"), ip("10.0.0.12")), c.peers().stream().map(PeerConfig::address).toList());
        assertTrue(c.peers().stream().allMatch(p -> p.role() == PeerRole.CLIENT));
        assertEquals(1, d.problems().size());
        assertEquals("spec.peerIP", d.problems().get(0).field());
        assertTrue(d.problems().get(0).message().contains("with AS 64513, but we are AS 64512 on port 179: no reverse peering"),
                d.problems().toString());
    }

    @Test
    void aNodeWithoutClusterIdMeshesWithTheOtherPlainNodes() throws IOException {
        Files.createDirectories(secrets.resolve("mesh"));
        Files.writeString(secrets.resolve("mesh/pw"), "meshpw");
        String yaml = node("w1", "10.0.0.11", null, null, "")
                + node("w2", "10.0.0.12", null, null, "")
                + node("rr", "10.0.0.1", null, "224.0.0.1", "")
                + """
                apiVersion: projectcalico.org/v3
                kind: BGPConfiguration
                metadata: {name: default}
                spec: {nodeMeshPassword: {secretKeyRef: {name: mesh, key: pw}}, nodeMeshMaxRestartTime: 90s, listenPort: 1790}
                """;
        Derivation d = PeerDerivation.derive(Identity.node("w1"), resources(yaml), secrets);
        assertEquals(1, d.config().peers().size());
        PeerConfig w2 = d.config().peers().get(0);
        assertEquals(ip("10.0.0.12"), w2.address());
        assertEquals(PeerRole.NON_CLIENT, w2.role());
        assertEquals("meshpw", w2.password());
        assertEquals(90, w2.gracefulRestartTime());
        assertEquals(1790, w2.port());
        assertEquals(1790, d.config().port());
        assertEquals("spec.bgp.routeReflectorClusterID", d.problems().get(0).field());
        // Rule 5: the reflector itself ignores the mesh.
        assertEquals(List.of(), PeerDerivation.derive(Identity.node("rr"), resources(yaml), secrets).config().peers());
    }

    @Test
    void asNumbersComeFromTheNodeThenTheDefaultConfiguration() {
        String yaml = node("rr", "10.0.0.1", null, "224.0.0.1", "role: rr")
                + "apiVersion: projectcalico.org/v3\nkind: Node\nmetadata: {name: far, labels: {}}\n"
                + "spec: {bgp: {ipv4Address: 10.0.1.1, asNumber: 65001}}\n---\n"
                + node("near", "10.0.0.2", null, null, "")
                + """
                apiVersion: projectcalico.org/v3
                kind: BGPConfiguration
                metadata: {name: default}
                spec: {asNumber: 64600, nodeToNodeMeshEnabled: false}
                ---
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata: {name: all-to-rr}
                spec: {peerSelector: role == 'rr'}
                """;
        ReflectorConfig c = PeerDerivation.derive(Identity.node("rr"), resources(yaml), null).config();
        assertEquals(64600, c.localAs());
        assertEquals(List.of("10.0.0.2 64600 rr client", "10.0.1.1 65001 ebgp"),
                c.peers().stream().map(p -> p.address().getHostAddress() + " " + p.remoteAs() + " " + p.role()).toList());
    }

    @Test
    void noRouterIdMeansNoConfiguration() {
        Derivation d = PeerDerivation.derive(Identity.node("ghost"), resources(node("w1", "10.0.0.11", null, null, "")), null);
        assertNull(d.config());
        assertEquals(2, d.problems().size());
    }
    private static String bgpConfiguration(String name, String spec) {
        return "apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata: {name: " + name + "}\nspec: " + spec + "\n---\n";
    }

    @Test
    void logSeverityScreenComesFromOurNodesConfigurationThenTheDefaultOne() {
        String nodes = node("rr", "10.0.0.1", null, "224.0.0.1", "") + node("w1", "10.0.0.11", null, null, "");
        String global = bgpConfiguration("default", "{logSeverityScreen: Warning}");
        assertEquals(DaemonSettings.NONE, PeerDerivation.derive(Identity.node("rr"), resources(nodes), null).settings());
        assertEquals(new DaemonSettings("Warning"),
                PeerDerivation.derive(Identity.node("rr"), resources(nodes + global), null).settings());
        String own = bgpConfiguration("node.rr", "{logSeverityScreen: Debug}");
        assertEquals(new DaemonSettings("Debug"),
                PeerDerivation.derive(Identity.node("rr"), resources(nodes + global + own), null).settings());
        // Another node's configuration is not ours; a standalone reflector reads the default one.
        String other = bgpConfiguration("node.w1", "{logSeverityScreen: Error}");
        assertEquals(new DaemonSettings("Warning"),
                PeerDerivation.derive(Identity.node("rr"), resources(nodes + global + other), null).settings());
        assertEquals(new DaemonSettings("Warning"), PeerDerivation.derive(
                Identity.address((java.net.Inet4Address) ip("10.0.0.100"), null), resources(nodes + global), null).settings());
        // Even without a configuration (no router id) the settings apply: logging must follow the data.
        Derivation none = PeerDerivation.derive(Identity.node("ghost"), resources(nodes + global), null);
        assertNull(none.config());
        assertEquals(new DaemonSettings("Warning"), none.settings());
    }

    @Test
    void aLogSeverityScreenCalicoWouldRejectFallsBackAloneAndAnyCaseIsAccepted() {
        // The CRD's pattern ^(?i)(Trace|Debug|Info|Warning|Error|Fatal)?$ and confd's strings.ToLower: any case.
        ResourceReader.Result lower = ResourceReader.read("t.yaml",
                bgpConfiguration("default", "{logSeverityScreen: debug, asNumber: 64600}").getBytes(StandardCharsets.UTF_8), false);
        assertEquals(List.of(), lower.problems());
        assertEquals(new DaemonSettings("Debug"), PeerDerivation.derive(Identity.node("rr1"),
                resources(node("rr1", "10.0.0.1", null, "224.0.0.1", "") + bgpConfiguration("default", "{logSeverityScreen: debug}")),
                null).settings());
        ResourceReader.Result r = ResourceReader.read("t.yaml",
                bgpConfiguration("default", "{logSeverityScreen: verbose, asNumber: 64600}").getBytes(StandardCharsets.UTF_8), false);
        assertEquals(List.of("spec.logSeverityScreen"), r.problems().stream().map(p -> p.field()).toList());
        assertTrue(r.problems().get(0).message().contains("'verbose' is not one of Trace, Debug, Info, Warning, Error, Fatal"
                + " (in any case); the default (Info) applies"), r.problems().toString());
        // The rest of the resource applies: the AS is not lost with the log level.
        assertEquals(64600L, ((io.routereflector.datastore.calico.BgpConfiguration) r.resources().get(0)).asNumber());
        assertThrows(IllegalArgumentException.class, () -> new DaemonSettings("Verbose"));
    }
}
