package io.routereflector.rib;

import io.routereflector.rib.decision.BestPath;
import io.routereflector.wire.nlri.IpPrefix;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * All paths the Loc-RIB holds for one prefix and the best of them. A prefix has a handful of paths
 * (one per announcing peer and path id), so a scan beats a map; and nearly always one or two, so they
 * are held as a single {@link Path} or an exact-size array rather than a list, whose two objects would
 * cost more than the path itself.
 */
public final class RouteEntry {

    private final IpPrefix prefix;
    /** Null, one Path, or a Path[] of two or more in arrival order. */
    private Object paths;
    private Path best;
    private BestPath.Step decidedBy;
    private int nextLocalPathId = 1;

    RouteEntry(IpPrefix prefix) {
        this.prefix = prefix;
    }

    public IpPrefix prefix() {
        return prefix;
    }

    /** The paths, in arrival order, as a read-only list. */
    public List<Path> paths() {
        Object p = paths;
        if (p == null) {
            return List.of();
        }
        if (p instanceof Path one) {
            return List.of(one);
        }
        return Collections.unmodifiableList(Arrays.asList((Path[]) p));
    }

    /** How many paths; with {@link #path(int)}, reads them without a list. */
    public int pathCount() {
        Object p = paths;
        return p == null ? 0 : p instanceof Path ? 1 : ((Path[]) p).length;
    }

    public Path path(int index) {
        Object p = paths;
        if (p instanceof Path one && index == 0) {
            return one;
        }
        if (p instanceof Path[] many) {
            return many[index];
        }
        throw new IndexOutOfBoundsException(index);
    }

    public Path best() {
        return best;
    }

    public BestPath.Step decidedBy() {
        return decidedBy;
    }

    public boolean isEmpty() {
        return paths == null;
    }

    private static boolean sameKey(Path a, int peerId, int receivedPathId) {
        return a.source().id() == peerId && a.receivedPathId() == receivedPathId;
    }

    private int indexOf(int peerId, int receivedPathId) {
        int n = pathCount();
        for (int i = 0; i < n; i++) {
            if (sameKey(path(i), peerId, receivedPathId)) {
                return i;
            }
        }
        return -1;
    }

    Path find(int peerId, int receivedPathId) {
        int i = indexOf(peerId, receivedPathId);
        return i < 0 ? null : path(i);
    }

    /** Adds or replaces the path of (peer, received id); a replacement keeps its local path id. */
    Path put(Path path) {
        int i = indexOf(path.source().id(), path.receivedPathId());
        if (i >= 0) {
            Path replaced = path.withLocalPathId(path(i).localPathId());
            if (paths instanceof Path[] many) {
                many[i] = replaced;
            } else {
                paths = replaced;
            }
            return replaced;
        }
        Path added = path.withLocalPathId(nextLocalPathId++);
        Object p = paths;
        if (p == null) {
            paths = added;
        } else if (p instanceof Path one) {
            paths = new Path[] {one, added};
        } else {
            Path[] many = Arrays.copyOf((Path[]) p, ((Path[]) p).length + 1);
            many[many.length - 1] = added;
            paths = many;
        }
        return added;
    }

    /**
     * Puts {@code fresh} in the place of a stale path of the same peer, keeping that path's local id,
     * and returns the stale path it replaced (null when the peer has none here). A restarted peer may
     * number its RFC 7911 path ids afresh, so its re-announcement can arrive under another id; the
     * stale twin with the same attributes is preferred, so an unchanged route changes nothing sent.
     */
    Path takeOverStale(Path fresh) {
        int n = pathCount();
        int chosen = -1;
        for (int i = 0; i < n; i++) {
            Path p = path(i);
            if (p.stale() && p.source().id() == fresh.source().id()) {
                if (p.attributes() == fresh.attributes()) {
                    chosen = i;
                    break;
                }
                if (chosen < 0) {
                    chosen = i;
                }
            }
        }
        if (chosen < 0) {
            return null;
        }
        Path old = path(chosen);
        Path replacement = fresh.withLocalPathId(old.localPathId());
        if (paths instanceof Path[] many) {
            many[chosen] = replacement;
        } else {
            paths = replacement;
        }
        return old;
    }

    Path remove(int peerId, int receivedPathId) {
        int i = indexOf(peerId, receivedPathId);
        if (i < 0) {
            return null;
        }
        Object p = paths;
        if (p instanceof Path one) {
            paths = null;
            return one;
        }
        Path[] many = (Path[]) p;
        Path old = many[i];
        if (many.length == 2) {
            paths = many[1 - i];
        } else {
            Path[] rest = new Path[many.length - 1];
            System.arraycopy(many, 0, rest, 0, i);
            System.arraycopy(many, i + 1, rest, i, rest.length - i);
            paths = rest;
        }
        return old;
    }

    /** Runs the decision process; true when the best path changed (object identity). */
    boolean decide() {
        Path before = best;
        Object p = paths;
        if (p == null) {
            best = null;
            decidedBy = null;
        } else if (p instanceof Path one) {
            best = one;
            decidedBy = BestPath.Step.ONLY_PATH; // what BestPath.select says of one path, without a list
        } else {
            BestPath.Result result = BestPath.select(Arrays.asList((Path[]) p));
            best = result.best();
            decidedBy = result.decidedBy();
        }
        return before != best;
    }
}
