package io.routereflector.datastore.etcd;

import io.routereflector.datastore.ResourceProblem;
import io.routereflector.datastore.derive.DaemonSettings;
import io.routereflector.datastore.derive.Derivation;
import io.routereflector.datastore.derive.Identity;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.rib.PeerRole;
import io.routereflector.rib.policy.ExportPolicy;
import io.routereflector.wire.nlri.IpPrefix;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.routereflector.datastore.derive.PeerDerivationTest.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EtcdViewTest {

    static final String R = EtcdView.RESOURCES;

    /** A Node as libcalico-go stores it in etcd (calicoctl apply): type meta, uid, timestamps, empty status. */
    static String node(String name, String v4, String clusterId, String labels) {
        return "{\"kind\":\"Node\",\"apiVersion\":\"projectcalico.org/v3\",\"metadata\":{\"name\":\"" + name + "\","
                + "\"uid\":\"6c1e3a52-8d8c-4e3c-9c55-0d5b0f0c0a" + Math.abs(name.hashCode() % 90 + 10) + "\","
                + "\"creationTimestamp\":\"2024-05-01T10:00:00Z\",\"labels\":{" + labels + "}},"
                + "\"spec\":{\"bgp\":{\"ipv4Address\":\"" + v4 + "/24\""
                + (clusterId != null ? ",\"routeReflectorClusterID\":\"" + clusterId + "\"" : "") + "}},\"status\":{}}";
    }

    static final String PEER_WITH_RRS = "{\"kind\":\"BGPPeer\",\"apiVersion\":\"projectcalico.org/v3\","
            + "\"metadata\":{\"name\":\"peer-with-route-reflectors\",\"uid\":\"0b7d\",\"creationTimestamp\":\"2024-05-01T10:00:00Z\"},"
            + "\"spec\":{\"nodeSelector\":\"all()\",\"peerSelector\":\"route-reflector == 'true'\"}}";

    static final String DEFAULT_CONFIG = "{\"kind\":\"BGPConfiguration\",\"apiVersion\":\"projectcalico.org/v3\","
            + "\"metadata\":{\"name\":\"default\",\"uid\":\"9a1f\",\"creationTimestamp\":\"2024-05-01T10:00:00Z\"},"
            + "\"spec\":{\"logSeverityScreen\":\"Info\",\"nodeToNodeMeshEnabled\":false,\"asNumber\":64512}}";

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, byte[]> cluster() {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        keys.put(R + "nodes/rr1", b(node("rr1", "10.0.0.1", "224.0.0.1", "\"route-reflector\":\"true\"")));
        keys.put(R + "nodes/w1", b(node("w1", "10.0.0.11", null, "\"rack\":\"a\"")));
        keys.put(R + "nodes/w2", b(node("w2", "10.0.0.12", null, "\"rack\":\"b\"")));
        keys.put(R + "bgppeers/peer-with-route-reflectors", b(PEER_WITH_RRS));
        keys.put(R + "bgpconfigurations/default", b(DEFAULT_CONFIG));
        return keys;
    }

    private static String peers(Derivation d) {
        return d.config().peers().stream().map(p -> p.address().getHostAddress() + " " + p.role().name()).collect(Collectors.joining(", "));
    }

    @Test
    void calicoctlShapedResourcesGiveTheReflectorItsClients() {
        EtcdView v = new EtcdView();
        v.replaceV3(cluster());
        Derivation d = v.derive(Identity.node("rr1"), null);
        assertEquals(List.of(), d.problems());
        assertEquals("10.0.0.11 CLIENT, 10.0.0.12 CLIENT", peers(d));
        assertEquals(ip("224.0.0.1"), d.config().clusterId());
        assertEquals(new DaemonSettings("Info"), d.settings(), "logSeverityScreen travels next to the configuration");
        v.put(R + "bgpconfigurations/default", b(DEFAULT_CONFIG.replace("\"Info\"", "\"Debug\"")));
        assertEquals(new DaemonSettings("Debug"), v.derive(Identity.node("rr1"), null).settings());
    }

    @Test
    void putsAndDeletesFollowTheKeys() {
        EtcdView v = new EtcdView();
        v.replaceV3(cluster());
        v.put(R + "nodes/w3", b(node("w3", "10.0.0.13", null, "")));
        assertEquals("10.0.0.11 CLIENT, 10.0.0.12 CLIENT, 10.0.0.13 CLIENT", peers(v.derive(Identity.node("rr1"), null)));
        v.delete(R + "nodes/w1");
        assertEquals("10.0.0.12 CLIENT, 10.0.0.13 CLIENT", peers(v.derive(Identity.node("rr1"), null)));
        // Other Calico kinds under /calico/resources are not ours and change nothing.
        v.put(R + "ippools/default-ipv4-ippool", b("{\"kind\":\"IPPool\"}"));
        v.put(R + "nodes", b("{}"));
        assertEquals(2, v.derive(Identity.node("rr1"), null).config().peers().size());
    }

    @Test
    void aBadValueIsSkippedWithItsKeyAndFieldAndTheRestApplies() {
        EtcdView v = new EtcdView();
        Map<String, byte[]> keys = cluster();
        keys.put(R + "nodes/w3", b("{\"kind\":\"Node\",\"metadata\":{\"name\":\"w3\"},\"spec\":{\"bgp\":{\"ipv4Address\":\"10.0.0.300/24\"}}}"));
        keys.put(R + "nodes/w4", b("{\"kind\":\"Node\", not json"));
        keys.put(R + "bgppeers/wrong-kind", b("{\"kind\":\"Node\",\"metadata\":{\"name\":\"x\"}}"));
        v.replaceV3(keys);
        Derivation d = v.derive(Identity.node("rr1"), null);
        assertEquals("10.0.0.11 CLIENT, 10.0.0.12 CLIENT", peers(d));
        Map<String, String> fields = d.problems().stream().collect(Collectors.toMap(ResourceProblem::source, ResourceProblem::field));
        assertEquals(Map.of(R + "nodes/w3", "spec.bgp.ipv4Address", R + "nodes/w4", "", R + "bgppeers/wrong-kind", "kind"), fields);
        assertTrue(d.problems().stream().anyMatch(p -> p.message().startsWith("not JSON at line 1")), d.problems().toString());
    }

    @Test
    void valuesWithoutTypeMetaAreReadByTheirKey() {
        EtcdView v = new EtcdView();
        Map<String, byte[]> keys = cluster();
        keys.put(R + "nodes/w3", b("{\"metadata\":{\"name\":\"w3\"},\"spec\":{\"bgp\":{\"ipv4Address\":\"10.0.0.13/24\"}}}"));
        v.replaceV3(keys);
        assertEquals(3, v.derive(Identity.node("rr1"), null).config().peers().size());
    }

    /** Issue 15 §1 from etcd: ippools/ and bgpfilters/ keys (libcalico-go's values, type meta or not) make the export policy. */
    @Test
    void ipPoolsAndBgpFiltersUnderTheirKeysMakeTheExportPolicy() {
        EtcdView v = new EtcdView();
        Map<String, byte[]> keys = cluster();
        keys.put(R + "ippools/default-ipv4-ippool", b("{\"kind\":\"IPPool\",\"apiVersion\":\"projectcalico.org/v3\","
                + "\"metadata\":{\"name\":\"default-ipv4-ippool\",\"uid\":\"1\"},\"spec\":{\"cidr\":\"10.64.0.0/16\","
                + "\"ipipMode\":\"Always\",\"natOutgoing\":true,\"blockSize\":26}}"));
        keys.put(R + "bgpfilters/hide", b("{\"metadata\":{\"name\":\"hide\"},\"spec\":{\"exportV4\":"
                + "[{\"action\":\"Reject\",\"matchOperator\":\"Equal\",\"cidr\":\"10.64.9.0/26\"}]}}"));
        keys.put(R + "bgppeers/peer-with-route-reflectors", b(PEER_WITH_RRS.replace("\"route-reflector == 'true'\"}",
                "\"route-reflector == 'true'\",\"filters\":[\"hide\"]}")));
        v.replaceV3(keys);
        Derivation d = v.derive(Identity.node("rr1"), null);
        assertEquals(List.of(), d.problems());
        ExportPolicy policy = d.config().peers().get(0).exportPolicy();
        assertTrue(policy.evaluate(IpPrefix.parse("10.64.1.0/26")).accepted());
        assertTrue(!policy.evaluate(IpPrefix.parse("10.64.9.0/26")).accepted());
        assertTrue(!policy.evaluate(IpPrefix.parse("0.0.0.0/0")).accepted());
    }

    private static Map<String, String> legacy() {
        String p = EtcdView.LEGACY;
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put(p + "rr_v4/10.0.0.1", "{\"ip\":\"10.0.0.1\",\"cluster_id\":\"1.0.0.1\"}");
        kv.put(p + "rr_v4/10.0.0.2", "{\"ip\":\"10.0.0.2\",\"cluster_id\":\"1.0.0.1\"}");
        kv.put(p + "global/as_num", "65001");
        kv.put(p + "global/peer_v4/10.0.0.1", "{\"ip\":\"10.0.0.1\",\"as_num\":\"65001\"}");
        kv.put(p + "host/w1/ip_addr_v4", "10.0.0.11");
        return kv;
    }

    @Test
    void aLegacyOnlyInstallKeepsItsOwnAsAndClusterId() {
        EtcdView v = new EtcdView();
        Map<String, byte[]> keys = new LinkedHashMap<>();
        legacy().forEach((k, val) -> keys.put(k, b(val)));
        v.replaceV3(keys);
        Derivation d = v.derive(Identity.address((Inet4Address) ip("10.0.0.1"), null), null);
        assertEquals(List.of(), d.problems());
        assertEquals(65001, d.config().localAs());
        assertEquals(ip("1.0.0.1"), d.config().clusterId());
        assertEquals("10.0.0.2 NON_CLIENT, 10.0.0.11 CLIENT", peers(d));
    }

    @Test
    void theV2KeyspaceCountsAndTheV3KeyspaceWinsOnTheSameKey() {
        EtcdView v = new EtcdView();
        v.replaceV2(legacy());
        Identity us = Identity.address((Inet4Address) ip("10.0.0.1"), null);
        assertEquals("10.0.0.2 NON_CLIENT, 10.0.0.11 CLIENT", peers(v.derive(us, null)));
        // The same key in the v3 keyspace names another host address: the v3 one applies.
        v.put(EtcdView.LEGACY + "host/w1/ip_addr_v4", b("10.0.0.21"));
        assertEquals("10.0.0.2 NON_CLIENT, 10.0.0.21 CLIENT", peers(v.derive(us, null)));
        v.delete(EtcdView.LEGACY + "host/w1/ip_addr_v4");
        assertEquals("10.0.0.2 NON_CLIENT, 10.0.0.11 CLIENT", peers(v.derive(us, null)));
        // A v2 directory delete takes its keys along.
        v.deleteV2(EtcdView.LEGACY + "rr_v4", true);
        assertEquals("10.0.0.11 CLIENT", peers(v.derive(us, null)));
        v.putV2(EtcdView.LEGACY + "rr_v4/10.0.0.3", "{\"ip\":\"10.0.0.3\",\"cluster_id\":\"\"}");
        v.putV2(EtcdView.LEGACY + "rr_v4/10.0.0.1", "{\"ip\":\"10.0.0.1\",\"cluster_id\":\"\"}");
        assertEquals("10.0.0.3 NON_CLIENT, 10.0.0.11 CLIENT", peers(v.derive(us, null)));
    }

    @Test
    void bothLayoutsCombineWithTheV3ResourcesWinning() {
        EtcdView v = new EtcdView();
        v.replaceV3(cluster());
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put(EtcdView.LEGACY + "global/peer_v4/10.0.0.1", "{\"ip\":\"10.0.0.1\",\"as_num\":\"64512\"}");
        kv.put(EtcdView.LEGACY + "host/old/ip_addr_v4", "10.0.0.50");
        kv.put(EtcdView.LEGACY + "host/w1again/ip_addr_v4", "10.0.0.11");
        v.replaceV2(kv);
        Derivation d = v.derive(Identity.node("rr1"), null);
        // No rr_v4 entry: the legacy layout names no cluster id, so the v3 one is no conflict.
        assertEquals(List.of(), d.problems());
        assertEquals("10.0.0.11 CLIENT, 10.0.0.12 CLIENT, 10.0.0.50 CLIENT", peers(d));
        PeerConfig old = d.config().peers().get(2);
        assertEquals(PeerRole.CLIENT, old.role());
    }

    @Test
    void legacyKeysWithoutAnIpv4AddressAreReportedNotGuessed() {
        EtcdView v = new EtcdView();
        v.replaceV2(legacy());
        Derivation d = v.derive(Identity.node("rr9"), null);
        assertNull(d.config());
        assertTrue(d.problems().stream().anyMatch(p -> p.source().equals(EtcdView.LEGACY) && p.message().contains("IP")), d.problems().toString());
    }
}
