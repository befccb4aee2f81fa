package io.routereflector.datastore.kdd;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.routereflector.datastore.DesiredState;
import io.routereflector.datastore.derive.Identity;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The datastore against fabric8's mock API server run as a real HTTP server on loopback; it stands in for
 * a real Kubernetes API server (none can be installed here). CRUD mode: list, watch, create, delete.
 */
class KddDatastoreTest {

    @TempDir
    Path dir;

    private final BlockingQueue<ReflectorConfig> configs = new LinkedBlockingQueue<>();

    private KddDatastore open(ApiServerStandIn api, String node) throws Exception {
        KddSettings s = KddSettings.of(api.kubeconfig(dir), null, null, null, null, null, null)
                .withTimings(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(300))
                .withStartWait(Duration.ofSeconds(20));
        KddDatastore ds = new KddDatastore(s, Identity.node(node));
        ds.start(configs::add);
        return ds;
    }

    private static List<String> peers(ReflectorConfig c) {
        return c.peers().stream().map(p -> p.address().getHostAddress() + "/" + p.role().name()).toList();
    }

    private ReflectorConfig next() throws InterruptedException {
        ReflectorConfig c = configs.poll(10, TimeUnit.SECONDS);
        assertNotNull(c, "no new configuration within 10 s");
        return c;
    }

    @Test
    void followsNodesLabelsPeersAndDeletionsAndAnUnchangedUpdateDeliversNothing() throws Exception {
        try (ApiServerStandIn api = new ApiServerStandIn().start(); KubernetesClient c = api.client()) {
            KddObjects.cluster(c, "10.0.0.1", "10.0.0.2", "10.0.0.11", "10.0.0.12");
            try (KddDatastore ds = open(api, "rr1")) {
                ReflectorConfig first = next();
                assertEquals(List.of("10.0.0.2/NON_CLIENT", "10.0.0.11/CLIENT", "10.0.0.12/CLIENT"), peers(first));
                assertEquals("244.0.0.1", first.clusterId().getHostAddress());
                assertEquals(DesiredState.Status.HEALTHY, ds.health().status(), ds.health().detail());

                c.nodes().resource(KddObjects.node("w3", "10.0.0.13", null, java.util.Map.of())).create();
                assertEquals(List.of("10.0.0.2/NON_CLIENT", "10.0.0.11/CLIENT", "10.0.0.12/CLIENT", "10.0.0.13/CLIENT"), peers(next()));

                // A label no selector looks at: the same configuration, nothing delivered.
                c.nodes().withName("w1").edit(n -> new NodeBuilder(n).editMetadata().addToLabels("zone", "a").endMetadata().build());
                assertNull(configs.poll(1500, TimeUnit.MILLISECONDS));

                // A BGPPeer to a ToR over eBGP, then its deletion.
                KddObjects.createPeer(c, "tor", "{\"node\":\"rr1\",\"peerIP\":\"10.0.0.254\",\"asNumber\":65001}");
                ReflectorConfig tor = next();
                assertTrue(peers(tor).contains("10.0.0.254/EBGP"), peers(tor).toString());
                c.genericKubernetesResources(KddObjects.crd("bgppeers")).withName("tor").delete();
                assertEquals(List.of("10.0.0.2/NON_CLIENT", "10.0.0.11/CLIENT", "10.0.0.12/CLIENT", "10.0.0.13/CLIENT"), peers(next()));

                c.nodes().withName("w2").delete();
                assertEquals(List.of("10.0.0.2/NON_CLIENT", "10.0.0.11/CLIENT", "10.0.0.13/CLIENT"), peers(next()));
            }
        }
    }

    @Test
    void aSecretGivesThePasswordAndItsRotationChangesOnlyThatPeer() throws Exception {
        try (ApiServerStandIn api = new ApiServerStandIn().start(); KubernetesClient c = api.client()) {
            KddObjects.cluster(c, "10.0.0.1", "10.0.0.2", "10.0.0.11", "10.0.0.12");
            KddObjects.createPeer(c, "tor", "{\"node\":\"rr1\",\"peerIP\":\"10.0.0.254\",\"asNumber\":64512,"
                    + "\"password\":{\"secretKeyRef\":{\"name\":\"bgp-passwords\",\"key\":\"tor\"}}}");
            try (KddDatastore ds = open(api, "rr1")) {
                ReflectorConfig without = next();
                assertEquals(4, without.peers().size());
                assertNull(password(without, "10.0.0.254"), "without its Secret the session runs without MD5, as calico/node's");
                assertEquals(DesiredState.Status.DEGRADED, ds.health().status());

                c.secrets().inNamespace("kube-system").resource(KddObjects.secret("kube-system", "bgp-passwords", "tor", "first")).create();
                ReflectorConfig with = next();
                assertEquals("first", password(with, "10.0.0.254"));

                c.secrets().inNamespace("kube-system").resource(KddObjects.secret("kube-system", "bgp-passwords", "tor", "second")).update();
                ReflectorConfig rotated = next();
                assertEquals("second", password(rotated, "10.0.0.254"));
                for (PeerConfig p : with.peers()) {
                    if (!p.address().getHostAddress().equals("10.0.0.254")) {
                        assertTrue(rotated.peers().contains(p), "unchanged: " + p);
                    }
                }
                assertEquals(DesiredState.Status.HEALTHY, ds.health().status(), ds.health().detail());
            }
        }
    }

    private static String password(ReflectorConfig c, String address) {
        return c.peers().stream().filter(p -> p.address().getHostAddress().equals(address)).findFirst().orElseThrow().password();
    }

    /** The API server goes away: configuration kept, DEGRADED; what changed meanwhile is read on its return. */
    @Test
    void anOutageKeepsTheConfigurationAndTheReturnResyncs() throws Exception {
        try (ApiServerStandIn api = new ApiServerStandIn().start()) {
            try (KubernetesClient c = api.client()) {
                KddObjects.cluster(c, "10.0.0.1", "10.0.0.2", "10.0.0.11", "10.0.0.12");
            }
            try (KddDatastore ds = open(api, "rr1")) {
                ReflectorConfig first = next();
                api.stop();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (ds.health().status() != DesiredState.Status.DEGRADED && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertEquals(DesiredState.Status.DEGRADED, ds.health().status(), ds.health().detail());
                assertEquals(first, ds.snapshot().config());
                assertNull(configs.poll(1, TimeUnit.SECONDS), "nothing delivered while the API server is away");

                // Meanwhile w2 leaves (written through the same data, while our datastore cannot see it).
                try (ApiServerStandIn.Detour detour = api.detour(); KubernetesClient c = detour.client()) {
                    c.nodes().withName("w2").delete();
                }
                api.start();
                assertEquals(List.of("10.0.0.2/NON_CLIENT", "10.0.0.11/CLIENT"), peers(next()));
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (ds.health().status() != DesiredState.Status.HEALTHY && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertEquals(DesiredState.Status.HEALTHY, ds.health().status(), ds.health().detail());
            }
        }
    }
}
