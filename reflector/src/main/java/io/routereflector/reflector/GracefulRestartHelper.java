package io.routereflector.reflector;

import io.routereflector.reflector.session.Negotiated;
import io.routereflector.rib.Rib;
import io.routereflector.wire.nlri.AddressFamily;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The helper side of graceful restart (RFC 4724 §4.2) and long-lived graceful restart (RFC 9494),
 * per peer and per family: which families' paths stay stale when a session drops, what the new
 * session's OPEN lets stay, and the timers that end each family's stale paths — the restart time,
 * then the long-lived stale time, then, once the peer is back, the wait for its End-of-RIB.
 * RIB thread only.
 */
final class GracefulRestartHelper {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulRestartHelper.class);
    /** How long stale paths may wait for End-of-RIB after the peer is back (RFC 4724 §4.2 "stale timer"). */
    static final long STALE_AFTER_RESTART_SECONDS = 360;

    private final ScheduledExecutorService ribThread;
    private final Runnable queueFlush;
    /** Told of a peer that nothing is kept for any more (the reflector may forget it). */
    private final Consumer<PeerState> idle;
    private Rib rib;

    GracefulRestartHelper(ScheduledExecutorService ribThread, Runnable queueFlush, Consumer<PeerState> idle) {
        this.ribThread = ribThread;
        this.queueFlush = queueFlush;
        this.idle = idle;
    }

    /** A new RIB (the configuration reset everything): nothing of the old one is kept for anyone. */
    void reset(Rib next, Iterable<PeerState> peers) {
        for (PeerState p : peers) {
            p.helping.values().forEach(t -> t.cancel(false));
            p.helping.clear();
        }
        rib = next;
    }

    /**
     * The peer's session dropped. With {@code keepRoutes} (the session broke, GR negotiated), the
     * paths of the families its last OPEN listed stay stale: GR families while the restart time is
     * not 0, LLGR families in any case (RFC 9494 §4.2); every other family's paths go now.
     */
    void down(PeerState peer, boolean keepRoutes) {
        if (peer.session == null) {
            return; // never reached the RIB: what is kept from an earlier session stays as it is
        }
        Set<AddressFamily> keep = new HashSet<>();
        if (keepRoutes) {
            if (peer.restartTime > 0) {
                keep.addAll(peer.gracefulRestartFamilies);
            }
            keep.addAll(peer.longLivedTimes.keySet());
        }
        for (AddressFamily family : List.copyOf(peer.helping.keySet())) {
            if (!keep.contains(family)) {
                peer.helping.remove(family).cancel(false); // rib.peerDown drops its paths with the others
            }
        }
        rib.peerDown(peer.session, keep);
        peer.session = null;
        for (AddressFamily family : keep) {
            int wait = peer.gracefulRestartFamilies.contains(family) ? peer.restartTime : 0;
            schedule(peer, family, wait, () -> restartTimeExpired(peer, family));
        }
        if (!keep.isEmpty()) {
            LOG.info("peer {}: graceful restart, keeping its {} routes for up to {} s{}", peer, keep, peer.restartTime,
                    peer.longLivedTimes.isEmpty() ? "" : ", then long-lived stale for " + peer.longLivedTimes);
        }
    }

    /**
     * The peer is back (its new session Established): families whose forwarding state it kept wait
     * for its End-of-RIB, at most {@link #STALE_AFTER_RESTART_SECONDS}; the others are flushed now.
     */
    void up(PeerState peer, Negotiated n) {
        for (AddressFamily family : List.copyOf(peer.helping.keySet())) {
            if (PeerState.forwardingKept(n, family)) {
                schedule(peer, family, STALE_AFTER_RESTART_SECONDS, () -> sweep(peer, family, "no End-of-RIB after restart"));
            } else {
                sweep(peer, family, "its new OPEN does not say it kept forwarding (RFC 4724 §4.2)");
            }
        }
    }

    /** The peer's End-of-RIB for {@code family}: what it did not re-announce goes, and the helper ends there. */
    void endOfRib(PeerState peer, AddressFamily family) {
        sweep(peer, family, "End-of-RIB");
    }

    /** True while stale paths of the peer are kept for some family. */
    static boolean helping(PeerState peer) {
        return !peer.helping.isEmpty();
    }

    /**
     * The restart time ran out for {@code family}: with LLGR for it, its stale paths become long-lived
     * stale until the stale time runs out (RFC 9494 §4.2); otherwise they go now.
     */
    private void restartTimeExpired(PeerState peer, AddressFamily family) {
        Integer staleTime = peer.longLivedTimes.get(family);
        if (staleTime == null) {
            sweep(peer, family, "restart time expired");
            return;
        }
        int kept = rib.toLongLivedStale(peer.last, family);
        LOG.info("peer {}: restart time expired: {} {} paths long-lived stale for {} s", peer, kept, family, staleTime);
        schedule(peer, family, staleTime, () -> sweep(peer, family, "long-lived stale time expired"));
        queueFlush.run();
    }

    private void sweep(PeerState peer, AddressFamily family, String why) {
        ScheduledFuture<?> timer = peer.helping.remove(family);
        if (timer != null) {
            timer.cancel(false);
        }
        if (peer.last == null) {
            return;
        }
        int swept = rib.sweepStale(peer.last, family);
        if (swept > 0) {
            LOG.info("peer {}: {} {}: {} stale paths removed", peer, family, why, swept);
        }
        queueFlush.run();
        if (peer.isIdle()) {
            idle.accept(peer);
        }
    }

    private void schedule(PeerState peer, AddressFamily family, long seconds, Runnable task) {
        Runnable logged = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("peer {}: {} graceful restart timer failed", peer, family, e);
            }
        };
        ScheduledFuture<?> old = peer.helping.put(family, ribThread.schedule(logged, seconds, TimeUnit.SECONDS));
        if (old != null) {
            old.cancel(false);
        }
    }
}
