package io.routereflector.interop;

import io.routereflector.reflector.session.PeerSession;
import io.routereflector.reflector.session.Transport;
import io.routereflector.testbed.Await;
import io.routereflector.testbed.BirdPeer;
import io.routereflector.testbed.BirdProtocol;
import io.routereflector.testbed.FrrPeer;
import io.routereflector.testbed.Host;
import io.routereflector.testbed.Neighbor;
import io.routereflector.testbed.PeerConfig;
import io.routereflector.testbed.StaticRoute;
import io.routereflector.testbed.Testbed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TCP MD5 (RFC 2385) between the reflector (epoll transport, keys on the listener and on dialed
 * sockets) and real BIRD 2 and FRR clients. With a key mismatch the kernels drop each other's segments
 * silently, so "no session" is all either side can see; our side says why in the session's last
 * error (the same text is logged).
 */
@Timeout(120)
class Md5IT {

    static final Duration UP = Duration.ofSeconds(30);
    /** Long enough for several connect attempts from both sides (ours every 2 s, BIRD's every 5 s). */
    static final Duration NEVER = Duration.ofSeconds(12);

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
        assertEquals(List.of(), Testbed.rootLinks(), "links left behind");
    }

    @Test
    void rightPasswordEstablishesAWrongOrMissingOneNever() throws Exception {
        try (Testbed testbed = Testbed.start()) {
            Host right = testbed.host(61);
            Host wrong = testbed.host(62);
            Host missingAtPeer = testbed.host(63);
            Host missingHere = testbed.host(64);
            BirdPeer rightBird = bird(right, "s3cret-61");
            BirdPeer wrongBird = bird(wrong, "not-the-one");
            BirdPeer missingAtPeerBird = bird(missingAtPeer, "");
            BirdPeer missingHereBird = bird(missingHere, "s3cret-64");
            Host frrRight = testbed.host(65);
            Host frrWrong = testbed.host(66);
            FrrPeer frrRightPeer = frr(frrRight, "s3cret-65");
            FrrPeer frrWrongPeer = frr(frrWrong, "not-the-one");
            String rr = Testbed.REFLECTOR_IPV4;
            try (InteropReflector reflector = InteropReflector.start(Transport.epoll(), rr,
                    ReflectorInteropIT.CLUSTER_ID, List.of(rr), 179, List.of(
                            InteropReflector.client(right.ipv4(), rr).password("s3cret-61").build(),
                            InteropReflector.client(wrong.ipv4(), rr).password("s3cret-62").build(),
                            InteropReflector.client(missingAtPeer.ipv4(), rr).password("s3cret-63").build(),
                            InteropReflector.client(missingHere.ipv4(), rr).build(),
                            InteropReflector.client(frrRight.ipv4(), rr).password("s3cret-65").build(),
                            InteropReflector.client(frrWrong.ipv4(), rr).password("s3cret-66").build()))) {
                reflector.awaitEstablished(UP, right.ipv4(), frrRight.ipv4());
                BirdProtocol up = rightBird.awaitEstablished("reflector", UP);
                assertTrue(up.established(), up.toString());
                frrRightPeer.awaitEstablished(rr, UP);
                frrRightPeer.awaitRoute("10.61.0.0/26", r -> r.originatorId().equals(right.ipv4()), UP);
                for (Host h : List.of(wrong, missingAtPeer, frrWrong)) {
                    Await.until("an MD5 explanation in the session's last error for " + h.ipv4(), UP, () -> {
                        String error = reflector.session(h.ipv4()).lastError();
                        return error != null && error.contains("TCP MD5");
                    }, () -> reflector.describe(h.ipv4()));
                }
                long end = System.nanoTime() + NEVER.toNanos();
                while (System.nanoTime() - end < 0) {
                    for (Host h : List.of(wrong, missingAtPeer, missingHere, frrWrong)) {
                        assertFalse(reflector.established(h.ipv4()), reflector.describe(h.ipv4()));
                    }
                    Thread.sleep(500);
                }
                for (BirdPeer b : List.of(wrongBird, missingAtPeerBird, missingHereBird)) {
                    BirdProtocol p = b.protocol("reflector");
                    assertFalse(p.established(), b.host() + ": " + p);
                }
                FrrPeer.FrrNeighbor refused = frrWrongPeer.neighbor(rr).orElseThrow();
                assertFalse(refused.established(), refused.toString());
                assertEquals(0, refused.connectionsEstablished(), refused.toString());
                PeerSession wrongSession = reflector.session(wrong.ipv4());
                assertNotNull(wrongSession.lastError());
                assertTrue(wrongSession.lastError().contains(wrong.ipv4()), wrongSession.lastError());
                assertTrue(reflector.established(right.ipv4()), "the right password's session stayed up");
                assertTrue(reflector.established(frrRight.ipv4()), "FRR's session with the right password stayed up");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- testbed:\n" + testbed.diagnostics(), e);
            }
        }
    }

    private static BirdPeer bird(Host host, String password) {
        return BirdPeer.start(host, BirdPeer.Version.BIRD2, PeerConfig.calicoNode(host, false,
                        StaticRoute.of("10." + host.number() + ".0.0/26"))
                .withNeighbors(Neighbor.calico("reflector", Testbed.REFLECTOR_IPV4).withPassword(password)));
    }

    private static FrrPeer frr(Host host, String password) {
        return FrrPeer.start(host, PeerConfig.calicoNode(host, false, StaticRoute.of("10." + host.number() + ".0.0/26"))
                .withNeighbors(Neighbor.calico("reflector", Testbed.REFLECTOR_IPV4).withPassword(password)));
    }
}
