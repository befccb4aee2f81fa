package io.routereflector.datastore.kdd;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListMetaBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeListBuilder;
import io.fabric8.kubernetes.api.model.WatchEventBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.routereflector.datastore.DesiredState;
import io.routereflector.datastore.derive.Identity;
import io.routereflector.reflector.config.ReflectorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A cluster that serves only Calico's native projectcalico.org/v3 API, whose BGPPeers are not served yet
 * at start (Calico still installing): fabric8's mock in expectation mode on loopback, standing in for a
 * real Kubernetes API server. The start is not held up; the missing kind is polled and read once served.
 */
class KddDiscoveryTest {

    @TempDir
    Path dir;

    @Test
    void onlyV3ServedAndAMissingCrdIsPolledNotFatal() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try {
            server.expect().get().withPath("/apis").andReturn(200, "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[{\"name\":"
                    + "\"projectcalico.org\",\"versions\":[{\"groupVersion\":\"projectcalico.org/v3\",\"version\":\"v3\"}]}]}").always();
            server.expect().get().withPath("/api/v1/nodes").andReturn(200, new NodeListBuilder().withNewMetadata().withResourceVersion("10")
                    .endMetadata().withItems(KddObjects.node("rr1", "10.0.0.1", "244.0.0.1", Map.of()),
                            KddObjects.node("w1", "10.0.0.11", null, Map.of())).build()).once();
            server.expect().get().withPath("/api/v1/nodes?allowWatchBookmarks=true&resourceVersion=10&watch=true").andUpgradeToWebSocket().open()
                    .waitFor(4_000).andEmit(new WatchEventBuilder().withType("BOOKMARK").withObject(new NodeBuilder().withNewMetadata()
                            .withResourceVersion("11").endMetadata().build()).build()).done().once();
            String v3 = "/apis/projectcalico.org/v3/";
            server.expect().get().withPath(v3 + "bgppeers").andReturn(404, "{\"kind\":\"Status\",\"code\":404}").once();
            server.expect().get().withPath(v3 + "bgppeers").andReturn(200, list(Serialization.unmarshal("{\"apiVersion\":\"projectcalico.org/v3\","
                    + "\"kind\":\"BGPPeer\",\"metadata\":{\"name\":\"all\"},\"spec\":{\"nodeSelector\":\"all()\",\"peerSelector\":\"all()\"}}",
                    GenericKubernetesResource.class))).once();
            server.expect().get().withPath(v3 + "bgpconfigurations").andReturn(200, list()).once();
            for (String plural : List.of("bgppeers", "bgpconfigurations")) {
                server.expect().get().withPath(v3 + plural + "?allowWatchBookmarks=true&resourceVersion=10&watch=true").andUpgradeToWebSocket()
                        .open().waitFor(4_000).andEmit(new WatchEventBuilder().withType("BOOKMARK").withObject(new NodeBuilder()
                                .withNewMetadata().withResourceVersion("11").endMetadata().build()).build()).done().once();
            }
            BlockingQueue<ReflectorConfig> configs = new LinkedBlockingQueue<>();
            KddSettings s = KddSettings.of(ApiServerStandIn.kubeconfig(dir, "http://127.0.0.1:" + server.getPort()), null, null, null, null,
                            null, null).withTimings(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(300))
                    .withStartWait(Duration.ofSeconds(20));
            try (KddDatastore ds = new KddDatastore(s, Identity.node("rr1"))) {
                ds.start(configs::add);
                ReflectorConfig first = configs.poll(10, TimeUnit.SECONDS);
                assertNotNull(first);
                assertEquals(List.of(), first.peers(), "no BGPPeers served yet; rr1 has a cluster id, so no mesh");
                ReflectorConfig served = configs.poll(10, TimeUnit.SECONDS);
                assertNotNull(served, "the BGPPeers, once served, were not read");
                assertEquals(List.of("10.0.0.11"), served.peers().stream().map(p -> p.address().getHostAddress()).toList());
                assertEquals(DesiredState.Status.HEALTHY, ds.health().status(), ds.health().detail());
            }
        } finally {
            server.destroy();
        }
    }

    private static GenericKubernetesResourceList list(GenericKubernetesResource... items) {
        GenericKubernetesResourceList l = new GenericKubernetesResourceList();
        l.setMetadata(new ListMetaBuilder().withResourceVersion("10").build());
        l.setItems(List.of(items));
        return l;
    }
}
