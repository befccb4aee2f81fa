package io.routereflector.reflector;

import io.netty.buffer.PooledByteBufAllocator;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.reflector.session.DownReason;
import io.routereflector.reflector.session.Negotiated;
import io.routereflector.reflector.session.PeerSession;
import io.routereflector.reflector.session.PeerSet;
import io.routereflector.reflector.session.SessionListener;
import io.routereflector.reflector.session.SessionState;
import io.routereflector.reflector.session.Transport;
import io.routereflector.rib.PeerKey;
import io.routereflector.rib.PeerRole;
import io.routereflector.rib.Rib;
import io.routereflector.rib.RibPeer;
import io.routereflector.rib.out.GroupKey;
import io.routereflector.rib.policy.ExportPolicy;
import io.routereflector.rib.out.UpdateSink;
import io.routereflector.wire.message.RouteRefresh;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.nlri.AddressFamily;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The route reflector: sessions ({@link PeerSet}) feeding one {@link Rib}. Every RIB call runs on a
 * single "rib" thread, so the RIB needs no locks; session threads only decode and write. Work that
 * arrives in a burst is coalesced: a flush (decision process and update groups) is queued once and
 * runs after everything queued before it.
 */
public final class Reflector implements SessionListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Reflector.class);

    private final ScheduledExecutorService ribThread;
    private final PeerSet peers;
    /** Everything kept per peer (address and port), its lifecycle included (RIB thread). */
    private final Map<PeerKey, PeerState> states = new HashMap<>();
    private int nextPeerId = 1;
    private final GracefulRestartHelper helper;
    private Rib rib;
    private boolean flushQueued;
    // RFC 4724 §4.1 selection deferral after our restart (RIB thread; see deferInitialTransfer).
    private volatile Duration deferral;
    private boolean deferring;
    private ScheduledFuture<?> deferralTimer;
    private Set<PeerKey> configured = Set.of();
    /** The export policy each configured peer has now (RIB thread): a session that comes up takes it from here. */
    private Map<PeerKey, ExportPolicy> exportPolicies = Map.of();
    private final CompletableFuture<String> released = new CompletableFuture<>();
    /** Routes per family a peer may send unless its configuration says otherwise (RFC 4486 §4); 0 = no limit. */
    public static final int DEFAULT_MAX_PREFIXES = 20_000;
    public static final Duration DEFAULT_PREFIX_LIMIT_IDLE = Duration.ofSeconds(60);
    private volatile int maxPrefixes = DEFAULT_MAX_PREFIXES;
    private volatile Duration prefixLimitIdle = DEFAULT_PREFIX_LIMIT_IDLE;
    private volatile InboundBackpressure inbound = new InboundBackpressure(InboundBackpressure.HIGH_WATER,
            InboundBackpressure.LOW_WATER);
    /** Told the nanoseconds from an UPDATE's hand-off by its session to its end on the RIB thread (metrics). */
    private volatile java.util.function.LongConsumer updateLatency = nanos -> { };

    public Reflector(Transport transport, int sessionThreads) {
        this.ribThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rib");
            t.setDaemon(true);
            return t;
        });
        this.peers = new PeerSet(transport, sessionThreads, this);
        this.helper = new GracefulRestartHelper(ribThread, this::queueFlush, this::forgetIfIdle);
    }

    /**
     * After our own restart (RFC 4724 §4.1): hold every peer's initial transfer and End-of-RIB until
     * each configured peer has sent its End-of-RIB for every negotiated family, or at most
     * {@code max} (the Selection_Deferral_Timer, counted from the first {@link #apply}). Peers that
     * did not advertise graceful restart, or that are restarting themselves (R bit), are not waited
     * for once Established, as the RFC excludes them. Call before the first {@code apply}.
     */
    public void deferInitialTransfer(Duration max) {
        if (peers.config() != null) {
            throw new IllegalStateException("the initial transfer can only be deferred before the first apply");
        }
        deferral = max;
    }

    /** Completes, with the reason, when a deferred initial transfer is released (never without a deferral). */
    public CompletableFuture<String> initialTransferReleased() {
        return released;
    }

    /** Applies a configuration; only sessions whose configuration changed are touched. */
    public void apply(ReflectorConfig config) throws InterruptedException {
        ReflectorConfig previous = peers.config();
        Set<PeerKey> keys = new HashSet<>();
        config.peers().forEach(p -> keys.add(p.key()));
        call(() -> {
            if (previous == null || previous.resetsAllFor(config)) {
                rib = new Rib(ReflectorConfig.toInt(config.routerId()), ReflectorConfig.toInt(config.clusterId()),
                        config.localAs(), PooledByteBufAllocator.DEFAULT);
                helper.reset(rib, states.values());
                states.clear();
                if (deferral != null && !released.isDone()) {
                    deferring = true;
                    rib.holdInitialTransfer();
                    if (deferralTimer == null) {
                        deferralTimer = ribThread.schedule(() -> release("selection deferral timer expired after "
                                + deferral.toSeconds() + " s"), deferral.toMillis(), TimeUnit.MILLISECONDS);
                    }
                }
            }
            configured = Set.copyOf(keys);
            Map<PeerKey, ExportPolicy> policies = new HashMap<>();
            config.peers().forEach(p -> policies.put(p.key(), p.exportPolicy()));
            exportPolicies = policies;
            // A changed policy moves a live peer to its new update group: no reset, only the difference is sent.
            for (PeerState state : states.values()) {
                ExportPolicy policy = policies.get(state.key);
                if (state.session != null && policy != null && rib.changeExportPolicy(state.session, policy)) {
                    LOG.info("peer {}: export policy changed: sending the difference", state.key);
                }
            }
            queueFlush();
            return null;
        });
        peers.apply(config);
        onRib("deferral check", this::releaseWhenSettled);
    }

    /** RIB thread: releases the held transfer once every configured peer has settled. */
    private void releaseWhenSettled() {
        if (deferring && configured.stream().allMatch(a -> states.containsKey(a) && states.get(a).settled)) {
            release(configured.isEmpty() ? "no peers configured" : "End-of-RIB received from every peer");
        }
    }

    private void release(String why) {
        if (!deferring) {
            return;
        }
        deferring = false;
        if (deferralTimer != null) {
            deferralTimer.cancel(false);
        }
        Set<PeerKey> missing = new HashSet<>(configured);
        missing.removeIf(a -> states.containsKey(a) && states.get(a).settled);
        LOG.info("restart: initial transfer released: {}{}", why,
                missing.isEmpty() ? "" : "; still waiting for " + missing.size() + " peers");
        rib.releaseInitialTransfer();
        for (PeerState p : List.copyOf(states.values())) {
            p.settled = false;
            p.awaitingEndOfRib = null;
            forgetIfIdle(p);
        }
        queueFlush();
        released.complete(why);
    }

    /**
     * Sets the inbound backpressure marks: sessions stop reading while more than {@code highWater}
     * UPDATEs wait for the RIB thread, and read again at {@code lowWater}. Call before the first apply.
     */
    public void limitInbound(int highWater, int lowWater) {
        if (peers.config() != null) {
            throw new IllegalStateException("the inbound limits are set before the first apply");
        }
        inbound = new InboundBackpressure(highWater, lowWater);
    }

    /**
     * The prefix limit of peers whose configuration sets none (0: no limit), and how long a session
     * that exceeded its limit stays idle before it starts again. Call before the first apply.
     */
    public void limitPrefixes(int defaultLimit, Duration idle) {
        if (peers.config() != null) {
            throw new IllegalStateException("the prefix limits are set before the first apply");
        }
        if (defaultLimit < 0 || idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("need a limit >= 0 and an idle time > 0, got " + defaultLimit + " and " + idle);
        }
        maxPrefixes = defaultLimit;
        prefixLimitIdle = idle;
    }

    /** UPDATEs handed to the RIB thread and not yet applied, now and at most so far; sessions paused, and pauses so far. */
    public record InboundBacklog(int updates, int peak, int pausedSessions, long pauses) { }

    public InboundBacklog inboundBacklog() {
        InboundBackpressure b = inbound;
        return new InboundBacklog(b.backlog(), b.peak(), b.pausedSessions(), b.pauses());
    }

    public PeerSet peers() {
        return peers;
    }

    /** Where UPDATE processing latencies go (one call per UPDATE, on the RIB thread: keep it cheap). */
    public void onUpdateProcessed(java.util.function.LongConsumer sink) {
        updateLatency = java.util.Objects.requireNonNull(sink);
    }

    /**
     * Peers whose routes we keep as stale while they restart or until their End-of-RIB (RFC 4724 §4.2,
     * we are the helper), read on the RIB thread.
     */
    public Set<PeerKey> gracefulRestartInProgress() throws InterruptedException {
        return call(() -> {
            Set<PeerKey> helping = new HashSet<>();
            states.values().forEach(p -> {
                if (GracefulRestartHelper.helping(p)) {
                    helping.add(p.key);
                }
            });
            return Set.copyOf(helping);
        });
    }

    /** Runs {@code query} on the RIB thread and waits for it (status, routes, tests). */
    public <T> T query(java.util.function.Function<Rib, T> query) throws InterruptedException {
        return call(() -> query.apply(rib));
    }

    private <T> T call(Callable<T> task) throws InterruptedException {
        try {
            return ribThread.submit(task).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("RIB task failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("RIB thread did not answer within 30 s", e);
        }
    }

    private void onRib(String what, Runnable task) {
        onRib(what, null, task);
    }

    /** {@code what} and {@code peer} are only joined for the error log: an UPDATE must not build a string. */
    private void onRib(String what, Object peer, Runnable task) {
        ribThread.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // A bug must not take the RIB thread down with it: log and carry on with the next task.
                LOG.error("RIB task '{}{}' failed", what, peer == null ? "" : " " + peer, e);
            }
            queueFlush();
        });
    }

    private void queueFlush() {
        if (flushQueued) {
            return;
        }
        flushQueued = true;
        ribThread.execute(() -> {
            flushQueued = false;
            try {
                rib.flush();
            } catch (RuntimeException e) {
                LOG.error("RIB flush failed", e);
            }
        });
    }

    /** The peer's state, created at its first Established session (RIB thread). */
    private PeerState state(PeerKey key) {
        return states.computeIfAbsent(key, k -> new PeerState(k, nextPeerId++));
    }

    private void forgetIfIdle(PeerState peer) {
        if (peer.isIdle()) {
            states.remove(peer.key, peer);
        }
    }

    @Override
    public void established(PeerSession session) {
        Negotiated n = session.negotiated();
        // Bound here, on the session's loop, to the connection n describes: never looked up at write time.
        UpdateSink sink = session.output();
        if (sink == null) {
            return; // already gone again: its down event follows
        }
        PeerConfig config = session.config();
        InetAddress local = session.localAddress();
        PeerKey peerKey = session.key();
        onRib("established", peerKey, () -> {
            PeerState state = state(peerKey);
            RibPeer peer = new RibPeer(state.id, peerKey, n.peerIdentifier(), n.peerAs(), config.role(),
                    config.allowedLocalAs());
            state.established(peer, n);
            boolean llgr = n.peerLongLived() != null;
            // keepOriginalNextHop: no next hop self, so the routes go out with the next hop they came with.
            InetAddress self = config.keepOriginalNextHop() ? null : local;
            // The latest policy: the session's configuration may predate a change the RIB thread has seen.
            ExportPolicy policy = exportPolicies.getOrDefault(peerKey, config.exportPolicy());
            GroupKey key = config.role() == PeerRole.EBGP
                    ? new GroupKey(PeerRole.EBGP, n.families(), n.addPathSend(), n.fourOctetAs(), n.extendedSend(),
                            self instanceof Inet4Address ? self : null, self instanceof Inet6Address ? self : null, llgr,
                            policy)
                    : new GroupKey(config.role(), n.families(), n.addPathSend(), n.fourOctetAs(), n.extendedSend(), null, null, llgr,
                            policy);
            rib.peerUp(peer, key, sink, config.importFilter());
            helper.up(state, n);
            if (deferring) {
                // RFC 4724 §4.1: only GR peers that are not restarting themselves are waited for.
                boolean waitFor = n.gracefulRestart().map(g -> !g.restartState()).orElse(false);
                if (waitFor && !n.families().isEmpty()) {
                    state.awaitingEndOfRib = new HashSet<>(n.families());
                } else {
                    state.settled = true;
                    releaseWhenSettled();
                }
            }
        });
    }

    @Override
    public void update(PeerSession session, Update update) {
        long handedOff = System.nanoTime();
        InboundBackpressure backpressure = inbound;
        backpressure.queued(session);
        onRib("update from", session.key(), () -> {
            try {
                applyUpdate(session, update, handedOff);
            } finally {
                backpressure.applied();
            }
        });
    }

    /** RIB thread: one UPDATE from the session's peer. */
    private void applyUpdate(PeerSession session, Update update, long handedOff) {
        PeerState state = states.get(session.key());
        RibPeer peer = state == null ? null : state.session;
        if (peer == null) {
            return;
        }
        if (update.isEndOfRib()) {
            AddressFamily family = update.endOfRibFamily();
            helper.endOfRib(state, family);
            Set<AddressFamily> waiting = state.awaitingEndOfRib;
            if (deferring && waiting != null && waiting.remove(family) && waiting.isEmpty()) {
                state.awaitingEndOfRib = null;
                state.settled = true;
                releaseWhenSettled();
            }
            return;
        }
        if (update.hasProblems()) {
            for (AddressFamily family : update.disabledFamilies()) {
                if (!rib.isDisabled(peer, family)) {
                    LOG.warn("peer {}: {} disabled for the rest of the session (RFC 7606 §2, RFC 4760 §7): {} routes"
                            + " withdrawn, later UPDATEs for it ignored", peer, family, rib.disableFamily(peer, family));
                }
            }
        }
        rib.update(peer, update);
        checkPrefixLimit(session, peer);
        updateLatency.accept(System.nanoTime() - handedOff);
    }

    /** The routes per family {@code peer} may send (its own limit, else the daemon's); 0 = no limit. */
    public int prefixLimit(PeerConfig peer) {
        return peer.maxPrefixes() == PeerConfig.DEFAULT_MAX_PREFIXES ? maxPrefixes : peer.maxPrefixes();
    }

    /** RFC 4486 §4: past its limit of routes in a family, the peer's session ends and idles a while. */
    private void checkPrefixLimit(PeerSession session, RibPeer peer) {
        PeerConfig config = session.config();
        int limit = prefixLimit(config);
        if (limit == 0) {
            return;
        }
        for (AddressFamily family : config.families()) {
            if (rib.receivedCount(peer, family) > limit) {
                session.prefixLimitReached(family, limit, prefixLimitIdle);
                return;
            }
        }
    }

    @Override
    public void routeRefresh(PeerSession session, RouteRefresh refresh) {
        if (refresh.subtype() != 0) {
            return; // BoRR/EoRR from the peer only bracket its own re-advertisement (RFC 7313 §4).
        }
        boolean enhanced = session.negotiated() != null && session.negotiated().enhancedRouteRefresh();
        onRib("route refresh from", session.key(), () -> {
            RibPeer peer = live(session);
            if (peer != null) {
                rib.refresh(peer, refresh.family(), enhanced);
            }
        });
    }

    /** The RIB's view of the session's peer while it is Established, else null (RIB thread). */
    private RibPeer live(PeerSession session) {
        PeerState state = states.get(session.key());
        return state == null ? null : state.session;
    }

    @Override
    public void down(PeerSession session, DownReason reason, boolean keepRoutesForGracefulRestart) {
        onRib("down", session.key(), () -> {
            PeerState state = states.get(session.key());
            if (state == null) {
                return;
            }
            // The session has already dropped its Established connection (session.negotiated() is null
            // by now): what its OPEN said was recorded in the state when that connection came up.
            state.awaitingEndOfRib = null;
            helper.down(state, keepRoutesForGracefulRestart);
            forgetIfIdle(state);
        });
    }

    @Override
    public void writable(PeerSession session) {
        onRib("writable", session.key(), () -> {
            RibPeer peer = live(session);
            if (peer != null) {
                rib.writable(peer);
            }
        });
    }

    /**
     * Liveness: runs a no-op on the RIB thread and on every event loop, each with {@code deadline};
     * returns the names of those that did not run it in time (empty: all responsive).
     */
    public java.util.List<String> unresponsive(java.time.Duration deadline) throws InterruptedException {
        java.util.List<String> slow = new java.util.ArrayList<>();
        long until = System.nanoTime() + deadline.toNanos();
        java.util.List<java.util.concurrent.Future<?>> probes = new java.util.ArrayList<>();
        java.util.List<String> names = new java.util.ArrayList<>();
        java.util.List<java.util.concurrent.Executor> executors = new java.util.ArrayList<>(peers.eventLoops());
        executors.add(0, ribThread);
        for (int i = 0; i < executors.size(); i++) {
            names.add(i == 0 ? "rib" : "event loop " + (i - 1));
            java.util.concurrent.FutureTask<Void> probe = new java.util.concurrent.FutureTask<>(() -> { }, null);
            try {
                executors.get(i).execute(probe);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                probe.cancel(false); // shut down: never responsive again
            }
            probes.add(probe);
        }
        for (int k = 0; k < probes.size(); k++) {
            try {
                probes.get(k).get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException | java.util.concurrent.CancellationException e) {
                slow.add(names.get(k));
            }
        }
        return slow;
    }

    /** True when the session of the one peer at {@code address} is Established (tests). */
    public boolean isEstablished(InetAddress address) {
        PeerSession s = peers.session(address);
        return s != null && s.state() == SessionState.ESTABLISHED;
    }

    @Override
    public void close() throws InterruptedException {
        peers.close();
        ribThread.shutdownNow();
        ribThread.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Closes with {@code farewell} to every peer; null closes without NOTIFICATION ({@link PeerSet#close(Notification)}). */
    public void close(io.routereflector.wire.message.Notification farewell) throws InterruptedException {
        peers.close(farewell);
        ribThread.shutdownNow();
        ribThread.awaitTermination(5, TimeUnit.SECONDS);
    }
}
