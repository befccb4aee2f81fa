package io.routereflector.daemon;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.routereflector.datastore.DesiredState;
import io.routereflector.datastore.ResourceProblem;
import io.routereflector.datastore.derive.Identity;
import io.routereflector.datastore.etcd.EtcdDatastore;
import io.routereflector.datastore.etcd.EtcdSettings;
import io.routereflector.datastore.etcd.EtcdTls;
import io.routereflector.datastore.etcd.V2Keyspace;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.testbed.EtcdServer;
import io.routereflector.testbed.TcpProxy;
import io.routereflector.testbed.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The etcd datastore against a real etcd 3.4: v3 resources as calicoctl stores them, the legacy layout
 * in the v3 and the v2 keyspace (written as the old image's README did), compaction, outages, TLS with
 * client certificates, and the daemon's wiring from the old image's environment.
 */
class EtcdDatastoreIT {

    static final String R = "/calico/resources/v3/projectcalico.org/";
    static final String L = "/calico/bgp/v1/";
    static final Duration TWO_SECONDS = Duration.ofSeconds(2);

    @TempDir
    Path tmp;

    /** A Node as libcalico-go stores it (calicoctl apply / create): type meta, uid, timestamp, empty status. */
    static String node(String name, String v4, String clusterId, String labels) {
        return "{\"kind\":\"Node\",\"apiVersion\":\"projectcalico.org/v3\",\"metadata\":{\"name\":\"" + name + "\","
                + "\"uid\":\"3f1c2b9e-1d4e-4a5b-8c6d-" + String.format("%012d", Math.abs((long) name.hashCode())) + "\","
                + "\"creationTimestamp\":\"2024-05-01T10:00:00Z\",\"labels\":{" + labels + "}},"
                + "\"spec\":{\"bgp\":{\"ipv4Address\":\"" + v4 + "/24\""
                + (clusterId != null ? ",\"routeReflectorClusterID\":\"" + clusterId + "\"" : "") + "}},\"status\":{}}";
    }

    static final String PEER_WITH_RRS = "{\"kind\":\"BGPPeer\",\"apiVersion\":\"projectcalico.org/v3\","
            + "\"metadata\":{\"name\":\"peer-with-route-reflectors\",\"uid\":\"0b7d6c1e-2f3a-4b5c-9d8e-1a2b3c4d5e6f\","
            + "\"creationTimestamp\":\"2024-05-01T10:00:00Z\"},"
            + "\"spec\":{\"nodeSelector\":\"all()\",\"peerSelector\":\"route-reflector == 'true'\"}}";

    static final String DEFAULT_CONFIG = "{\"kind\":\"BGPConfiguration\",\"apiVersion\":\"projectcalico.org/v3\","
            + "\"metadata\":{\"name\":\"default\",\"uid\":\"9a1f2e3d-4c5b-6a79-8877-665544332211\","
            + "\"creationTimestamp\":\"2024-05-01T10:00:00Z\"},"
            + "\"spec\":{\"logSeverityScreen\":\"Info\",\"nodeToNodeMeshEnabled\":false,\"asNumber\":64512}}";

    static void cluster(EtcdServer etcd) {
        etcd.put(R + "nodes/rr1", node("rr1", "10.0.0.1", "224.0.0.1", "\"route-reflector\":\"true\""));
        etcd.put(R + "nodes/w1", node("w1", "10.0.0.11", null, "\"rack\":\"a\""));
        etcd.put(R + "nodes/w2", node("w2", "10.0.0.12", null, "\"rack\":\"b\""));
        etcd.put(R + "bgppeers/peer-with-route-reflectors", PEER_WITH_RRS);
        etcd.put(R + "bgpconfigurations/default", DEFAULT_CONFIG);
    }

    static String peers(ReflectorConfig c) {
        // In address order: where both layouts apply, the legacy-only peers come after the v3 ones.
        return c.peers().stream().sorted(java.util.Comparator.comparing(p -> p.address().getAddress(), java.util.Arrays::compareUnsigned))
                .map(p -> p.address().getHostAddress() + " " + p.role().name()).collect(Collectors.joining(", "));
    }

    static EtcdSettings settings(String endpoint) {
        return EtcdSettings.of(List.of(URI.create(endpoint)), null, null, null, null, null)
                .withRetry(Duration.ofMillis(100), Duration.ofMillis(500));
    }

    /** A started datastore and what it delivered. */
    static final class Source implements AutoCloseable {
        final EtcdDatastore store;
        final BlockingQueue<ReflectorConfig> delivered = new LinkedBlockingQueue<>();

        Source(EtcdSettings settings, Identity id) throws IOException {
            store = new EtcdDatastore(settings, id, null);
            store.start(delivered::add);
        }

        ReflectorConfig next(Duration within) throws InterruptedException {
            ReflectorConfig c = delivered.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(c != null, "no configuration delivered within " + within + "; health " + store.health());
            return c;
        }

        @Override
        public void close() {
            store.close();
        }
    }

    static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    static Inet4Address v4(String s) throws IOException {
        return (Inet4Address) InetAddress.getByName(s);
    }

    @Test
    void v3ResourcesAsCalicoctlWritesThemAreFollowedLive() throws Exception {
        try (EtcdServer etcd = EtcdServer.start(false)) {
            cluster(etcd);
            try (Source s = new Source(settings(etcd.endpoint()), Identity.node("rr1"))) {
                assertEquals("10.0.0.11 CLIENT, 10.0.0.12 CLIENT", peers(s.next(Duration.ZERO)));
                assertEquals(DesiredState.Status.HEALTHY, s.store.health().status(), s.store.health().detail());

                long t0 = System.nanoTime();
                etcd.put(R + "nodes/w3", node("w3", "10.0.0.13", null, "\"rack\":\"a\""));
                assertEquals("10.0.0.11 CLIENT, 10.0.0.12 CLIENT, 10.0.0.13 CLIENT", peers(s.next(TWO_SECONDS)));
                assertTrue(System.nanoTime() - t0 < TWO_SECONDS.toNanos());

                etcd.etcdctl("del", R + "nodes/w1").orThrow();
                assertEquals("10.0.0.12 CLIENT, 10.0.0.13 CLIENT", peers(s.next(TWO_SECONDS)));

                // A bad value is skipped with its key and field; the rest still applies.
                etcd.put(R + "nodes/w4", "{\"kind\":\"Node\",\"apiVersion\":\"projectcalico.org/v3\",\"metadata\":{\"name\":\"w4\"},"
                        + "\"spec\":{\"bgp\":{\"ipv4Address\":\"10.0.0.314/24\"}}}");
                etcd.put(R + "nodes/w5", "{\"kind\":\"Node\", this is not json");
                etcd.put(R + "nodes/w6", node("w6", "10.0.0.16", null, ""));
                assertEquals("10.0.0.12 CLIENT, 10.0.0.13 CLIENT, 10.0.0.16 CLIENT", peers(s.next(TWO_SECONDS)));
                Map<String, String> problems = s.store.snapshot().problems().stream()
                        .collect(Collectors.toMap(ResourceProblem::source, ResourceProblem::field));
                assertEquals(Map.of(R + "nodes/w4", "spec.bgp.ipv4Address", R + "nodes/w5", ""), problems);
                assertEquals(DesiredState.Status.DEGRADED, s.store.health().status());
                assertEquals(1, s.store.fullReads());
            }
        }
    }

    @Test
    void aBurstOfAHundredNodePutsCostsOneDelivery() throws Exception {
        try (EtcdServer etcd = EtcdServer.start(false);
             Client writer = Client.builder().endpoints(etcd.endpoint()).build()) {
            cluster(etcd);
            try (Source s = new Source(settings(etcd.endpoint()).withBatch(Duration.ofMillis(300)), Identity.node("rr1"))) {
                s.next(Duration.ZERO);
                CompletableFuture<?>[] puts = new CompletableFuture<?>[100];
                for (int i = 0; i < 100; i++) {
                    String name = "burst" + i;
                    puts[i] = writer.getKVClient().put(ByteSequence.from(R + "nodes/" + name, StandardCharsets.UTF_8),
                            ByteSequence.from(node(name, "10.1." + (i / 200) + "." + (i + 1), null, ""), StandardCharsets.UTF_8));
                }
                CompletableFuture.allOf(puts).get(10, TimeUnit.SECONDS);
                assertEquals(102, s.next(TWO_SECONDS).peers().size());
                assertNull(s.delivered.poll(1, TimeUnit.SECONDS), "one burst, one delivery");
            }
        }
    }

    @Test
    void aCompactedRevisionLeadsToAFullReadThatDeliversOnlyRealChanges() throws Exception {
        try (EtcdServer etcd = EtcdServer.start(false);
             TcpProxy proxy = new TcpProxy(etcd.clientPort());
             Client direct = Client.builder().endpoints(etcd.endpoint()).build()) {
            cluster(etcd);
            try (Source s = new Source(settings("http://127.0.0.1:" + proxy.port()), Identity.node("rr1"))) {
                ReflectorConfig first = s.next(Duration.ZERO);
                // Apart from etcd, a key comes and goes and the history is compacted: nothing changed in the end.
                proxy.cut();
                await("the outage to show", Duration.ofSeconds(5), () -> s.store.health().status() == DesiredState.Status.DEGRADED);
                etcd.put(R + "nodes/w9", node("w9", "10.0.0.19", null, ""));
                etcd.etcdctl("del", R + "nodes/w9").orThrow();
                compact(direct);
                proxy.restore();
                await("a full read after the compaction", Duration.ofSeconds(5), () -> s.store.fullReads() == 2);
                await("health to recover", TWO_SECONDS, () -> s.store.health().status() == DesiredState.Status.HEALTHY);
                assertNull(s.delivered.poll(500, TimeUnit.MILLISECONDS), "nothing changed, nothing delivered");
                assertEquals(first, s.store.snapshot().config());

                // The same with a real change: it is delivered after the full read.
                proxy.cut();
                await("the outage to show", Duration.ofSeconds(5), () -> s.store.health().status() == DesiredState.Status.DEGRADED);
                etcd.put(R + "nodes/w3", node("w3", "10.0.0.13", null, ""));
                etcd.put("/unrelated", "x"); // so that the compaction covers the revision the watch resumes from
                compact(direct);
                proxy.restore();
                assertEquals("10.0.0.11 CLIENT, 10.0.0.12 CLIENT, 10.0.0.13 CLIENT", peers(s.next(Duration.ofSeconds(5))));
                assertEquals(3, s.store.fullReads());
            }
        }
    }

    private static void compact(Client direct) throws Exception {
        long rev = direct.getKVClient().get(ByteSequence.from("/", StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS).getHeader().getRevision();
        direct.getKVClient().compact(rev).get(5, TimeUnit.SECONDS);
    }

    @Test
    void etcdStoppedAndStartedKeepsTheConfigurationAndAppliesChangesAfter() throws Exception {
        try (EtcdServer etcd = EtcdServer.start(false)) {
            cluster(etcd);
            try (Source s = new Source(settings(etcd.endpoint()), Identity.node("rr1"))) {
                ReflectorConfig first = s.next(Duration.ZERO);
                etcd.stop();
                await("the outage to show", Duration.ofSeconds(5), () -> s.store.health().status() == DesiredState.Status.DEGRADED);
                assertTrue(s.store.health().detail().contains("unreachable"), s.store.health().detail());
                Thread.sleep(3000);
                assertEquals(first, s.store.snapshot().config(), "the configuration stays while etcd is away");
                assertNull(s.delivered.poll(0, TimeUnit.MILLISECONDS));
                etcd.start();
                etcd.put(R + "nodes/w3", node("w3", "10.0.0.13", null, ""));
                assertEquals("10.0.0.11 CLIENT, 10.0.0.12 CLIENT, 10.0.0.13 CLIENT", peers(s.next(Duration.ofSeconds(5))));
                await("health to recover", TWO_SECONDS, () -> s.store.health().status() == DesiredState.Status.HEALTHY);
                assertEquals(1, s.store.fullReads(), "resumed from the last revision, no full read");
            }
        }
    }

    @Test
    void etcdUnreachableAtStartIsWaitedFor() throws Exception {
        try (EtcdServer etcd = EtcdServer.start(false);
             TcpProxy proxy = new TcpProxy(etcd.clientPort())) {
            cluster(etcd);
            proxy.cut();
            EtcdSettings patient = settings("http://127.0.0.1:" + proxy.port());
            IOException e = assertThrows(IOException.class,
                    () -> new Source(patient.withStartWait(Duration.ofMillis(1500)), Identity.node("rr1")).close());
            assertTrue(e.getMessage().contains("did not answer within 1 s"), e.getMessage());
            CompletableFuture<Source> started = CompletableFuture.supplyAsync(() -> {
                try {
                    return new Source(patient, Identity.node("rr1"));
                } catch (IOException x) {
                    throw new IllegalStateException(x);
                }
            });
            Thread.sleep(1500);
            assertTrue(!started.isDone(), "start waits for etcd");
            proxy.restore();
            try (Source s = started.get(10, TimeUnit.SECONDS)) {
                assertEquals("10.0.0.11 CLIENT, 10.0.0.12 CLIENT", peers(s.next(Duration.ZERO)));
            }
        }
    }

    /** The old image's README: rr_v4 per reflector, peers and hosts; here written with etcdctl into the v3 keyspace. */
    @Test
    void legacyKeysPutWithEtcdctlFormTheMeshAndTheClients() throws Exception {
        try (EtcdServer etcd = EtcdServer.start(false)) {
            etcd.put(L + "rr_v4/10.0.0.1", "{\"ip\":\"10.0.0.1\",\"cluster_id\":\"1.0.0.1\"}");
            etcd.put(L + "rr_v4/10.0.0.2", "{\"ip\":\"10.0.0.2\",\"cluster_id\":\"1.0.0.1\"}");
            etcd.put(L + "global/as_num", "65001");
            etcd.put(L + "global/peer_v4/10.0.0.1", "{\"ip\":\"10.0.0.1\",\"as_num\":\"65001\"}");
            etcd.put(L + "host/w1/ip_addr_v4", "10.0.0.11");
            etcd.put(L + "host/w2/ip_addr_v4", "10.0.0.12");
            try (Source s = new Source(settings(etcd.endpoint()), Identity.address(v4("10.0.0.1"), null))) {
                ReflectorConfig c = s.next(Duration.ZERO);
                assertEquals("10.0.0.2 NON_CLIENT, 10.0.0.11 CLIENT, 10.0.0.12 CLIENT", peers(c));
                assertEquals(65001, c.localAs());
                assertEquals(v4("1.0.0.1"), c.clusterId());
                etcd.put(L + "rr_v4/10.0.0.3", "{\"ip\":\"10.0.0.3\",\"cluster_id\":\"1.0.0.1\"}");
                assertEquals("10.0.0.2 NON_CLIENT, 10.0.0.3 NON_CLIENT, 10.0.0.11 CLIENT, 10.0.0.12 CLIENT", peers(s.next(TWO_SECONDS)));
                // This etcd serves no v2 API: the probe says so rather than failing.
                assertTrue(new V2Keyspace(List.of(URI.create(etcd.endpoint())), null, null, null, TWO_SECONDS).read().isEmpty());
            }
        }
    }

    /** Exactly what {@code curl -L http://etcd:2379/v2/keys/calico/bgp/v1/rr_v4/<ip> -XPUT -d value='…'} sends. */
    static int curlPut(HttpClient http, String endpoint, String key, String value) throws Exception {
        HttpRequest put = HttpRequest.newBuilder(URI.create(endpoint + "/v2/keys" + key))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString("value=" + value)).build();
        return http.send(put, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void legacyKeysWrittenWithTheOldReadmesCurlAreReadAndFollowedThroughV2() throws Exception {
        try (EtcdServer etcd = EtcdServer.start(true)) {
            HttpClient http = HttpClient.newHttpClient();
            String ep = etcd.endpoint();
            assertEquals(201, curlPut(http, ep, L + "rr_v4/10.0.0.1", "{\"ip\":\"10.0.0.1\",\"cluster_id\":\"1.0.0.1\"}"));
            assertEquals(201, curlPut(http, ep, L + "rr_v4/10.0.0.2", "{\"ip\":\"10.0.0.2\",\"cluster_id\":\"1.0.0.1\"}"));
            assertEquals(201, curlPut(http, ep, L + "global/peer_v4/10.0.0.1", "{\"ip\":\"10.0.0.1\",\"as_num\":\"64512\"}"));
            assertEquals(201, curlPut(http, ep, L + "host/w1/ip_addr_v4", "10.0.0.11"));
            // The v3 keyspace adds a host of its own: entries from both keyspaces count.
            etcd.put(L + "host/w2/ip_addr_v4", "10.0.0.12");
            try (Source s = new Source(settings(ep), Identity.address(v4("10.0.0.1"), null))) {
                assertEquals("10.0.0.2 NON_CLIENT, 10.0.0.11 CLIENT, 10.0.0.12 CLIENT", peers(s.next(Duration.ZERO)));
                // Followed with the v2 long-poll.
                assertEquals(201, curlPut(http, ep, L + "rr_v4/10.0.0.3", "{\"ip\":\"10.0.0.3\",\"cluster_id\":\"1.0.0.1\"}"));
                assertEquals("10.0.0.2 NON_CLIENT, 10.0.0.3 NON_CLIENT, 10.0.0.11 CLIENT, 10.0.0.12 CLIENT", peers(s.next(TWO_SECONDS)));
                HttpRequest del = HttpRequest.newBuilder(URI.create(ep + "/v2/keys" + L + "host/w1/ip_addr_v4")).DELETE().build();
                assertEquals(200, http.send(del, HttpResponse.BodyHandlers.ofString()).statusCode());
                assertEquals("10.0.0.2 NON_CLIENT, 10.0.0.3 NON_CLIENT, 10.0.0.12 CLIENT", peers(s.next(TWO_SECONDS)));
                // The same key in both keyspaces: the v3 keyspace wins.
                assertEquals(201, curlPut(http, ep, L + "host/w2/ip_addr_v4", "10.0.0.22"));
                assertNull(s.delivered.poll(700, TimeUnit.MILLISECONDS), "the v2 value of a key the v3 keyspace holds changes nothing");

                // A poll that fell behind etcd's 1000-event v2 history is told so (errorCode 401).
                V2Keyspace v2 = new V2Keyspace(List.of(URI.create(ep)), null, null, null, TWO_SECONDS);
                long index = v2.read().orElseThrow().index();
                for (int i = 0; i < 1005; i++) {
                    curlPut(http, ep, "/filler/k" + (i % 10), Integer.toString(i));
                }
                assertThrows(V2Keyspace.IndexCleared.class, () -> v2.await(index + 1, TWO_SECONDS));
                // The datastore's own poll kept up and still follows.
                assertEquals(201, curlPut(http, ep, L + "host/w7/ip_addr_v4", "10.0.0.17"));
                assertEquals("10.0.0.2 NON_CLIENT, 10.0.0.3 NON_CLIENT, 10.0.0.12 CLIENT, 10.0.0.17 CLIENT", peers(s.next(TWO_SECONDS)));
            }
        }
    }

    @Test
    void tlsWithClientCertificatesInEveryKeyForm() throws Exception {
        TestCertificates certs = TestCertificates.create(tmp);
        TestCertificates.Issued server = certs.issue("etcd-server", true, TestCertificates.KeyForm.PKCS1);
        TestCertificates.Issued ctl = certs.issue("etcdctl", false, TestCertificates.KeyForm.PKCS8);
        EtcdServer.Tls tls = new EtcdServer.Tls(certs.ca(), server.cert(), server.key(), ctl.cert(), ctl.key());
        try (EtcdServer etcd = EtcdServer.start(true, tls)) {
            assertTrue(etcd.endpoint().startsWith("https://"));
            cluster(etcd);
            for (TestCertificates.KeyForm form : TestCertificates.KeyForm.values()) {
                TestCertificates.Issued client = certs.issue("rr-" + form.name().toLowerCase(), false, form);
                EtcdSettings settings = EtcdSettings.of(List.of(URI.create(etcd.endpoint())), certs.ca(), client.cert(), client.key(), null, null);
                // The v2 API over the same TLS settings: one legacy host written through it.
                HttpClient https = HttpClient.newBuilder()
                        .sslContext(EtcdTls.load(certs.ca(), client.cert(), client.key()).jdkContext()).build();
                int written = curlPut(https, etcd.endpoint(), L + "host/legacy/ip_addr_v4", "10.0.0.40");
                assertTrue(written == 201 || written == 200, "v2 PUT over TLS: HTTP " + written); // created, then replaced
                etcd.put(L + "global/peer_v4/10.0.0.1", "{\"ip\":\"10.0.0.1\",\"as_num\":\"64512\"}");
                try (Source s = new Source(settings.withStartWait(Duration.ofSeconds(10)), Identity.node("rr1"))) {
                    assertEquals("10.0.0.11 CLIENT, 10.0.0.12 CLIENT, 10.0.0.40 CLIENT", peers(s.next(Duration.ZERO)), form.name());
                    etcd.put(R + "nodes/w-tls", node("w-tls", "10.0.0.50", null, ""));
                    assertEquals("10.0.0.11 CLIENT, 10.0.0.12 CLIENT, 10.0.0.40 CLIENT, 10.0.0.50 CLIENT", peers(s.next(TWO_SECONDS)),
                            form.name());
                }
                etcd.etcdctl("del", R + "nodes/w-tls").orThrow();
            }
            // Without a client certificate etcd refuses us: start says so within its wait.
            EtcdSettings anonymous = EtcdSettings.of(List.of(URI.create(etcd.endpoint())), certs.ca(), null, null, null, null)
                    .withStartWait(Duration.ofSeconds(2));
            assertThrows(IOException.class, () -> new Source(anonymous, Identity.node("rr1")).close());
        }
    }

    @Test
    void checkConfigReadsEtcdFromTheOldImagesEnvironment() {
        try (EtcdServer etcd = EtcdServer.start(false)) {
            cluster(etcd);
            for (Map<String, String> env : List.of(Map.of("ETCD_ENDPOINTS", etcd.endpoint(), "NODENAME", "rr1"),
                    Map.of("DATASTORE_TYPE", "etcdv3", "ETCD_AUTHORITY", "127.0.0.1:" + etcd.clientPort(), "CALICO_NODENAME", "rr1"))) {
                CheckConfigCommandTest.Run run = CheckConfigCommandTest.run(env);
                assertEquals(0, run.exit(), run.out() + run.err());
                assertTrue(run.out().startsWith("router id 10.0.0.1, cluster id 224.0.0.1, AS 64512"), run.out());
                assertTrue(run.out().contains("2 peers:") && run.out().contains("10.0.0.11") && run.out().contains("10.0.0.12"), run.out());
            }
            CheckConfigCommandTest.Run bad = CheckConfigCommandTest.run(Map.of("ETCD_ENDPOINTS", "127.0.0.1:2379", "NODENAME", "rr1"));
            assertEquals(2, bad.exit());
            assertEquals("routereflector: ETCD_ENDPOINTS: '127.0.0.1:2379' is not an http(s)://host:port URL such as http://127.0.0.1:2379",
                    bad.err().strip());
        }
    }
}
