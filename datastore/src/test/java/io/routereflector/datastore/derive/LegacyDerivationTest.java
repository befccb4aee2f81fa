package io.routereflector.datastore.derive;

import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.rib.PeerRole;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.routereflector.datastore.derive.PeerDerivationTest.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LegacyDerivationTest {

    private static Map<String, String> keys() {
        Map<String, String> k = new HashMap<>();
        k.put("/calico/bgp/v1/rr_v4/10.0.0.1", "{\"ip\":\"10.0.0.1\",\"cluster_id\":\"224.0.0.1\"}");
        k.put("/calico/bgp/v1/rr_v4/10.0.0.2", "{\"ip\":\"10.0.0.2\",\"cluster_id\":\"224.0.0.1\"}");
        k.put("/calico/bgp/v1/rr_v6/fd00::1", "{\"ip\":\"fd00::1\",\"cluster_id\":\"\"}");
        k.put("/calico/bgp/v1/rr_v6/fd00::2", "{\"ip\":\"fd00::2\",\"cluster_id\":\"\"}");
        k.put("/calico/bgp/v1/global/as_num", "64512");
        k.put("/calico/bgp/v1/global/node_mesh", "{\"enabled\": false}");
        k.put("/calico/bgp/v1/global/peer_v4/10.0.0.1", "{\"ip\":\"10.0.0.1\",\"as_num\":\"64512\"}");
        k.put("/calico/bgp/v1/global/peer_v6/fd00::1", "{\"ip\":\"fd00::1\",\"as_num\":\"64512\"}");
        k.put("/calico/bgp/v1/global/peer_v4/192.168.9.9", "{\"ip\":\"192.168.9.9\",\"as_num\":\"65000\"}");
        k.put("/calico/bgp/v1/host/h1/ip_addr_v4", "10.0.0.11");
        k.put("/calico/bgp/v1/host/h1/ip_addr_v6", "fd00::11");
        k.put("/calico/bgp/v1/host/h2/ip_addr_v4", "");
        k.put("/calico/bgp/v1/host/h2/ip_addr_v6", "fd00::12");
        k.put("/calico/bgp/v1/host/h3/ip_addr_v4", "10.0.0.13");
        k.put("/calico/bgp/v1/host/h3/as_num", "65013");
        return k;
    }

    private static List<String> describe(ReflectorConfig c) {
        return c.peers().stream().map(p -> p.address().getHostAddress() + " " + p.remoteAs() + " " + p.role()).toList();
    }

    @Test
    void meshOfReflectorsAndEveryHostAsClientInBothFamilies() {
        Derivation d = LegacyDerivation.derive((Inet4Address) ip("10.0.0.1"), (Inet6Address) ip("fd00::1"), keys());
        assertEquals(List.of(), d.problems());
        ReflectorConfig c = d.config();
        assertEquals(ip("224.0.0.1"), c.clusterId());
        assertEquals(64512, c.localAs());
        // h2's empty IPv4 address skips h2 for IPv4 only; h3 in another AS is eBGP; 192.168.9.9's entry is not ours.
        assertEquals(List.of("10.0.0.2 64512 rr mesh", "10.0.0.11 64512 rr client", "10.0.0.13 65013 ebgp",
                "fd00:0:0:0:0:0:0:2 64512 rr mesh", "fd00:0:0:0:0:0:0:11 64512 rr client", "fd00:0:0:0:0:0:0:12 64512 rr client"),
                describe(c));
        assertEquals(ip("10.0.0.1"), c.peers().get(0).sourceAddress());
    }

    @Test
    void hostEntriesAddOnlyThatHostAndNotClusteredMeansNoMesh() {
        Map<String, String> k = new HashMap<>();
        k.put("host/h1/ip_addr_v4", "10.0.0.11");
        k.put("host/h2/ip_addr_v4", "10.0.0.12");
        k.put("host/h2/peer_v4/10.0.0.5", "{\"ip\":\"10.0.0.5\",\"as_num\":\"64512\"}");
        k.put("rr_v4/10.0.0.6", "{\"ip\":\"10.0.0.6\",\"cluster_id\":\"\"}");
        Derivation d = LegacyDerivation.derive((Inet4Address) ip("10.0.0.5"), null, k);
        assertEquals(List.of("10.0.0.12 64512 rr client"), describe(d.config()));
        assertEquals(ip("10.0.0.5"), d.config().clusterId());
    }

    @Test
    void badValuesAreSkippedWithTheirKey() {
        Map<String, String> k = keys();
        k.put("/calico/bgp/v1/rr_v4/10.0.0.3", "{not json");
        k.put("/calico/bgp/v1/host/h4/ip_addr_v4", "10.0.0.400");
        k.put("/calico/bgp/v1/host/h5/peer_v4/10.0.0.1", "{\"ip\":\"banana\"}");
        Derivation d = LegacyDerivation.derive((Inet4Address) ip("10.0.0.1"), (Inet6Address) ip("fd00::1"), k);
        assertEquals(describe(LegacyDerivation.derive((Inet4Address) ip("10.0.0.1"), (Inet6Address) ip("fd00::1"), keys()).config()),
                describe(d.config()));
        assertEquals(List.of("/calico/bgp/v1/host/h4/ip_addr_v4", "/calico/bgp/v1/host/h5/peer_v4/10.0.0.1", "/calico/bgp/v1/rr_v4/10.0.0.3"),
                d.problems().stream().map(p -> p.source()).sorted().toList());
    }

    @Test
    void theV3ResourcesWinWhenBothLayoutsNameAPeer() {
        Derivation v3 = PeerDerivation.derive(Identity.node("rr1"), PeerDerivationTest.resources(PeerDerivationTest.cluster("224.0.0.1")
                .replace("  password: {secretKeyRef: {name: bgp-secrets, key: tor}}\n", "")), null);
        Map<String, String> k = keys();
        k.put("/calico/bgp/v1/host/h9/ip_addr_v4", "192.168.1.1");
        k.put("/calico/bgp/v1/host/h9/as_num", "64512");
        Derivation legacy = LegacyDerivation.derive((Inet4Address) ip("10.0.0.1"), (Inet6Address) ip("fd00::1"), k);
        Derivation both = Layouts.combine(v3, legacy);
        PeerConfig tor = both.config().peers().stream().filter(p -> p.address().equals(ip("192.168.1.1"))).findFirst().orElseThrow();
        assertEquals(65000, tor.remoteAs());
        assertEquals(PeerRole.EBGP, tor.role());
        assertEquals(1, tor.ttlSecurityHops());
        // h3 (10.0.0.13, AS 65013 in the legacy keys) is w3 in the v3 resources: v3's client wins.
        assertTrue(both.config().peers().stream().anyMatch(p -> p.address().equals(ip("10.0.0.13")) && p.role() == PeerRole.CLIENT));
        // The legacy layout adds only what v3 does not name: the IPv6 reflector fd00::2 and h1's and h2's IPv6 addresses.
        assertTrue(both.config().peers().stream().anyMatch(p -> p.address().equals(ip("fd00::12")) && p.role() == PeerRole.CLIENT));
        assertEquals(v3.config().peers().size() + 3, both.config().peers().size());
        assertEquals(v3.config().clusterId(), both.config().clusterId());
    }
}
