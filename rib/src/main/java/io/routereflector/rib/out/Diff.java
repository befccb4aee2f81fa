package io.routereflector.rib.out;

import io.routereflector.rib.Path;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;
import io.routereflector.wire.nlri.Nlri;

import java.util.LinkedHashMap;

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

    /**
     * Partitions by key in first-use order. The last one used is found without boxing its key: the
     * changes of a batch come in runs from one source.
     */
    static final class Partitions {
        final LinkedHashMap<Long, Partition> byKey = new LinkedHashMap<>();
        private long lastKey;
        private Partition last;

        Partition get(long key) {
            if (last == null || key != lastKey) {
                last = byKey.computeIfAbsent(key, k -> new Partition());
                lastKey = key;
            }
            return last;
        }
    }

    /** Sorts one change of the shared path into partitions by the member each must skip (or reach alone). */
    static void partition(UpdateGroup.Change c, Partitions partitions, WireSettings settings, Exporter exporter) {
        AddressFamily f = c.family();
        if (settings.addPath(f)) {
            for (Path p : c.now()) {
                if (!PathArrays.contains(c.before(), p)) {
                    partitions.get(partitionKey(p.source().id(), -1))
                            .announce(f, exporter.export(f, c.prefix(), p).attributes(), new Nlri(c.prefix(), p.localPathId()));
                }
            }
            for (Path q : c.before()) {
                if (!PathArrays.containsId(c.now(), q.localPathId())) {
                    partitions.get(partitionKey(q.source().id(), -1))
                            .withdraw(f, new Nlri(c.prefix(), q.localPathId()));
                }
            }
            return;
        }
        Path p = c.now().length > 0 ? c.now()[0] : null;
        Path q = c.before().length > 0 ? c.before()[0] : null;
        if (p != null) {
            partitions.get(partitionKey(p.source().id(), -1))
                    .announce(f, exporter.export(f, c.prefix(), p).attributes(), Nlri.of(c.prefix()));
            if (q != null && q.source().id() != p.source().id()) {
                // The new best's source held q from us; it must not keep it, and must not get its own path.
                partitions.get(partitionKey(-1, p.source().id()))
                        .withdraw(f, Nlri.of(c.prefix()));
            }
        } else if (q != null) {
            partitions.get(partitionKey(q.source().id(), -1))
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
