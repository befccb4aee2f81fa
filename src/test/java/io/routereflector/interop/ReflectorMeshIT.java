package io.routereflector.interop;

import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.session.Transport;
import io.routereflector.rib.Path;
import io.routereflector.rib.PeerRole;
import io.routereflector.testbed.BirdPeer;
import io.routereflector.testbed.GobgpPeer;
import io.routereflector.testbed.Host;
import io.routereflector.testbed.Neighbor;
import io.routereflector.testbed.PeerRoute;
import io.routereflector.testbed.StaticRoute;
import io.routereflector.testbed.Testbed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two reflectors of ours, A on 198.51.100.1 and B on 198.51.100.2 (both in the test's namespace,
 * on the one root veth), peering with each other, each with real clients.
 *
 * <p>Same cluster id: the two are a redundant pair of one cluster, as Calico deploys them. They are
 * NON_CLIENT to each other (Calico: a peer sharing our cluster id is a non-client), and every client
 * peers with both. A client's route reaches the other client twice (once per reflector), each copy
 * with CLUSTER_LIST [C]. What A reflects to B carries C in its CLUSTER_LIST and B drops it on receipt
 * (RFC 4456 §8), and the other way round: each reflector holds exactly one path per prefix, the
 * client's own, and nothing at all from the other reflector.
 *
 * <p>Different cluster ids C1, C2: each client peers only with its own reflector, and the reflectors
 * are CLIENTs of each other (Calico: a peer with another cluster id is a client). A route crosses
 * both: at the far client its CLUSTER_LIST is [C2, C1] (each reflector prepends its id). Nothing is
 * dropped: the path B learned from A is never offered back to A (split horizon), so no copy ever
 * meets its own cluster id.
 */
@Timeout(180)
class ReflectorMeshIT {

