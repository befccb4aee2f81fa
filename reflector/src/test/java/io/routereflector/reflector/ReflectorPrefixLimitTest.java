package io.routereflector.reflector;

import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.reflector.session.PeerSession;
import io.routereflector.reflector.session.Transport;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.message.BgpMessage;
import io.routereflector.wire.message.Notification;
import io.routereflector.wire.message.Open;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Ipv4Prefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-peer prefix limit at the wire (RFC 4486 §4): a speaker that sends one route more than its
 * limit gets Cease / Maximum Number of Prefixes Reached carrying AFI, SAFI and the limit; its routes
 * go; it is refused during the idle time and admitted again after it.
 */
@Timeout(60)
class ReflectorPrefixLimitTest {

    static final long AS = 64512;
    static final int LIMIT = 5;
    static final Duration IDLE = Duration.ofSeconds(3);

    @Test
    void aPeerOverItsLimitGetsCeaseWithTheRfc4486DataAndIsReadmittedAfterTheIdleTime() throws Exception {
        InetAddress local = InetAddress.getByName("127.0.0.1");
        InetAddress peer = InetAddress.getByName("127.0.0.3");
        try (Reflector reflector = new Reflector(Transport.detect(), 1)) {
            reflector.limitPrefixes(Reflector.DEFAULT_MAX_PREFIXES, IDLE);
            reflector.apply(new ReflectorConfig((Inet4Address) local, null, AS, List.of(local), 0,
                    List.of(PeerConfig.builder(peer, AS).passive(true).maxPrefixes(LIMIT).build()), false));
            int port = reflector.peers().listening().get(0).getPort();
            try (RawSpeaker speaker = new RawSpeaker("127.0.0.3", port, AS)) {
                speaker.establish();
                speaker.announce(prefixes(0, LIMIT));
                await("the limit's worth of routes in the RIB", () -> received(reflector) == LIMIT);
                speaker.announce(prefixes(LIMIT, 1));
                BgpMessage m = speaker.readControl();
                Notification cease = assertInstanceOf(Notification.class, m);
                assertEquals(NotificationCode.CEASE_MAX_PREFIXES, cease.named(), cease.toString());
                // AFI 1, SAFI 1, upper bound 5.
                assertArrayEquals(new byte[] {0, 1, 1, 0, 0, 0, LIMIT}, cease.data(), cease.toString());
            }
            PeerSession session = reflector.peers().session(peer);
            assertNotNull(session.prefixLimitIdleUntil(), "the session idles after the Cease");
            await("the speaker's routes to go", () -> received(reflector) == 0);

            // During the idle time the peer is refused.
            try (RawSpeaker early = new RawSpeaker("127.0.0.3", port, AS)) {
                Notification refused = assertInstanceOf(Notification.class, early.readControl());
                assertEquals(NotificationCode.CEASE_CONNECTION_REJECTED, refused.named(), refused.toString());
            }

            await("the idle time to end", () -> session.prefixLimitIdleUntil() == null);
            try (RawSpeaker again = new RawSpeaker("127.0.0.3", port, AS)) {
                assertInstanceOf(Open.class, again.establish());
                again.announce(prefixes(0, LIMIT));
                await("the routes of the new session", () -> received(reflector) == LIMIT);
                assertTrue(reflector.isEstablished(peer));
            }
        }
    }

    private static List<Ipv4Prefix> prefixes(int from, int count) {
        List<Ipv4Prefix> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(Ipv4Prefix.parse("10.7." + i + ".0/24"));
        }
        return out;
    }

    private static int received(Reflector reflector) throws InterruptedException {
        return reflector.query(rib -> rib.peerStats().values().stream().mapToInt(s -> s.imported()).sum());
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check condition) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.holds()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
