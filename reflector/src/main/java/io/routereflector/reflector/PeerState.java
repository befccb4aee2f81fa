package io.routereflector.reflector;

import io.routereflector.reflector.session.Negotiated;
import io.routereflector.rib.PeerKey;
import io.routereflector.rib.RibPeer;
import io.routereflector.wire.capability.GracefulRestart;
import io.routereflector.wire.capability.LongLivedGracefulRestart;
import io.routereflector.wire.nlri.AddressFamily;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * What the reflector keeps of one peer (address and port) between and across its sessions: its RIB identity,
 * what its last OPEN said about graceful restart, the families whose stale paths we keep for it, and
 * its part in our own restart's selection deferral. Created at its first Established session, dropped
 * once nothing of it is left ({@link #isIdle}). RIB thread only.
 */
final class PeerState {

    final PeerKey key;
    /** Keys the peer's tables in the RIB; kept across its sessions, so stale paths stay its own. */
    final int id;
    /** The Established session as the RIB knows it; null while down. */
    RibPeer session;
    /** The latest session's, also after it went: the source its stale paths are swept under. */
    RibPeer last;
    /** From the latest Established session's OPEN: its GR restart time (RFC 4724 §3) and families. */
    int restartTime;
    Set<AddressFamily> gracefulRestartFamilies = Set.of();
    /** The same: the RFC 9494 long-lived stale time of each family it asked for (and negotiated). */
    Map<AddressFamily, Integer> longLivedTimes = Map.of();
    /** Families whose stale paths we keep as its helper, each with the timer that ends them. */
    final Map<AddressFamily, ScheduledFuture<?>> helping = new HashMap<>(2);
    /** RFC 4724 §4.1 after our own restart: families whose End-of-RIB we still wait for (null: none). */
    Set<AddressFamily> awaitingEndOfRib;
    /** RFC 4724 §4.1: this peer no longer holds the initial transfer back. */
    boolean settled;

    PeerState(PeerKey key, int id) {
        this.key = key;
        this.id = id;
    }

    /** Records what the new session's OPEN says about graceful restart, for when it drops. */
    void established(RibPeer peer, Negotiated n) {
        session = peer;
        last = peer;
        restartTime = n.gracefulRestart().map(GracefulRestart::restartTime).orElse(0);
        gracefulRestartFamilies = n.gracefulRestartFamilies();
        Map<AddressFamily, Integer> longLived = new HashMap<>();
        if (n.peerLongLived() != null) {
            for (LongLivedGracefulRestart.Entry e : n.peerLongLived().families()) {
                if (n.families().contains(e.family()) && e.staleTime() > 0) {
                    longLived.put(e.family(), e.staleTime());
                }
            }
        }
        longLivedTimes = Map.copyOf(longLived);
    }

    /**
     * RFC 4724 §4.2 (and RFC 9494 §4.2 for its own capability): the new session's OPEN says the peer
     * kept forwarding for {@code family}, so its stale paths may wait for End-of-RIB. Without the
     * capability, without the family in it, or with its F bit clear, they go at once.
     */
    static boolean forwardingKept(Negotiated n, AddressFamily family) {
        if (!n.families().contains(family)) {
            return false;
        }
        boolean gr = n.gracefulRestart().map(g -> g.families().stream()
                .anyMatch(e -> e.family().equals(family) && e.forwardingState())).orElse(false);
        boolean llgr = n.peerLongLived() != null && n.peerLongLived().families().stream()
                .anyMatch(e -> e.family().equals(family) && e.forwardingState());
        return gr || llgr;
    }

    /** No session, nothing kept for it, nothing the deferral needs: the reflector can forget it. */
    boolean isIdle() {
        return session == null && helping.isEmpty() && !settled && awaitingEndOfRib == null;
    }

    @Override
    public String toString() {
        return key.toString();
    }
}
