package io.routereflector.datastore.kdd;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListMetaBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.WatchEventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Calico-shaped Kubernetes objects as calico/node and calicoctl leave them in a KDD cluster. */
public final class KddObjects {

    private KddObjects() {
    }

    /** A Node that calico/node has started on: its address (and cluster id, for a reflector) in annotations. */
    public static Node node(String name, String ipv4, String clusterId, Map<String, String> labels) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(NodeMapping.IPV4, ipv4 + "/24");
        if (clusterId != null) {
            a.put(NodeMapping.CLUSTER_ID, clusterId);
        }
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).withAnnotations(a).endMetadata().build();
    }

    public static ResourceDefinitionContext crd(String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(KddDatastore.CRD_GROUP).withVersion("v1").withPlural(plural)
                .withKind(KddView.kindOf(plural)).withNamespaced(false).build();
    }

    /** A crd.projectcalico.org/v1 object; {@code specJson} as calicoctl writes it. */
    public static GenericKubernetesResource calico(String kind, String name, String specJson) {
        return Serialization.unmarshal("{\"apiVersion\":\"crd.projectcalico.org/v1\",\"kind\":\"" + kind + "\",\"metadata\":{\"name\":\""
                + name + "\"},\"spec\":" + specJson + "}", GenericKubernetesResource.class);
    }

    public static void createPeer(KubernetesClient c, String name, String specJson) {
        c.genericKubernetesResources(crd("bgppeers")).resource(calico("BGPPeer", name, specJson)).create();
    }

    public static void createConfiguration(KubernetesClient c, String name, String specJson) {
        c.genericKubernetesResources(crd("bgpconfigurations")).resource(calico("BGPConfiguration", name, specJson)).create();
    }

    public static Secret secret(String namespace, String name, String key, String value) {
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .addToData(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))).build();
    }

    /**
     * Expectation mode: each Calico CRD lists {@code items} at revision 10 and its watch from there stays
     * open for {@code openMillis} (for a server scripted to send what CRUD mode cannot).
     */
    public static void expectCrds(KubernetesMockServer server, long openMillis, GenericKubernetesResource... items) {
        for (String plural : KddView.CRDS) {
            String path = "/apis/crd.projectcalico.org/v1/" + plural;
            GenericKubernetesResourceList list = new GenericKubernetesResourceList();
            list.setMetadata(new ListMetaBuilder().withResourceVersion("10").build());
            String kind = KddView.kindOf(plural);
            list.setItems(java.util.Arrays.stream(items).filter(i -> i.getKind().equals(kind)).toList());
            server.expect().get().withPath(path).andReturn(200, list).once();
            server.expect().get().withPath(path + "?allowWatchBookmarks=true&resourceVersion=10&watch=true").andUpgradeToWebSocket().open()
                    .waitFor(openMillis).andEmit(new WatchEventBuilder().withType("BOOKMARK").withObject(new NodeBuilder().withNewMetadata()
                            .withResourceVersion("11").endMetadata().build()).build()).done().once();
        }
    }

    /** Two reflectors (cluster id 244.0.0.1, label route-reflector=true), workers w1 and w2, Calico's documented BGPPeers, mesh off. */
    public static void cluster(KubernetesClient c, String rr1, String rr2, String w1, String w2) {
        c.nodes().resource(node("rr1", rr1, "244.0.0.1", Map.of("route-reflector", "true"))).create();
        c.nodes().resource(node("rr2", rr2, "244.0.0.1", Map.of("route-reflector", "true"))).create();
        c.nodes().resource(node("w1", w1, null, Map.of())).create();
        c.nodes().resource(node("w2", w2, null, Map.of())).create();
        createPeer(c, "peer-to-rrs", "{\"nodeSelector\":\"!has(route-reflector)\",\"peerSelector\":\"route-reflector == 'true'\"}");
        createPeer(c, "rrs-to-rrs", "{\"nodeSelector\":\"route-reflector == 'true'\",\"peerSelector\":\"route-reflector == 'true'\"}");
        createConfiguration(c, "default", "{\"nodeToNodeMeshEnabled\":false,\"asNumber\":64512,\"logSeverityScreen\":\"Info\"}");
    }
}
