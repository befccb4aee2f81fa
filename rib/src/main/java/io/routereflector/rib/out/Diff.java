package io.routereflector.rib.out;

import io.routereflector.rib.Path;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;
import io.routereflector.wire.nlri.Nlri;

import java.util.Map;

/**
 * What members must hear for a change of one prefix: announcements of the paths they do not hold,
 * withdrawals of those they hold and no longer get. Paths compare by what would be sent of them
 * ({@link PathArrays#sameOnWire}); under ADD-PATH, path ids tell replacements apart.
 */
final class Diff {

    private Diff() {
    }

    /** Packs (member to skip, only member) into one key; peer ids are non-negative, -1 means none. */
    static long partitionKey(int exclude, int only) {
        return ((long) exclude << 32) | (only & 0xFFFFFFFFL);
    }

    /** Sorts one change of the shared path into partitions by the member each must skip (or reach alone). */
    static void partition(UpdateGroup.Change c, Map<Long, Partition> partitions, WireSettings settings, Exporter exporter) {
        AddressFamily f = c.family();
        if (settings.addPath(f)) {
            for (Path p : c.now()) {
                if (!PathArrays.contains(c.before(), p)) {
                    partitions.computeIfAbsent(partitionKey(p.source().id(), -1), k -> new Partition())
                            .announce(f, exporter.export(f, c.prefix(), p).attributes(), new Nlri(c.prefix(), p.localPathId()));
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
                    .announce(f, exporter.export(f, c.prefix(), p).attributes(), Nlri.of(c.prefix()));
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

    /** What one member that knew {@code known} must hear to hold {@code now} (catch-up). */
    static void diff(AddressFamily f, IpPrefix prefix, Path[] known, Path[] now, boolean addPath, Partition part,
                     Exporter exporter) {
        if (addPath) {
            for (Path p : now) {
                if (!PathArrays.contains(known, p)) {
                    part.announce(f, exporter.export(f, prefix, p).attributes(), new Nlri(prefix, p.localPathId()));
                }
            }
            for (Path q : known) {
                if (!PathArrays.containsId(now, q.localPathId())) {
                    part.withdraw(f, new Nlri(prefix, q.localPathId()));
                }
            }
        } else if (now.length > 0) {
            if (known.length == 0 || !PathArrays.sameOnWire(known[0], now[0])) {
                part.announce(f, exporter.export(f, prefix, now[0]).attributes(), Nlri.of(prefix));
            }
        } else if (known.length > 0) {
            part.withdraw(f, Nlri.of(prefix));
        }
    }
}
