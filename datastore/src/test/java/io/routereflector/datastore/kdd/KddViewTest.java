package io.routereflector.datastore.kdd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.routereflector.datastore.ResourceProblem;
import io.routereflector.datastore.calico.CalicoNode;
import io.routereflector.datastore.calico.ResourceDecoder;
import io.routereflector.datastore.derive.Derivation;
import io.routereflector.datastore.derive.Identity;
import io.routereflector.datastore.derive.PeerDerivation;
import io.routereflector.datastore.derive.PeerDerivationTest;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.rib.PeerRole;
import io.routereflector.wire.nlri.IpPrefix;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Kubernetes shapes (Node annotations, CRD objects, Secrets) map onto the same derivation as calicoctl resources. */
class KddViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Map<String, String> annotations(String v4, String clusterId, String labelsJson) {
        java.util.Map<String, String> a = new java.util.TreeMap<>();
        a.put(NodeMapping.IPV4, v4 + "/24");
        if (clusterId != null) {
            a.put(NodeMapping.CLUSTER_ID, clusterId);
        }
        if (labelsJson != null) {
            a.put(NodeMapping.LABELS, labelsJson);
        }
        return a;
    }

    static JsonNode crd(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void annotationsBecomeTheCalicoNodeAndKubernetesLabelsWin() {
        ResourceDecoder.Decoded d = NodeMapping.decode("w1", Map.of("zone", "b", "kubernetes.io/hostname", "w1"),
                Map.of(NodeMapping.IPV4, "10.0.0.11/24", NodeMapping.IPV6, "fd00::11", NodeMapping.AS_NUMBER, "64513",
                        NodeMapping.CLUSTER_ID, "224.0.0.1", NodeMapping.LABELS, "{\"zone\":\"a\",\"route-reflector\":\"true\"}",
                        "projectcalico.org/kube-labels", "{\"ignored\":\"yes\"}"), "nodes/w1");
        assertEquals(List.of(), d.problems());
        CalicoNode n = (CalicoNode) d.resources().get(0);
        assertEquals("10.0.0.11", n.ipv4().getHostAddress());
        assertEquals("fd00:0:0:0:0:0:0:11", n.ipv6().getHostAddress());
        assertEquals(64513L, n.asNumber());
        assertEquals("224.0.0.1", n.clusterId().getHostAddress());
        assertEquals(Map.of("zone", "b", "route-reflector", "true", "kubernetes.io/hostname", "w1"), n.labels());
    }

    @Test
    void anInvalidAnnotationIsDroppedAloneAndANodeWithoutAddressIsSkipped() {
        ResourceDecoder.Decoded d = NodeMapping.decode("w1", Map.of(), Map.of(NodeMapping.IPV4, "10.0.0.11", NodeMapping.AS_NUMBER, "sixty",
                NodeMapping.CLUSTER_ID, "not-an-ip", NodeMapping.LABELS, "[1]"), "nodes/w1");
        CalicoNode n = (CalicoNode) d.resources().get(0);
        assertEquals("10.0.0.11", n.ipv4().getHostAddress());
        assertNull(n.asNumber());
        assertNull(n.clusterId());
        assertEquals(3, d.problems().size(), d.problems().toString());
        assertTrue(d.problems().stream().allMatch(p -> p.source().equals("nodes/w1")));

        ResourceDecoder.Decoded none = NodeMapping.decode("w9", Map.of(), Map.of(), "nodes/w9");
        assertEquals(List.of(), none.resources());
        assertEquals(List.of(), none.problems(), "not started yet is no fault");
    }

    /** The etcd/file cluster of PeerDerivationTest, written as Kubernetes objects, derives to the same configuration. */
    @Test
    void theSameClusterDerivesTheSameConfigurationAsFromCalicoctlResources() {
        KddView view = kubernetesCluster();
        Derivation kdd = view.derive(Identity.node("rr1"));
        Derivation files = PeerDerivation.derive(Identity.node("rr1"), PeerDerivationTest.resources(calicoctlCluster()), null);
        assertEquals(List.of(), kdd.problems());
        assertEquals(files.config(), kdd.config());
        assertEquals(List.of("10.0.0.2", "10.0.0.11", "10.0.0.12"),
                kdd.config().peers().stream().map(p -> p.address().getHostAddress()).toList());
        PeerConfig rr2 = kdd.config().peers().get(0);
        assertEquals(PeerRole.NON_CLIENT, rr2.role());
        assertEquals(PeerRole.CLIENT, kdd.config().peers().get(1).role());
    }

    @Test
    void aPasswordComesFromTheNamedSecretAndWithoutItThatSessionRunsWithoutMd5() {
        KddView view = kubernetesCluster();
        view.putCrd(KddView.BGPPEERS, "md5", crd("{\"apiVersion\":\"crd.projectcalico.org/v1\",\"kind\":\"BGPPeer\",\"metadata\":{\"name\":\"md5\"},"
                + "\"spec\":{\"node\":\"rr1\",\"peerIP\":\"10.0.0.50\",\"asNumber\":64512,\"password\":{\"secretKeyRef\":{\"name\":\"bgp-secrets\",\"key\":\"tor\"}}}}"));
        assertEquals(java.util.Set.of("bgp-secrets"), view.secretNames());
        Derivation without = view.derive(Identity.node("rr1"));
        assertEquals(4, without.config().peers().size());
        assertNull(without.config().peers().stream().filter(x -> x.address().getHostAddress().equals("10.0.0.50")).findFirst().orElseThrow()
                .password());
        ResourceProblem p = without.problems().get(0);
        assertTrue(p.message().contains("no Secret 'bgp-secrets' in namespace kube-system"), p.toString());

        view.putSecret("bgp-secrets", Map.of("tor", Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8))), null);
        Derivation with = view.derive(Identity.node("rr1"));
        assertEquals(List.of(), with.problems());
        PeerConfig tor = with.config().peers().stream().filter(x -> x.address().getHostAddress().equals("10.0.0.50")).findFirst().orElseThrow();
        assertEquals("s3cret", tor.password());
    }

    /** Issue 15 §1 in KDD: the ippools and bgpfilters CRDs make each peer's export policy, as calicoctl files do. */
    @Test
    void ipPoolsAndBgpFiltersFromTheirCrdsMakeTheExportPolicy() {
        KddView view = kubernetesCluster();
        view.putCrd(KddView.IPPOOLS, "pods", crd("{\"apiVersion\":\"crd.projectcalico.org/v1\",\"kind\":\"IPPool\","
                + "\"metadata\":{\"name\":\"pods\"},\"spec\":{\"cidr\":\"10.64.0.0/16\"}}"));
        view.putCrd(KddView.BGPFILTERS, "no-64-9", crd("{\"metadata\":{\"name\":\"no-64-9\"},\"spec\":{\"exportV4\":"
                + "[{\"action\":\"Reject\",\"matchOperator\":\"In\",\"cidr\":\"10.64.9.0/24\"}]}}"));
        view.putCrd(KddView.BGPPEERS, "tor", crd("{\"metadata\":{\"name\":\"tor\"},\"spec\":{\"node\":\"rr1\","
                + "\"peerIP\":\"10.0.0.50\",\"asNumber\":64512,\"filters\":[\"no-64-9\"]}}"));
        Derivation d = view.derive(Identity.node("rr1"));
        assertEquals(List.of(), d.problems());
        PeerConfig tor = d.config().peers().stream().filter(x -> x.address().getHostAddress().equals("10.0.0.50")).findFirst().orElseThrow();
        PeerConfig w1 = d.config().peers().stream().filter(x -> x.address().getHostAddress().equals("10.0.0.11")).findFirst().orElseThrow();
        IpPrefix block = IpPrefix.parse("10.64.9.0/26");
        assertTrue(w1.exportPolicy().evaluate(block).accepted());
        assertTrue(!tor.exportPolicy().evaluate(block).accepted());
        assertTrue(!w1.exportPolicy().evaluate(IpPrefix.parse("0.0.0.0/0")).accepted());
    }

    static KddView kubernetesCluster() {
        KddView view = new KddView("kube-system");
        view.putNode("rr1", Map.of("route-reflector", "true"), annotations("10.0.0.1", "224.0.0.1", null));
        view.putNode("rr2", Map.of(), annotations("10.0.0.2", "224.0.0.1", "{\"route-reflector\":\"true\"}"));
        view.putNode("w1", Map.of(), annotations("10.0.0.11", null, null));
        view.putNode("w2", Map.of(), annotations("10.0.0.12", null, null));
        view.putNode("pending", Map.of(), Map.of());
        assertEquals(java.util.Set.of("pending"), view.pendingNodes());
        view.putCrd(KddView.BGPPEERS, "peer-to-rrs", crd("{\"apiVersion\":\"crd.projectcalico.org/v1\",\"kind\":\"BGPPeer\","
                + "\"metadata\":{\"name\":\"peer-to-rrs\"},\"spec\":{\"nodeSelector\":\"!has(route-reflector)\","
                + "\"peerSelector\":\"route-reflector == 'true'\"}}"));
        view.putCrd(KddView.BGPPEERS, "rrs-to-rrs", crd("{\"metadata\":{\"name\":\"rrs-to-rrs\"},\"spec\":{\"nodeSelector\":"
                + "\"has(route-reflector)\",\"peerSelector\":\"has(route-reflector)\"}}"));
        view.putCrd(KddView.BGPCONFIGURATIONS, "default", crd("{\"apiVersion\":\"crd.projectcalico.org/v1\",\"kind\":\"BGPConfiguration\","
                + "\"metadata\":{\"name\":\"default\"},\"spec\":{\"nodeToNodeMeshEnabled\":false,\"asNumber\":64512}}"));
        return view;
    }

    static String calicoctlCluster() {
        return PeerDerivationTest.node("rr1", "10.0.0.1", null, "224.0.0.1", "route-reflector: 'true'")
                + PeerDerivationTest.node("rr2", "10.0.0.2", null, "224.0.0.1", "route-reflector: 'true'")
                + PeerDerivationTest.node("w1", "10.0.0.11", null, null, "")
                + PeerDerivationTest.node("w2", "10.0.0.12", null, null, "")
                + "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: peer-to-rrs}\nspec:\n"
                + "  nodeSelector: \"!has(route-reflector)\"\n  peerSelector: route-reflector == 'true'\n---\n"
                + "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: rrs-to-rrs}\nspec:\n"
                + "  nodeSelector: has(route-reflector)\n  peerSelector: has(route-reflector)\n---\n"
                + "apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata: {name: default}\nspec: {nodeToNodeMeshEnabled: false, asNumber: 64512}\n";
    }
}
