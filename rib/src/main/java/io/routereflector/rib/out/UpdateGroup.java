package io.routereflector.rib.out;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.routereflector.rib.Path;
import io.routereflector.rib.RouteEntry;
import io.routereflector.rib.reflection.Reflection;
import io.routereflector.rib.table.OpenHashMap;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.message.RouteRefresh;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;
import io.routereflector.wire.nlri.Nlri;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Peers that receive identical UPDATEs (same {@link GroupKey}). The group keeps its Adj-RIB-Out —
 * what it has advertised per prefix — and turns each batch of Loc-RIB changes into UPDATEs that are
 * encoded once and written to every member as {@code retainedDuplicate()}s.
 *
 * <p>Split horizon inside a group: a path is never sent back to the peer it came from. Changes are
 * partitioned by the one member each must skip (the path's source), and each partition is encoded
 * once; so a batch costs one encoding per distinct source, never one per member. Without ADD-PATH, a
 * source whose own path became best while it held another of ours gets a withdrawal of its own.
 */
public final class UpdateGroup {

    private static final Path[] NONE = PathArrays.NONE;
    /** Catch-up writes this many prefixes, then checks writability again. */
    private static final int CATCH_UP_SLICE = 2048;

    private final GroupKey key;
    private final WireSettings settings;
    private final int clusterId;
    private final long localAs;
    private final ByteBufAllocator allocator;
    private final List<Member> members = new ArrayList<>();
    /** Per prefix a Path, or a Path[] of two or more (see {@link PathArrays#compact}). */
    private final Map<AddressFamily, OpenHashMap<IpPrefix, Object>> advertised = new HashMap<>();
    private final HashMap<ExportKey, PathAttributes> exportCache = new HashMap<>();
    private long encodedMessages;
    private long encodedPartitions;
    /** Paths in the Adj-RIB-Out, in all and by source peer id: a member holds all but its own. */
    private long advertisedPaths;
    private final HashMap<Integer, Long> advertisedFrom = new HashMap<>();

    private record ExportKey(PathAttributes attributes, int sourceBgpId, boolean sourceEbgp) { }

    /** One change of one prefix in a batch: what the group advertised before and what it does now. */
    public record Change(AddressFamily family, IpPrefix prefix, Path[] before, Path[] now) { }

    public UpdateGroup(GroupKey key, int clusterId, long localAs, ByteBufAllocator allocator) {
        this.key = key;
        this.settings = key.sendSettings();
        this.clusterId = clusterId;
        this.localAs = localAs;
        this.allocator = allocator;
    }

    public GroupKey key() {
        return key;
    }

    public List<Member> members() {
        return List.copyOf(members);
    }

    /** UPDATE messages encoded by this group since it was created (shared ones count once). */
    public long encodedMessages() {
        return encodedMessages;
    }

    /** Partitions encoded by the shared path (one per distinct source per batch). */
    public long encodedPartitions() {
        return encodedPartitions;
    }

    public boolean isEmpty() {
        return members.isEmpty();
    }

    public Member join(io.routereflector.rib.RibPeer peer, UpdateSink sink) {
        Member member = new Member(peer, sink);
        member.group(this);
        members.add(member);
        // The initial table transfer is the shared dump of the next flush (see dump()): no per-member
        // copy of the table, whatever the number of peers joining at once.
        member.needsDump(true);
        member.behind(true);
        return member;
    }

    public void leave(Member member) {
        members.remove(member);
    }

    private OpenHashMap<IpPrefix, Object> advertised(AddressFamily family) {
        return advertised.computeIfAbsent(family, f -> new OpenHashMap<>());
    }

    private Path[] advertisedNow(AddressFamily family, IpPrefix prefix) {
        return PathArrays.expand(advertised(family).get(prefix));
    }

    /** What this group should advertise for {@code entry} now (null entry: nothing). */
    Path[] desired(AddressFamily family, RouteEntry entry) {
        if (entry == null || entry.best() == null) {
            return NONE;
        }
        if (settings.addPath(family)) {
            int n = entry.pathCount();
            Path[] out = new Path[n];
            int kept = 0;
            for (int i = 0; i < n; i++) {
                Path p = entry.path(i);
                if (allowed(p)) {
                    out[kept++] = p;
                }
            }
            return kept == 0 ? NONE : kept == n ? out : java.util.Arrays.copyOf(out, kept);
        }
        Path best = entry.best();
        return allowed(best) ? new Path[] {best} : NONE;
    }

    private boolean allowed(Path p) {
        return Reflection.mayAdvertise(p.source().role(), key.role())
                && !Reflection.suppressedByCommunity(p.attributes(), key.role())
                // RFC 9494 §4.5: long-lived stale routes only go to peers that advertised LLGR.
                && (!p.llgrStale() || key.longLivedGracefulRestart());
    }

    /**
     * Records the new state of {@code entry}'s prefix; returns the change, or null when what the group
     * advertises is unchanged.
     */
    public Change update(AddressFamily family, IpPrefix prefix, RouteEntry entry) {
        if (!key.families().contains(family)) {
            return null;
        }
        OpenHashMap<IpPrefix, Object> table = advertised(family);
        Path[] before = PathArrays.expand(table.get(prefix));
        Path[] now = desired(family, entry);
        if (PathArrays.same(before, now)) {
            return null;
        }
        if (now.length == 0) {
            table.remove(prefix);
        } else {
            table.put(prefix, PathArrays.compact(now));
        }
        count(before, -1);
        count(now, 1);
        return new Change(family, prefix, before, now);
    }

    private void count(Path[] paths, int sign) {
        for (Path p : paths) {
            advertisedPaths += sign;
            advertisedFrom.merge(p.source().id(), (long) sign, (a, b) -> a + b == 0 ? null : a + b);
        }
    }

    /** The paths this group advertises for {@code prefix} (each member gets those it did not send). */
    public List<Path> advertised(AddressFamily family, IpPrefix prefix) {
        return List.of(advertisedNow(family, prefix));
    }

    /** Paths this group advertises to {@code m}: everything but the paths {@code m} itself sent. */
    public long exportedTo(Member m) {
        return advertisedPaths - advertisedFrom.getOrDefault(m.peer().id(), 0L);
    }

    PathAttributes exported(Path path) {
        ExportKey cacheKey = new ExportKey(path.attributes(), path.source().bgpIdentifier(), path.source().isEbgp());
        PathAttributes out = exportCache.get(cacheKey);
        if (out == null) {
            if (exportCache.size() > 100_000) {
                exportCache.clear();
            }
            byte[] v4 = key.nextHopSelfV4() == null ? null : key.nextHopSelfV4().getAddress();
            byte[] v6 = key.nextHopSelfV6() == null ? null : key.nextHopSelfV6().getAddress();
            out = Reflection.export(path, key.role(), clusterId, localAs, v4, v6);
            exportCache.put(cacheKey, out);
        }
        return out;
    }

    /** Writes a batch of changes: shared encodings to members that keep up, catch-up state to the rest. */
    public void emit(List<Change> changes) {
        if (changes.isEmpty() || members.isEmpty()) {
            return;
        }
        List<Member> live = new ArrayList<>(members.size());
        for (Member m : members) {
            if (!m.isBehind() && !m.sink().isWritable()) {
                m.behind(true);
            }
            if (m.needsDump()) {
                continue; // its dump carries the state after this batch
            }
            if (m.isBehind()) {
                for (Change c : changes) {
                    m.missed(c.family(), c.prefix(), PathArrays.view(c.before(), m));
                }
            } else {
                live.add(m);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        Map<Long, Partition> partitions = new LinkedHashMap<>();
        for (Change c : changes) {
            partition(c, partitions);
        }
        // Partitions that skip one member (their source) are laid end to end in one buffer, so a member
        // takes the whole batch in at most two slices: per member and batch, two queued writes, whatever
        // the number of sources. Partitions for one member only (a withdrawal the source needs) go apart.
        ByteBuf all = allocator.buffer();
        Map<Integer, int[]> skip = new HashMap<>();
        try {
            for (Map.Entry<Long, Partition> e : partitions.entrySet()) {
                int exclude = (int) (e.getKey() >> 32);
                int only = (int) (long) e.getKey();
                Partition part = e.getValue();
                if (only >= 0) {
                    List<ByteBuf> encoded = part.encode(settings, allocator);
                    encodedMessages += encoded.size();
                    encodedPartitions++;
                    try {
                        for (Member m : live) {
                            if (m.peer().id() == only) {
                                m.exported(part.announced, part.withdrawn);
                                for (ByteBuf buf : encoded) {
                                    m.sink().write(buf.retainedDuplicate());
                                }
                            }
                        }
                    } finally {
                        encoded.forEach(ByteBuf::release);
                    }
                    continue;
                }
                skip.put(exclude, append(part, all));
                for (Member m : live) {
                    if (m.peer().id() != exclude) {
                        m.exported(part.announced, part.withdrawn);
                    }
                }
            }
            for (Member m : live) {
                writeSkipping(m, all, skip.get(m.peer().id()));
                m.sink().flush();
            }
        } finally {
            all.release();
        }
    }

    /** Appends one encoded partition to the batch buffer; returns its octet range. */
    private int[] append(Partition part, ByteBuf all) {
        int[] range = part.appendTo(all, settings, allocator);
        encodedMessages += range[2];
        encodedPartitions++;
        return range;
    }

    /** Writes {@code all} to the member except the range {@code [skip[0], skip[1])}, as shared slices. */
    private static void writeSkipping(Member m, ByteBuf all, int[] skip) {
        int end = all.writerIndex();
        if (skip == null) {
            if (end > 0) {
                m.sink().write(all.retainedSlice(0, end));
            }
            return;
        }
        if (skip[0] > 0) {
            m.sink().write(all.retainedSlice(0, skip[0]));
        }
        if (end > skip[1]) {
            m.sink().write(all.retainedSlice(skip[1], end - skip[1]));
        }
    }

    private static long partitionKey(int exclude, int only) {
        return ((long) exclude << 32) | (only & 0xFFFFFFFFL);
    }

    private void partition(Change c, Map<Long, Partition> partitions) {
        AddressFamily f = c.family();
        if (settings.addPath(f)) {
            for (Path p : c.now()) {
                if (!PathArrays.contains(c.before(), p)) {
                    partitions.computeIfAbsent(partitionKey(p.source().id(), -1), k -> new Partition())
                            .announce(f, exported(p), new Nlri(c.prefix(), p.localPathId()));
                }
            }
            for (Path q : c.before()) {
                if (!PathArrays.containsId(c.now(), q.localPathId())) {
                    partitions.computeIfAbsent(partitionKey(q.source().id(), -1), k -> new Partition())
                            .withdraw(f, new Nlri(c.prefix(), q.localPathId()));
                }
            }
            return;
        }
        Path p = c.now().length > 0 ? c.now()[0] : null;
        Path q = c.before().length > 0 ? c.before()[0] : null;
        if (p != null) {
            partitions.computeIfAbsent(partitionKey(p.source().id(), -1), k -> new Partition())
                    .announce(f, exported(p), Nlri.of(c.prefix()));
            if (q != null && q.source().id() != p.source().id()) {
                // The new best's source held q from us; it must not keep it, and must not get its own path.
                partitions.computeIfAbsent(partitionKey(-1, p.source().id()), k -> new Partition())
                        .withdraw(f, Nlri.of(c.prefix()));
            }
        } else if (q != null) {
            partitions.computeIfAbsent(partitionKey(q.source().id(), -1), k -> new Partition())
                    .withdraw(f, Nlri.of(c.prefix()));
        }
    }

    /**
     * Brings a member that fell behind (or just joined) up to date, in slices, while it stays
     * writable; sends End-of-RIB for each family once its first catch-up is complete. Returns true
     * when the member is up to date.
     */
    public boolean catchUp(Member m) {
        if (!m.isBehind()) {
            return true;
        }
        for (AddressFamily family : key.families()) {
            LinkedHashMap<IpPrefix, Path[]> pending = m.pending(family);
            boolean addPath = settings.addPath(family);
            while (!pending.isEmpty()) {
                if (!m.sink().isWritable()) {
                    m.sink().flush();
                    return false;
                }
                Partition part = new Partition();
                Iterator<Map.Entry<IpPrefix, Path[]>> it = pending.entrySet().iterator();
                for (int n = 0; n < CATCH_UP_SLICE && it.hasNext(); n++) {
                    Map.Entry<IpPrefix, Path[]> e = it.next();
                    it.remove();
                    Path[] known = e.getValue();
                    Path[] now = PathArrays.view(advertisedNow(family, e.getKey()), m);
                    diff(family, e.getKey(), known, now, addPath, part);
                }
                m.exported(part.announced, part.withdrawn);
                for (ByteBuf buf : part.encode(settings, allocator)) {
                    encodedMessages++;
                    m.sink().write(buf);
                }
            }
            m.caughtUp(family);
            if (!m.endOfRibSent(family)) {
                m.sink().write(UpdatePacker.endOfRib(family, settings, allocator));
                m.markEndOfRibSent(family);
            }
            if (m.finishRefresh(family)) {
                // RFC 7313 §4: the re-advertisement ends with an End-of-RIB-Refresh marker.
                m.sink().write(MessageCodec.encode(RouteRefresh.endOfRefresh(family), settings, allocator));
            }
        }
        m.behind(false);
        m.sink().flush();
        return true;
    }

    private void diff(AddressFamily f, IpPrefix prefix, Path[] known, Path[] now, boolean addPath, Partition part) {
        if (addPath) {
            for (Path p : now) {
                if (!PathArrays.contains(known, p)) {
                    part.announce(f, exported(p), new Nlri(prefix, p.localPathId()));
                }
            }
            for (Path q : known) {
                if (!PathArrays.containsId(now, q.localPathId())) {
                    part.withdraw(f, new Nlri(prefix, q.localPathId()));
                }
            }
        } else if (now.length > 0) {
            if (known.length == 0 || known[0] != now[0]) {
                part.announce(f, exported(now[0]), Nlri.of(prefix));
            }
        } else if (known.length > 0) {
            part.withdraw(f, Nlri.of(prefix));
        }
    }

    /**
     * The initial table transfer of every member that joined since the last flush, encoded once for
     * all of them: the Adj-RIB-Out is partitioned by the source of each path (split horizon: a member
     * never gets its own paths), each partition is encoded once and its bytes are shared by every new
     * member but its source; then End-of-RIB per family (RFC 4724 §2). When 1000 clients connect at
     * once after a reflector restart, the table is encoded once per flush, not once per client, and
     * nothing per member is kept but the channel's queue of shared buffers.
     */
    public void dump() {
        List<Member> fresh = new ArrayList<>();
        for (Member m : members) {
            if (m.needsDump()) {
                fresh.add(m);
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        for (AddressFamily family : key.families()) {
            Map<Integer, Partition> bySource = new LinkedHashMap<>();
            boolean addPath = settings.addPath(family);
            advertised(family).forEach((prefix, stored) -> {
                for (Path p : PathArrays.expand(stored)) {
                    bySource.computeIfAbsent(p.source().id(), k -> new Partition())
                            .announce(family, exported(p), addPath ? new Nlri(prefix, p.localPathId()) : Nlri.of(prefix));
                }
            });
            ByteBuf all = allocator.buffer();
            Map<Integer, int[]> skip = new HashMap<>();
            try {
                for (Map.Entry<Integer, Partition> e : bySource.entrySet()) {
                    skip.put(e.getKey(), append(e.getValue(), all));
                }
                for (Member m : fresh) {
                    writeSkipping(m, all, skip.get(m.peer().id()));
                }
            } finally {
                all.release();
            }
            ByteBuf endOfRib = UpdatePacker.endOfRib(family, settings, allocator);
            try {
                for (Member m : fresh) {
                    m.sink().write(endOfRib.retainedDuplicate());
                    m.markEndOfRibSent(family);
                }
            } finally {
                endOfRib.release();
            }
        }
        for (Member m : fresh) {
            m.needsDump(false);
            m.behind(m.backlog() > 0);
            m.sink().flush();
        }
    }

    /**
     * Re-sends the whole Adj-RIB-Out of the group to one member (ROUTE-REFRESH, RFC 2918). With
     * enhanced route refresh (RFC 7313 §4) the re-advertisement is bracketed by Beginning- and
     * End-of-RIB-Refresh markers, so the peer can drop what we no longer advertise.
     */
    public void resend(Member m, AddressFamily family, boolean enhanced) {
        if (!key.families().contains(family)) {
            return;
        }
        if (enhanced) {
            m.sink().write(MessageCodec.encode(RouteRefresh.beginOfRefresh(family), settings, allocator));
            m.startRefresh(family);
        }
        LinkedHashMap<IpPrefix, Path[]> pending = m.pending(family);
        advertised(family).forEach((prefix, stored) -> pending.put(prefix, NONE));
        m.behind(true);
    }
}
