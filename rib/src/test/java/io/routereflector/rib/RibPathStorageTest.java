package io.routereflector.rib;

import io.routereflector.rib.decision.BestPath;
import io.routereflector.rib.out.GroupKey;
import io.routereflector.wire.attribute.Communities;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;
import io.routereflector.wire.nlri.Nlri;
import io.routereflector.wire.nlri.NlriList;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.routereflector.rib.RibFixtures.calico;
import static io.routereflector.rib.RibFixtures.key;
import static io.routereflector.rib.RibFixtures.peer;
import static io.routereflector.rib.RibFixtures.rib;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A prefix with more paths than the common one or two (a peer sending several path ids, RFC 7911):
 * removal from the middle, re-announcement, graceful restart and the sweep keep the Loc-RIB entry,
 * the sender's Adj-RIB-In and an ADD-PATH client's view in step.
 */
class RibPathStorageTest {

    private static final IpPrefix PREFIX = IpPrefix.parse("10.7.0.0/26");
    private static final AddressFamily V4 = AddressFamily.IPV4_UNICAST;

    private final Rib rib = rib();
    private final RibPeer multi = peer(11, PeerRole.CLIENT);
    private final RibPeer single = peer(12, PeerRole.CLIENT);
    private final GroupKey senders = key(PeerRole.CLIENT, false);

    private static Update announce(PathAttributes attributes, int... pathIds) {
        List<Nlri> nlri = new ArrayList<>();
        for (int id : pathIds) {
            nlri.add(new Nlri(PREFIX, id));
        }
        return Update.announce(attributes, NlriList.of(V4, true, nlri));
    }

    private static Update withdraw(int pathId) {
        return Update.withdraw(NlriList.of(V4, true, List.of(new Nlri(PREFIX, pathId))));
    }

    /** (source peer id, received path id, local path id) of each path, in the entry's order. */
    private List<List<Integer>> paths() {
        List<List<Integer>> out = new ArrayList<>();
        for (Path p : rib.entry(PREFIX).paths()) {
            out.add(List.of(p.source().id(), p.receivedPathId(), p.localPathId()));
        }
        return out;
    }

    private List<Integer> advertisedIds(RecordingSink sink) {
        return sink.paths(PREFIX.toString()).stream().map(Nlri::pathId).sorted().toList();
    }

    @Test
    void manyPathsOfOnePrefixStayConsistentThroughRemovalRestartAndSweep() {
        rib.peerUp(multi, senders, new RecordingSink(senders.sendSettings()));
        rib.peerUp(single, senders, new RecordingSink(senders.sendSettings()));
        GroupKey addPath = key(PeerRole.CLIENT, true);
        RecordingSink client = new RecordingSink(addPath.sendSettings());
        rib.peerUp(peer(13, PeerRole.CLIENT), addPath, client);

        rib.update(multi, announce(calico(multi), 1, 2));
        rib.update(single, announce(calico(single), 0));
        rib.flush();
        assertEquals(List.of(List.of(11, 1, 1), List.of(11, 2, 2), List.of(12, 0, 3)), paths());
        assertEquals(List.of(1, 2, 3), advertisedIds(client));
        assertEquals(2, rib.receivedCount(multi));

        rib.update(multi, withdraw(2));
        rib.flush();
        assertEquals(List.of(List.of(11, 1, 1), List.of(12, 0, 3)), paths(), "the middle one gone, order kept");
        assertEquals(List.of(1, 3), advertisedIds(client));
        assertEquals(1, rib.receivedCount(multi));
        assertEquals(0, rib.peerStats().get(multi.key()).importWithdrawsIgnored());
        rib.update(multi, withdraw(2));
        assertEquals(1, rib.peerStats().get(multi.key()).importWithdrawsIgnored(), "a second withdrawal finds nothing");

        rib.update(multi, announce(calico(multi), 2));
        rib.flush();
        assertEquals(List.of(List.of(11, 1, 1), List.of(12, 0, 3), List.of(11, 2, 4)), paths(), "back with a new local id");
        assertEquals(List.of(1, 3, 4), advertisedIds(client));

        rib.peerDown(multi, Set.of(AddressFamily.IPV4_UNICAST));
        rib.flush();
        assertEquals(List.of(true, false, true), rib.entry(PREFIX).paths().stream().map(Path::stale).toList());
        assertEquals(List.of(1, 3, 4), advertisedIds(client), "stale paths are still advertised");
        assertEquals(2, rib.receivedCount(multi), "kept while it restarts");

        rib.peerUp(multi, senders, new RecordingSink(senders.sendSettings()));
        rib.update(multi, announce(calico(multi), 1));
        assertEquals(1, rib.sweepStale(multi, V4));
        rib.flush();
        assertEquals(List.of(List.of(11, 1, 1), List.of(12, 0, 3)), paths());
        assertFalse(rib.entry(PREFIX).paths().get(0).stale());
        assertEquals(List.of(1, 3), advertisedIds(client));
        assertEquals(1, rib.receivedCount(multi));
        assertEquals(1, rib.peerStats().get(multi.key()).imported());
        assertEquals(1, rib.peerStats().get(single.key()).imported());

        rib.peerDown(multi, Set.of());
        rib.flush();
        assertEquals(List.of(List.of(12, 0, 3)), paths());
        assertEquals(BestPath.Step.ONLY_PATH, rib.entry(PREFIX).decidedBy());
        assertEquals(List.of(3), advertisedIds(client));
        rib.update(single, Update.withdraw(NlriList.of(V4, true, List.of(new Nlri(PREFIX, 0)))));
        rib.flush();
        assertNull(rib.entry(PREFIX), "an entry without paths leaves the Loc-RIB");
        assertTrue(client.paths(PREFIX.toString()).isEmpty());
        assertEquals(0, rib.prefixCount(V4));
    }

