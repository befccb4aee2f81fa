package io.routereflector.interop;

import io.routereflector.reflector.session.PeerSession;
import io.routereflector.reflector.session.Transport;
import io.routereflector.testbed.Await;
import io.routereflector.testbed.BirdPeer;
import io.routereflector.testbed.BirdProtocol;
import io.routereflector.testbed.GobgpPeer;
import io.routereflector.testbed.Host;
import io.routereflector.testbed.Neighbor;
import io.routereflector.testbed.PeerConfig;
import io.routereflector.testbed.StaticRoute;
import io.routereflector.testbed.Testbed;
import io.routereflector.wire.message.MessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node that hangs up on our OPEN, then comes back passive toward us (as a Calico node is toward a
 * higher address), is dialed again and comes up: real GoBGP (which closes a connection from an
 * address it has no neighbor for, without a NOTIFICATION) and then real BIRD 1.6 with {@code passive on}.
 */
@Timeout(120)
class SessionRecoveryIT {

    static final Duration UP = Duration.ofSeconds(30);

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
        assertEquals(List.of(), Testbed.rootLinks(), "links left behind");
    }

    @Test
    void aNodeThatHungUpInOpenSentIsDialedAgainAndComesUpPassive() throws Exception {
        try (Testbed testbed = Testbed.start()) {
            Host node = testbed.host(71);
            String rr = Testbed.REFLECTOR_IPV4;
            try (InteropReflector reflector = InteropReflector.start(Transport.detect(), rr, ReflectorInteropIT.CLUSTER_ID,
                    List.of(rr), 179, List.of(InteropReflector.client(node.ipv4(), rr).build()))) {
                PeerSession session = reflector.session(node.ipv4());
                try (GobgpPeer stranger = GobgpPeer.start(node, PeerConfig.calicoNode(node, false).withNeighbors())) {
                    // Each of our dials reaches OpenSent (our OPEN is out), then GoBGP hangs up.
                    Await.until("two dials, each sending an OPEN that is hung up on", UP,
                            () -> session.counters().sent(MessageType.OPEN) >= 2, () -> reflector.describe(node.ipv4()));
                }
                try (BirdPeer bird = BirdPeer.start(node, BirdPeer.Version.BIRD16, PeerConfig.calicoNode(node, false,
                        StaticRoute.of("10.71.0.0/26")).withNeighbors(Neighbor.calico("reflector", rr).withPassive(true)))) {
                    BirdProtocol up = bird.awaitEstablished("reflector", UP);
                    assertTrue(up.established(), up.toString());
                    reflector.awaitEstablished(UP, node.ipv4());
                    Await.until("the node's block in the Loc-RIB", UP, () -> !reflector.paths("10.71.0.0/26").isEmpty(),
                            () -> reflector.describe(node.ipv4()));
                }
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- testbed:\n" + testbed.diagnostics(), e);
            }
        }
    }
}
