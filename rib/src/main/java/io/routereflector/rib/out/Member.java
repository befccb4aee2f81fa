package io.routereflector.rib.out;

import io.routereflector.rib.Path;
import io.routereflector.rib.RibPeer;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One peer in an update group. While writable it takes the group's shared bytes; when its session
 * cannot take more, it falls behind: for each prefix the group changes meanwhile it remembers what it
 * last saw (once per prefix — so the backlog is bounded by the table size, never by the churn), and
 * catches up from the current state when it is writable again. A new member starts behind with an
 * empty view: its initial table transfer is the same catch-up, followed by End-of-RIB.
 */
public final class Member {

    private final RibPeer peer;
    private final UpdateSink sink;
    private final Map<AddressFamily, LinkedHashMap<IpPrefix, Path[]>> pending = new HashMap<>();
    private final Set<AddressFamily> endOfRibSent = new HashSet<>();
    /** Families whose enhanced route refresh (RFC 7313) awaits its End-of-RIB-Refresh marker. */
    private final Set<AddressFamily> refreshing = new HashSet<>();
    private boolean behind;
    /** Joined and not yet sent its table: the next flush sends it the shared dump, then End-of-RIB. */
    private boolean needsDump;
    private UpdateGroup group;
    private long exportedUpdates;
    private long exportedWithdraws;

    Member(RibPeer peer, UpdateSink sink) {
        this.peer = peer;
        this.sink = sink;
    }

    public RibPeer peer() {
        return peer;
    }

    public UpdateSink sink() {
        return sink;
    }

    public UpdateGroup group() {
        return group;
    }

    void group(UpdateGroup group) {
        this.group = group;
    }

    public boolean isBehind() {
        return behind;
    }

    boolean needsDump() {
        return needsDump;
    }

    void needsDump(boolean needsDump) {
        this.needsDump = needsDump;
    }

    void behind(boolean behind) {
        this.behind = behind;
    }

    /** NLRI announced to this peer since it joined (BIRD's "Export updates: accepted"). */
    public long exportedUpdates() {
        return exportedUpdates;
    }

    /** NLRI withdrawn from this peer since it joined. */
    public long exportedWithdraws() {
        return exportedWithdraws;
    }

    void exported(int updates, int withdraws) {
        exportedUpdates += updates;
        exportedWithdraws += withdraws;
    }

    /** Prefixes waiting for catch-up, all families. */
    public int backlog() {
        int n = 0;
        for (LinkedHashMap<IpPrefix, Path[]> map : pending.values()) {
            n += map.size();
        }
        return n;
    }

    LinkedHashMap<IpPrefix, Path[]> pending(AddressFamily family) {
        return pending.computeIfAbsent(family, f -> new LinkedHashMap<>());
    }

    /** The backlog of {@code family} is worked off: let its table go (a map keeps its capacity when emptied). */
    void caughtUp(AddressFamily family) {
        pending.remove(family);
    }

    /** Remembers what this member saw of {@code prefix} before the first change it missed. */
    void missed(AddressFamily family, IpPrefix prefix, Path[] seen) {
        pending(family).putIfAbsent(prefix, seen);
    }

    /**
     * Carries this member's session state (End-of-RIB sent, refresh under way, counters) to {@code next},
     * its successor in another group: the peer's session goes on, only its group changed.
     */
    void handOver(Member next) {
        next.endOfRibSent.addAll(endOfRibSent);
        next.refreshing.addAll(refreshing);
        next.exportedUpdates = exportedUpdates;
        next.exportedWithdraws = exportedWithdraws;
    }

    /** What this member last heard of {@code prefix}: its backlog's entry, else the group's advertisement. */
    Path[] heard(AddressFamily family, IpPrefix prefix, Path[] advertisedByGroup) {
        LinkedHashMap<IpPrefix, Path[]> backlog = pending.get(family);
        Path[] seen = backlog == null ? null : backlog.get(prefix);
        return seen != null ? seen : PathArrays.view(advertisedByGroup, this);
    }

    /** Prefixes of {@code family} in the backlog. */
    java.util.Set<IpPrefix> pendingPrefixes(AddressFamily family) {
        LinkedHashMap<IpPrefix, Path[]> backlog = pending.get(family);
        return backlog == null ? java.util.Set.of() : backlog.keySet();
    }

    boolean endOfRibSent(AddressFamily family) {
        return endOfRibSent.contains(family);
    }

    void markEndOfRibSent(AddressFamily family) {
        endOfRibSent.add(family);
    }

    void startRefresh(AddressFamily family) {
        refreshing.add(family);
    }

    /** True once: the refresh of {@code family} was pending and is now complete. */
    boolean finishRefresh(AddressFamily family) {
        return refreshing.remove(family);
    }

    @Override
    public String toString() {
        return peer + (behind ? " (behind, " + backlog() + " prefixes)" : "");
    }
}
