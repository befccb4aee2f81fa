package io.routereflector.interop;

import io.routereflector.reflector.session.Transport;
import io.routereflector.testbed.Await;
import io.routereflector.testbed.BirdPeer;
import io.routereflector.testbed.GobgpPeer;
import io.routereflector.testbed.Host;
import io.routereflector.testbed.Neighbor;
import io.routereflector.testbed.PeerConfig;
import io.routereflector.testbed.PeerRoute;
import io.routereflector.testbed.StaticRoute;
import io.routereflector.testbed.Testbed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reflector as graceful-restart helper (RFC 4724 §4.2) for a real GoBGP client that crashes
 * (SIGKILL: no NOTIFICATION, the kernel just closes its socket), seen from a BIRD 2 client.
 * <ol>
 *   <li>GoBGP restarts within its restart time ({@code gobgpd -r}: its new OPEN says it kept forwarding),
 *       announcing one route fewer and numbering its ADD-PATH path ids afresh: the route it still
 *       announces never leaves BIRD and is not even re-sent to it, the one it dropped leaves as soon as
 *       GoBGP's End-of-RIB arrives (long before the restart time would have removed it).</li>
 *   <li>GoBGP stays down: its routes stay at BIRD for its restart time (20 s), then go.</li>
 * </ol>
 */
@Timeout(150)
class GracefulRestartIT {

