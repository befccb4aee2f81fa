package io.routereflector.datastore.derive;

import io.routereflector.datastore.ResourceProblem;
import io.routereflector.datastore.calico.ResourceReader;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.rib.policy.ExportPolicy;
import io.routereflector.wire.nlri.IpPrefix;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.routereflector.datastore.derive.PeerDerivationTest.ip;
import static io.routereflector.datastore.derive.PeerDerivationTest.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IPPools, BGPFilters, BGPPeer filters and BGPConfiguration service CIDRs from calicoctl YAML into each peer's policy. */
class ExportPoliciesTest {

    private static final String CLUSTER = node("rr1", "10.0.0.1", null, "224.0.0.1", "route-reflector: 'true'")
            + node("w1", "10.0.0.11", null, null, "") + node("w2", "10.0.0.12", null, null, "")
            + """
            apiVersion: projectcalico.org/v3
            kind: BGPPeer
            metadata: {name: to-w1}
            spec: {nodeSelector: "route-reflector == 'true'", peerIP: 10.0.0.11, asNumber: 64512, filters: [no-64-9, missing]}
            ---
            apiVersion: projectcalico.org/v3
            kind: BGPPeer
            metadata: {name: to-w2}
            spec: {nodeSelector: "route-reflector == 'true'", peerIP: 10.0.0.12, asNumber: 64512}
            ---
            apiVersion: projectcalico.org/v3
            kind: BGPFilter
            metadata: {name: no-64-9}
            spec:
              exportV4:
                - {action: Reject, matchOperator: In, cidr: 10.64.9.0/24}
                - {action: Maybe, matchOperator: In, cidr: 10.64.8.0/24}
              importV4:
                - {action: Reject, matchOperator: Equal, cidr: 0.0.0.0/0}
            ---
            apiVersion: projectcalico.org/v3
            kind: IPPool
            metadata: {name: pods}
            spec: {cidr: 10.64.0.0/16}
            ---
            apiVersion: projectcalico.org/v3
            kind: IPPool
            metadata: {name: hidden}
            spec: {cidr: 10.65.0.0/16, disableBGPExport: true}
            ---
            apiVersion: projectcalico.org/v3
            kind: BGPConfiguration
            metadata: {name: default}
            spec:
              nodeToNodeMeshEnabled: false
              serviceClusterIPs: [{cidr: 10.96.0.0/12}]
              communities: [{name: pods, value: "65000:100"}]
              prefixAdvertisements: [{cidr: 10.64.0.0/16, communities: [pods, "1:2:3"]}]
            """;

    @Test
    void everyPeerGetsPoolsAndServicesAndOnlyItsOwnFilters() {
        ResourceReader.Result read = ResourceReader.read("t.yaml", CLUSTER.getBytes(StandardCharsets.UTF_8), false);
        // the rule with a bad action is reported and skipped alone
        assertEquals(1, read.problems().size(), read.problems().toString());
        assertEquals("spec.exportV4[1].action", read.problems().get(0).field());
        Derivation d = PeerDerivation.derive(Identity.node("rr1"), read.resources(), null);
        ReflectorConfig config = d.config();
        PeerConfig w1 = config.peers().stream().filter(p -> p.address().equals(ip("10.0.0.11"))).findFirst().orElseThrow();
        PeerConfig w2 = config.peers().stream().filter(p -> p.address().equals(ip("10.0.0.12"))).findFirst().orElseThrow();
        for (PeerConfig p : List.of(w1, w2)) {
            ExportPolicy e = p.exportPolicy();
            assertTrue(e.poolsKnown());
            assertFalse(e.evaluate(IpPrefix.parse("0.0.0.0/0")).accepted());
            assertTrue(e.evaluate(IpPrefix.parse("10.64.1.0/26")).accepted());
            assertTrue(e.evaluate(IpPrefix.parse("10.100.0.1/32")).accepted());
            assertFalse(e.evaluate(IpPrefix.parse("10.65.1.0/26")).accepted());
            assertEquals(2, e.communities().get(0).standard().length + e.communities().get(0).large().length / 3);
        }
        assertFalse(w1.exportPolicy().evaluate(IpPrefix.parse("10.64.9.0/26")).accepted());
        assertTrue(w2.exportPolicy().evaluate(IpPrefix.parse("10.64.9.0/26")).accepted());
        assertFalse(w1.importFilter().evaluate(IpPrefix.parse("0.0.0.0/0")).accepted());
        assertTrue(w2.importFilter().acceptsAll());
        assertTrue(d.problems().stream().map(ResourceProblem::message).anyMatch(m -> m.contains("no BGPFilter named 'missing'")),
                d.problems().toString());
    }

    @Test
    void noIpPoolMeansExportAll() {
        String yaml = node("rr1", "10.0.0.1", null, "224.0.0.1", "") + node("w1", "10.0.0.11", null, null, "")
                + "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: all}\nspec: {peerSelector: all()}\n";
        ResourceReader.Result read = ResourceReader.read("t.yaml", yaml.getBytes(StandardCharsets.UTF_8), false);
        PeerConfig w1 = PeerDerivation.derive(Identity.node("rr1"), read.resources(), null).config().peers().get(0);
        assertEquals(ExportPolicy.ALL, w1.exportPolicy());
    }
}