    static final Duration UP = Duration.ofSeconds(45);
    static final String A = Testbed.REFLECTOR_IPV4;
    static final String C = "10.255.0.1";
    static final String C1 = "10.255.0.1";
    static final String C2 = "10.255.0.2";

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
        assertEquals(List.of(), Testbed.rootLinks(), "links left behind");
    }

    @Test
    void sameClusterIdRedundantPairDropsWhatTheyReflectToEachOther() {
        try (Testbed testbed = Testbed.start()) {
            String b = testbed.addRootAddress(2);
            Host gHost = testbed.host(31);
            Host bHost = testbed.host(32);
            String gPrefix = "10.31.0.0/26";
            String bPrefix = "10.32.0.0/26";
            GobgpPeer gobgp = GobgpPeer.start(gHost, dualHomed(gHost, b, StaticRoute.of(gPrefix).withCommunities("64512:31")));
            BirdPeer bird = BirdPeer.start(bHost, BirdPeer.Version.BIRD2, dualHomed(bHost, b, StaticRoute.of(bPrefix)));
            try (InteropReflector rrA = InteropReflector.start(Transport.detect(), A, C, List.of(A), 179, List.of(
                         InteropReflector.client(b, A).role(PeerRole.NON_CLIENT).build(),
                         InteropReflector.client(gHost.ipv4(), A).build(),
                         InteropReflector.client(bHost.ipv4(), A).build()));
                 InteropReflector rrB = InteropReflector.start(Transport.detect(), b, C, List.of(b), 179, List.of(
                         InteropReflector.client(A, b).role(PeerRole.NON_CLIENT).build(),
                         InteropReflector.client(gHost.ipv4(), b).build(),
                         InteropReflector.client(bHost.ipv4(), b).build()))) {
                rrA.awaitEstablished(UP, b, gHost.ipv4(), bHost.ipv4());
                rrB.awaitEstablished(UP, A, gHost.ipv4(), bHost.ipv4());

                // Each client gets the other's route from both reflectors, each copy reflected once.
                for (String via : List.of("rra", "rrb")) {
                    PeerRoute r = bird.awaitRoute(gPrefix, x -> x.from().equals(via), UP);
                    assertEquals(gHost.ipv4(), r.originatorId(), via);
                    assertEquals(List.of(C), r.clusterList(), via);
                    assertEquals(gHost.ipv4(), r.nextHop(), via);
                    assertEquals(List.of("64512:31"), r.communities(), via);
                }
                for (String via : List.of(A, b)) {
                    PeerRoute r = gobgp.awaitRoute(bPrefix, x -> x.from().equals(via), UP);
                    assertEquals(bHost.ipv4(), r.originatorId(), via);
                    assertEquals(List.of(C), r.clusterList(), via);
                }
                // Nothing else: two paths per prefix at each client (ADD-PATH would show a third).
                assertEquals(2, bird.routes().stream().filter(r -> r.prefix().equals(gPrefix)).count());
                assertEquals(2, gobgp.routes().stream().filter(r -> r.prefix().equals(bPrefix)).count());

                // The reflectors did send each other the clients' routes (their NON_CLIENT group
                // encoded UPDATEs), and each dropped all of them: nothing kept from the other.
                for (InteropReflector rr : List.of(rrA, rrB)) {
                    InteropReflector.GroupView mesh = rr.groups().stream()
                            .filter(g -> g.key().role() == PeerRole.NON_CLIENT).findFirst().orElseThrow();
                    assertTrue(mesh.encodedMessages() > 0, "the reflector sent its clients' routes to the other: " + mesh);
                }
                assertEquals(0, rrB.receivedFrom(A), "B keeps nothing A reflected (CLUSTER_LIST holds B's id)");
                assertEquals(0, rrA.receivedFrom(b), "A keeps nothing B reflected (CLUSTER_LIST holds A's id)");
                for (InteropReflector rr : List.of(rrA, rrB)) {
                    assertSinglePath(rr, gPrefix, gHost.ipv4());
                    assertSinglePath(rr, bPrefix, bHost.ipv4());
                }
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- testbed:\n" + testbed.diagnostics(), e);
            }
        }
    }

    @Test
    void differentClusterIdsCarryRoutesAcrossBothWithTwoClusterIds() {
        try (Testbed testbed = Testbed.start()) {
            String b = testbed.addRootAddress(2);
            Host gHost = testbed.host(41);
            Host bHost = testbed.host(42);
            String gPrefix = "10.41.0.0/26";
            String bPrefix = "10.42.0.0/26";
            GobgpPeer gobgp = GobgpPeer.start(gHost, io.routereflector.testbed.PeerConfig.calicoNode(gHost, false,
                    StaticRoute.of(gPrefix).withLargeCommunities("64512:41:1")));
            BirdPeer bird = BirdPeer.start(bHost, BirdPeer.Version.BIRD2, io.routereflector.testbed.PeerConfig
                    .calicoNode(bHost, false, StaticRoute.of(bPrefix)).withNeighbors(Neighbor.calico("reflector", b)));
            try (InteropReflector rrA = InteropReflector.start(Transport.detect(), A, C1, List.of(A), 179, List.of(
                         InteropReflector.client(b, A).build(),
                         InteropReflector.client(gHost.ipv4(), A).build()));
                 InteropReflector rrB = InteropReflector.start(Transport.detect(), b, C2, List.of(b), 179, List.of(
                         InteropReflector.client(A, b).build(),
                         InteropReflector.client(bHost.ipv4(), b).build()))) {
                rrA.awaitEstablished(UP, b, gHost.ipv4());
                rrB.awaitEstablished(UP, A, bHost.ipv4());

                PeerRoute atBird = bird.awaitRoute(gPrefix, r -> r.from().equals("reflector"), UP);
                assertEquals(gHost.ipv4(), atBird.originatorId());
                assertEquals(List.of(C2, C1), atBird.clusterList(), "B prepends its id to A's");
                assertEquals(gHost.ipv4(), atBird.nextHop());
                assertEquals(List.of("64512:41:1"), atBird.largeCommunities());
                PeerRoute atGobgp = gobgp.awaitRoute(bPrefix, r -> !r.from().isEmpty(), UP);
                assertEquals(bHost.ipv4(), atGobgp.originatorId());
                assertEquals(List.of(C1, C2), atGobgp.clusterList(), "A prepends its id to B's");
                assertEquals(bHost.ipv4(), atGobgp.nextHop());

                // Each reflector keeps exactly the other's client route, reflected once by the other.
                assertEquals(1, rrA.receivedFrom(b));
                assertEquals(1, rrB.receivedFrom(A));
                List<Path> atA = rrA.paths(bPrefix);
                assertEquals(1, atA.size(), atA.toString());
                assertEquals(1, atA.get(0).clusterListLength());
                List<Path> atB = rrB.paths(gPrefix);
                assertEquals(1, atB.size(), atB.toString());
                assertEquals(1, atB.get(0).clusterListLength());
                assertSinglePath(rrA, gPrefix, gHost.ipv4());
                assertSinglePath(rrB, bPrefix, bHost.ipv4());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- testbed:\n" + testbed.diagnostics(), e);
            }
        }
    }

    /** A Calico node peering with both reflectors of a redundant pair. */
    private static io.routereflector.testbed.PeerConfig dualHomed(Host host, String b, StaticRoute route) {
        return io.routereflector.testbed.PeerConfig.calicoNode(host, false, route)
                .withNeighbors(Neighbor.calico("rra", A), Neighbor.calico("rrb", b));
    }

    /** The reflector holds one path for {@code prefix}: the client's own, not reflected by anyone. */
    private static void assertSinglePath(InteropReflector rr, String prefix, String client) {
        List<Path> paths = rr.paths(prefix);
        assertEquals(1, paths.size(), rr.config().routerId() + " " + prefix + ": " + paths);
        assertEquals(InteropReflector.ip(client), paths.get(0).source().address(), paths.toString());
        assertEquals(0, paths.get(0).clusterListLength(), paths.toString());
    }
}
