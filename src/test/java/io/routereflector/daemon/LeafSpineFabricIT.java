package io.routereflector.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.routereflector.daemon.FabricResources.Rack;
import io.routereflector.testbed.Await;
import io.routereflector.testbed.BirdPeer;
import io.routereflector.testbed.FrrPeer;
import io.routereflector.testbed.Host;
import io.routereflector.testbed.Neighbor;
import io.routereflector.testbed.PeerConfig;
import io.routereflector.testbed.PeerRoute;
import io.routereflector.testbed.StaticRoute;
import io.routereflector.testbed.Testbed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leaf-spine fabric of issue 13, real software only: an FRR spine (AS 65008) and two FRR leaves
 * (65009, 65010); per rack (AS 64512, 64513) two of our reflectors as daemon processes from the jar,
 * sharing the rack's cluster id, peering eBGP with the rack's leaf ({@code keepOriginalNextHop}) and
 * serving the rack's Calico-like BIRD 1.6 workers, which announce a blackhole pod block each and the
 * service CIDR. The Calico resources are {@link FabricResources}; all hosts share 198.51.100.0/24.
 */
@Timeout(360)
class LeafSpineFabricIT {

    static final Duration UP = Duration.ofSeconds(60);
    static final Duration PROPAGATE = Duration.ofSeconds(10);
    /** How long a stopped reflector's absence is watched for losses. */
    static final Duration WATCH = Duration.ofSeconds(8);
    static final long SPINE_AS = 65008;
    static final int SPINE = 100;
    static final ObjectMapper JSON = new ObjectMapper();

