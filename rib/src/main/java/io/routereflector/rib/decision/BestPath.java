package io.routereflector.rib.decision;

import io.routereflector.rib.Path;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The decision process of RFC 4271 §9.1.2.2 with the RFC 4456 §9 additions, as elimination rounds
 * over the candidates: each step keeps only the paths that are best by its criterion. Elimination
 * (not a pairwise comparator) is what the RFC describes, and it is the only order-independent way to
 * apply MED, which compares only paths from the same neighbouring AS and so is not transitive.
 *
 * <p>Step (e) of the RFC — interior cost to the NEXT_HOP — is absent: the reflector carries no
 * forwarding table, so every next hop counts as equally near (documented in the README).
 */
public final class BestPath {

    /** The step that left a single path; shown by {@code routereflector routes}. */
    public enum Step {
        ONLY_PATH("only path"),
        NOT_LLGR_STALE("not long-lived stale (RFC 9494 §4.3)"),
        LOCAL_PREF("higher LOCAL_PREF (9.1.1, 9.1.2)"),
        AS_PATH_LENGTH("shorter AS_PATH (9.1.2.2 a)"),
        ORIGIN("lower ORIGIN (9.1.2.2 b)"),
        MED("lower MED from the same neighbour AS (9.1.2.2 c)"),
        EBGP_OVER_IBGP("eBGP over iBGP (9.1.2.2 d)"),
        ROUTER_ID("lower BGP identifier / ORIGINATOR_ID (9.1.2.2 f, RFC 4456 §9)"),
        CLUSTER_LIST_LENGTH("shorter CLUSTER_LIST (RFC 4456 §9)"),
        PEER_ADDRESS("lower peer address (9.1.2.2 g)"),
        PATH_ID("lower path id from the same peer");

        private final String description;

        Step(String description) {
            this.description = description;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    public record Result(Path best, Step decidedBy) { }

    private BestPath() {
    }

    /** Picks the best of {@code paths} (at least one). */
    public static Result select(List<Path> paths) {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no paths to choose from");
        }
        if (paths.size() == 1) {
            return new Result(paths.get(0), Step.ONLY_PATH);
        }
        List<Path> candidates = new ArrayList<>(paths);
        // RFC 9494 §4.3: LLGR-stale paths are chosen only when nothing else is left.
        Step decided = keepLowest(candidates, p -> p.llgrStale() ? 1 : 0) ? Step.NOT_LLGR_STALE : null;
        decided = round(candidates, decided, Step.LOCAL_PREF, p -> -p.localPref());
        decided = round(candidates, decided, Step.AS_PATH_LENGTH, Path::asPathLength);
        decided = round(candidates, decided, Step.ORIGIN, Path::originRank);
        if (candidates.size() > 1 && eliminateByMed(candidates)) {
            decided = Step.MED;
        }
        decided = round(candidates, decided, Step.EBGP_OVER_IBGP, p -> p.source().isEbgp() ? 0 : 1);
        decided = round(candidates, decided, Step.ROUTER_ID, p -> Integer.toUnsignedLong(p.routerId()));
        decided = round(candidates, decided, Step.CLUSTER_LIST_LENGTH, Path::clusterListLength);
        if (candidates.size() > 1) {
            Path lowest = candidates.get(0);
            for (Path p : candidates) {
                if (p.source().compareAddress(lowest.source()) < 0) {
                    lowest = p;
                }
            }
            Path chosen = lowest;
            if (candidates.removeIf(p -> p.source().compareAddress(chosen.source()) != 0)) {
                decided = Step.PEER_ADDRESS;
            }
        }
        // Several paths of one peer under ADD-PATH that tie on everything: the lower path id.
        decided = round(candidates, decided, Step.PATH_ID, p -> Integer.toUnsignedLong(p.receivedPathId()));
        return new Result(candidates.get(0), decided == null ? Step.PATH_ID : decided);
    }

    private static Step round(List<Path> candidates, Step decided, Step step, ToLongFunction<Path> key) {
        if (candidates.size() > 1 && keepLowest(candidates, key)) {
            return step;
        }
        return decided;
    }

    /** Keeps the paths with the lowest key; true if any was removed. */
    private static boolean keepLowest(List<Path> candidates, ToLongFunction<Path> key) {
        long min = Long.MAX_VALUE;
        for (Path p : candidates) {
            min = Math.min(min, key.applyAsLong(p));
        }
        long best = min;
        return candidates.removeIf(p -> key.applyAsLong(p) != best);
    }

    /**
     * RFC 4271 §9.1.2.2 (c): remove a path if another path from the same neighbouring AS has a lower
     * MED. We compare within the same neighbour AS only (the RFC's rule; no always-compare-med).
     */
    private static boolean eliminateByMed(List<Path> candidates) {
        List<Path> keep = new ArrayList<>(candidates.size());
        for (Path p : candidates) {
            boolean beaten = false;
            for (Path q : candidates) {
                if (q != p && q.neighborAs() == p.neighborAs() && q.med() < p.med()) {
                    beaten = true;
                    break;
                }
            }
            if (!beaten) {
                keep.add(p);
            }
        }
        boolean removed = keep.size() < candidates.size();
        candidates.clear();
        candidates.addAll(keep);
        return removed;
    }
}
