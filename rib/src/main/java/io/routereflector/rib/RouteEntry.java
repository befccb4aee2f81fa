package io.routereflector.rib;

import io.routereflector.rib.decision.BestPath;
import io.routereflector.wire.nlri.IpPrefix;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * All paths the Loc-RIB holds for one prefix and the best of them. Paths are kept in a small list:
 * a prefix has a handful of paths (one per announcing peer and path id), so a scan beats a map.
 */
public final class RouteEntry {

    private final IpPrefix prefix;
    private final List<Path> paths = new ArrayList<>(2);
    private Path best;
    private BestPath.Step decidedBy;
    private int nextLocalPathId = 1;

    RouteEntry(IpPrefix prefix) {
        this.prefix = prefix;
    }

    public IpPrefix prefix() {
        return prefix;
    }

    public List<Path> paths() {
        return Collections.unmodifiableList(paths);
    }

    public Path best() {
        return best;
    }

    public BestPath.Step decidedBy() {
        return decidedBy;
    }

    public boolean isEmpty() {
        return paths.isEmpty();
    }

    Path find(int peerId, int receivedPathId) {
        for (Path p : paths) {
            if (p.source().id() == peerId && p.receivedPathId() == receivedPathId) {
                return p;
            }
        }
        return null;
    }

    /** Adds or replaces the path of (peer, received id); a replacement keeps its local path id. */
    Path put(Path path) {
        for (int i = 0; i < paths.size(); i++) {
            Path old = paths.get(i);
            if (old.source().id() == path.source().id() && old.receivedPathId() == path.receivedPathId()) {
                Path replaced = path.withLocalPathId(old.localPathId());
                paths.set(i, replaced);
                return replaced;
            }
        }
        Path added = path.withLocalPathId(nextLocalPathId++);
        paths.add(added);
        return added;
    }

    Path remove(int peerId, int receivedPathId) {
        for (int i = 0; i < paths.size(); i++) {
            Path old = paths.get(i);
            if (old.source().id() == peerId && old.receivedPathId() == receivedPathId) {
                paths.remove(i);
                return old;
            }
        }
        return null;
    }

    /** Runs the decision process; true when the best path changed (object identity). */
    boolean decide() {
        Path before = best;
        if (paths.isEmpty()) {
            best = null;
            decidedBy = null;
        } else {
            BestPath.Result result = BestPath.select(paths);
            best = result.best();
            decidedBy = result.decidedBy();
        }
        return before != best;
    }
}