    static final Rack RACK1 = new Rack(1, 64512, "224.0.1.1", "198.51.100.101", 65009,
            List.of("198.51.100.111", "198.51.100.112"), List.of("198.51.100.113", "198.51.100.114"));
    static final Rack RACK2 = new Rack(2, 64513, "224.0.2.1", "198.51.100.102", 65010,
            List.of("198.51.100.121", "198.51.100.122"), List.of("198.51.100.123", "198.51.100.124"));
    static final List<Rack> RACKS = List.of(RACK1, RACK2);

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
        assertEquals(List.of(), Testbed.rootLinks(), "links left behind");
    }

    /** The running fabric of one test. */
    private final Map<String, FrrPeer> leaves = new LinkedHashMap<>();
    private final Map<String, BirdPeer> workers = new LinkedHashMap<>();
    private final Map<String, DaemonProcess> reflectors = new LinkedHashMap<>();
    private final Map<String, Integer> adminPorts = new LinkedHashMap<>();
    private FrrPeer spine;
    private Path calico;
    private Testbed testbed;

    @Test
    void podBlocksAndServicesCrossTheFabricAndNothingIsLostWithOneReflector() throws Exception {
        try (Testbed tb = Testbed.start()) {
            long began = System.nanoTime(); // after the testbed lock, which other real-peer tests may hold
            testbed = tb;
            Supplier<String> diag = this::diagnostics;
            try {
                build();
                long built = System.nanoTime();
                awaitConverged(UP);
                System.out.printf("fabric: built in %d ms, converged %d ms later%n", (built - began) / 1_000_000,
                        (System.nanoTime() - built) / 1_000_000);
                assertSpineLeavesAndWorkers();

                // A rack's own block comes back from its leaf (learned from the rack's other reflector):
                // refused while numAllowedLocalASNumbers is 0.
                String ownBlock = block(RACK1.workers().get(0));
                for (String rr : RACK1.reflectors()) {
                    // The leaf sends the block back once it has it from the rack's other reflector: a moment after
                    // the fabric converged, so this waits for it instead of reading the counter once.
                    Await.until(rr + " to reject its rack's own block coming back from its leaf", UP,
                            () -> rejectedFrom(rr, RACK1.leaf()) > 0, diag);
                    assertTrue(pathsAt(rr, ownBlock).stream().noneMatch(p -> p.path("source").asText().equals(RACK1.leaf())),
                            rr + " holds its own block from the leaf: " + pathsAt(rr, ownBlock));
                }

                withdrawalCrossesTheFabric();

                // SIGTERM one reflector of rack 1: its peers (GR helpers) keep its routes; the other serves on.
                DaemonProcess rr1a = reflectors.get(RACK1.reflectors().get(0));
                DaemonProcess.assertStopsOnSigterm(rr1a);
                watchNothingLost("after SIGTERM of rr1a", RACK1, RACK1.reflectors().get(1));
                startReflector(RACK1, 0);
                awaitConverged(UP);

                // SIGKILL one reflector of rack 2: a crash, no FIN from the JVM, the kernel closes its sockets.
                DaemonProcess rr2a = reflectors.get(RACK2.reflectors().get(0));
                rr2a.process().destroyForcibly();
                rr2a.awaitExit(Duration.ofSeconds(10));
                watchNothingLost("after SIGKILL of rr2a", RACK2, RACK2.reflectors().get(1));
                startReflector(RACK2, 0);
                awaitConverged(UP);

                // numAllowedLocalASNumbers: 1 lets the block back in, as one more path of the Loc-RIB.
                String rr1b = RACK1.reflectors().get(1);
                DaemonFileIT.write(calico.resolve("cluster.yaml"), FabricResources.cluster(RACKS, 1));
                Await.until(rr1b + " to hold its own block from the leaf once one local AS is allowed (not as best)", UP,
                        () -> pathsAt(rr1b, ownBlock).stream().anyMatch(p -> p.path("source").asText().equals(RACK1.leaf())
                                && p.path("asPath").asText().equals(RACK1.leafAs() + " " + RACK1.as())
                                && !p.path("best").asBoolean(true)),
                        () -> pathsAt(rr1b, ownBlock) + "\n" + diag.get());
                System.out.printf("fabric scenario took %d ms%n", (System.nanoTime() - began) / 1_000_000);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n" + diag.get(), e);
            } finally {
                reflectors.values().forEach(DaemonProcess::close);
            }
        }
    }

    private void build() throws IOException {
        Host spineHost = testbed.host(SPINE);
        List<Neighbor> spineNeighbors = new ArrayList<>();
        for (Rack r : RACKS) {
            spineNeighbors.add(ebgp("leaf" + r.number(), r.leaf(), r.leafAs()));
        }
        spine = FrrPeer.start(spineHost, new PeerConfig(SPINE_AS, spineHost.ipv4(), false, List.of(), spineNeighbors, "", true));
        for (Rack r : RACKS) {
            Host leafHost = testbed.host(number(r.leaf()));
            List<Neighbor> n = new ArrayList<>(List.of(ebgp("spine", spineHost.ipv4(), SPINE_AS)));
            for (int i = 0; i < r.reflectors().size(); i++) {
                n.add(ebgp(r.reflectorName(i), r.reflectors().get(i), r.as()));
            }
            FrrPeer leaf = FrrPeer.start(leafHost, new PeerConfig(r.leafAs(), leafHost.ipv4(), false, List.of(), n, "", true));
            // All hosts share one L2 segment, where FRR passes a third-party next hop on (RFC 4271
            // §5.1.3); a fabric's point-to-point links make the leaf the next hop, as next-hop-self does here.
            List<String> commands = new ArrayList<>(List.of("configure terminal", "router bgp " + r.leafAs(),
                    "address-family ipv4 unicast"));
            n.forEach(x -> commands.add("neighbor " + x.address() + " next-hop-self"));
            leaf.configure(commands.toArray(String[]::new));
            leaves.put(r.leaf(), leaf);
            for (String rr : r.reflectors()) {
                testbed.addRootAddress(number(rr));
            }
            for (String w : r.workers()) {
                Host h = testbed.host(number(w));
                List<Neighbor> toReflectors = new ArrayList<>();
                for (int i = 0; i < r.reflectors().size(); i++) {
                    toReflectors.add(Neighbor.calico("rr" + (char) ('a' + i), r.reflectors().get(i)).withAs(r.as()));
                }
                workers.put(w, BirdPeer.start(h, BirdPeer.Version.BIRD16, new PeerConfig(r.as(), w, false,
                        List.of(StaticRoute.of(block(w)), StaticRoute.of(FabricResources.SERVICE_CIDR)), toReflectors, "", true)));
            }
        }
        calico = Files.createDirectories(testbed.workDir().resolve("calico"));
        DaemonFileIT.write(calico.resolve("cluster.yaml"), FabricResources.cluster(RACKS, 0));
        DaemonFileIT.write(calico.resolve("nodes.yaml"), FabricResources.nodes(RACKS));
        // Four JVMs start side by side; each is awaited afterwards.
        List<Runnable> started = new ArrayList<>();
        for (Rack r : RACKS) {
            for (int i = 0; i < r.reflectors().size(); i++) {
                started.add(launchReflector(r, i));
            }
        }
        started.forEach(Runnable::run);
    }

    /** An eBGP session of the fabric: directly connected, graceful restart, no ADD-PATH. */
    private static Neighbor ebgp(String name, String address, long as) {
        return new Neighbor(name, address, as, false, true, false, "", false, false, 120);
    }

    private void startReflector(Rack r, int i) {
        launchReflector(r, i).run();
    }

    /** Starts reflector {@code i} of {@code r}; the returned check waits for its "started" line. */
    private Runnable launchReflector(Rack r, int i) {
        String address = r.reflectors().get(i);
        int admin = DaemonProcess.freePort();
        adminPorts.put(address, admin);
        DaemonProcess d = DaemonProcess.startJar(r.reflectorName(i) + "-" + System.nanoTime() % 100_000,
                List.of("run", "--admin-listen", "127.0.0.1:" + admin, "--metrics-listen", "127.0.0.1:" + DaemonProcess.freePort()),
                Map.of("DATASTORE_TYPE", "file", "DATASTORE_PATH", calico.toString(), "NODENAME", r.reflectorName(i),
                        "STATE_DIRECTORY", testbed.workDir().resolve(r.reflectorName(i) + "-state").toString()),
                testbed.workDir());
        DaemonProcess old = reflectors.put(address, d);
        if (old != null) {
            old.close();
        }
        return () -> {
            String started = d.awaitStarted();
            assertTrue(started.contains("AS " + r.as()) && started.contains("cluster id " + r.clusterId()), started);
        };
    }

    /** Every pod block and the service CIDR where the fabric must have them. */
    private void awaitConverged(Duration timeout) {
        Await.until("the fabric to converge", timeout, () -> missing().isEmpty(), () -> "missing: " + missing());
    }

    /** What is not (yet) where it belongs, as "where: prefix" lines; empty when all is in place. */
    private List<String> missing() {
        List<String> out = new ArrayList<>();
        List<PeerRoute> atSpine = spine.routes();
        for (Rack r : RACKS) {
            for (String w : r.workers()) {
                if (atSpine.stream().noneMatch(p -> p.prefix().equals(block(w)))) {
                    out.add("spine: " + block(w));
                }
            }
            if (atSpine.stream().noneMatch(p -> p.prefix().equals(FabricResources.SERVICE_CIDR) && p.from().equals(r.leaf()))) {
                out.add("spine: " + FabricResources.SERVICE_CIDR + " from " + r.leaf());
            }
            List<PeerRoute> atLeaf = leaves.get(r.leaf()).routes();
            for (Rack other : RACKS) {
                for (String w : other.workers()) {
                    if (atLeaf.stream().noneMatch(p -> p.prefix().equals(block(w)))) {
                        out.add("leaf " + r.leaf() + ": " + block(w));
                    }
                }
            }
            for (String w : r.workers()) {
                Set<String> held = prefixes(workers.get(w));
                for (Rack other : RACKS) {
                    for (String o : other.workers()) {
                        if (!o.equals(w) && !held.contains(block(o))) {
                            out.add("worker " + w + ": " + block(o));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The spine, the leaves and the workers see what issue 13 lists, attribute by attribute. */
    private void assertSpineLeavesAndWorkers() {
        for (Rack r : RACKS) {
            for (String w : r.workers()) {
                PeerRoute atSpine = spine.awaitRoute(block(w), p -> true, PROPAGATE);
                assertEquals(List.of(r.leafAs(), r.as()), atSpine.asPath(), "AS path of " + block(w) + " at the spine");
                assertEquals(r.leaf(), atSpine.nextHop(), "next hop of " + block(w) + " at the spine");
                PeerRoute atLeaf = leaves.get(r.leaf()).awaitRoute(block(w), p -> true, PROPAGATE);
                assertEquals(w, atLeaf.nextHop(), "keepOriginalNextHop: the worker's own next hop at its leaf");
                assertEquals(List.of(r.as()), atLeaf.asPath(), "AS path of " + block(w) + " at its leaf");
            }
            PeerRoute service = spine.awaitRoute(FabricResources.SERVICE_CIDR, p -> p.from().equals(r.leaf()), PROPAGATE);
            assertEquals(List.of(r.leafAs(), r.as()), service.asPath(), "the service CIDR from leaf " + r.leaf());
        }
        for (Rack r : RACKS) {
            Rack other = r == RACK1 ? RACK2 : RACK1;
            for (String w : r.workers()) {
                BirdPeer bird = workers.get(w);
                for (String o : other.workers()) {
                    PeerRoute remote = bird.awaitRoute(block(o), p -> true, PROPAGATE);
                    assertEquals(List.of(r.leafAs(), SPINE_AS, other.leafAs(), other.as()), remote.asPath(),
                            "AS path of the other rack's " + block(o) + " at worker " + w);
                    assertEquals(r.leaf(), remote.nextHop(), "next hop of " + block(o) + " at worker " + w);
                    // Learned over eBGP, so advertised to the clients, not reflected (RFC 4456 §7): no
                    // ORIGINATOR_ID, no CLUSTER_LIST; LOCAL_PREF set at the AS border.
                    assertEquals("", remote.originatorId(), "ORIGINATOR_ID of an eBGP route: " + remote);
                    assertEquals(List.of(), remote.clusterList(), "CLUSTER_LIST of an eBGP route: " + remote);
                    assertEquals(100, remote.localPref(), "LOCAL_PREF: " + remote);
                }
            }
        }
    }

    /**
     * A worker of rack 2 stops announcing (BIRD disables its static routes): its block is gone at the spine
     * and at rack 1's workers within {@link #PROPAGATE}; the service CIDR stays, announced by the other worker.
     */
    private void withdrawalCrossesTheFabric() {
        String w = RACK2.workers().get(1);
        BirdPeer bird = workers.get(w);
        long t0 = System.nanoTime();
        bird.birdc("disable", "static1").orThrow();
        Await.until(block(w) + " gone at the spine and in rack 1", PROPAGATE, () -> spine.routes().stream()
                .noneMatch(p -> p.prefix().equals(block(w))) && RACK1.workers().stream()
                .noneMatch(o -> prefixes(workers.get(o)).contains(block(w))), this::diagnostics);
        System.out.printf("fabric: a rack 2 withdrawal was gone at the spine and in rack 1 after %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
        assertTrue(spine.routes().stream().anyMatch(p -> p.prefix().equals(FabricResources.SERVICE_CIDR)
                && p.from().equals(RACK2.leaf())), "the service CIDR stays announced by rack 2's other worker");
        bird.birdc("enable", "static1").orThrow();
        awaitConverged(UP);
    }

    /**
     * With one reflector of {@code rack} gone, for {@link #WATCH}: nothing is missing anywhere, and the
     * rack's leaf holds each of the rack's blocks from {@code survivor}.
     */
    private void watchNothingLost(String when, Rack rack, String survivor) {
        FrrPeer leaf = leaves.get(rack.leaf());
        long end = System.nanoTime() + WATCH.toNanos();
        int polls = 0;
        while (System.nanoTime() - end < 0) {
            List<String> lost = missing();
            assertEquals(List.of(), lost, "lost " + when + " (poll " + polls + ")");
            List<PeerRoute> atLeaf = leaf.routes();
            for (String w : rack.workers()) {
                assertTrue(atLeaf.stream().anyMatch(p -> p.prefix().equals(block(w)) && p.from().equals(survivor)),
                        "leaf " + rack.leaf() + " has no path for " + block(w) + " from " + survivor + " " + when);
            }
            polls++;
            DaemonProcess.sleep(300);
        }
        System.out.printf("fabric: nothing lost %s (%d polls over %d s)%n", when, polls, WATCH.toSeconds());
    }

    private static Set<String> prefixes(BirdPeer bird) {
        Set<String> out = new TreeSet<>();
        bird.routes().forEach(r -> out.add(r.prefix()));
        return out;
    }

    /** The Loc-RIB paths of {@code prefix} at reflector {@code rr} ({@code GET /routes?prefix=}). */
    private List<JsonNode> pathsAt(String rr, String prefix) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode route : admin(rr, "/routes?prefix=" + prefix).path("routes")) {
            route.path("paths").forEach(out::add);
        }
        return out;
    }

    /** Updates from {@code peer} that reflector {@code rr} rejected ({@code GET /status/PEER}). */
    private long rejectedFrom(String rr, String peer) {
        return admin(rr, "/status/" + peer).path("importUpdates").path("rejected").asLong();
    }

    private JsonNode admin(String rr, String path) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + adminPorts.get(rr) + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("admin endpoint of " + rr + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Worker 198.51.100.N's pod block: 10.244.N.0/26 in the IPPool. */
    static String block(String worker) {
        return "10.244." + number(worker) + ".0/26";
    }

    private static int number(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf('.') + 1));
    }

    private String diagnostics() {
        StringBuilder text = new StringBuilder();
        reflectors.values().forEach(d -> text.append(d.diagnostics()).append('\n'));
        if (spine != null) {
            text.append(spine.vtysh("show bgp ipv4 unicast").output());
        }
        leaves.values().forEach(l -> text.append(l.vtysh("show bgp ipv4 unicast", "show bgp summary").output()));
        return text + testbed.diagnostics();
    }
}
