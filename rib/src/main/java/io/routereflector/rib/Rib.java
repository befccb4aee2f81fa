package io.routereflector.rib;

import io.netty.buffer.ByteBufAllocator;
import io.routereflector.rib.out.GroupKey;
import io.routereflector.rib.out.Member;
import io.routereflector.rib.out.UpdateGroup;
import io.routereflector.rib.out.UpdateSink;
import io.routereflector.rib.policy.ExportPolicy;
import io.routereflector.rib.policy.ImportFilter;
import io.routereflector.rib.table.OpenHashMap;
import io.routereflector.rib.table.RefIntSet;
import io.routereflector.wire.attribute.Communities;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;
import io.routereflector.wire.nlri.Nlri;
import io.routereflector.wire.nlri.NlriList;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The routing information base of the reflector: an Adj-RIB-In per peer, the Loc-RIB with the
 * decision process, and the Adj-RIB-Out in update groups.
 *
 * <p>Not thread-safe by design: one thread owns it (the reflector runs every call on a single RIB
 * executor), so there are no locks. Calls change tables and remember the touched prefixes;
 * {@link #flush()} runs the decision process once per touched prefix and hands the changes to the
 * update groups — a burst of UPDATEs is coalesced into one pass.
 */
public final class Rib {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Rib.class);

    private static final List<AddressFamily> FAMILIES = List.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST);

    private final int clusterId;
    private final long localAs;
    private final ByteBufAllocator allocator;
    private final ImportPolicy imports;
    private final Map<AddressFamily, OpenHashMap<IpPrefix, RouteEntry>> locRib = new HashMap<>();
    private final Map<Integer, PeerTables> peers = new HashMap<>();
    private final Map<GroupKey, UpdateGroup> groups = new LinkedHashMap<>();
    private final Map<Integer, Member> members = new HashMap<>();
    private final Map<AddressFamily, LinkedHashSet<IpPrefix>> touched = new HashMap<>();
    private static final int KEPT_TOUCHED_CAPACITY = 16_384;
    /** RFC 4724 §4.1 selection deferral after our own restart: no member catches up (no table, no End-of-RIB). */
    private boolean held;
    /** {@link #withheldPaths()} of groups that emptied and went. */
    private long withheldByGoneGroups;

    public Rib(int routerId, int clusterId, long localAs, ByteBufAllocator allocator) {
        this.imports = new ImportPolicy(routerId, clusterId, localAs);
        this.clusterId = clusterId;
        this.localAs = localAs;
        this.allocator = allocator;
    }

    private OpenHashMap<IpPrefix, RouteEntry> table(AddressFamily family) {
        return locRib.computeIfAbsent(family, f -> new OpenHashMap<>());
    }

    private void touch(AddressFamily family, IpPrefix prefix) {
        touched.computeIfAbsent(family, f -> new LinkedHashSet<>()).add(prefix);
    }

    /**
     * A session came up: the peer joins the update group of its key and starts behind, so the next
     * {@link #flush()} sends it the table and End-of-RIB. Paths kept stale from its previous session
     * stay until it re-announces them or {@link #sweepStale} runs.
     */
    public void peerUp(RibPeer peer, GroupKey key, UpdateSink sink) {
        peerUp(peer, key, sink, ImportFilter.ALL);
    }

    /**
     * As {@link #peerUp(RibPeer, GroupKey, UpdateSink)}, keeping from this session only the routes
     * {@code importFilter} (the peer's BGPFilter import rules) accepts. It holds for the session: a
     * changed filter takes a new session, as BIRD restarts a protocol whose import filter changed
     * without a table to reload from.
     */
    public void peerUp(RibPeer peer, GroupKey key, UpdateSink sink, ImportFilter importFilter) {
        PeerTables up = peers.computeIfAbsent(peer.id(), id -> new PeerTables(peer));
        up.peer = peer;
        up.importFilter = importFilter;
        // Counters start with the session, as BIRD's do.
        up.updatesReceived = up.updatesRejected = up.updatesIgnored = up.withdrawsReceived = up.withdrawsIgnored = 0;
        up.disabled.clear();
        UpdateGroup group = groupFor(key);
        Member old = members.remove(peer.id());
        if (old != null) {
            leaveGroup(old);
        }
        members.put(peer.id(), group.join(peer, sink));
    }

    /**
     * The peer's export policy changed in the datastore: it moves to the update group of its new key
     * with its session kept, and the next {@link #flush()} sends it only the difference (withdrawals of
     * what the new policy rejects, announcements of what it now accepts). Returns false when the peer
     * is not up or its policy is unchanged.
     */
    public boolean changeExportPolicy(RibPeer peer, ExportPolicy policy) {
        Member old = members.get(peer.id());
        if (old == null || old.group().key().exportPolicy().equals(policy)) {
            return false;
        }
        UpdateGroup group = groupFor(old.group().key().withExportPolicy(policy));
        Member moved = group.adopt(old);
        leaveGroup(old);
        members.put(peer.id(), moved);
        return true;
    }

    private UpdateGroup groupFor(GroupKey key) {
        UpdateGroup group = groups.get(key);
        if (group == null) {
            group = new UpdateGroup(key, clusterId, localAs, allocator);
            groups.put(key, group);
            // A new group learns what it would advertise for the whole table (no member yet to tell).
            for (AddressFamily family : key.families()) {
                UpdateGroup created = group;
                table(family).forEach((prefix, entry) -> created.learn(family, prefix, entry));
            }
        }
        return group;
    }

    private void leaveGroup(Member member) {
        UpdateGroup group = member.group();
        group.leave(member);
        if (group.isEmpty()) {
            groups.remove(group.key());
            withheldByGoneGroups += group.withheldPaths();
        }
    }

    /**
     * After our own restart (RFC 4724 §4.1) the table is incomplete until every peer has sent its
     * End-of-RIB: advertising it would withdraw, from clients that kept our routes, everything not
     * yet relearned. While held, changes are recorded but every member stays behind, so its initial
     * transfer and End-of-RIB wait for {@link #releaseInitialTransfer()}. Only before any peer is up:
     * a member already advertised to would otherwise keep receiving.
     */
    public void holdInitialTransfer() {
        if (!members.isEmpty()) {
            throw new IllegalStateException("the initial transfer can only be held before any peer is up");
        }
        held = true;
    }

    /** Ends the hold: the next {@link #flush()} sends every member its table and End-of-RIB. */
    public void releaseInitialTransfer() {
        held = false;
    }

    public boolean isInitialTransferHeld() {
        return held;
    }

    /**
     * A session went down. Its paths of the families in {@code keepStale} stay, marked stale (RFC 4724
     * §4.2, we are the helper), until {@link #sweepStale}; those of every other family go at once.
     * Marking changes nothing a peer is sent (the groups compare what goes on the wire), and a path
     * already long-lived stale (a second drop, RFC 9494) stays exactly as it is: flag and community.
     */
    public void peerDown(RibPeer peer, java.util.Set<AddressFamily> keepStale) {
        Member member = members.remove(peer.id());
        if (member != null) {
            leaveGroup(member);
        }
        PeerTables tables = peers.get(peer.id());
        if (tables == null) {
            return;
        }
        for (Map.Entry<AddressFamily, RefIntSet<RouteEntry>> e : tables.adjIn.entrySet()) {
            AddressFamily family = e.getKey();
            if (keepStale.contains(family)) {
                e.getValue().forEach((entry, pathId) -> {
                    Path path = entry.find(peer.id(), pathId);
                    if (!path.stale()) {
                        entry.put(path.asStale(false));
                        touch(family, entry.prefix());
                    }
                });
            } else {
                Removals all = new Removals();
                e.getValue().forEach(all::add);
                all.apply(family, peer.id(), e.getValue());
            }
        }
        if (tables.received() == 0) {
            peers.remove(peer.id());
        }
    }

    /** Removes the peer's stale paths of {@code family}: its End-of-RIB arrived or the restart timer expired. */
    public int sweepStale(RibPeer peer, AddressFamily family) {
        PeerTables tables = peers.get(peer.id());
        if (tables == null) {
            return 0;
        }
        RefIntSet<RouteEntry> in = tables.in(family);
        Removals stale = new Removals();
        in.forEach((entry, pathId) -> {
            if (entry.find(peer.id(), pathId).stale()) {
                stale.add(entry, pathId);
            }
        });
        stale.apply(family, peer.id(), in);
        if (!members.containsKey(peer.id()) && tables.received() == 0) {
            peers.remove(peer.id());
        }
        return stale.size;
    }

    /** Pairs to drop from an Adj-RIB-In once its iteration is over (the set cannot change during it). */
    private final class Removals {
        RouteEntry[] entries = new RouteEntry[8];
        int[] pathIds = new int[8];
        int size;

        void add(RouteEntry entry, int pathId) {
            if (size == entries.length) {
                entries = java.util.Arrays.copyOf(entries, size * 2);
                pathIds = java.util.Arrays.copyOf(pathIds, size * 2);
            }
            entries[size] = entry;
            pathIds[size++] = pathId;
        }

        void apply(AddressFamily family, int peerId, RefIntSet<RouteEntry> in) {
            for (int i = 0; i < size; i++) {
                in.remove(entries[i], pathIds[i]);
                if (entries[i].remove(peerId, pathIds[i]) != null) {
                    touch(family, entries[i].prefix());
                }
            }
        }
    }

    /**
     * RFC 9494 §4.2: the peer's graceful-restart time ran out but it asked for long-lived graceful
     * restart on {@code family}: its stale paths become long-lived stale — least preferred, tagged with
     * the LLGR_STALE community, sent only to LLGR-capable peers — except those marked NO_LLGR, which go.
     * Returns how many paths were kept.
     */
    public int toLongLivedStale(RibPeer peer, AddressFamily family) {
        PeerTables tables = peers.get(peer.id());
        if (tables == null) {
            return 0;
        }
        RefIntSet<RouteEntry> in = tables.in(family);
        Removals dropped = new Removals();
        int[] kept = {0};
        in.forEach((entry, pathId) -> {
            Path path = entry.find(peer.id(), pathId);
            if (!path.stale() || path.llgrStale()) {
                return;
            }
            Communities communities = path.attributes().communities();
            if (communities != null && communities.contains(NO_LLGR)) {
                dropped.add(entry, pathId);
                return;
            }
            int[] values = communities == null ? new int[0] : communities.values();
            int[] tagged = java.util.Arrays.copyOf(values, values.length + 1);
            tagged[values.length] = LLGR_STALE;
            PathAttributes attributes = imports.intern(path.attributes().with(new Communities(tagged)));
            entry.put(new Path(path.source(), path.receivedPathId(), path.localPathId(), attributes, true, true));
            touch(family, entry.prefix());
            kept[0]++;
        });
        dropped.apply(family, peer.id(), in);
        return kept[0];
    }

    /** RFC 9494 §5: the well-known LLGR_STALE (65535:6) and NO_LLGR (65535:7) communities. */
    public static final int LLGR_STALE = 0xFFFF0006;
    public static final int NO_LLGR = 0xFFFF0007;

    /**
     * RFC 4760 §7 (the "AFI/SAFI disable" of RFC 7606 §2): every route of {@code family} received from
     * the peer goes, stale ones included, and its later UPDATEs for the family are ignored until its
     * next session ({@link #peerUp}). Returns how many paths were withdrawn.
     */
    public int disableFamily(RibPeer peer, AddressFamily family) {
        PeerTables tables = peers.get(peer.id());
        if (tables == null || !tables.disabled.add(family)) {
            return 0;
        }
        RefIntSet<RouteEntry> in = tables.adjIn.get(family);
        if (in == null) {
            return 0;
        }
        Removals all = new Removals();
        in.forEach(all::add);
        all.apply(family, peer.id(), in);
        return all.size;
    }

    /** True when {@link #disableFamily} disabled {@code family} for the peer's current session. */
    public boolean isDisabled(RibPeer peer, AddressFamily family) {
        PeerTables tables = peers.get(peer.id());
        return tables != null && tables.disabled.contains(family);
    }

    /**
     * Applies one UPDATE from {@code peer}, RFC 7606 verdicts included: treat-as-withdraw, and
     * AFI/SAFI disable through {@link #disableFamily} (the disabled families' NLRI are ignored).
     */
    public void update(RibPeer peer, Update update) {
        PeerTables tables = peers.get(peer.id());
        if (tables == null) {
            throw new IllegalStateException("UPDATE from " + peer + " whose session is not up");
        }
        java.util.Set<AddressFamily> disabledNow = update.hasProblems() ? update.disabledFamilies() : java.util.Set.of();
        for (AddressFamily family : disabledNow) {
            disableFamily(peer, family);
        }
        boolean withdrawAll = update.treatAsWithdraw();
        for (AddressFamily family : FAMILIES) {
            if (!tables.disabled.isEmpty() && tables.disabled.contains(family)) {
                if (!disabledNow.contains(family)) {
                    int announced = update.reachable(family).size();
                    int withdrawn = update.unreachable(family).size();
                    tables.updatesReceived += announced;
                    tables.updatesIgnored += announced;
                    tables.withdrawsReceived += withdrawn;
                    tables.withdrawsIgnored += withdrawn;
                }
                continue;
            }
            RefIntSet<RouteEntry> in = tables.in(family);
            NlriList unreachable = update.unreachable(family);
            tables.withdrawsReceived += unreachable.size();
            for (int i = 0; i < unreachable.size(); i++) {
                if (!withdraw(family, peer, in, unreachable.get(i))) {
                    tables.withdrawsIgnored++;
                }
            }
            NlriList reachable = update.reachable(family);
            if (reachable.isEmpty()) {
                continue;
            }
            tables.updatesReceived += reachable.size();
            PathAttributes attributes = withdrawAll ? null : imports.attributes(peer, family, update.attributes());
            for (int i = 0; i < reachable.size(); i++) {
                Nlri nlri = reachable.get(i);
                if (attributes == null || !tables.importFilter.acceptsAll()
                        && !tables.importFilter.evaluate(nlri.prefix()).accepted()) {
                    tables.updatesRejected++;
                    withdraw(family, peer, in, nlri);
                } else {
                    RouteEntry entry = table(family).computeIfAbsent(nlri.prefix(), RouteEntry::new);
                    Path old = entry.find(peer.id(), nlri.pathId());
                    if (old != null && !old.stale() && old.attributes() == attributes) {
                        // Interned: the same instance means the same attributes. Nothing changed, so the
                        // path object stays (the groups compare paths by identity) and nothing is sent.
                        tables.updatesIgnored++;
                        continue;
                    }
                    Path fresh = new Path(peer, nlri.pathId(), 0, attributes, false, false);
                    Path replacedStale = old == null ? entry.takeOverStale(fresh) : null;
                    if (replacedStale != null) {
                        in.remove(entry, replacedStale.receivedPathId());
                    } else {
                        entry.put(fresh);
                    }
                    in.add(entry, nlri.pathId());
                    touch(family, entry.prefix());
                }
            }
        }
    }

    private boolean withdraw(AddressFamily family, RibPeer peer, RefIntSet<RouteEntry> in, Nlri nlri) {
        RouteEntry entry = table(family).get(nlri.prefix());
        if (entry == null || !in.remove(entry, nlri.pathId())) {
            return false;
        }
        if (entry.remove(peer.id(), nlri.pathId()) != null) {
            touch(family, entry.prefix());
        }
        return true;
    }

    /**
     * Re-sends our Adj-RIB-Out of {@code family} to the peer (ROUTE-REFRESH received); with
     * {@code enhanced} (RFC 7313 negotiated) between BoRR and EoRR markers.
     */
    public void refresh(RibPeer peer, AddressFamily family, boolean enhanced) {
        Member member = members.get(peer.id());
        if (member != null) {
            member.group().resend(member, family, enhanced);
        }
    }

    /** The peer's session can take more again: continue its catch-up at the next flush. */
    public void writable(RibPeer peer) {
        Member member = members.get(peer.id());
        if (member != null && member.isBehind() && !held) {
            member.group().catchUp(member);
        }
    }

    /**
     * Runs the decision process for every prefix touched since the last flush, hands the changes to
     * the update groups (one shared encoding each), and continues the catch-up of members that are
     * behind.
     */
    public void flush() {
        Map<UpdateGroup, List<UpdateGroup.Change>> batches = new LinkedHashMap<>();
        for (Map.Entry<AddressFamily, LinkedHashSet<IpPrefix>> e : touched.entrySet()) {
            AddressFamily family = e.getKey();
            OpenHashMap<IpPrefix, RouteEntry> table = table(family);
            for (IpPrefix touchedPrefix : e.getValue()) {
                RouteEntry entry = table.get(touchedPrefix);
                if (entry == null) {
                    continue;
                }
                IpPrefix prefix = entry.prefix(); // the one instance the tables share for this prefix
                entry.decide();
                if (entry.isEmpty()) {
                    table.remove(prefix);
                    entry = null;
                }
                for (UpdateGroup group : groups.values()) {
                    UpdateGroup.Change change = group.change(family, prefix, entry);
                    if (change != null) {
                        batches.computeIfAbsent(group, g -> new ArrayList<>(e.getValue().size())).add(change);
                    }
                }
            }
        }
        // The sets are kept for the next flush, emptied (no regrowing from 16 per flush), unless a big
        // transfer grew one past KEPT_TOUCHED_CAPACITY: its table is let go.
        touched.values().removeIf(set -> set.size() > KEPT_TOUCHED_CAPACITY);
        touched.values().forEach(LinkedHashSet::clear);
        for (Map.Entry<UpdateGroup, List<UpdateGroup.Change>> e : batches.entrySet()) {
            e.getKey().emit(e.getValue());
        }
        if (held) {
            return;
        }
        for (UpdateGroup group : groups.values()) {
            try {
                group.dump();
                for (Member m : group.members()) {
                    if (m.isBehind()) {
                        group.catchUp(m);
                    }
                }
            } catch (RuntimeException e) {
                // One group's failure (its state is left as its members heard it) holds up no other group.
                LOG.error("update group {}: catch-up failed", group.key().role(), e);
            }
        }
    }

    // ---- queries (also on the RIB thread) ----

    public RouteEntry entry(IpPrefix prefix) {
        return table(prefix.family()).get(prefix);
    }

    public Collection<RouteEntry> entries(AddressFamily family) {
        return Collections.unmodifiableCollection(table(family).values());
    }

    public int prefixCount(AddressFamily family) {
        return table(family).size();
    }

    /** Paths received from {@code peer} (its Adj-RIB-In), all families. */
    public int receivedCount(RibPeer peer) {
        PeerTables tables = peers.get(peer.id());
        return tables == null ? 0 : tables.received();
    }

    /** Paths of {@code family} received from {@code peer}. */
    public int receivedCount(RibPeer peer, AddressFamily family) {
        PeerTables tables = peers.get(peer.id());
        RefIntSet<RouteEntry> in = tables == null ? null : tables.adjIn.get(family);
        return in == null ? 0 : in.size();
    }

    /**
     * Route counts and change counters of every peer the RIB knows (sessions up, or down with stale
     * paths kept), by peer; one pass over the Loc-RIB for the preferred counts.
     */
    public Map<PeerKey, PeerRouteStats> peerStats() {
        Map<Integer, Integer> preferred = new HashMap<>();
        for (OpenHashMap<IpPrefix, RouteEntry> table : locRib.values()) {
            table.forEach((prefix, entry) -> {
                if (entry.best() != null) {
                    preferred.merge(entry.best().source().id(), 1, Integer::sum);
                }
            });
        }
        Map<PeerKey, PeerRouteStats> out = new HashMap<>();
        for (PeerTables t : peers.values()) {
            int imported = t.received();
            Member m = members.get(t.peer.id());
            long exported = m == null ? 0 : m.group().exportedTo(m);
            out.put(t.peer.key(), new PeerRouteStats(imported, preferred.getOrDefault(t.peer.id(), 0), exported,
                    t.updatesReceived, t.updatesRejected, t.updatesIgnored,
                    t.updatesReceived - t.updatesRejected - t.updatesIgnored, t.withdrawsReceived, t.withdrawsIgnored,
                    t.withdrawsReceived - t.withdrawsIgnored, m == null ? 0 : m.exportedUpdates(), m == null ? 0 : m.exportedWithdraws()));
        }
        return out;
    }

    public Collection<UpdateGroup> groups() {
        return Collections.unmodifiableCollection(groups.values());
    }

    public Member member(RibPeer peer) {
        return members.get(peer.id());
    }

    /** Paths withheld from update groups as too big for their peers' messages, since start. */
    public long withheldPaths() {
        long n = 0;
        for (UpdateGroup g : groups.values()) {
            n += g.withheldPaths();
        }
        return n + withheldByGoneGroups;
    }

    public int internedAttributeSets() {
        return imports.internedCount();
    }
}
