package io.routereflector.reflector.session;

import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.capability.FourOctetAs;
import io.routereflector.wire.message.Keepalive;
import io.routereflector.wire.message.Open;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.DataInputStream;
import java.net.Inet4Address;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.routereflector.reflector.session.PeerSetLoopbackTest.AS;
import static io.routereflector.reflector.session.PeerSetLoopbackTest.await;
import static io.routereflector.reflector.session.PeerSetLoopbackTest.freePort;
import static io.routereflector.reflector.session.PeerSetLoopbackTest.ip;
import static io.routereflector.reflector.session.PeerSetLoopbackTest.peer;
import static io.routereflector.reflector.session.PeerSetLoopbackTest.read;
import static io.routereflector.reflector.session.PeerSetLoopbackTest.upQuietly;
import static io.routereflector.reflector.session.PeerSetLoopbackTest.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer that hangs up before the session is Established must be dialed again: Calico nodes are
 * passive toward higher addresses, so for many of them our dial is the only way back. Real sockets on
 * 127.0.0.x; the peer is a raw listener until it behaves. Every wait is bounded.
 */
@Timeout(40)
class SessionRecoveryTest {

    final List<PeerSet> sets = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (PeerSet s : sets) {
            s.close();
        }
    }

    private PeerSet speaker(String address, int port, Recording listener, PeerConfig... peers) throws Exception {
        PeerSet set = new PeerSet(Transport.detect(), 1, listener);
        sets.add(set);
        set.apply(ReflectorConfig.of((Inet4Address) ip(address), AS, List.of(ip(address)), port, List.of(peers)));
        return set;
    }

    /** Where the raw peer hangs up on the connection we dialed. */
    enum Phase { OPEN_SENT, OPEN_CONFIRM, DELAY_OPEN }

    private static void hangUpIn(Phase phase, Socket s) throws Exception {
        s.setSoTimeout(5000);
        DataInputStream in = new DataInputStream(s.getInputStream());
        switch (phase) {
            case OPEN_SENT -> assertInstanceOf(Open.class, read(in, WireSettings.INITIAL));
            case OPEN_CONFIRM -> {
                assertInstanceOf(Open.class, read(in, WireSettings.INITIAL));
                write(s.getOutputStream(), Open.of(AS, 3, 0x7F000002, List.of(new FourOctetAs(AS))));
                assertEquals(Keepalive.INSTANCE, read(in, WireSettings.AS4));
            }
            case DELAY_OPEN -> { } // at once: our OPEN is still held back by DelayOpen
        }
    }

    @ParameterizedTest(name = "hang-up in {0}")
    @EnumSource(Phase.class)
    void aPeerThatHangsUpBeforeEstablishedIsDialedAgain(Phase phase) throws Exception {
        int port = freePort();
        Recording a = new Recording();
        PeerConfig.Builder toB = peer("127.0.0.2", port, "127.0.0.1");
        if (phase == Phase.DELAY_OPEN) {
            toB.delayOpenTime(2);
        }
        try (ServerSocket peerListener = new ServerSocket(port, 4, ip("127.0.0.2"))) {
            peerListener.setSoTimeout(5000); // connect retry is 1 s: the next dial is due well before
            speaker("127.0.0.1", port, a, toB.build());
            for (int attempt = 0; attempt < 2; attempt++) {
                try (Socket dialedByUs = peerListener.accept()) {
                    hangUpIn(phase, dialedByUs);
                }
            }
        }
        // Now a well-behaved peer that never dials (passive toward us, as a Calico node toward a
        // higher address): only our next dial can bring the session up.
        PeerSet b = speaker("127.0.0.2", port, new Recording(), peer("127.0.0.1", port, "127.0.0.2").passive(true).build());
        await(Duration.ofSeconds(10), () -> upQuietly(b, "127.0.0.1") && a.established.size() == 1, "Established by our next dial");
    }

    @Test
    void delayOpenHoldsOurOpenOnADialedConnectionThenSendsIt() throws Exception {
        int port = freePort();
        try (ServerSocket peerListener = new ServerSocket(port, 4, ip("127.0.0.2"))) {
            peerListener.setSoTimeout(5000);
            speaker("127.0.0.1", port, new Recording(), peer("127.0.0.2", port, "127.0.0.1").delayOpenTime(2).build());
            try (Socket dialedByUs = peerListener.accept()) {
                dialedByUs.setSoTimeout(1000);
                DataInputStream in = new DataInputStream(dialedByUs.getInputStream());
                assertThrows(SocketTimeoutException.class, in::read, "nothing sent while DelayOpen runs");
                dialedByUs.setSoTimeout(3000);
                assertInstanceOf(Open.class, read(in, WireSettings.INITIAL), "the OPEN once DelayOpen expires");
            }
        }
    }

    @Test
    void delayOpenAnswersAPeerThatSpeaksFirstOnADialedConnection() throws Exception {
        int port = freePort();
        Recording a = new Recording();
        try (ServerSocket peerListener = new ServerSocket(port, 4, ip("127.0.0.2"))) {
            peerListener.setSoTimeout(5000);
            speaker("127.0.0.1", port, a, peer("127.0.0.2", port, "127.0.0.1").delayOpenTime(30).build());
            try (Socket dialedByUs = peerListener.accept()) {
                dialedByUs.setSoTimeout(3000); // far below the 30 s DelayOpen: the answer is to the OPEN
                DataInputStream in = new DataInputStream(dialedByUs.getInputStream());
                write(dialedByUs.getOutputStream(), Open.of(AS, 3, 0x7F000002, List.of(new FourOctetAs(AS))));
                assertInstanceOf(Open.class, read(in, WireSettings.INITIAL));
                assertEquals(Keepalive.INSTANCE, read(in, WireSettings.AS4));
                write(dialedByUs.getOutputStream(), Keepalive.INSTANCE);
                await(Duration.ofSeconds(3), () -> a.established.size() == 1, "Established");
            }
        }
    }

    @Test
    void dampingStretchesTheIdleHoldOfAnOscillatingPeer() throws Exception {
        int port = freePort();
        List<Instant> dials = new ArrayList<>();
        try (ServerSocket peerListener = new ServerSocket(port, 4, ip("127.0.0.2"))) {
            peerListener.setSoTimeout(8000);
            speaker("127.0.0.1", port, new Recording(), peer("127.0.0.2", port, "127.0.0.1").dampPeerOscillations(true).build());
            for (int attempt = 0; attempt < 3; attempt++) {
                try (Socket dialedByUs = peerListener.accept()) {
                    dials.add(Instant.now());
                    hangUpIn(Phase.OPEN_SENT, dialedByUs);
                }
            }
        }
        // RFC 4271 §8.1.1 DampPeerOscillations: each failure doubles the IdleHold time from the
        // connect retry time (1 s here, jittered to 0.75..1): 2 s after the first, 4 s after the second.
        Duration second = Duration.between(dials.get(1), dials.get(2));
        assertTrue(second.toMillis() >= 3000, () -> "the third dial came " + second + " after the second");
        Duration first = Duration.between(dials.get(0), dials.get(1));
        assertTrue(first.toMillis() >= 1500, () -> "the second dial came " + first + " after the first");
    }
}