    /**
     * RFC 7911 path ids are the sender's own choice and need not survive its restart (GoBGP numbers
     * them afresh). A restarted peer re-announcing a stale route under another id takes the stale
     * path's place: an ADD-PATH client sees nothing for an unchanged route, and only a changed one is
     * re-announced, under the same local id (RFC 4724 §4.2: only what changed is sent).
     */
    @Test
    void aRestartedPeerRenumberingItsPathIdsChangesNothingAClientSees() {
        rib.peerUp(multi, senders, new RecordingSink(senders.sendSettings()));
        GroupKey addPath = key(PeerRole.CLIENT, true);
        RecordingSink client = new RecordingSink(addPath.sendSettings());
        rib.peerUp(peer(13, PeerRole.CLIENT), addPath, client);
        PathAttributes plain = calico(multi);
        PathAttributes tagged = calico(multi, new Communities(new int[] {7}));
        rib.update(multi, announce(plain, 1));
        rib.update(multi, announce(tagged, 2));
        rib.flush();
        int updatesBefore = client.updates.size();

        rib.peerDown(multi, Set.of(V4));
        rib.flush();
        rib.peerUp(multi, senders, new RecordingSink(senders.sendSettings()));
        rib.update(multi, announce(tagged, 5)); // the same route as its old id 2, renumbered
        rib.update(multi, announce(plain, 6)); // the same as its old id 1
        assertEquals(0, rib.sweepStale(multi, V4), "both stale paths were taken over");
        rib.flush();
        assertEquals(updatesBefore, client.updates.size(), "nothing sent for routes that did not change");
        assertEquals(List.of(List.of(11, 6, 1), List.of(11, 5, 2)), paths(), "each takes the local id of its twin");
        assertEquals(2, rib.receivedCount(multi));

        rib.peerDown(multi, Set.of(V4));
        rib.peerUp(multi, senders, new RecordingSink(senders.sendSettings()));
        rib.update(multi, announce(calico(multi, new Communities(new int[] {8})), 9));
        assertEquals(1, rib.sweepStale(multi, V4));
        rib.flush();
        assertEquals(List.of(1), advertisedIds(client), "the changed route replaced a stale one under its id");
        assertTrue(client.route(PREFIX, 1).attributes().communities().contains(8), "and was re-announced");
        assertEquals(1, rib.receivedCount(multi));
    }
}
