package io.routereflector.rib.decision;

import io.routereflector.rib.Path;
import io.routereflector.rib.PeerRole;
import io.routereflector.rib.RibPeer;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.ClusterList;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.MultiExitDisc;
import io.routereflector.wire.attribute.NextHop;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.OriginatorId;
import io.routereflector.wire.attribute.PathAttribute;
import io.routereflector.wire.attribute.PathAttributes;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** One test per step of RFC 4271 §9.1.2.2 and RFC 4456 §9: the winner and the step that decided. */
class BestPathTest {

    private static RibPeer peer(int n, PeerRole role) throws Exception {
        return new RibPeer(n, InetAddress.getByName("198.51.100." + n), 0x0A000000 + n, role == PeerRole.EBGP ? 65000 + n : 64512, role);
    }

    private static Path path(RibPeer from, PathAttribute... attributes) {
        PathAttributes all = PathAttributes.builder().add(Origin.IGP).add(AsPath.EMPTY).add(new NextHop(from.bgpIdentifier())).build();
        for (PathAttribute a : attributes) {
            all = all.with(a);
        }
        return new Path(from, 0, 0, all, false, false);
    }

    private static void decides(BestPath.Step step, Path winner, Path... others) {
        List<Path> all = new ArrayList<>(List.of(others));
        all.add(winner);
        for (int turn = 0; turn < all.size(); turn++) {
            Collections.rotate(all, 1);
            BestPath.Result r = BestPath.select(all);
            assertSame(winner, r.best(), "order must not matter");
            assertEquals(step, r.decidedBy());
        }
    }

    @Test
    void eachStep() throws Exception {
        RibPeer a = peer(1, PeerRole.CLIENT);
        RibPeer b = peer(2, PeerRole.CLIENT);
        RibPeer e = peer(3, PeerRole.EBGP);
        decides(BestPath.Step.ONLY_PATH, path(a));
        decides(BestPath.Step.LOCAL_PREF, path(b, new LocalPref(200)), path(a, new LocalPref(100)));
        decides(BestPath.Step.AS_PATH_LENGTH, path(b, AsPath.sequence(65001)), path(a, AsPath.sequence(65001, 65002)));
        decides(BestPath.Step.ORIGIN, path(b, Origin.IGP), path(a, Origin.INCOMPLETE));
        decides(BestPath.Step.MED, path(b, AsPath.sequence(65001), new MultiExitDisc(5)), path(a, AsPath.sequence(65001), new MultiExitDisc(10)));
        decides(BestPath.Step.EBGP_OVER_IBGP, path(e), path(a));
        decides(BestPath.Step.ROUTER_ID, path(b, new OriginatorId(1)), path(a, new OriginatorId(2)));
        decides(BestPath.Step.CLUSTER_LIST_LENGTH, path(b, new OriginatorId(7), new ClusterList(1)),
                path(a, new OriginatorId(7), new ClusterList(1, 2)));
        decides(BestPath.Step.PEER_ADDRESS, path(a, new OriginatorId(7)), path(b, new OriginatorId(7)));
    }

    @Test
    void medIsComparedOnlyWithinTheSameNeighbourAs() throws Exception {
        RibPeer a = peer(1, PeerRole.CLIENT);
        RibPeer b = peer(2, PeerRole.CLIENT);
        // Different neighbour AS: the higher MED is not eliminated; the router id decides.
        Path high = path(a, AsPath.sequence(65001), new MultiExitDisc(100));
        Path low = path(b, AsPath.sequence(65002), new MultiExitDisc(1));
        BestPath.Result r = BestPath.select(List.of(low, high));
        assertSame(high, r.best());
        assertEquals(BestPath.Step.ROUTER_ID, r.decidedBy());
    }

    @Test
    void longLivedStalePathsLoseToAnything() throws Exception {
        RibPeer a = peer(1, PeerRole.CLIENT);
        RibPeer b = peer(2, PeerRole.CLIENT);
        Path stale = path(a, new LocalPref(500)).asStale(true);
        Path fresh = path(b, new LocalPref(100));
        decides(BestPath.Step.NOT_LLGR_STALE, fresh, stale);
        Path grStale = path(a, new LocalPref(500)).asStale(false);
        decides(BestPath.Step.LOCAL_PREF, grStale, fresh);
    }

    /** The winner never depends on the order of the candidates. */
    @Property(tries = 300)
    void orderIndependent(@ForAll @IntRange(min = 1, max = 8) int n, @ForAll long seed) throws Exception {
        Random random = new Random(seed);
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RibPeer p = peer(i + 1, random.nextInt(4) == 0 ? PeerRole.EBGP : PeerRole.CLIENT);
            paths.add(path(p, new LocalPref(100 + random.nextInt(2)), new MultiExitDisc(random.nextInt(3)),
                    random.nextBoolean() ? AsPath.sequence(65001) : AsPath.sequence(65002, 1),
                    new OriginatorId(random.nextInt(3))));
        }
        Path first = BestPath.select(paths).best();
        for (int i = 0; i < 5; i++) {
            Collections.shuffle(paths, random);
            assertSame(first, BestPath.select(paths).best());
        }
    }
}
