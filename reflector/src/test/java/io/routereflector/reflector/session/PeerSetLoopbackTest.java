package io.routereflector.reflector.session;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.epoll.Epoll;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.capability.FourOctetAs;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.message.BgpMessage;
import io.routereflector.wire.message.Keepalive;
import io.routereflector.wire.message.Notification;
import io.routereflector.wire.message.Open;
import io.routereflector.wire.nlri.AddressFamily;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our own speakers on 127.0.0.x talking over real sockets. Every wait is bounded. */
@Timeout(30)
class PeerSetLoopbackTest {

    static final long AS = 64512;
    final List<PeerSet> sets = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (PeerSet s : sets) {
            s.close();
        }
    }

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, ip("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    static PeerConfig.Builder peer(String address, int port, String source) throws Exception {
        return PeerConfig.builder(ip(address), AS).port(port).holdTime(3).connectRetryTime(1).sourceAddress(ip(source));
    }

    PeerSet speaker(String address, int port, Recording listener, PeerConfig... peers) throws Exception {
        return speaker(Transport.detect(), address, port, listener, peers);
    }

    PeerSet speaker(Transport transport, String address, int port, Recording listener, PeerConfig... peers) throws Exception {
        PeerSet set = new PeerSet(transport, 1, listener);
        sets.add(set);
        set.apply(ReflectorConfig.of((Inet4Address) ip(address), AS, List.of(ip(address)), port, List.of(peers)));
        return set;
    }

    static void await(Duration limit, BooleanSupplier condition, String what) throws InterruptedException {
        Instant end = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            Thread.sleep(20);
        }
    }

    static boolean up(PeerSet set, String peer) throws Exception {
        PeerSession s = set.session(ip(peer));
        return s != null && s.state() == SessionState.ESTABLISHED;
    }

    static boolean upQuietly(PeerSet set, String peer) {
        try {
            return up(set, peer);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void twoSpeakersEstablishAndKeepaliveBeyondTheHoldTime() throws Exception {
        int port = freePort();
        Recording a = new Recording();
        Recording b = new Recording();
        PeerSet speakerA = speaker("127.0.0.1", port, a, peer("127.0.0.2", port, "127.0.0.1").passive(true).build());
        PeerSet speakerB = speaker("127.0.0.2", port, b, peer("127.0.0.1", port, "127.0.0.2").build());
        await(Duration.ofSeconds(5), () -> upQuietly(speakerA, "127.0.0.2") && upQuietly(speakerB, "127.0.0.1"), "both Established");
        PeerSession sa = speakerA.session(ip("127.0.0.2"));
        Channel channel = sa.channel();
        Instant since = sa.since();
        assertEquals(3, sa.negotiated().holdTime());
        assertEquals(1, sa.negotiated().keepaliveTime());
        Thread.sleep(4500); // longer than the hold time: only KEEPALIVEs keep the session up
        assertSame(channel, sa.channel());
        assertEquals(since, sa.since());
        assertEquals(1, a.established.size());
        assertTrue(a.downs.isEmpty() && b.downs.isEmpty(), () -> "downs: " + a.downs + b.downs);
        // It is the same TCP connection on both ends.
        assertEquals(channel.localAddress(), speakerB.session(ip("127.0.0.1")).channel().remoteAddress());
    }

    @Test
    void holdTimerExpiresWhenThePeerFallsSilent() throws Exception {
        int port = freePort();
        Recording a = new Recording();
        speaker("127.0.0.1", port, a, peer("127.0.0.5", port, "127.0.0.1").passive(true).build());
        try (Socket raw = new Socket()) {
            raw.bind(new InetSocketAddress(ip("127.0.0.5"), 0));
            raw.connect(new InetSocketAddress(ip("127.0.0.1"), port), 2000);
            raw.setSoTimeout(6000);
            DataInputStream in = new DataInputStream(raw.getInputStream());
            OutputStream out = raw.getOutputStream();
            assertTrue(read(in, WireSettings.INITIAL) instanceof Open);
            write(out, Open.of(AS, 3, 0x7F000005, List.of(new FourOctetAs(AS))));
            write(out, Keepalive.INSTANCE);
            Instant silentFrom = Instant.now();
            BgpMessage m;
            int count = 0;
            do {
                m = read(in, WireSettings.AS4);
                count++;
            } while (!(m instanceof Notification) && count < 20);
            Duration silence = Duration.between(silentFrom, Instant.now());
            assertEquals(new Notification(NotificationCode.HOLD_TIMER_EXPIRED), m);
            assertTrue(silence.toMillis() >= 2500 && silence.toMillis() < 5000, "expired after " + silence);
            assertTrue(count >= 3, "our KEEPALIVEs kept flowing meanwhile: " + count);
            assertThrows(EOFException.class, () -> read(in, WireSettings.AS4), "then the connection closes");
        }
        await(Duration.ofSeconds(2), () -> a.downs.size() == 1, "down reported");
        assertEquals(DownReason.Kind.NOTIFICATION_SENT, a.downs.get(0).reason().kind());
    }

    @Test
    void unknownSourceIsRejected() throws Exception {
        int port = freePort();
        speaker("127.0.0.1", port, new Recording(), peer("127.0.0.2", port, "127.0.0.1").passive(true).build());
        for (int attempt = 0; attempt < 3; attempt++) { // logged once, refused every time
            try (Socket raw = new Socket()) {
                raw.bind(new InetSocketAddress(ip("127.0.0.9"), 0));
                raw.connect(new InetSocketAddress(ip("127.0.0.1"), port), 2000);
                raw.setSoTimeout(3000);
                DataInputStream in = new DataInputStream(raw.getInputStream());
                byte[] bytes = new byte[21];
                in.readFully(bytes);
                assertEquals("ff".repeat(16) + "0015" + "03" + "0605", HexFormat.of().formatHex(bytes));
                assertEquals(-1, in.read());
            }
        }
    }

    @Test
    void collisionLeavesExactlyOneConnection() throws Exception {
        int port = freePort();
        Recording a = new Recording();
        Recording b = new Recording();
        // Both accept first (so neither refuses the other), then both dial at once; DelayOpen holds
        // the OPENs until both TCP connections exist, so the collision is certain.
        PeerConfig toB = peer("127.0.0.2", port, "127.0.0.1").delayOpenTime(1).passive(true).build();
        PeerConfig toA = peer("127.0.0.1", port, "127.0.0.2").delayOpenTime(1).passive(true).build();
        PeerSet speakerA = speaker("127.0.0.1", port, a, toB);
        PeerSet speakerB = speaker("127.0.0.2", port, b, toA);
        speakerA.apply(speakerA.config().withPeers(List.of(toB.toBuilder().passive(false).build())));
        speakerB.apply(speakerB.config().withPeers(List.of(toA.toBuilder().passive(false).build())));
        PeerSession sa = speakerA.session(ip("127.0.0.2"));
        PeerSession sb = speakerB.session(ip("127.0.0.1"));
        await(Duration.ofSeconds(10), () -> sa.state() == SessionState.ESTABLISHED && sb.state() == SessionState.ESTABLISHED
                && sa.channel() != null && sb.channel() != null
                && sa.channel().localAddress().equals(sb.channel().remoteAddress()), "one shared Established connection");
        // Which connection survives depends on timing (a connection that reaches Established first
        // wins, RFC 4271 §6.8); whatever was dropped after an OPEN was dropped with 6/7 and nothing else.
        Notification collision = new Notification(NotificationCode.CEASE_CONNECTION_COLLISION);
        for (PeerSession s : List.of(sa, sb)) {
            assertTrue(s.lastNotificationSent() == null || collision.equals(s.lastNotificationSent()), () -> "sent " + s.lastNotificationSent());
            assertTrue(s.lastNotificationReceived() == null || collision.equals(s.lastNotificationReceived()));
        }
        // When one side reaches Established before the other connection's OPEN arrives, the two sides
        // may each drop a different connection and both retry (see PeerSession.resolve): allowed, as
        // long as they converge, which the wait above proves.
        assertTrue(a.established.size() <= 3, () -> "converged after " + a.established.size() + " attempts");
    }

    /**
     * The §6.8 decision with exact bytes: the test plays the peer on both connections and chooses
     * its BGP identifier; our identifier is 127.0.0.1.
     */
    @ParameterizedTest(name = "peer id {0}: keep the connection we dialed = {1}")
    @CsvSource({"10.0.0.9, true", "200.0.0.1, false", "127.0.0.2, false"})
    void collisionKeepsTheConnectionOfTheHigherIdentifier(String peerId, boolean keepOurs) throws Exception {
        int port = freePort();
        int id = ReflectorConfig.toInt((Inet4Address) ip(peerId));
        try (ServerSocket peerListener = new ServerSocket(port, 1, ip("127.0.0.2"))) {
            peerListener.setSoTimeout(3000);
            Recording a = new Recording();
            speaker("127.0.0.1", port, a, peer("127.0.0.2", port, "127.0.0.1").build());
            try (Socket dialedByUs = peerListener.accept(); Socket dialedByPeer = new Socket()) {
                dialedByPeer.bind(new InetSocketAddress(ip("127.0.0.2"), 0));
                dialedByPeer.connect(new InetSocketAddress(ip("127.0.0.1"), port), 2000);
                for (Socket s : List.of(dialedByUs, dialedByPeer)) {
                    s.setSoTimeout(3000);
                    assertTrue(read(new DataInputStream(s.getInputStream()), WireSettings.INITIAL) instanceof Open);
                }
                Open ours = Open.of(AS, 3, id, List.of(new FourOctetAs(AS)));
                write(dialedByUs.getOutputStream(), ours);
                assertEquals(Keepalive.INSTANCE, read(new DataInputStream(dialedByUs.getInputStream()), WireSettings.AS4));
                write(dialedByPeer.getOutputStream(), ours); // the second OPEN: collision, one is in OpenConfirm
                Socket loser = keepOurs ? dialedByPeer : dialedByUs;
                Socket winner = keepOurs ? dialedByUs : dialedByPeer;
                DataInputStream loserIn = new DataInputStream(loser.getInputStream());
                BgpMessage m = read(loserIn, WireSettings.AS4);
                if (m instanceof Keepalive) {
                    m = read(loserIn, WireSettings.AS4);
                }
                assertEquals(new Notification(NotificationCode.CEASE_CONNECTION_COLLISION), m);
                assertEquals(-1, loserIn.read(), "closed after the NOTIFICATION");
                DataInputStream winnerIn = new DataInputStream(winner.getInputStream());
                if (!keepOurs) {
                    assertEquals(Keepalive.INSTANCE, read(winnerIn, WireSettings.AS4));
                }
                write(winner.getOutputStream(), Keepalive.INSTANCE);
                await(Duration.ofSeconds(2), () -> a.established.size() == 1, "Established on the winner");
                assertEquals(winner.getLocalSocketAddress(), a.established.get(0).channel().remoteAddress());
            }
        }
    }

    @Test
    void applyTouchesOnlyWhatChanged() throws Exception {
        int port = freePort();
        Recording a = new Recording();
        Recording c = new Recording();
        Recording d = new Recording();
        PeerConfig toB = peer("127.0.0.2", port, "127.0.0.1").passive(true).holdTime(30).build();
        PeerConfig toC = peer("127.0.0.3", port, "127.0.0.1").passive(true).holdTime(30).build();
        PeerConfig toD = peer("127.0.0.4", port, "127.0.0.1").passive(true).holdTime(30).build();
        PeerSet speakerA = speaker("127.0.0.1", port, a, toB, toC, toD);
        PeerSet speakerB = speaker("127.0.0.2", port, new Recording(), peer("127.0.0.1", port, "127.0.0.2").holdTime(30).build());
        PeerSet speakerC = speaker("127.0.0.3", port, c, peer("127.0.0.1", port, "127.0.0.3").holdTime(30).build());
        PeerSet speakerD = speaker("127.0.0.4", port, d, peer("127.0.0.1", port, "127.0.0.4").holdTime(30).build());
        await(Duration.ofSeconds(5), () -> upQuietly(speakerA, "127.0.0.2") && upQuietly(speakerA, "127.0.0.3")
                && upQuietly(speakerA, "127.0.0.4"), "three sessions");
        PeerSession sb = speakerA.session(ip("127.0.0.2"));
        Channel channelB = sb.channel();
        Instant sinceB = sb.since();
        Channel channelD = speakerA.session(ip("127.0.0.4")).channel();

        PeerConfig toDChanged = toD.toBuilder().families(Set.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST)).build();
        PeerConfig toBTimers = toB.toBuilder().connectRetryTime(2).build(); // not a reset
        PeerConfig toE = peer("127.0.0.6", port, "127.0.0.1").passive(true).build();
        speakerA.apply(speakerA.config().withPeers(List.of(toBTimers, toDChanged, toE)));
        PeerSet speakerE = speaker("127.0.0.6", port, new Recording(), peer("127.0.0.1", port, "127.0.0.6").build());

        PeerSession cToA = speakerC.session(ip("127.0.0.1"));
        PeerSession dToA = speakerD.session(ip("127.0.0.1"));
        await(Duration.ofSeconds(5), () -> new Notification(NotificationCode.CEASE_PEER_DECONFIGURED).equals(cToA.lastNotificationReceived()),
                "C told it is de-configured");
        assertNull(speakerA.session(ip("127.0.0.3")));
        await(Duration.ofSeconds(5), () -> new Notification(NotificationCode.CEASE_OTHER_CONFIGURATION_CHANGE).equals(dToA.lastNotificationReceived()),
                "D reset for its configuration change");
        await(Duration.ofSeconds(5), () -> upQuietly(speakerA, "127.0.0.4") && upQuietly(speakerA, "127.0.0.6"), "D back, E new");
        assertNotSame(channelD, speakerA.session(ip("127.0.0.4")).channel());
        assertEquals(Set.of(AddressFamily.IPV4_UNICAST), speakerA.session(ip("127.0.0.4")).negotiated().families());
        assertTrue(upQuietly(speakerE, "127.0.0.1"));
        // B untouched: same session object, channel and uptime; it only took the new timer.
        assertSame(sb, speakerA.session(ip("127.0.0.2")));
        assertSame(channelB, sb.channel());
        assertEquals(sinceB, sb.since());
        assertEquals(2, sb.config().connectRetryTime());
        assertEquals(2, a.downs.size(), () -> "downs at A: " + a.downs); // C and D only
        assertTrue(upQuietly(speakerB, "127.0.0.1"));
    }

    @Test
    void md5RightKeyEstablishesWrongKeyNever() throws Exception {
        assertTrue(Epoll.isAvailable(), () -> "epoll is required for TCP MD5: " + Epoll.unavailabilityCause());
        int port = freePort();
        PeerSet speakerA = speaker(Transport.epoll(), "127.0.0.1", port, new Recording(),
                peer("127.0.0.2", port, "127.0.0.1").password("right").passive(true).build(),
                peer("127.0.0.3", port, "127.0.0.1").password("right").passive(true).build());
        PeerSet good = speaker(Transport.epoll(), "127.0.0.2", port, new Recording(),
                peer("127.0.0.1", port, "127.0.0.2").password("right").build());
        PeerSet bad = speaker(Transport.epoll(), "127.0.0.3", port, new Recording(),
                peer("127.0.0.1", port, "127.0.0.3").password("wrong").build());
        await(Duration.ofSeconds(5), () -> upQuietly(speakerA, "127.0.0.2") && upQuietly(good, "127.0.0.1"), "right key: Established");
        Thread.sleep(2500);
        assertTrue(!upQuietly(speakerA, "127.0.0.3") && !upQuietly(bad, "127.0.0.1"), "wrong key: no session");
        String error = bad.session(ip("127.0.0.1")).lastError();
        assertTrue(error != null && error.contains("TCP MD5"), () -> "last error: " + error);
    }

    /**
     * GTSM (RFC 5082) on real sockets: loopback does not decrement the TTL, so a peer that sends with
     * TTL 255 passes our minimum TTL of 255 (1 hop), and one that sends the default TTL (64) never gets
     * a packet through: no session.
     */
    @Test
    void gtsmAcceptsTtl255AndDropsEverythingElse() throws Exception {
        assertTrue(Epoll.isAvailable(), () -> "epoll is required for GTSM: " + Epoll.unavailabilityCause());
        int port = freePort();
        PeerSet speakerA = speaker(Transport.epoll(), "127.0.0.1", port, new Recording(),
                peer("127.0.0.2", port, "127.0.0.1").ttlSecurityHops(1).build(),
                // Passive toward .3, so that only .3 dials: its outgoing socket sends the default TTL 64.
                peer("127.0.0.3", port, "127.0.0.1").ttlSecurityHops(1).passive(true).build());
        PeerSet secured = speaker(Transport.epoll(), "127.0.0.2", port, new Recording(),
                peer("127.0.0.1", port, "127.0.0.2").ttlSecurityHops(1).build());
        PeerSet plain = speaker(Transport.epoll(), "127.0.0.3", port, new Recording(),
                peer("127.0.0.1", port, "127.0.0.3").build());
        await(Duration.ofSeconds(5), () -> upQuietly(speakerA, "127.0.0.2") && upQuietly(secured, "127.0.0.1"),
                "GTSM on both sides: Established");
        // The minimum TTL of an accepted connection is set right after the handshake (one listener serves
        // peers with different settings), so the caller's first OPEN may slip in; every later segment
        // is dropped, so on OUR side the session can never reach Established. (The caller may briefly
        // think it is up, until its hold timer runs out.)
        for (int i = 0; i < 25; i++) {
            assertFalse(upQuietly(speakerA, "127.0.0.3"), "a peer sending TTL 64 must never be Established here");
            Thread.sleep(100);
        }
        assertTrue(plain.session(ip("127.0.0.1")) != null);
    }

    @Test
    void md5WithoutEpollRefusesToStart() throws Exception {
        PeerSet nio = new PeerSet(Transport.nio(), 1, new Recording());
        sets.add(nio);
        ReflectorConfig config = ReflectorConfig.of((Inet4Address) ip("127.0.0.1"), AS, List.of(), 0,
                List.of(peer("127.0.0.2", 179, "127.0.0.1").password("k").build()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> nio.apply(config));
        assertTrue(e.getMessage().contains("TCP MD5") && e.getMessage().contains("epoll"), e.getMessage());
        assertTrue(nio.sessions().isEmpty(), "nothing started");
    }

    static void write(OutputStream out, BgpMessage m) throws Exception {
        ByteBuf buf = MessageCodec.encode(m, WireSettings.AS4, ByteBufAllocator.DEFAULT);
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            out.write(bytes);
            out.flush();
        } finally {
            buf.release();
        }
    }

    static BgpMessage read(DataInputStream in, WireSettings settings) throws Exception {
        byte[] header = new byte[19];
        in.readFully(header);
        int length = (header[16] & 0xFF) << 8 | (header[17] & 0xFF);
        byte[] whole = new byte[length];
        System.arraycopy(header, 0, whole, 0, 19);
        in.readFully(whole, 19, length - 19);
        return MessageCodec.decode(Unpooled.wrappedBuffer(whole), settings);
    }
}
