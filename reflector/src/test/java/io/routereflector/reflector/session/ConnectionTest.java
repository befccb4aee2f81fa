package io.routereflector.reflector.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.capability.Capability;
import io.routereflector.wire.capability.FourOctetAs;
import io.routereflector.wire.capability.GracefulRestart;
import io.routereflector.wire.capability.Multiprotocol;
import io.routereflector.wire.capability.RouteRefreshCapability;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.message.BgpMessage;
import io.routereflector.wire.message.Keepalive;
import io.routereflector.wire.message.Notification;
import io.routereflector.wire.message.Open;
import io.routereflector.wire.message.RouteRefresh;
import io.routereflector.wire.nlri.AddressFamily;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session handler on an EmbeddedChannel with frozen time: exact bytes out, timers advanced by hand. */
class ConnectionTest {

    static final String MARKER = "ff".repeat(16);
    static final int OUR_ID = 0x0A000001;
    static final int PEER_ID = 0x0A000002;
    static final long AS = 64512;

    final Recording listener = new Recording();
    EmbeddedChannel ch;
    PeerSession session;

    @AfterEach
    void close() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    /** An accepted connection from 10.0.0.2; returns the OPEN we sent first. */
    private Open accept(UnaryOperator<PeerConfig.Builder> tweak) throws Exception {
        PeerConfig config = tweak.apply(PeerConfig.builder(InetAddress.getByName("10.0.0.2"), AS).passive(true)).build();
        ch = new EmbeddedChannel();
        ch.freezeTime();
        session = new PeerSession(config, new Negotiation.Local(AS, OUR_ID, false), ch.eventLoop(), Transport.nio(), listener);
        session.start();
        ch.runPendingTasks();
        session.accepted(ch, null);
        if (config.delayOpenTime() > 0) {
            return null;
        }
        return (Open) next(WireSettings.INITIAL);
    }

    private Open accept() throws Exception {
        return accept(b -> b);
    }

    private void receive(BgpMessage message, WireSettings settings) {
        ch.writeInbound(MessageCodec.encode(message, settings, ByteBufAllocator.DEFAULT));
    }

