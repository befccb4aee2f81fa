package io.routereflector.reflector.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.ScheduledFuture;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.session.FsmAction.HoldKind;
import io.routereflector.reflector.session.FsmAction.SendNotification;
import io.routereflector.reflector.session.FsmAction.StartTimer;
import io.routereflector.reflector.session.FsmAction.StopTimer;
import io.routereflector.reflector.session.FsmAction.Timer;
import io.routereflector.reflector.session.FsmEvent.Type;
import io.routereflector.wire.BgpFrameDecoder;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.error.WireException;
import io.routereflector.wire.message.BgpMessage;
import io.routereflector.wire.message.Keepalive;
import io.routereflector.wire.message.Notification;
import io.routereflector.wire.message.Open;
import io.routereflector.wire.message.RouteRefresh;
import io.routereflector.wire.message.Update;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection to a peer with its own RFC 4271 FSM: the thin handler that turns channel events
 * into FSM events and performs the FSM's actions. Everything runs on the peer's event loop; a peer
 * has at most one outgoing and one incoming connection, and {@link PeerSession} decides collisions
 * between them.
 */
final class Connection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    /** RFC 4271 §8.2.2: the hold timer in OpenSent runs for "a large value", suggested 4 minutes. */
    static final int LARGE_HOLD_SECONDS = 240;

    private final PeerSession peer;
    private final boolean outgoing;
    private final PeerConfig config;
    private final Open ours;
    private final BgpFrameDecoder frames = new BgpFrameDecoder();
    private final MessageDecoder decoder = new MessageDecoder();
    private final Map<Timer, ScheduledFuture<?>> timers = new EnumMap<>(Timer.class);
    private Fsm fsm;
    private Channel channel;
    private boolean active;
    private boolean done;
    private WireSettings sendSettings = WireSettings.INITIAL;
    private Negotiated negotiated;
    private Update pendingUpdate;
    private Notification received;
    private DownReason downReason;

    /** @param connectRetryCounter the peer's, carried from connection to connection (RFC 4271 §8) */
    Connection(PeerSession peer, boolean outgoing, int connectRetryCounter) {
        this.peer = peer;
        this.outgoing = outgoing;
        this.config = peer.config();
        this.ours = Negotiation.localOpen(peer.local(), config);
        this.fsm = Fsm.idle(config.delayOpenTime() > 0, connectRetryCounter);
    }

    // --- what PeerSession sees ---------------------------------------------------------------

    boolean outgoing() {
        return outgoing;
    }

    SessionState state() {
        return fsm.state();
    }

    int connectRetryCounter() {
        return fsm.connectRetryCounter();
    }

    Negotiated negotiated() {
        return negotiated;
    }

    Channel channel() {
        return channel;
    }

    boolean done() {
        return done;
    }

    /** Outgoing: the start event (IdleHold has expired, or the first start); the FSM answers with InitiateConnection. */
    void start() {
        fire(FsmEvent.of(Type.AUTOMATIC_START));
    }

    /** Wires an accepted or dialed channel to this connection. */
    void attach(Channel ch) {
        channel = ch;
        ch.pipeline().addLast("frames", frames).addLast("messages", decoder).addLast("session", this);
    }

    /** The peer's OPEN, read before this connection was attached (several peers on one address), as if just decoded. */
    void received(Open open) {
        channel.pipeline().context(decoder).fireChannelRead(open);
    }

        void connectFailed(Channel ch, Throwable cause) {
        if (ch != channel || done) {
            return;
        }
        recordConnectFailure(cause);
        fire(FsmEvent.of(Type.TCP_CONNECTION_FAILS));
    }

    private void recordConnectFailure(Throwable cause) {
        String text = "connect to " + config.address().getHostAddress() + " port " + config.port() + " failed: " + cause.getMessage();
        if (config.password() != null) {
            // With a wrong or missing key the peer's kernel drops our SYN silently: all we see is a timeout.
            text += " (TCP MD5 password set: a key mismatch makes the peer drop our SYN without an answer)";
        }
        peer.recordError(text, "Socket: " + DownReason.socketWords(cause));
        LOG.info("peer {}: {}", peer.name(), text);
    }

    /** Loser of a collision (RFC 4271 §6.8): Cease / Connection Collision Resolution. */
    void dump() {
        fire(FsmEvent.of(Type.OPEN_COLLISION_DUMP));
    }

    /** Administrative end: de-configured, configuration change, shutdown. */
    void stop(Notification cease) {
        fire(new FsmEvent(Type.MANUAL_STOP, cease));
    }

    /** We stop for a restart (RFC 4724 §4): close without a NOTIFICATION so the peer keeps our routes. */
    void closeForRestart() {
        downReason = new DownReason(DownReason.Kind.CONNECTION_LOST, null, "closed without NOTIFICATION for our restart");
        fire(FsmEvent.of(Type.TCP_CONNECTION_FAILS));
    }

    /** The peer restarted (RFC 4724 §4.2): close without a NOTIFICATION, keep its routes. */
    void replacedByRestart() {
        downReason = new DownReason(DownReason.Kind.PEER_RESTARTED, null, "new connection from a graceful-restart peer");
        fire(FsmEvent.of(Type.TCP_CONNECTION_FAILS));
    }

    boolean isWritable() {
        return channel != null && channel.isWritable();
    }

    /** Event loop only: seconds left on the hold and keepalive timers, -1 for one not running. */
    long[] timersRemaining() {
        return new long[] {remaining(Timer.HOLD), remaining(Timer.KEEPALIVE)};
    }

    private long remaining(Timer timer) {
        ScheduledFuture<?> f = timers.get(timer);
        return f == null ? -1 : Math.max(0, f.getDelay(TimeUnit.MILLISECONDS) + 999) / 1000;
    }

    // --- channel events ----------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            activate();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        activate();
        ctx.fireChannelActive();
    }

    private void activate() {
        if (active) {
            return;
        }
        active = true;
        if (outgoing) {
            fire(FsmEvent.of(Type.TCP_CR_ACKED));
        } else {
            fire(FsmEvent.of(Type.AUTOMATIC_START_PASSIVE));
            fire(FsmEvent.of(Type.TCP_CONNECTION_CONFIRMED));
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            peer.writable(this);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fire(FsmEvent.of(Type.TCP_CONNECTION_FAILS));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done) {
            return;
        }
        BgpMessage message = (BgpMessage) msg;
        peer.counters().countReceived(message.type());
        if (message instanceof Open open) {
            onOpen(open);
        } else if (message instanceof Keepalive) {
            fire(FsmEvent.of(Type.KEEPALIVE_MSG));
        } else if (message instanceof Update update) {
            pendingUpdate = update;
            fire(FsmEvent.of(Type.UPDATE_MSG));
            pendingUpdate = null;
        } else if (message instanceof Notification n) {
            received = n;
            peer.notificationReceived(n);
            LOG.warn("peer {}: received NOTIFICATION {}", name(), n);
            // RFC 4271 §8.1: event 24 is a version error, which must not count against the peer.
            fire(FsmEvent.of(n.named() == NotificationCode.OPEN_UNSUPPORTED_VERSION ? Type.NOTIF_MSG_VER_ERR : Type.NOTIF_MSG));
        } else if (message instanceof RouteRefresh refresh) {
            onRouteRefresh(refresh);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof WireException e) {
            LOG.warn("peer {}: malformed message: {}", name(), e.getMessage());
            Notification n = e.toNotification();
            Type type = switch (n.code()) {
                case 1 -> Type.BGP_HEADER_ERR;
                case 2 -> Type.BGP_OPEN_MSG_ERR;
                default -> Type.UPDATE_MSG_ERR;
            };
            fire(FsmEvent.error(type, n));
        } else {
            LOG.info("peer {}: connection error: {}", name(), root.toString());
            peer.recordError("connection error: " + root, "Socket: " + DownReason.socketWords(root));
            ctx.close();
        }
    }

    private void onOpen(Open open) {
        boolean delayed = fsm.delayOpenRunning() && (fsm.state() == SessionState.CONNECT || fsm.state() == SessionState.ACTIVE);
        if (fsm.state() != SessionState.OPEN_SENT && !delayed) {
            fire(FsmEvent.of(Type.BGP_OPEN)); // unexpected here: the FSM answers with its error
            return;
        }
        try {
            Negotiation.check(open, config, peer.local());
        } catch (WireException e) {
            LOG.warn("peer {}: OPEN refused: {}", name(), e.getMessage());
            fire(FsmEvent.error(Type.BGP_OPEN_MSG_ERR, e.toNotification()));
            return;
        }
        negotiated = Negotiation.negotiate(ours, open, config);
        decoder.settings(negotiated.receiveSettings());
        frames.setExtendedMessages(negotiated.extendedReceive());
        sendSettings = negotiated.sendSettings();
        if (!peer.openReceived(this)) {
            dump();
            return;
        }
        fire(FsmEvent.of(delayed ? Type.BGP_OPEN_WITH_DELAY_OPEN_RUNNING : Type.BGP_OPEN));
    }

    private void onRouteRefresh(RouteRefresh refresh) {
        if (fsm.state() != SessionState.ESTABLISHED) {
            fire(FsmEvent.of(Type.UPDATE_MSG)); // unexpected before Established: FSM error
            return;
        }
        startTimer(Timer.HOLD, HoldKind.NEGOTIATED);
        // RFC 2918 §4 / RFC 7313 §5: ignore families not negotiated and unknown subtypes.
        if (!negotiated.families().contains(refresh.family()) || !refresh.knownSubtype()) {
            LOG.info("peer {}: ignored {}", name(), refresh);
            return;
        }
        peer.routeRefresh(refresh);
    }

    // --- the FSM -----------------------------------------------------------------------------

    void fire(FsmEvent event) {
        if (done) {
            return;
        }
        SessionState before = fsm.state();
        Fsm.Transition t = fsm.step(event);
        fsm = t.next();
        if (before != fsm.state()) {
            LOG.info("peer {}: {} -> {} on event {} {}", name(), before, fsm.state(), event.type().number(), event.type().name());
        }
        if (fsm.state() == SessionState.IDLE && downReason == null) {
            downReason = reasonFor(event, t);
        }
        for (FsmAction action : t.actions()) {
            perform(action);
        }
        peer.updateState();
    }

    private DownReason reasonFor(FsmEvent event, Fsm.Transition t) {
        for (FsmAction a : t.actions()) {
            if (a instanceof SendNotification s) {
                return new DownReason(DownReason.Kind.NOTIFICATION_SENT, s.notification(), null);
            }
        }
        if (event.type() == Type.NOTIF_MSG || event.type() == Type.NOTIF_MSG_VER_ERR) {
            return new DownReason(DownReason.Kind.NOTIFICATION_RECEIVED, received, null);
        }
        return new DownReason(DownReason.Kind.CONNECTION_LOST, null, event.type().name());
    }

    private void perform(FsmAction action) {
        if (action instanceof FsmAction.InitiateConnection) {
            peer.dial(this); // only the active start events ask for it, and only a dialed connection fires them
        } else if (action instanceof FsmAction.SendOpen) {
            send(ours);
        } else if (action instanceof FsmAction.SendKeepalive) {
            send(Keepalive.INSTANCE);
        } else if (action instanceof SendNotification s) {
            LOG.warn("peer {}: sent NOTIFICATION {}", name(), s.notification());
            peer.notificationSent(s.notification());
            send(s.notification());
        } else if (action instanceof StartTimer s) {
            startTimer(s.timer(), s.hold());
        } else if (action instanceof StopTimer s) {
            stopTimer(s.timer());
        } else if (action instanceof FsmAction.DropConnection) {
            drop();
        } else if (action instanceof FsmAction.SessionEstablished) {
            peer.established(this);
        } else if (action instanceof FsmAction.ReleaseResources) {
            done = true;
            timers.values().forEach(f -> f.cancel(false));
            timers.clear();
            peer.connectionDone(this, downReason);
        } else if (action instanceof FsmAction.ProcessUpdate) {
            if (pendingUpdate != null) {
                peer.update(pendingUpdate);
            }
        }
    }

    private void send(BgpMessage message) {
        if (channel == null || !channel.isActive()) {
            return;
        }
        ByteBuf out = MessageCodec.encode(message, sendSettings, channel.alloc());
        peer.counters().countSent(message.type());
        channel.writeAndFlush(out, channel.voidPromise());
    }

    /** Close after whatever was written (a NOTIFICATION) has reached the socket. */
    private void drop() {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            ch.close();
        }
    }

    private void startTimer(Timer timer, HoldKind kind) {
        stopTimer(timer);
        if (timer == Timer.IDLE_HOLD) {
            // This connection has ended; the peer outlives it and starts the next one on expiry.
            peer.idleHold(fsm.connectRetryCounter());
            return;
        }
        long millis = switch (timer) {
            // Jittered as RFC 4271 §10 asks, so that peers restarted together do not retry in lockstep.
            case CONNECT_RETRY -> Backoff.delayMillis(config.connectRetryTime(), 0, ThreadLocalRandom.current().nextDouble());
            case HOLD -> kind == HoldKind.LARGE ? LARGE_HOLD_SECONDS * 1000L : negotiated.holdTime() * 1000L;
            case KEEPALIVE -> negotiated.keepaliveTime() * 1000L;
            case DELAY_OPEN -> config.delayOpenTime() * 1000L;
            case IDLE_HOLD -> throw new AssertionError(timer);
        };
        if (millis <= 0) {
            return; // hold time 0: neither hold timer nor keepalives (RFC 4271 §4.4)
        }
        Type event = switch (timer) {
            case CONNECT_RETRY -> Type.CONNECT_RETRY_TIMER_EXPIRES;
            case HOLD -> Type.HOLD_TIMER_EXPIRES;
            case KEEPALIVE -> Type.KEEPALIVE_TIMER_EXPIRES;
            case DELAY_OPEN -> Type.DELAY_OPEN_TIMER_EXPIRES;
            case IDLE_HOLD -> throw new AssertionError(timer);
        };
        timers.put(timer, peer.loop().schedule(() -> {
            timers.remove(timer);
            if (event == Type.CONNECT_RETRY_TIMER_EXPIRES && fsm.state() == SessionState.CONNECT && !done) {
                recordConnectFailure(new ConnectTimeoutException("no answer within the connect retry time"));
            }
            fire(FsmEvent.of(event));
        }, millis, TimeUnit.MILLISECONDS));
    }

    private void stopTimer(Timer timer) {
        ScheduledFuture<?> f = timers.remove(timer);
        if (f != null) {
            f.cancel(false);
        }
    }

    String name() {
        return peer.name() + (outgoing ? " (out)" : " (in)");
    }

    @Override
    public String toString() {
        return name() + " " + fsm.state();
    }
}
