package io.routereflector.datastore.kdd;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeListBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEventBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
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
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Watch history, which the mock's CRUD mode cannot emulate: its expectation mode, a real HTTP server on
 * loopback standing in for a real Kubernetes API server, scripts a bookmark, a closed watch and 410 Gone.
 */
class KddWatchHistoryTest {

    @TempDir
    Path dir;

    private static Node versioned(Node n, String rv) {
        return new NodeBuilder(n).editMetadata().withResourceVersion(rv).endMetadata().build();
    }

    @Test
    void aBookmarkMovesTheRevisionAClosedWatchResumesFromItAnd410RelistsWithOnlyTheDifferences() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try {
            Node rr1 = versioned(KddObjects.node("rr1", "10.0.0.1", "244.0.0.1", Map.of()), "3");
            Node w1 = versioned(KddObjects.node("w1", "10.0.0.11", null, Map.of()), "4");
            Node w2 = versioned(KddObjects.node("w2", "10.0.0.12", null, Map.of()), "25");
            String nodes = "/api/v1/nodes";
            server.expect().get().withPath(nodes).andReturn(200, new NodeListBuilder().withNewMetadata().withResourceVersion("10")
                    .endMetadata().withItems(rr1, w1).build()).once();
            // The first watch: an unrelated label change at 15, a bookmark at 20, then the server ends the stream.
            server.expect().get().withPath(nodes + "?allowWatchBookmarks=true&resourceVersion=10&watch=true").andUpgradeToWebSocket().open()
                    .waitFor(100).andEmit(new WatchEventBuilder().withType("MODIFIED").withObject(versioned(KddObjects.node("w1", "10.0.0.11", null,
                            Map.of("zone", "a")), "15")).build())
                    .waitFor(100).andEmit(new WatchEventBuilder().withType("BOOKMARK")
                            .withObject(new NodeBuilder().withNewMetadata().withResourceVersion("20").endMetadata().build()).build())
                    .done().once();
            // Resumed from the bookmark's revision: the history is gone.
            server.expect().get().withPath(nodes + "?allowWatchBookmarks=true&resourceVersion=20&watch=true").andUpgradeToWebSocket().open()
                    .waitFor(100).andEmit(new WatchEventBuilder().withType("ERROR").withObject(new StatusBuilder().withCode(410)
                            .withReason("Expired").withMessage("too old resource version: 20 (30)").build()).build())
                    .done().once();
            // The new list: w1 has gone, w2 has come.
            server.expect().get().withPath(nodes).andReturn(200, new NodeListBuilder().withNewMetadata().withResourceVersion("30")
                    .endMetadata().withItems(rr1, w2).build()).once();
            server.expect().get().withPath(nodes + "?allowWatchBookmarks=true&resourceVersion=30&watch=true").andUpgradeToWebSocket().open()
                    .waitFor(8_000).andEmit(new WatchEventBuilder().withType("BOOKMARK").withObject(versioned(rr1, "31")).build()).done().once();
            KddObjects.expectCrds(server, 8_000, KddObjects.calico("BGPPeer", "peer-to-rrs", "{\"nodeSelector\":\"all()\",\"peerSelector\":\"all()\"}"),
                    KddObjects.calico("BGPConfiguration", "default", "{\"nodeToNodeMeshEnabled\":false}"));
            Path kubeconfig = ApiServerStandIn.kubeconfig(dir, "http://127.0.0.1:" + server.getPort());
            BlockingQueue<ReflectorConfig> configs = new LinkedBlockingQueue<>();
            KddSettings s = KddSettings.of(kubeconfig, null, null, null, null, null, null)
                    .withTimings(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofSeconds(60))
                    .withStartWait(Duration.ofSeconds(20));
            try (KddDatastore ds = new KddDatastore(s, Identity.node("rr1"))) {
                ds.start(configs::add);
                ReflectorConfig first = configs.poll(10, TimeUnit.SECONDS);
                assertNotNull(first);
                assertEquals(List.of("10.0.0.11"), first.peers().stream().map(p -> p.address().getHostAddress()).toList());
                ReflectorConfig relisted = configs.poll(10, TimeUnit.SECONDS);
                assertNotNull(relisted, "the 410 relist was not followed");
                assertEquals(List.of("10.0.0.12"), relisted.peers().stream().map(p -> p.address().getHostAddress()).toList());
                assertNull(configs.poll(1, TimeUnit.SECONDS));
                // Nodes listed twice (start, 410), each of the four CRDs once: the closed watch was resumed, not relisted.
                assertEquals(6, ds.lists());
            }
        } finally {
            server.destroy();
        }
    }
}