    private void receive(String hex) {
        ch.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex)));
    }

    /** The next non-empty message we wrote, as hex. */
    private String nextHex() {
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            try {
                if (b.isReadable()) {
                    byte[] bytes = new byte[b.readableBytes()];
                    b.readBytes(bytes);
                    return HexFormat.of().formatHex(bytes);
                }
            } finally {
                b.release();
            }
        }
        return null;
    }

    private BgpMessage next(WireSettings settings) {
        String hex = nextHex();
        return hex == null ? null : MessageCodec.decode(Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex)), settings);
    }

    private void advance(int seconds) {
        ch.advanceTimeBy(seconds, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
    }

    private static Open peerOpen(int hold, Capability... extra) {
        List<Capability> caps = new ArrayList<>(List.of(new Multiprotocol(AddressFamily.IPV4_UNICAST),
                RouteRefreshCapability.INSTANCE, new FourOctetAs(AS)));
        caps.addAll(List.of(extra));
        return Open.of(AS, hold, PEER_ID, caps);
    }

    private void establish(int hold, Capability... extra) throws Exception {
        Open ours = accept(b -> b.holdTime(9));
        assertEquals(OUR_ID, ours.bgpIdentifier());
        assertEquals(9, ours.holdTime());
        assertEquals(SessionState.OPEN_SENT, session.state());
        receive(peerOpen(hold, extra), WireSettings.INITIAL);
        assertInstanceOf(Keepalive.class, next(WireSettings.AS4));
        assertEquals(SessionState.OPEN_CONFIRM, session.state());
        receive(Keepalive.INSTANCE, WireSettings.AS4);
        assertEquals(SessionState.ESTABLISHED, session.state());
        assertEquals(List.of(session), listener.established);
    }

    @Test
    void keepalivesFlowAndTheHoldTimerExpiresWithoutThem() throws Exception {
        establish(240);
        assertEquals(9, session.negotiated().holdTime(), "min(9, 240)");
        assertEquals(3, session.negotiated().keepaliveTime());
        advance(3);
        assertInstanceOf(Keepalive.class, next(WireSettings.AS4), "a KEEPALIVE every hold/3");
        advance(3);
        assertInstanceOf(Keepalive.class, next(WireSettings.AS4));
        receive(Keepalive.INSTANCE, WireSettings.AS4); // restarts the hold timer at t=6
        advance(3);
        assertEquals(Keepalive.class, next(WireSettings.AS4).getClass());
        advance(5); // t=14: 8 s since the peer's last KEEPALIVE, still within hold
        assertEquals(SessionState.ESTABLISHED, session.state());
        while (nextHex() != null) {
            // drain our keepalives
        }
        advance(1); // t=15: 9 s of silence
        assertEquals(MARKER + "0015" + "03" + "0400", nextHex(), "Hold Timer Expired");
        assertFalse(ch.isOpen());
        assertEquals(1, listener.downs.size());
        assertEquals(DownReason.Kind.NOTIFICATION_SENT, listener.downs.get(0).reason().kind());
        assertFalse(listener.downs.get(0).keep(), "no graceful restart negotiated");
        assertNull(session.negotiated());
    }

    @Test
    void holdTimeZeroSendsNoKeepalivesAndNeverExpires() throws Exception {
        establish(0);
        assertEquals(0, session.negotiated().holdTime());
        advance(1000);
        assertNull(nextHex());
        assertEquals(SessionState.ESTABLISHED, session.state());
    }

    @Test
    void holdExpiryOfAGracefulRestartPeerKeepsItsRoutes() throws Exception {
        establish(240, GracefulRestart.of(false, false, 120, List.of(new GracefulRestart.Entry(AddressFamily.IPV4_UNICAST, true))));
        advance(9);
        assertTrue(listener.downs.get(0).keep());
    }

    @Test
    void tcpLossOfAGracefulRestartPeerKeepsItsRoutes() throws Exception {
        establish(240, GracefulRestart.of(false, false, 120, List.of(new GracefulRestart.Entry(AddressFamily.IPV4_UNICAST, true))));
        ch.close();
        ch.runPendingTasks();
        assertEquals(DownReason.Kind.CONNECTION_LOST, listener.downs.get(0).reason().kind());
        assertTrue(listener.downs.get(0).keep());
        assertEquals(SessionState.ACTIVE, session.state(), "passive: waits for the peer again");
    }

    @Test
    void wrongPeerAsIsBadPeerAs() throws Exception {
        accept();
        receive(Open.of(64513, 240, PEER_ID, List.of(new FourOctetAs(64513))), WireSettings.INITIAL);
        assertEquals(MARKER + "0015" + "03" + "0202", nextHex());
        assertFalse(ch.isOpen());
        assertTrue(listener.established.isEmpty());
        assertTrue(listener.downs.isEmpty(), "never Established: nothing to tell the RIB");
        assertEquals(new Notification(NotificationCode.OPEN_BAD_PEER_AS), session.lastNotificationSent());
    }

    @Test
    void ourOwnIdentifierIsBadBgpIdentifier() throws Exception {
        accept();
        receive(Open.of(AS, 240, OUR_ID, List.of(new FourOctetAs(AS))), WireSettings.INITIAL);
        assertEquals(MARKER + "0015" + "03" + "0203", nextHex());
    }

    @Test
    void holdTimeOfOneIsUnacceptable() throws Exception {
        accept();
        // OPEN: version 4, AS 64512, hold 1, id 10.0.0.2, no parameters.
        receive(MARKER + "001d" + "01" + "04" + "fc00" + "0001" + "0a000002" + "00");
        assertEquals(MARKER + "0015" + "03" + "0206", nextHex());
        assertFalse(ch.isOpen());
    }

    @Test
    void badMarkerIsConnectionNotSynchronized() throws Exception {
        accept();
        receive("00".repeat(16) + "0013" + "04");
        assertEquals(MARKER + "0015" + "03" + "0101", nextHex());
        assertFalse(ch.isOpen());
    }

    @Test
    void keepaliveInOpenSentIsAnFsmError() throws Exception {
        accept();
        receive(Keepalive.INSTANCE, WireSettings.INITIAL);
        assertEquals(MARKER + "0015" + "03" + "0501", nextHex(), "RFC 6608: unexpected message in OpenSent");
    }

    @Test
    void peersNotificationEndsTheSessionWithoutAnAnswer() throws Exception {
        establish(240);
        receive(new Notification(NotificationCode.CEASE_ADMINISTRATIVE_RESET), WireSettings.AS4);
        ch.runPendingTasks();
        assertNull(nextHex());
        assertFalse(ch.isOpen());
        assertEquals(DownReason.Kind.NOTIFICATION_RECEIVED, listener.downs.get(0).reason().kind());
        assertEquals(new Notification(NotificationCode.CEASE_ADMINISTRATIVE_RESET), session.lastNotificationReceived());
    }

    @Test
    void routeRefreshReachesTheListenerOnlyForNegotiatedFamilies() throws Exception {
        establish(240);
        receive(RouteRefresh.request(AddressFamily.IPV4_UNICAST), WireSettings.AS4);
        receive(RouteRefresh.request(AddressFamily.IPV6_UNICAST), WireSettings.AS4);
        receive(new RouteRefresh(AddressFamily.IPV4_UNICAST, 7), WireSettings.AS4);
        assertEquals(List.of(RouteRefresh.request(AddressFamily.IPV4_UNICAST)), listener.refreshes);
        assertEquals(SessionState.ESTABLISHED, session.state());
    }

    @Test
    void adminStopSendsTheCeaseGiven() throws Exception {
        establish(240);
        session.stop(NotificationCode.CEASE_PEER_DECONFIGURED);
        ch.runPendingTasks();
        assertEquals(MARKER + "0015" + "03" + "0603", nextHex());
        assertFalse(ch.isOpen());
        assertEquals(SessionState.IDLE, session.state());
    }

    @Test
    void delayOpenWaitsForTheTimer() throws Exception {
        accept(b -> b.delayOpenTime(5));
        assertNull(nextHex(), "no OPEN while DelayOpen runs");
        assertEquals(SessionState.ACTIVE, session.state());
        advance(5);
        assertInstanceOf(Open.class, next(WireSettings.INITIAL));
        assertEquals(SessionState.OPEN_SENT, session.state());
    }

    @Test
    void delayOpenAnswersAPeerThatSpeaksFirst() throws Exception {
        accept(b -> b.delayOpenTime(5));
        receive(peerOpen(240), WireSettings.INITIAL);
        assertInstanceOf(Open.class, next(WireSettings.INITIAL));
        assertInstanceOf(Keepalive.class, next(WireSettings.AS4));
        assertEquals(SessionState.OPEN_CONFIRM, session.state());
    }

    @Test
    void refusalIsConnectionRejected() {
        ch = new EmbeddedChannel();
        PeerSet.refuse(ch, NotificationCode.CEASE_CONNECTION_REJECTED);
        assertEquals(MARKER + "0015" + "03" + "0605", nextHex());
        assertFalse(ch.isOpen());
    }
}
