package io.routereflector.rib.out;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.routereflector.rib.Path;
import io.routereflector.rib.RouteEntry;
import io.routereflector.rib.policy.ExportPolicy;
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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peers that receive identical UPDATEs (same {@link GroupKey}). The group keeps its Adj-RIB-Out —
 * what it has advertised per prefix — and turns each batch of Loc-RIB changes into UPDATEs that are
 * encoded once and written to every member as {@code retainedDuplicate()}s.
 *
 * <p>Split horizon inside a group: a path is never sent back to the peer it came from. Changes are
 * partitioned by the one member each must skip (the path's source), and each partition is encoded
 * once; so a batch costs one encoding per distinct source, never one per member. Without ADD-PATH, a
 * source whose own path became best while it held another of ours gets a withdrawal of its own.
 *
 * <p>Bytes first, state after: a batch is encoded whole before what the group advertises is recorded,
 * so a failure leaves the group as its members last heard it. A path whose exported attributes leave
 * no room for an NLRI in the group's message size is withheld from the group (as if withdrawn there).
 */
public final class UpdateGroup {

    private static final Logger LOG = LoggerFactory.getLogger(UpdateGroup.class);

    private static final Path[] NONE = PathArrays.NONE;
    /** Catch-up writes this many prefixes, then checks writability again. */
    private static final int CATCH_UP_SLICE = 2048;

    private final GroupKey key;
    private final WireSettings settings;
    private final ByteBufAllocator allocator;
    private final List<Member> members = new ArrayList<>();
    /** Per prefix a Path, or a Path[] of two or more (see {@link PathArrays#compact}). */
    private final Map<AddressFamily, OpenHashMap<IpPrefix, Object>> advertised = new HashMap<>();
    private final Exporter exporter;
    private long encodedMessages;
    private long encodedPartitions;
    private long withheldPaths;
    /** Paths in the Adj-RIB-Out, in all and by source peer id: a member holds all but its own. */
    private long advertisedPaths;
    private final HashMap<Integer, long[]> advertisedFrom = new HashMap<>(); // a mutable count: no Long per change


    /** One change of one prefix in a batch: what the group advertised before and what it does now. */
    public record Change(AddressFamily family, IpPrefix prefix, Path[] before, Path[] now) { }

    public UpdateGroup(GroupKey key, int clusterId, long localAs, ByteBufAllocator allocator) {
        this.key = key;
        this.settings = key.sendSettings();
        this.allocator = allocator;
        this.exporter = new Exporter(key, clusterId, localAs);
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

    /** Paths withheld from this group's members as too big for their messages (each decision counts). */
    public long withheldPaths() {
        return withheldPaths;
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

    /**
     * Takes over {@code old}, a member of another group whose export policy differed, without a new
     * session: its backlog becomes the difference between what it heard there and what this group
     * advertises, so the next catch-up withdraws what is now rejected and announces what is now
     * accepted. When the communities the two policies add differ, every route it keeps is announced
     * again (the paths are the same objects, their attributes on the wire are not).
     */
    public Member adopt(Member old) {
        if (old.needsDump()) {
            Member fresh = join(old.peer(), old.sink());
            old.handOver(fresh);
            return fresh;
        }
        UpdateGroup from = old.group();
        Member next = new Member(old.peer(), old.sink());
        next.group(this);
        old.handOver(next);
        boolean retag = !from.key.exportPolicy().communities().equals(key.exportPolicy().communities());
        for (AddressFamily family : key.families()) {
            java.util.LinkedHashSet<IpPrefix> prefixes = new java.util.LinkedHashSet<>(old.pendingPrefixes(family));
            from.advertised(family).forEach((prefix, stored) -> prefixes.add(prefix));
            advertised(family).forEach((prefix, stored) -> prefixes.add(prefix));
            for (IpPrefix prefix : prefixes) {
                Path[] heard = old.heard(family, prefix, from.advertisedNow(family, prefix));
                Path[] now = PathArrays.view(advertisedNow(family, prefix), next);
                if (retag) {
                    heard = notIn(heard, now);
                }
                if (!PathArrays.same(heard, now)) {
                    next.missed(family, prefix, heard);
                }
            }
        }
        members.add(next);
        next.behind(true);
        return next;
    }

    /** The paths of {@code heard} whose local path id is not in {@code now}: withdrawn unless re-announced. */
    private static Path[] notIn(Path[] heard, Path[] now) {
        if (now.length == 0) {
            return heard;
        }
        List<Path> left = new ArrayList<>();
        for (Path p : heard) {
            if (!PathArrays.containsId(now, p.localPathId())) {
                left.add(p);
            }
        }
        return left.toArray(NONE);
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
        ExportPolicy policy = key.exportPolicy();
        if (!policy.exportsAll() && !policy.evaluate(entry.prefix()).accepted()) {
            return NONE;
        }
        if (settings.addPath(family)) {
            int n = entry.pathCount();
            Path[] out = new Path[n];
            int kept = 0;
            for (int i = 0; i < n; i++) {
                Path p = entry.path(i);
                if (allowed(p) && sendable(family, entry.prefix(), p)) {
                    out[kept++] = p;
                }
            }
            return kept == 0 ? NONE : kept == n ? out : java.util.Arrays.copyOf(out, kept);
        }
        Path best = entry.best();
        return allowed(best) && sendable(family, entry.prefix(), best) ? new Path[] {best} : NONE;
    }

    /** False (and counted) for a path too big for this group's messages once exported: it is withheld. */
    private boolean sendable(AddressFamily family, IpPrefix prefix, Path p) {
        if (exporter.export(family, prefix, p).fits()) {
            return true;
        }
        withheldPaths++;
        return false;
    }

    private boolean allowed(Path p) {
        return Reflection.mayAdvertise(p.source().role(), key.role())
                && !Reflection.suppressedByCommunity(p.attributes(), key.role())
                // RFC 9494 §4.5: long-lived stale routes only go to peers that advertised LLGR.
                && (!p.llgrStale() || key.longLivedGracefulRestart());
    }

    /**
     * What would change in the group's advertisement of {@code entry}'s prefix, or null when nothing
     * would; recorded only by {@link #emit} once the change is encoded (or at once by {@link #learn}).
     */
    public Change change(AddressFamily family, IpPrefix prefix, RouteEntry entry) {
        if (!key.families().contains(family)) {
            return null;
        }
        Path[] before = advertisedNow(family, prefix);
        Path[] now = desired(family, entry);
        // An unchanged path is the same object (RouteEntry keeps it on a repeat); a stale-marked or
        // relearned copy compares equal by what is sent of it (PathArrays.sameOnWire).
        return PathArrays.same(before, now) ? null : new Change(family, prefix, before, now);
    }

    /** Records the state of {@code entry}'s prefix without sending (a new group, no member has heard anything). */
    public void learn(AddressFamily family, IpPrefix prefix, RouteEntry entry) {
        Change c = change(family, prefix, entry);
        if (c != null) {
            commit(c);
        }
    }

    private void commit(Change c) {
        OpenHashMap<IpPrefix, Object> table = advertised(c.family());
        if (c.now().length == 0) {
            table.remove(c.prefix());
        } else {
            table.put(c.prefix(), PathArrays.compact(c.now()));
        }
        count(c.before(), -1);
        count(c.now(), 1);
    }

    private void commit(List<Change> changes) {
        for (Change c : changes) {
            commit(c);
        }
    }

    private void count(Path[] paths, int sign) {
        for (Path p : paths) {
            advertisedPaths += sign;
            long[] n = advertisedFrom.computeIfAbsent(p.source().id(), id -> new long[1]);
            n[0] += sign;
            if (n[0] == 0) {
                advertisedFrom.remove(p.source().id());
            }
        }
    }

    /** The paths this group advertises for {@code prefix} (each member gets those it did not send). */
    public List<Path> advertised(AddressFamily family, IpPrefix prefix) {
        return List.of(advertisedNow(family, prefix));
    }

    /** Paths this group advertises to {@code m}: everything but the paths {@code m} itself sent. */
    public long exportedTo(Member m) {
        long[] from = advertisedFrom.get(m.peer().id());
        return advertisedPaths - (from == null ? 0 : from[0]);
    }

    PathAttributes exported(AddressFamily family, IpPrefix prefix, Path path) {
        return exporter.export(family, prefix, path).attributes();
    }

    /** A partition for one member alone (a withdrawal its source needs), encoded. */
    private record Targeted(int only, Partition part, List<ByteBuf> encoded) { }

    /**
     * Writes a batch of changes (from {@link #change}): shared encodings to members that keep up,
     * catch-up state to the rest. The whole batch is encoded before the group records it as
     * advertised; if encoding fails, nothing is sent and nothing recorded.
     */
    public void emit(List<Change> changes) {
        if (changes.isEmpty()) {
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
            commit(changes);
            return;
        }
        // Partitions that skip one member (their source) are laid end to end in one buffer, so a member
        // takes the whole batch in at most two slices: per member and batch, two queued writes, whatever
        // the number of sources. Partitions for one member only (a withdrawal the source needs) go apart.
        ByteBuf all = allocator.buffer();
        Map<Integer, int[]> skip = new HashMap<>();
        List<Partition> shared = new ArrayList<>();
        List<Integer> sharedExclude = new ArrayList<>();
        List<Targeted> targeted = new ArrayList<>();
        try {
            Diff.Partitions partitions = new Diff.Partitions();
            for (Change c : changes) {
                Diff.partition(c, partitions, settings, exporter);
            }
            for (Map.Entry<Long, Partition> e : partitions.byKey.entrySet()) {
                // Unpacks Diff.partitionKey(): the excluded member's id in the high half, the only one's in the low.
                int exclude = (int) (e.getKey() >> 32);
                int only = (int) (long) e.getKey();
                Partition part = e.getValue();
                if (only >= 0) {
                    List<ByteBuf> encoded = part.encode(settings, allocator);
                    targeted.add(new Targeted(only, part, encoded));
                    encodedMessages += encoded.size();
                    encodedPartitions++;
                } else {
                    skip.put(exclude, append(part, all));
                    shared.add(part);
                    sharedExclude.add(exclude);
                }
            }
        } catch (RuntimeException e) {
            all.release();
            targeted.forEach(t -> t.encoded().forEach(ByteBuf::release));
            LOG.error("update group {}: a batch of {} changes could not be encoded; nothing sent, nothing recorded",
                    key.role(), changes.size(), e);
            return;
        }
        commit(changes);
        try {
            for (Targeted t : targeted) {
                for (Member m : live) {
                    if (m.peer().id() == t.only()) {
                        m.exported(t.part().announced, t.part().withdrawn);
                        for (ByteBuf buf : t.encoded()) {
                            m.sink().write(buf.retainedDuplicate());
                        }
                    }
                }
            }
            for (int i = 0; i < shared.size(); i++) {
                Partition part = shared.get(i);
                int exclude = sharedExclude.get(i);
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
            targeted.forEach(t -> t.encoded().forEach(ByteBuf::release));
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
                // Bytes first: the slice leaves the backlog only once it is encoded.
                Partition part = new Partition();
                List<IpPrefix> slice = new ArrayList<>(Math.min(CATCH_UP_SLICE, pending.size()));
                Iterator<Map.Entry<IpPrefix, Path[]>> it = pending.entrySet().iterator();
                for (int n = 0; n < CATCH_UP_SLICE && it.hasNext(); n++) {
                    Map.Entry<IpPrefix, Path[]> e = it.next();
                    slice.add(e.getKey());
                    Path[] now = PathArrays.view(advertisedNow(family, e.getKey()), m);
                    Diff.diff(family, e.getKey(), e.getValue(), now, addPath, part, exporter);
                }
                List<ByteBuf> encoded = part.encode(settings, allocator);
                for (IpPrefix prefix : slice) {
                    pending.remove(prefix);
                }
                m.exported(part.announced, part.withdrawn);
                for (ByteBuf buf : encoded) {
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
        // Bytes first: every family's table and End-of-RIB are encoded before any member is written to.
        List<AddressFamily> families = new ArrayList<>(key.families());
        List<ByteBuf> tables = new ArrayList<>();
        List<Map<Integer, int[]>> skips = new ArrayList<>();
        List<ByteBuf> endOfRibs = new ArrayList<>();
        try {
            for (AddressFamily family : families) {
                Map<Integer, Partition> bySource = new LinkedHashMap<>();
                boolean addPath = settings.addPath(family);
                advertised(family).forEach((prefix, stored) -> {
                    for (Path p : PathArrays.expand(stored)) {
                        bySource.computeIfAbsent(p.source().id(), k -> new Partition())
                                .announce(family, exported(family, prefix, p), addPath ? new Nlri(prefix, p.localPathId()) : Nlri.of(prefix));
                    }
                });
                ByteBuf all = allocator.buffer();
                tables.add(all);
                Map<Integer, int[]> skip = new HashMap<>();
                for (Map.Entry<Integer, Partition> e : bySource.entrySet()) {
                    skip.put(e.getKey(), append(e.getValue(), all));
                }
                skips.add(skip);
                endOfRibs.add(UpdatePacker.endOfRib(family, settings, allocator));
            }
            for (int i = 0; i < families.size(); i++) {
                for (Member m : fresh) {
                    writeSkipping(m, tables.get(i), skips.get(i).get(m.peer().id()));
                    m.sink().write(endOfRibs.get(i).retainedDuplicate());
                    m.markEndOfRibSent(families.get(i));
                }
            }
        } catch (RuntimeException e) {
            // Nothing was written (writes do not throw): the members keep waiting for their table.
            LOG.error("update group {}: the table for {} new members could not be encoded", key.role(), fresh.size(), e);
            return;
        } finally {
            tables.forEach(ByteBuf::release);
            endOfRibs.forEach(ByteBuf::release);
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
