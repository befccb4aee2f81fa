package io.routereflector.datastore.calico;

import io.routereflector.datastore.ResourceProblem;
import io.routereflector.datastore.selector.Selector;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResourceReaderTest {

    private static ResourceReader.Result yaml(String text) {
        return ResourceReader.read("c.yaml", text.getBytes(StandardCharsets.UTF_8), false);
    }

    @Test
    void readsSeveralDocumentsOfEachKind() throws Exception {
        ResourceReader.Result r = yaml("""
                apiVersion: projectcalico.org/v3
                kind: Node
                metadata:
                  name: rr1
                  labels: {route-reflector: "true"}
                spec:
                  bgp:
                    ipv4Address: 10.0.0.10/24
                    ipv6Address: fd00::10/64
                    asNumber: 1.10
                    routeReflectorClusterID: 224.0.0.1
                  unknownField: ignored
                ---
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata: {name: tor}
                spec:
                  node: rr1
                  peerIP: "[fd00::1]:1790"
                  asNumber: "65000"
                  password: {secretKeyRef: {name: bgp-secrets, key: tor}}
                  maxRestartTime: 2m
                  keepaliveTime: 30s
                  ttlSecurity: 1
                  sourceAddress: None
                ---
                apiVersion: projectcalico.org/v3
                kind: BGPConfiguration
                metadata: {name: default}
                spec:
                  nodeToNodeMeshEnabled: false
                  asNumber: 64513
                  listenPort: 1179
                  communities: [{name: a, value: "64512:100"}]
                ---
                apiVersion: projectcalico.org/v3
                kind: IPPool
                metadata: {name: pods}
                spec: {cidr: 10.64.0.0/16, disabled: true}
                """);
        assertEquals(List.of(), r.problems());
        assertEquals(4, r.resources().size());
        assertEquals(new IpPool("pods", io.routereflector.wire.nlri.IpPrefix.parse("10.64.0.0/16"), false, true, "c.yaml:36"),
                r.resources().get(3));
        CalicoNode n = (CalicoNode) r.resources().get(0);
        assertEquals(new CalicoNode("rr1", Map.of("route-reflector", "true"), (java.net.Inet4Address) InetAddress.getByName("10.0.0.10"),
                (java.net.Inet6Address) InetAddress.getByName("fd00::10"), 65536L + 10, (java.net.Inet4Address) InetAddress.getByName("224.0.0.1"),
                "c.yaml:1"), n);
        BgpPeer p = (BgpPeer) r.resources().get(1);
        assertEquals(InetAddress.getByName("fd00::1"), p.peerIp());
        assertEquals(1790, p.peerPort());
        assertEquals(65000L, p.asNumber());
        assertEquals(new SecretKeyRef("bgp-secrets", "tor"), p.password());
        assertEquals(120, p.maxRestartTime());
        assertEquals(30, p.keepaliveTime());
        assertEquals(1, p.ttlSecurity());
        assertFalse(p.useNodeIp());
        assertEquals("c.yaml:14", p.source());
        BgpConfiguration c = (BgpConfiguration) r.resources().get(2);
        assertEquals(false, c.nodeToNodeMeshEnabled());
        assertEquals(64513L, c.asNumber());
        assertEquals(1179, c.listenPort());
        assertEquals(List.of("a=64512:100"), c.communities());
    }

    @Test
    void readsCalicoctlListsAndJson() {
        String json = """
                {"apiVersion": "v1", "kind": "List", "items": [
                  {"apiVersion": "projectcalico.org/v3", "kind": "BGPPeer", "metadata": {"name": "p1"},
                   "spec": {"peerSelector": "has(route-reflector)", "nodeSelector": "!has(route-reflector)"}},
                  {"apiVersion": "projectcalico.org/v3", "kind": "BGPPeer", "metadata": {"name": "p2"},
                   "spec": {"peerIP": "10.0.0.1:1790", "asNumber": 64512}}
                ]}
                """;
        ResourceReader.Result r = ResourceReader.read("l.json", json.getBytes(StandardCharsets.UTF_8), true);
        assertEquals(List.of(), r.problems());
        BgpPeer p1 = (BgpPeer) r.resources().get(0);
        assertEquals(new Selector.Has("route-reflector"), p1.peerSelector());
        assertEquals(new Selector.Not(new Selector.Has("route-reflector")), p1.nodeSelector());
        assertFalse(p1.isGlobal());
        BgpPeer p2 = (BgpPeer) r.resources().get(1);
        assertEquals(1790, p2.peerPort());
        assertTrue(p2.isGlobal());
        assertEquals("l.json:4", p2.source());
    }

    @Test
    void aBadResourceIsSkippedWithFileLineAndFieldAndTheRestApplies() {
        ResourceReader.Result r = yaml("""
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata: {name: bad}
                spec:
                  peerIP: 10.0.0.300
                  asNumber: 64512
                  peerSelector: "rack = 'a'"
                ---
                apiVersion: projectcalico.org/v3
                kind: Node
                metadata: {name: good}
                spec: {bgp: {ipv4Address: 10.0.0.1}}
                ---
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata: {name: typo}
                spec:
                  ttlSecurity: lots
                """);
        assertFalse(r.broken());
        assertEquals(1, r.resources().size());
        assertEquals("good", r.resources().get(0).name());
        List<ResourceProblem> ps = r.problems();
        assertEquals(new ResourceProblem("c.yaml:7", "spec.peerSelector",
                "selector 'rack = 'a'': expected \"==\", \"!=\", \"in\", \"not in\", \"contains\", \"starts with\" or \"ends with\" at column 6"
                        + " (matches nothing); the resource is skipped"),
                ps.stream().filter(p -> p.field().equals("spec.peerSelector")).findFirst().orElseThrow());
        assertTrue(ps.stream().anyMatch(p -> p.source().equals("c.yaml:5") && p.field().equals("spec.peerIP")), ps.toString());
        assertTrue(ps.stream().anyMatch(p -> p.source().equals("c.yaml:18") && p.field().equals("spec.ttlSecurity")), ps.toString());
    }

    @Test
    void numAllowedLocalAsNumbersIsReadAndANegativeOneRefused() {
        ResourceReader.Result r = yaml("""
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata: {name: tor}
                spec: {peerIP: 10.0.0.254, asNumber: 65009, keepOriginalNextHop: true, numAllowedLocalASNumbers: 1}
                ---
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata: {name: bad}
                spec: {peerIP: 10.0.0.253, asNumber: 65009, numAllowedLocalASNumbers: -1}
                """);
        assertEquals(2, r.resources().size());
        BgpPeer tor = (BgpPeer) r.resources().get(0);
        assertEquals(1, tor.numAllowedLocalASNumbers());
        assertEquals(BgpPeer.NextHop.KEEP, tor.nextHop());
        // The bad field falls back alone (0: our AS is never allowed in), the rest of the BGPPeer applies.
        BgpPeer bad = (BgpPeer) r.resources().get(1);
        assertEquals(0, bad.numAllowedLocalASNumbers());
        assertEquals(65009L, bad.asNumber());
        assertTrue(r.problems().stream().anyMatch(p -> p.field().equals("spec.numAllowedLocalASNumbers")
                && p.message().contains("-1 is not 0 or more; 0 applies")), r.problems().toString());
    }

    @Test
    void missingFieldsAreReportedAtTheirParent() {
        ResourceReader.Result r = yaml("""
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata:
                  name: p
                spec:
                  node: rr1
                """);
        assertEquals(List.of(new ResourceProblem("c.yaml:5", "spec.peerIP",
                "one of peerIP and peerSelector is required; the resource is skipped")), r.problems());
    }

    @Test
    void aSyntaxErrorBreaksTheWholeFileAndNamesTheLine() {
        ResourceReader.Result r = yaml("""
                apiVersion: projectcalico.org/v3
                kind: Node
                metadata: {name: a}
                ---
                kind: [unclosed
                apiVersion: x
                """);
        assertTrue(r.broken());
        assertEquals(List.of(), r.resources());
        assertEquals(1, r.problems().size());
        assertTrue(r.problems().get(0).source().startsWith("c.yaml:"), r.problems().toString());
        assertTrue(r.problems().get(0).message().startsWith("does not parse as YAML"), r.problems().toString());
    }

    @Test
    void valueFormats() throws Exception {
        assertEquals(64512L, Values.asNumber("64512"));
        assertEquals(65546L, Values.asNumber("1.10"));
        assertEquals(4294967295L, Values.asNumber("65535.65535"));
        for (String bad : new String[] {"0", "4294967296", "1.65536", "x", "-1", "1.2.3"}) {
            assertTrue(throwsIae(() -> Values.asNumber(bad)), bad);
        }
        assertEquals(120, Values.durationSeconds("120s"));
        assertEquals(120, Values.durationSeconds("2m"));
        assertEquals(90, Values.durationSeconds("1m30s"));
        assertEquals(5400, Values.durationSeconds("1.5h"));
        assertEquals(1, Values.durationSeconds("1500ms"));
        assertEquals(0, Values.durationSeconds("0"));
        assertTrue(throwsIae(() -> Values.durationSeconds("120")));
        assertTrue(throwsIae(() -> Values.durationSeconds("2 m")));
        assertEquals(new Values.IpPort(InetAddress.getByName("10.0.0.1"), 0), Values.ipPort("10.0.0.1"));
        assertEquals(new Values.IpPort(InetAddress.getByName("10.0.0.1"), 1790), Values.ipPort("10.0.0.1:1790"));
        assertEquals(new Values.IpPort(InetAddress.getByName("fd00::1"), 0), Values.ipPort("fd00::1"));
        assertEquals(new Values.IpPort(InetAddress.getByName("fd00::1"), 1790), Values.ipPort("[fd00::1]:1790"));
        assertTrue(throwsIae(() -> Values.ipPort("router.example.com")));
        assertTrue(throwsIae(() -> Values.ipPort("10.0.0.1:70000")));
        assertTrue(throwsIae(() -> Values.ip("1.2.3")));
    }

    private static boolean throwsIae(Runnable r) {
        try {
            r.run();
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
