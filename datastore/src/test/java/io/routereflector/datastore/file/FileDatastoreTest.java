package io.routereflector.datastore.file;

import io.routereflector.datastore.DesiredState;
import io.routereflector.datastore.ResourceProblem;
import io.routereflector.datastore.derive.DaemonSettings;
import io.routereflector.datastore.derive.Identity;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.routereflector.datastore.derive.PeerDerivationTest.ip;
import static io.routereflector.datastore.derive.PeerDerivationTest.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileDatastoreTest {

    @TempDir
    Path dir;

    private static final String PEERS = """
            apiVersion: projectcalico.org/v3
            kind: BGPConfiguration
            metadata: {name: default}
            spec: {nodeToNodeMeshEnabled: false}
            ---
            apiVersion: projectcalico.org/v3
            kind: BGPPeer
            metadata: {name: peer-with-route-reflectors}
            spec:
              peerSelector: has(route-reflector)
            """;

    private static String nodes(int workers) {
        StringBuilder sb = new StringBuilder(node("rr1", "10.0.0.1", null, "224.0.0.1", "route-reflector: 'true'"));
        for (int i = 1; i <= workers; i++) {
            sb.append(node("w" + i, "10.0.0." + (10 + i), null, null, ""));
        }
        return sb.toString();
    }

    private static List<String> addresses(ReflectorConfig c) {
        return c.peers().stream().map(p -> p.address().getHostAddress()).toList();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not reached within 10 s");
            Thread.sleep(20);
        }
    }

    @Test
    void editsAreDeliveredAndABrokenFileKeepsItsLastGoodState() throws Exception {
        Files.writeString(dir.resolve("nodes.yaml"), nodes(2));
        Files.writeString(dir.resolve("peers.yaml"), PEERS);
        Files.writeString(dir.resolve(".nodes.yaml.swp"), "garbage: [");
        BlockingQueue<ReflectorConfig> delivered = new LinkedBlockingQueue<>();
        try (FileDatastore ds = new FileDatastore(dir, Identity.node("rr1"), null, Duration.ofMillis(100), Duration.ofSeconds(30))) {
            ds.start(delivered::add);
            ReflectorConfig first = delivered.poll();
            assertNotNull(first, "the first configuration is delivered by start()");
            assertEquals(List.of("10.0.0.11", "10.0.0.12"), addresses(first));
            assertEquals(DesiredState.Status.HEALTHY, ds.health().status(), ds.health().detail());

            // Edit: a third worker joins.
            Files.writeString(dir.resolve("nodes.yaml"), nodes(3));
            ReflectorConfig second = delivered.poll(10, TimeUnit.SECONDS);
            assertNotNull(second, "an edit is delivered");
            assertEquals(List.of("10.0.0.11", "10.0.0.12", "10.0.0.13"), addresses(second));

            // Break the syntax of peers.yaml: its last good state stays, nothing new is delivered.
            Files.writeString(dir.resolve("peers.yaml"), PEERS.replace("has(route-reflector)", "[has(route-reflector)"));
            await(() -> !ds.snapshot().problems().isEmpty());
            ResourceProblem syntax = ds.snapshot().problems().get(0);
            assertTrue(syntax.source().startsWith(dir.resolve("peers.yaml") + ":"), syntax.toString());
            assertTrue(syntax.message().contains("does not parse as YAML"), syntax.toString());
            assertEquals(DesiredState.Status.DEGRADED, ds.health().status());
            assertEquals(second, ds.snapshot().config());

            // A validation error: reported at its file, line and field; the file's last good state still applies.
            Files.writeString(dir.resolve("peers.yaml"), PEERS.replace("peerSelector: has(route-reflector)", "peerSelector: rack = 'a'"));
            await(() -> ds.snapshot().problems().stream().anyMatch(p -> p.field().equals("spec.peerSelector")));
            ResourceProblem bad = ds.snapshot().problems().stream().filter(p -> p.field().equals("spec.peerSelector")).findFirst().orElseThrow();
            assertEquals(dir.resolve("peers.yaml") + ":10", bad.source());
            assertTrue(bad.message().contains("at column 6"), bad.toString());
            assertEquals(second, ds.snapshot().config());
            assertNull(delivered.poll(300, TimeUnit.MILLISECONDS), "no change while the file is broken");

            // Fixed again, with a worker removed: delivered, healthy.
            Files.writeString(dir.resolve("peers.yaml"), PEERS);
            Files.writeString(dir.resolve("nodes.yaml"), nodes(1));
            ReflectorConfig fixed = delivered.poll(10, TimeUnit.SECONDS);
            assertNotNull(fixed);
            if (fixed.peers().size() != 1) {
                // The two writes may be seen apart; the later one must follow.
                fixed = delivered.poll(10, TimeUnit.SECONDS);
            }
            assertEquals(List.of("10.0.0.11"), addresses(fixed));
            await(() -> ds.health().status() == DesiredState.Status.HEALTHY);
            assertEquals(List.of(), ds.snapshot().problems());
        }
    }

    /** Issue 15 §3: a bad field falls back alone, so the rest of the same edit applies (calico/node reads it field by field). */
    @Test
    void anEditWithABadFieldAppliesTheRestOfTheEdit() throws Exception {
        Files.writeString(dir.resolve("nodes.yaml"), nodes(2));
        Files.writeString(dir.resolve("peers.yaml"), PEERS);
        BlockingQueue<ReflectorConfig> delivered = new LinkedBlockingQueue<>();
        try (FileDatastore ds = new FileDatastore(dir, Identity.node("rr1"), null, Duration.ofMillis(100), Duration.ofSeconds(30))) {
            ds.start(delivered::add);
            assertEquals(List.of("10.0.0.11", "10.0.0.12"), addresses(delivered.poll()));
            Files.writeString(dir.resolve("nodes.yaml"), nodes(3).replace("ipv4Address: 10.0.0.11/24",
                    "ipv4Address: 10.0.0.11/24\n    asNumbr: 64512"));
            ReflectorConfig next = delivered.poll(10, TimeUnit.SECONDS);
            assertNotNull(next, "the edit applies despite the typo");
            assertEquals(List.of("10.0.0.11", "10.0.0.12", "10.0.0.13"), addresses(next));
            ResourceProblem typo = ds.snapshot().problems().get(0);
            assertEquals("spec.bgp.asNumbr", typo.field(), ds.snapshot().problems().toString());
            assertEquals(DesiredState.Status.DEGRADED, ds.health().status());
        }
    }

    @Test
    void aSingleJsonFileWithACalicoctlListAndAStandaloneIdentity() throws Exception {
        Path file = dir.resolve("cluster.json");
        Files.writeString(file, """
                {"apiVersion": "projectcalico.org/v3", "kind": "List", "items": [
                  {"apiVersion": "projectcalico.org/v3", "kind": "Node", "metadata": {"name": "w1"},
                   "spec": {"bgp": {"ipv4Address": "10.0.0.11/24"}}},
                  {"apiVersion": "projectcalico.org/v3", "kind": "BGPPeer", "metadata": {"name": "to-rr"},
                   "spec": {"peerIP": "10.0.0.100", "asNumber": 64512}}
                ]}
                """);
        Files.writeString(dir.resolve("other.yaml"), "not: [considered");
        BlockingQueue<ReflectorConfig> delivered = new LinkedBlockingQueue<>();
        try (FileDatastore ds = new FileDatastore(file, Identity.address((Inet4Address) ip("10.0.0.100"), null), null,
                Duration.ofMillis(50), Duration.ofMillis(300))) {
            ds.start(delivered::add);
            ReflectorConfig c = delivered.poll();
            assertEquals(List.of("10.0.0.11"), addresses(c));
            assertEquals(List.of(), ds.snapshot().problems());
            Files.writeString(file, Files.readString(file).replace("10.0.0.11/24", "10.0.0.21/24"));
            ReflectorConfig next = delivered.poll(10, TimeUnit.SECONDS);
            assertNotNull(next);
            assertEquals(List.of("10.0.0.21"), addresses(next));
            assertEquals(PeerConfig.DEFAULT_PORT, next.peers().get(0).port());
        }
    }

    @Test
    void aMissingPathFailsHealthWithoutAConfiguration() throws Exception {
        try (FileDatastore ds = new FileDatastore(dir.resolve("absent"), Identity.node("rr1"), null)) {
            BlockingQueue<ReflectorConfig> delivered = new LinkedBlockingQueue<>();
            try {
                ds.start(delivered::add);
            } catch (java.io.IOException | RuntimeException e) {
                // Watching an absent directory's parent is fine; either way nothing is delivered.
            }
            assertEquals(DesiredState.Status.FAILED, ds.health().status());
            assertTrue(ds.health().detail().contains("absent"), ds.health().detail());
            assertNull(delivered.poll());
        }
    }

    @Test
    void aChangedLogSeverityScreenIsDeliveredAloneWithoutTouchingTheConfiguration() throws Exception {
        Files.writeString(dir.resolve("nodes.yaml"), nodes(1));
        Files.writeString(dir.resolve("peers.yaml"), PEERS);
        BlockingQueue<Object> delivered = new LinkedBlockingQueue<>();
        DesiredState.Listener listener = new DesiredState.Listener() {
            @Override
            public void changed(ReflectorConfig config) {
                delivered.add(config);
            }

            @Override
            public void settingsChanged(DaemonSettings settings) {
                delivered.add(settings);
            }
        };
        try (FileDatastore ds = new FileDatastore(dir, Identity.node("rr1"), null, Duration.ofMillis(50), Duration.ofSeconds(30))) {
            ds.start(listener);
            assertTrue(delivered.poll() instanceof ReflectorConfig, "no settings set: only the configuration");
            assertNull(delivered.poll());
            assertEquals(DaemonSettings.NONE, ds.snapshot().settings());

            Files.writeString(dir.resolve("peers.yaml"), PEERS.replace("nodeToNodeMeshEnabled: false",
                    "nodeToNodeMeshEnabled: false, logSeverityScreen: Debug"));
            assertEquals(new DaemonSettings("Debug"), delivered.poll(10, TimeUnit.SECONDS));
            assertNull(delivered.poll(300, TimeUnit.MILLISECONDS), "the configuration is unchanged: not delivered again");
            assertEquals(new DaemonSettings("Debug"), ds.snapshot().settings());

            // Removed again: back to none.
            Files.writeString(dir.resolve("peers.yaml"), PEERS);
            assertEquals(DaemonSettings.NONE, delivered.poll(10, TimeUnit.SECONDS));
        }
    }
}
