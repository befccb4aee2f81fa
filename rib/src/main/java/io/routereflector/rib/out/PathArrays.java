package io.routereflector.rib.out;

import io.routereflector.rib.Path;

import java.util.ArrayList;
import java.util.List;

/** The small path arrays an Adj-RIB-Out keeps per prefix, compared by what a member would be sent. */
final class PathArrays {

    static final Path[] NONE = new Path[0];

    private PathArrays() {
    }

    static boolean same(Path[] a, Path[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!sameOnWire(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when a group would send exactly the same for {@code a} as for {@code b}: the same object (a
     * path unchanged in the Loc-RIB stays one), or a copy that differs only in the RFC 4724 stale mark
     * (marked at a drop, relearned after it), which no peer is told. What a group sends of a path
     * depends on its attributes, source, local path id and long-lived stale flag, nothing else.
     */
    static boolean sameOnWire(Path a, Path b) {
        return a == b
                // Attribute sets are interned: the same instance means the same attributes.
                || a.attributes() == b.attributes() && a.localPathId() == b.localPathId()
                && a.llgrStale() == b.llgrStale() && a.source().equals(b.source());
    }

    static boolean contains(Path[] paths, Path p) {
        for (Path x : paths) {
            if (sameOnWire(x, p)) {
                return true;
            }
        }
        return false;
    }

    static boolean containsId(Path[] paths, int localId) {
        for (Path x : paths) {
            if (x.localPathId() == localId) {
                return true;
            }
        }
        return false;
    }

    /**
     * How an Adj-RIB-Out stores a non-empty state: the one path itself (nearly always — its array
     * would cost 24 bytes per prefix), or the array of two or more.
     */
    static Object compact(Path[] paths) {
        return paths.length == 1 ? paths[0] : paths;
    }

    /** The state stored by {@link #compact}, or null for none, as an array (never the stored one to change). */
    static Path[] expand(Object stored) {
        if (stored == null) {
            return NONE;
        }
        return stored instanceof Path one ? new Path[] {one} : (Path[]) stored;
    }

    /** What member {@code m} holds of a group state: everything but its own paths. */
    static Path[] view(Path[] state, Member m) {
        int own = 0;
        for (Path p : state) {
            if (p.source().id() == m.peer().id()) {
                own++;
            }
        }
        if (own == 0) {
            return state;
        }
        if (own == state.length) {
            return NONE;
        }
        List<Path> rest = new ArrayList<>(state.length - own);
        for (Path p : state) {
            if (p.source().id() != m.peer().id()) {
                rest.add(p);
            }
        }
        return rest.toArray(NONE);
    }
}
