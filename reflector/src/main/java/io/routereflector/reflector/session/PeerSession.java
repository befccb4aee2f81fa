package io.routereflector.reflector.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.rib.PeerKey;
import io.routereflector.rib.out.UpdateSink;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.message.Notification;
import io.routereflector.wire.message.Open;
import io.routereflector.wire.message.RouteRefresh;
import io.routereflector.wire.message.Update;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One configured peer: its connections (at most one dialed, one accepted), collision resolution
 * between them (RFC 4271 §6.8), the IdleHold timer that a connection's FSM starts as it ends (the
 * peer outlives its connections), and the face the RIB sees. All mutable state is confined to
 * {@link #loop()}; what other threads read is volatile and written only there.
 */
public final class PeerSession {

    private static final Logger LOG = LoggerFactory.getLogger(PeerSession.class);

    private final EventLoop loop;
    private final Transport transport;
    private final SessionListener listener;
    private volatile PeerConfig config;
    private volatile Negotiation.Local local;

    // Event loop only. Live connections: normally one, two during a collision, three at most (a
    // dialed one, an accepted one, and the Established one a restarting peer replaces).
    private final List<Connection> connections = new ArrayList<>(3);
    private boolean running;
    /** RFC 4271 §8: the peer's ConnectRetryCounter, handed from each connection's FSM to the next. */
    private int connectRetryCounter;
    private ScheduledFuture<?> nextDial;
    private final PrefixLimitIdle prefixLimitIdle = new PrefixLimitIdle();

    // Written on the loop, read anywhere.
    private volatile Connection established;
    /** The BGP identifier of the last Established connection, 0 before the first (tells peers on one address apart). */
    private volatile int peerIdentifier;
    private volatile SessionState state = SessionState.IDLE;
    private volatile Instant since = Instant.now();
    private volatile String lastError;
    private volatile String lastErrorInfo;
    private volatile Notification lastSent;
    private volatile Notification lastReceived;
    private final SessionCounters counters = new SessionCounters();

    PeerSession(PeerConfig config, Negotiation.Local local, EventLoop loop, Transport transport, SessionListener listener) {
        this.config = config;
        this.local = local;
        this.loop = loop;
        this.transport = transport;
        this.listener = listener;
    }

    // --- what the RIB and operators see (any thread) ------------------------------------------

    public PeerConfig config() {
        return config;
    }

    public InetAddress address() {
        return config.address();
    }

    /** The peer's address and port: what the peer set knows it by. */
    public PeerKey key() {
        return config.key();
    }

    /** The BGP identifier the peer gave on its last Established connection; 0 before the first. */
    public int lastPeerIdentifier() {
        return peerIdentifier;
    }

    /** The agreement of the Established session, null when there is none. */
    public Negotiated negotiated() {
        Connection c = established;
        return c == null ? null : c.negotiated();
    }

    public SessionState state() {
        return state;
    }

    /** When {@link #state()} last changed (the uptime, once Established). */
    public Instant since() {
        return since;
    }

    public String lastError() {
        return lastError;
    }

    /**
     * The last error as BIRD words it after the state in {@code show protocols}: {@code Socket: Connection
     * refused}, {@code Received: Hold timer expired}, {@code BGP Error: Bad peer AS}; null when none.
     */
    public String lastErrorInfo() {
        return lastErrorInfo;
    }

    public Notification lastNotificationSent() {
        return lastSent;
    }

    public Notification lastNotificationReceived() {
        return lastReceived;
    }

    public SessionCounters counters() {
        return counters;
    }

    /**
     * Seconds left on the Established connection's hold and keepalive timers ({@code [hold, keepalive]},
     * -1 for a timer not running), read on the peer's loop; null when not Established.
     */
    public long[] timersRemaining() throws InterruptedException {
        Connection c = established;
        if (c == null) {
            return null;
        }
        try {
            return loop.submit(c::timersRemaining).get(2, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return null;
        }
    }

    /** Bytes queued in the Established channel and not yet written to the socket (0 without one). */
    public long pendingWriteBytes() {
        Channel ch = channel();
        if (ch == null) {
            return 0;
        }
        io.netty.channel.ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    /** Inbound backpressure: whether the Established connection reads its socket (Netty autoRead). */
    public void readInbound(boolean on) {
        Channel ch = channel();
        if (ch != null) {
            ch.config().setAutoRead(on);
        }
    }

    public boolean isWritable() {
        Connection c = established;
        return c != null && c.isWritable();
    }

    /**
     * The output of the Established connection, bound to it: what is written there never reaches a
     * later connection of this peer. Null when not Established. Call where the session came up
     * ({@link SessionListener#established}), with {@link #negotiated()}, so both describe one connection.
     */
    public UpdateSink output() {
        Connection c = established;
        Channel ch = c == null ? null : c.channel();
        return ch == null ? null : new SessionOutput(ch, counters);
    }

    /** Our address on the Established connection (next hop self toward eBGP peers), or null. */
    public InetAddress localAddress() {
        Channel ch = channel();
        if (ch == null || !(ch.localAddress() instanceof java.net.InetSocketAddress local)) {
            return null;
        }
        return local.getAddress();
    }

    public EventLoop loop() {
        return loop;
    }

    /** The channel of the Established session (tests compare it across reconfigurations). */
    Channel channel() {
        Connection c = established;
        return c == null ? null : c.channel();
    }

    String name() {
        return config.key().toString();
    }

    Negotiation.Local local() {
        return local;
    }

    // --- control (any thread; hops to the loop) -------------------------------------------------

    void start() {
        loop.execute(() -> {
            running = true;
            updateState();
            if (!config.passive()) {
                // After our restart the clients dial us as soon as they notice: wait one connect-retry
                // time first (BIRD's "start delay") so that theirs is accepted instead of colliding with
                // ours; BIRD 1.6 flushes the routes it kept for us on the collision's Cease.
                scheduleDial(local.restarted() ? Backoff.delayMillis(config.connectRetryTime(), 0,
                        ThreadLocalRandom.current().nextDouble()) : 0);
            }
        });
    }

    /** While idle after exceeding its prefix limit: when the session starts again; null otherwise. */
    public Instant prefixLimitIdleUntil() {
        return prefixLimitIdle.until();
    }

    /**
     * More than {@code limit} routes of {@code family} came in: Cease with the RFC 4486 §4 data, then
     * {@code idle} without dialing or accepting, then start again.
     */
    public void prefixLimitReached(io.routereflector.wire.nlri.AddressFamily family, int limit, java.time.Duration idle) {
        loop.execute(() -> {
            if (running) {
                LOG.warn("peer {}: more than {} {} routes: Cease, restart in {} s", name(), limit, family, idle.toSeconds());
                running = false;
                cancelDial();
                prefixLimitIdle.begin(loop, idle, this::start);
                stopConnections(PrefixLimitIdle.cease(family, limit));
                updateState();
            }
        });
    }

    /** Ends every connection with {@code cease} and dials no more. */
    void stop(NotificationCode cease) {
        stop(new Notification(cease));
    }

    /**
     * Ends every connection with {@code cease} and dials no more. A null {@code cease} closes the
     * Established connection without a NOTIFICATION, which a graceful-restart peer takes for our
     * restart and so keeps our routes (RFC 4724 §4.2); connections not yet Established carry no
     * routes and get an ordinary Cease.
     */
    void stop(Notification cease) {
        loop.execute(() -> {
            running = false;
            cancelDial();
            prefixLimitIdle.cancel();
            if (cease == null) {
                for (Connection c : List.copyOf(connections)) {
                    if (c == established) {
                        c.closeForRestart();
                    } else {
                        c.stop(new Notification(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN));
                    }
                }
            } else {
                stopConnections(cease);
            }
            updateState();
        });
    }

    /** Takes a new configuration; with {@code reset}, ends the current session with {@code cease} first. */
    void reconfigure(PeerConfig next, Negotiation.Local nextLocal, NotificationCode resetWith) {
        loop.execute(() -> {
            if (resetWith != null) {
                stopConnections(new Notification(resetWith));
            }
            config = next;
            local = nextLocal;
            if (resetWith != null && running && !next.passive()) {
                cancelDial();
                scheduleDial(Backoff.delayMillis(next.connectRetryTime(), 0, ThreadLocalRandom.current().nextDouble()));
            } else if (running && nextDial == null) {
                scheduleDial(0); // was passive, now dials (dialNow checks the rest)
            }
        });
    }

    private void stopConnections(Notification cease) {
        for (Connection c : List.copyOf(connections)) {
            c.stop(cease);
        }
    }

    // --- connections (event loop) ---------------------------------------------------------------

    private void scheduleDial(long millis) {
        cancelDial();
        nextDial = loop.schedule(this::dialNow, millis, TimeUnit.MILLISECONDS);
    }

    private void cancelDial() {
        if (nextDial != null) {
            nextDial.cancel(false);
            nextDial = null;
        }
    }

    private void dialNow() {
        nextDial = null;
        if (!running || config.passive() || established != null || !connections.isEmpty()) {
            // Already connected or connecting, either way: a second connection would only collide.
            // When that one ends, its IdleHold brings the next dial.
            return;
        }
        Connection c = new Connection(this, true, connectRetryCounter);
        connections.add(c);
        c.start();
    }

    /** The FSM's InitiateConnection for {@code c}. */
    void dial(Connection c) {
        ChannelFuture f = transport.connect(loop, config, c::attach);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                c.connectFailed(f.channel(), done.cause());
            }
        });
    }

    /**
     * An accepted channel from this peer's address, on this peer's loop; {@code open} is the peer's OPEN
     * when it was read already to tell which of several peers on the address it is (else null).
     */
    void accepted(Channel ch, Open open) {
        if (!running) {
            PeerSet.refuse(ch, NotificationCode.CEASE_CONNECTION_REJECTED);
            return;
        }
        transport.configureAccepted(ch, config);
        for (Connection old : List.copyOf(connections)) {
            if (!old.outgoing() && old != established) {
                // The peer gave up on its previous connection before it was Established.
                old.dump();
            }
        }
        Connection c = new Connection(this, false, connectRetryCounter);
        connections.add(c);
        c.attach(ch);
        if (open != null) {
            c.received(open);
        }
    }

    /**
     * Collision detection on receipt of an OPEN on {@code c} (RFC 4271 §6.8). Returns false when
     * {@code c} loses; dumps the other connection when it wins.
     */
    boolean openReceived(Connection c) {
        for (Connection other : List.copyOf(connections)) {
            if (other != c && !other.done() && !resolve(c, other)) {
                return false;
            }
        }
        return true;
    }

    /** False when {@code c} (which just received an OPEN) loses against {@code other}. */
    private boolean resolve(Connection c, Connection other) {
        if (other.state() == SessionState.ESTABLISHED) {
            if (other.negotiated().peerGracefulRestart() != null) {
                // RFC 4724 §4.2: a new connection while Established means the peer restarted.
                LOG.info("peer {}: new connection while Established: graceful restart of the peer", name());
                other.replacedByRestart();
                return true;
            }
            return false; // §6.8: an Established session wins over a new connection
        }
        if (other.state() != SessionState.OPEN_CONFIRM || other.outgoing() == c.outgoing()) {
            return true; // the other has no OPEN yet: decided when it gets one, or when this one is up
        }
        boolean keepOurs = Collision.keepLocallyInitiated(local.routerId(), local.localAs(),
                c.negotiated().peerIdentifier(), c.negotiated().peerAs());
        Connection loser = keepOurs ? (c.outgoing() ? other : c) : (c.outgoing() ? c : other);
        LOG.info("peer {}: connection collision, keeping the one {} initiated", name(), keepOurs ? "we" : "the peer");
        if (loser == c) {
            return false;
        }
        other.dump();
        return true;
    }

    void established(Connection c) {
        established = c;
        peerIdentifier = c.negotiated().peerIdentifier();
        for (Connection other : List.copyOf(connections)) {
            if (other != c) {
                other.dump(); // an OPEN-less second connection cannot win against an Established one
            }
        }
        cancelDial();
        lastError = null;
        lastErrorInfo = null;
        counters.established();
        listener.established(this);
    }

    void connectionDone(Connection c, DownReason reason) {
        connections.remove(c);
        if (reason != null && reason.kind() != DownReason.Kind.CONNECTION_LOST) {
            recordError(reason.toString(), reason.kind() == DownReason.Kind.NOTIFICATION_RECEIVED
                    ? "Received: " + reason.notification() : reason.kind() == DownReason.Kind.NOTIFICATION_SENT
                    ? "BGP Error: " + reason.notification() : "Socket: " + reason.detail());
        }
        connectRetryCounter = c.connectRetryCounter();
        if (c == established) {
            established = null;
            if (Instant.now().isAfter(since.plusSeconds(Backoff.CAP_SECONDS))) {
                connectRetryCounter = 0; // up long enough to count as stable: damping forgets its past
            }
            boolean keep = GracefulRestartPolicy.keepRoutes(c.negotiated(), reason);
            LOG.info("peer {}: session down: {}{}", name(), reason, keep ? " (routes kept for graceful restart)" : "");
            listener.down(this, reason, keep);
        }
        updateState();
    }

    /**
     * The FSM's IdleHold timer, started as a connection ends (but on a ManualStop); its expiry is the
     * AutomaticStart of the next dial: the jittered connect retry time, doubled per ConnectRetryCounter
     * with DampPeerOscillations (RFC 4271 §8.1.1, capped, see {@link Backoff}). A dial already due stays.
     */
    void idleHold(int counter) {
        if (!running || config.passive() || nextDial != null) {
            return;
        }
        int doublings = config.dampPeerOscillations() ? counter : 0;
        scheduleDial(Backoff.delayMillis(config.connectRetryTime(), doublings, ThreadLocalRandom.current().nextDouble()));
    }

    /** The most advanced connection's state; Active while we only wait for the peer (BIRD's wording). */
    void updateState() {
        SessionState best = running ? SessionState.ACTIVE : SessionState.IDLE;
        for (Connection c : connections) {
            if (!c.done() && c.state().progress() > best.progress()) {
                best = c.state();
            }
        }
        if (best != state) {
            state = best;
            since = Instant.now();
        }
    }

    void update(Update update) {
        // RFC 7606 §2: every softer outcome is logged; the RIB applies it (treat-as-withdraw etc.).
        for (io.routereflector.wire.attribute.AttributeProblem p : update.problems()) {
            counters.problem(p);
            LOG.warn("peer {}: RFC 7606 {} for attribute {}: {}", name(), p.action(), p.typeCode(), p.reason());
        }
        listener.update(this, update);
    }

    /** The established connection's channel can take more bytes again. */
    void writable(Connection c) {
        if (c == established) {
            listener.writable(this);
        }
    }

    void routeRefresh(RouteRefresh refresh) {
        listener.routeRefresh(this, refresh);
    }

    void notificationSent(Notification n) {
        counters.notificationSent(n);
        lastSent = n;
    }

    void notificationReceived(Notification n) {
        counters.notificationReceived(n);
        lastReceived = n;
    }

    void recordError(String text, String birdInfo) {
        lastErrorInfo = birdInfo;
        lastError = text;
    }

    @Override
    public String toString() {
        return "PeerSession[" + name() + " " + state + "]";
    }
}