    static final int RESTART_TIME = 20;
    static final Duration UP = Duration.ofSeconds(45);
    static final String KEPT = "10.51.0.0/26";
    static final String DROPPED = "10.51.0.64/26";

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
        assertEquals(List.of(), Testbed.rootLinks(), "links left behind");
    }

    @Test
    void crashedGobgpRoutesAreKeptForItsRestartTimeAndRefreshedWhenItReturns() throws Exception {
        try (Testbed testbed = Testbed.start()) {
            Host gHost = testbed.host(51);
            Host bHost = testbed.host(52);
            BirdPeer bird = BirdPeer.start(bHost, BirdPeer.Version.BIRD2,
                    PeerConfig.calicoNode(bHost, false, StaticRoute.of("10.52.0.0/26")));
            PeerConfig both = gobgpConfig(gHost, StaticRoute.of(KEPT).withCommunities("64512:51"), StaticRoute.of(DROPPED));
            GobgpPeer gobgp = GobgpPeer.start(gHost, both, true);
            try (InteropReflector rr = InteropReflector.start(Transport.detect(), Testbed.REFLECTOR_IPV4,
                    ReflectorInteropIT.CLUSTER_ID, List.of(Testbed.REFLECTOR_IPV4), 179, List.of(
                            InteropReflector.client(gHost.ipv4(), Testbed.REFLECTOR_IPV4).build(),
                            InteropReflector.client(bHost.ipv4(), Testbed.REFLECTOR_IPV4).build()))) {
                rr.awaitEstablished(UP, gHost.ipv4(), bHost.ipv4());
                bird.awaitRoute(KEPT, r -> true, UP);
                bird.awaitRoute(DROPPED, r -> true, UP);
                assertEquals(RESTART_TIME, rr.session(gHost.ipv4()).negotiated().gracefulRestart().orElseThrow().restartTime(),
                        "GoBGP's restart time as the reflector negotiated it");

                RouteChanges before = RouteChanges.of(bird);

                // 1. Crash and come back within the restart time with one route fewer.
                gobgp.kill();
                long killed = System.nanoTime();
                Await.until("the reflector to see GoBGP's session drop", Duration.ofSeconds(10),
                        () -> !rr.established(gHost.ipv4()), () -> rr.describe(gHost.ipv4()));
                assertEquals(Set.of(KEPT, DROPPED), prefixesFrom(bird, gHost), "both kept as stale at first");
                GobgpPeer restarted = GobgpPeer.restart(gHost, gobgpConfig(gHost, StaticRoute.of(KEPT).withCommunities("64512:51")));
                Await.until("GoBGP's stale route to go after its End-of-RIB", UP, () -> {
                    Set<String> now = prefixesFrom(bird, gHost);
                    // The route GoBGP announces again must never flap away meanwhile.
                    assertTrue(now.contains(KEPT), "the re-announced route left BIRD during the restart: " + now);
                    return !now.contains(DROPPED);
                }, bird::diagnostics);
                double seconds = (System.nanoTime() - killed) / 1e9;
                assertTrue(seconds < RESTART_TIME - 5, "the stale route went after " + seconds
                        + " s: End-of-RIB, not the restart timer, must have removed it");
                assertTrue(rr.established(gHost.ipv4()), rr.describe(gHost.ipv4()));
                PeerRoute kept = bird.awaitRoute(KEPT, r -> true, UP);
                assertEquals(List.of("64512:51"), kept.communities());
                assertEquals(gHost.ipv4(), kept.originatorId());
                Await.until("one path for " + KEPT + ": the refreshed one replaced the stale one", Duration.ofSeconds(10),
                        () -> bird.routes().stream().filter(r -> r.prefix().equals(KEPT)).count() == 1, bird::diagnostics);
                // RFC 4724 §4.2 as issue 10 asks: marking stale and relearning the same route sends BIRD nothing;
                // only the dropped route's withdrawal reaches it.
                RouteChanges after = RouteChanges.of(bird);
                assertEquals(before.updates(), after.updates(), "UPDATEs BIRD received for GoBGP's restart: before "
                        + before + ", after " + after);
                assertEquals(before.withdraws() + 1, after.withdraws(), "withdrawals BIRD received: before "
                        + before + ", after " + after);

                // 2. Crash and stay down: kept for the restart time, then withdrawn.
                restarted.kill();
                killed = System.nanoTime();
                Await.until("the reflector to see GoBGP's session drop again", Duration.ofSeconds(10),
                        () -> !rr.established(gHost.ipv4()), () -> rr.describe(gHost.ipv4()));
                long keptUntil = killed + Duration.ofSeconds(RESTART_TIME - 3).toNanos();
                while (System.nanoTime() - keptUntil < 0) {
                    assertEquals(Set.of(KEPT), prefixesFrom(bird, gHost), "kept during the restart time, after "
                            + (System.nanoTime() - killed) / 1_000_000_000 + " s");
                    Thread.sleep(1000);
                }
                Await.until("GoBGP's routes to go once its restart time is over", Duration.ofSeconds(15),
                        () -> prefixesFrom(bird, gHost).isEmpty(), bird::diagnostics);
                seconds = (System.nanoTime() - killed) / 1e9;
                assertTrue(seconds >= RESTART_TIME - 1, "withdrawn after " + seconds + " s, before the restart time");
                assertFalse(rr.established(gHost.ipv4()));
                bird.awaitEstablished("reflector", UP); // BIRD's own session was never touched
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- testbed:\n" + testbed.diagnostics(), e);
            }
        }
    }

    /** A Calico-like GoBGP with graceful restart and a short restart time. */
    private static PeerConfig gobgpConfig(Host host, StaticRoute... routes) {
        return PeerConfig.calicoNode(host, false, routes)
                .withNeighbors(Neighbor.calico("reflector", Testbed.REFLECTOR_IPV4).withRestartTime(RESTART_TIME));
    }

    /** BIRD's "Import updates" and "Import withdraws" received counters of its session with the reflector. */
    record RouteChanges(long updates, long withdraws) {
        static RouteChanges of(BirdPeer bird) {
            String all = bird.birdc("show", "protocols", "all", "reflector").orThrow();
            return new RouteChanges(received(all, "Import updates:"), received(all, "Import withdraws:"));
        }

        private static long received(String all, String row) {
            for (String line : all.split("\n")) {
                String trimmed = line.trim();
                if (trimmed.startsWith(row)) {
                    return Long.parseLong(trimmed.substring(row.length()).trim().split("\\s+")[0]);
                }
            }
            throw new AssertionError("no '" + row + "' row in:\n" + all);
        }
    }

    /** Prefixes BIRD holds whose ORIGINATOR_ID is the GoBGP host. */
    private static Set<String> prefixesFrom(BirdPeer bird, Host origin) {
        return bird.routes().stream().filter(r -> r.originatorId().equals(origin.ipv4()))
                .map(PeerRoute::prefix).collect(Collectors.toSet());
    }
}
