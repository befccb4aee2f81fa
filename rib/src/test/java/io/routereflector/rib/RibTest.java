package io.routereflector.rib;

import io.routereflector.rib.out.GroupKey;
import io.routereflector.rib.out.UpdateGroup;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.attribute.ClusterList;
import io.routereflector.wire.attribute.Communities;
import io.routereflector.wire.attribute.LargeCommunities;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.OriginatorId;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.attribute.UnknownAttribute;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;
import io.routereflector.wire.nlri.Ipv4Prefix;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.routereflector.rib.RibFixtures.AS;
import static io.routereflector.rib.RibFixtures.CLUSTER_ID;
import static io.routereflector.rib.RibFixtures.ROUTER_ID;
import static io.routereflector.rib.RibFixtures.announce;
import static io.routereflector.rib.RibFixtures.calico;
import static io.routereflector.rib.RibFixtures.key;
import static io.routereflector.rib.RibFixtures.peer;
import static io.routereflector.rib.RibFixtures.rib;
import static io.routereflector.rib.RibFixtures.withdraw;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reflection through the RIB, observed as the receiving peers would see the bytes. */
class RibTest {

    private final Rib rib = rib();

    private RecordingSink up(RibPeer peer, GroupKey key) {
        RecordingSink sink = new RecordingSink(key.sendSettings());
        rib.peerUp(peer, key, sink);
        return sink;
    }

    @Test
    void aClientRouteReachesEveryOtherClientWithOriginatorAndClusterList() {
        RibPeer c1 = peer(11, PeerRole.CLIENT);
        RibPeer c2 = peer(12, PeerRole.CLIENT);
        RibPeer c3 = peer(13, PeerRole.CLIENT);
        RecordingSink s1 = up(c1, key(PeerRole.CLIENT, false));
        RecordingSink s2 = up(c2, key(PeerRole.CLIENT, false));
        RecordingSink s3 = up(c3, key(PeerRole.CLIENT, false));
        rib.flush();
        assertEquals(List.of(AddressFamily.IPV4_UNICAST), s1.endOfRib, "End-of-RIB after the (empty) initial transfer");

        PathAttributes sent = calico(c1, new Communities(Communities.of(64512, 100)), new LargeCommunities(64512, 1, 2));
        rib.update(c1, announce(sent, "10.1.0.0/26", "10.1.0.64/26"));
        rib.flush();

        for (RecordingSink s : List.of(s2, s3)) {
            Update u = s.route("10.1.0.0/26");
            assertNotNull(u, "reflected to the other clients");
            PathAttributes got = u.attributes();
            assertEquals(new OriginatorId(c1.bgpIdentifier()), got.originatorId(), "ORIGINATOR_ID = announcer's router id");
            assertArrayEquals(new int[] {CLUSTER_ID}, got.clusterList().ids(), "CLUSTER_LIST = [our cluster id]");
            assertEquals(sent.nextHop(), got.nextHop(), "NEXT_HOP unchanged");
            assertEquals(sent.communities(), got.communities());
            assertEquals(sent.largeCommunities(), got.largeCommunities());
            assertNotNull(s.route("10.1.0.64/26"));
        }
        assertTrue(s1.table.isEmpty(), "never back to the peer it came from");
        assertEquals(1, s2.updates.size(), "both prefixes share one UPDATE (same attribute set)");
    }

    @Test
    void withdrawalsAndAttributeChangesPropagate() {
        RibPeer c1 = peer(11, PeerRole.CLIENT);
        RibPeer c2 = peer(12, PeerRole.CLIENT);
        up(c1, key(PeerRole.CLIENT, false));
        RecordingSink s2 = up(c2, key(PeerRole.CLIENT, false));
        rib.update(c1, announce(calico(c1), "10.1.0.0/26"));
        rib.flush();
        rib.update(c1, announce(calico(c1, new Communities(Communities.NO_EXPORT)), "10.1.0.0/26"));
        rib.flush();
        assertTrue(s2.route("10.1.0.0/26").attributes().communities().contains(Communities.NO_EXPORT));
        rib.update(c1, withdraw("10.1.0.0/26"));
        rib.flush();
        assertNull(s2.route("10.1.0.0/26"));
        assertEquals(0, rib.prefixCount(AddressFamily.IPV4_UNICAST));
    }

    @Test
    void afiSafiDisableWithdrawsThePeersRoutesOfTheFamilyAndIgnoresItUntilTheNextSession() {
        RibPeer c1 = peer(11, PeerRole.CLIENT);
        RibPeer c2 = peer(12, PeerRole.CLIENT);
        up(c1, key(PeerRole.CLIENT, false));
        RecordingSink s2 = up(c2, key(PeerRole.CLIENT, false));
        rib.update(c1, announce(calico(c1), "10.1.0.0/26", "10.1.0.64/26"));
        rib.flush();
        assertNotNull(s2.route("10.1.0.64/26"));
        // RFC 4760 §7: an unusable MP_REACH_NLRI of IPv4 unicast (the decoder's verdict, as a value).
        Update broken = new Update(withdraw().withdrawn(), PathAttributes.EMPTY, withdraw().nlri(),
                List.of(io.routereflector.wire.attribute.AttributeProblem.disable(14, AddressFamily.IPV4_UNICAST, "test")));
        rib.update(c1, broken);
        rib.flush();
        assertNull(s2.route("10.1.0.0/26"));
        assertNull(s2.route("10.1.0.64/26"));
        assertTrue(rib.isDisabled(c1, AddressFamily.IPV4_UNICAST));
        rib.update(c1, announce(calico(c1), "10.1.1.0/26"));
        rib.flush();
        assertNull(s2.route("10.1.1.0/26"), "a route of a disabled family was imported");
        assertEquals(1, rib.peerStats().get(c1.key()).importUpdatesIgnored());
        up(c1, key(PeerRole.CLIENT, false));   // a new session
        rib.update(c1, announce(calico(c1), "10.1.1.0/26"));
        rib.flush();
        assertNotNull(s2.route("10.1.1.0/26"));
    }

    @Test
    void nonClientRoutesGoToClientsOnly_clientRoutesToEveryone() {
        RibPeer mesh1 = peer(2, PeerRole.NON_CLIENT);
        RibPeer mesh2 = peer(3, PeerRole.NON_CLIENT);
        RibPeer client = peer(11, PeerRole.CLIENT);
        RecordingSink m1 = up(mesh1, key(PeerRole.NON_CLIENT, false));
        RecordingSink m2 = up(mesh2, key(PeerRole.NON_CLIENT, false));
        RecordingSink c = up(client, key(PeerRole.CLIENT, false));
        rib.update(mesh1, announce(calico(mesh1), "10.2.0.0/26"));
        rib.update(client, announce(calico(client), "10.11.0.0/26"));
        rib.flush();
        assertNotNull(c.route("10.2.0.0/26"), "non-client → client");
        assertNull(m2.route("10.2.0.0/26"), "non-client → non-client is not reflected (RFC 4456 §6)");
        assertNotNull(m1.route("10.11.0.0/26"), "client → non-client");
        assertNotNull(m2.route("10.11.0.0/26"), "client → non-client");
    }

    @Test
    void routesCarryingOurClusterIdOrRouterIdAreDroppedAndWithdrawWhatTheyReplaced() {
        RibPeer mesh = peer(2, PeerRole.NON_CLIENT);
        RibPeer client = peer(11, PeerRole.CLIENT);
        up(mesh, key(PeerRole.NON_CLIENT, false));
        RecordingSink c = up(client, key(PeerRole.CLIENT, false));
        rib.update(mesh, announce(calico(mesh), "10.2.0.0/26", "10.3.0.0/26"));
        rib.flush();
        assertNotNull(c.route("10.2.0.0/26"));
        // The same prefixes come back around the mesh: with our cluster id, and with our router id.
        rib.update(mesh, announce(calico(mesh, new ClusterList(0x0A0A0A0A, CLUSTER_ID)), "10.2.0.0/26"));
        rib.update(mesh, announce(calico(mesh, new OriginatorId(ROUTER_ID)), "10.3.0.0/26"));
        rib.flush();
        assertNull(c.route("10.2.0.0/26"), "CLUSTER_LIST loop: withdrawn");
        assertNull(c.route("10.3.0.0/26"), "ORIGINATOR_ID loop: withdrawn");
        assertEquals(0, rib.receivedCount(mesh));
    }

    @Test
    void addPathClientsGetEveryPathButTheirOwn() {
        RibPeer c1 = peer(11, PeerRole.CLIENT);
        RibPeer c2 = peer(12, PeerRole.CLIENT);
        RibPeer c3 = peer(13, PeerRole.CLIENT);
        RecordingSink s1 = up(c1, key(PeerRole.CLIENT, true));
        RecordingSink s2 = up(c2, key(PeerRole.CLIENT, true));
        RecordingSink s3 = up(c3, key(PeerRole.CLIENT, true));
        // An anycast-ish prefix announced by two nodes.
        rib.update(c1, announce(calico(c1), "10.9.0.0/26"));
        rib.update(c2, announce(calico(c2), "10.9.0.0/26"));
        rib.flush();
        assertEquals(2, s3.paths("10.9.0.0/26").size(), "both paths with distinct path ids");
        assertEquals(1, s1.paths("10.9.0.0/26").size(), "c1 gets c2's path only");
        assertEquals(c2.bgpIdentifier(), s1.table.values().iterator().next().attributes().originatorId().routerId());
        assertEquals(1, s2.paths("10.9.0.0/26").size());
        rib.update(c1, withdraw("10.9.0.0/26"));
        rib.flush();
        assertEquals(1, s3.paths("10.9.0.0/26").size(), "c1's path id withdrawn, c2's stays");
        assertEquals(c2.bgpIdentifier(), s3.route(IpPrefix.parse("10.9.0.0/26"), s3.paths("10.9.0.0/26").get(0).pathId())
                .attributes().originatorId().routerId());
    }

    @Test
    void withoutAddPathTheSourceOfANewBestLosesTheOldOne() {
        RibPeer c1 = peer(11, PeerRole.CLIENT);
        RibPeer c2 = peer(12, PeerRole.CLIENT);
        RecordingSink s1 = up(c1, key(PeerRole.CLIENT, false));
        RecordingSink s2 = up(c2, key(PeerRole.CLIENT, false));
        rib.update(c2, announce(calico(c2), "10.9.0.0/26"));
        rib.flush();
        assertNotNull(s1.route("10.9.0.0/26"), "c1 holds c2's path");
        // c1 announces the same prefix with a higher LOCAL_PREF: its own path becomes best.
        rib.update(c1, announce(calico(c1).with(new LocalPref(200)), "10.9.0.0/26"));
        rib.flush();
        assertNull(s1.route("10.9.0.0/26"), "c1 must not keep c2's path, nor get its own back");
        assertEquals(c1.bgpIdentifier(), s2.route("10.9.0.0/26").attributes().originatorId().routerId());
    }

    @Test
    void aSlowMemberFallsBehindAloneAndCatchesUpWithTheLatestStateOnly() {
        RibPeer c1 = peer(11, PeerRole.CLIENT);
        RibPeer fast = peer(12, PeerRole.CLIENT);
        RibPeer slow = peer(13, PeerRole.CLIENT);
        up(c1, key(PeerRole.CLIENT, false));
        RecordingSink f = up(fast, key(PeerRole.CLIENT, false));
        RecordingSink s = up(slow, key(PeerRole.CLIENT, false));
        rib.flush();
        s.writable = false;
        for (int i = 0; i < 50; i++) {
            // Churn on one prefix: announce with a changing community, then withdraw, 50 times.
            rib.update(c1, announce(calico(c1, new Communities(i)), "10.1.0.0/26", "10.1.0.64/26"));
            rib.flush();
            rib.update(c1, withdraw("10.1.0.64/26"));
            rib.flush();
        }
        assertEquals(100, f.updates.size(), "the fast member got every change");
        assertTrue(s.updates.isEmpty(), "nothing written to the slow one");
        assertEquals(2, rib.member(slow).backlog(), "backlog bounded by prefixes, not by churn");
        s.writable = true;
        rib.writable(slow);
        assertEquals(1, s.updates.size(), "one coalesced UPDATE with the latest state");
        assertEquals(new Communities(49), s.route("10.1.0.0/26").attributes().communities());
        assertNull(s.route("10.1.0.64/26"));
        assertFalse(rib.member(slow).isBehind());
    }

    /**
     * The initial transfer is the group's shared dump: written whole (its bytes are shared with every
     * other joiner, so a full channel costs no copy), then End-of-RIB. Changes that come while the
     * joiner's channel is full make it fall behind alone, and it catches up with the latest state.
     */
    @Test
    void aSlowJoinerGetsTheWholeDumpThenCatchesUpOnLaterChanges() {
        RibPeer c1 = peer(11, PeerRole.CLIENT);
        RibPeer joiner = peer(13, PeerRole.CLIENT);
        up(c1, key(PeerRole.CLIENT, false));
        String[] blocks = new String[5000];
        for (int i = 0; i < blocks.length; i++) {
            int a = Ipv4Prefix.parseAddress("10.0.0.0") + i * 64;
            blocks[i] = (a >>> 24) + "." + (a >>> 16 & 0xFF) + "." + (a >>> 8 & 0xFF) + "." + (a & 0xFF) + "/26";
        }
        rib.update(c1, announce(calico(c1), blocks));
        rib.flush();

        RecordingSink s = new RecordingSink(key(PeerRole.CLIENT, false).sendSettings());
        s.writesBeforeFull = 1; // full after the first message
        rib.peerUp(joiner, key(PeerRole.CLIENT, false), s);
        rib.flush();
        assertEquals(blocks.length, s.table.size(), "the dump is written whole");
        assertEquals(List.of(AddressFamily.IPV4_UNICAST), s.endOfRib, "End-of-RIB right after the dump");
        assertFalse(s.isWritable(), "the channel is full now");
        // Changes while it is full: a withdrawal, an attribute change, a new prefix.
        rib.update(c1, withdraw(blocks[0]));
        rib.update(c1, announce(calico(c1, new Communities(7)), blocks[blocks.length - 1]));
        rib.update(c1, announce(calico(c1), "10.200.0.0/26"));
        rib.flush();
        assertTrue(rib.member(joiner).isBehind());
        assertEquals(3, rib.member(joiner).backlog(), "one entry per changed prefix");
        assertEquals(blocks.length, s.table.size(), "nothing written while full");

        s.writesBeforeFull = Integer.MAX_VALUE;
        s.writable = true;
        rib.writable(joiner);
        assertFalse(rib.member(joiner).isBehind());
        assertEquals(blocks.length, s.table.size(), "4999 of the first announcement and the new one");
        assertNull(s.route(blocks[0]), "the withdrawal");
        assertEquals(new Communities(7), s.route(blocks[blocks.length - 1]).attributes().communities());
        assertNotNull(s.route("10.200.0.0/26"));
        assertEquals(List.of(AddressFamily.IPV4_UNICAST), s.endOfRib, "still one End-of-RIB");
    }

    /** Many peers joining in one flush share one encoding of the table. */
    @Test
    void joinersOfOneFlushShareOneEncodingOfTheTable() {
        RibPeer c1 = peer(11, PeerRole.CLIENT);
        up(c1, key(PeerRole.CLIENT, true));
        rib.update(c1, announce(calico(c1), "10.1.0.0/26", "10.1.0.64/26"));
        rib.flush();
        UpdateGroup group = rib.groups().iterator().next();
        long before = group.encodedMessages();
        List<RecordingSink> sinks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sinks.add(up(peer(20 + i, PeerRole.CLIENT), key(PeerRole.CLIENT, true)));
        }
        rib.flush();
        assertEquals(1, group.encodedMessages() - before, "one UPDATE for the table, shared by all 50");
        for (RecordingSink s : sinks) {
            assertEquals(2, s.table.size());
            assertEquals(List.of(AddressFamily.IPV4_UNICAST), s.endOfRib);
        }
    }

    @Test
    void gracefulRestartKeepsStalePathsUntilEndOfRib() {
        RibPeer c1 = peer(11, PeerRole.CLIENT);
        RibPeer c2 = peer(12, PeerRole.CLIENT);
        up(c1, key(PeerRole.CLIENT, false));
        RecordingSink s2 = up(c2, key(PeerRole.CLIENT, false));
        rib.update(c1, announce(calico(c1), "10.1.0.0/26", "10.1.0.64/26"));
        rib.flush();
        rib.peerDown(c1, Set.of(AddressFamily.IPV4_UNICAST));
        rib.flush();
        assertNotNull(s2.route("10.1.0.0/26"), "stale routes stay while the peer restarts");
        assertTrue(rib.entry(IpPrefix.parse("10.1.0.0/26")).best().stale());
        // It comes back and re-announces one of the two before End-of-RIB.
        up(c1, key(PeerRole.CLIENT, false));
        rib.update(c1, announce(calico(c1), "10.1.0.0/26"));
        assertEquals(1, rib.sweepStale(c1, AddressFamily.IPV4_UNICAST));
        rib.flush();
        assertNotNull(s2.route("10.1.0.0/26"));
        assertFalse(rib.entry(IpPrefix.parse("10.1.0.0/26")).best().stale());
        assertNull(s2.route("10.1.0.64/26"), "not re-announced before End-of-RIB: gone");
    }

    @Test
    void longLivedStaleRoutesAreTaggedLeastPreferredAndOnlyForLlgrPeers() {
        RibPeer gone = peer(11, PeerRole.CLIENT);
        RibPeer other = peer(12, PeerRole.CLIENT);
        RibPeer llgrPeer = peer(13, PeerRole.CLIENT);
        RibPeer plainPeer = peer(14, PeerRole.CLIENT);
        up(gone, key(PeerRole.CLIENT, false));
        up(other, key(PeerRole.CLIENT, false));
        RecordingSink llgr = up(llgrPeer, key(PeerRole.CLIENT, false).withLongLivedGracefulRestart(true));
        RecordingSink plain = up(plainPeer, key(PeerRole.CLIENT, false));
        rib.update(gone, announce(calico(gone), "10.1.0.0/26"));
        rib.update(gone, announce(calico(gone, new Communities(Rib.NO_LLGR)), "10.1.0.64/26"));
        rib.update(other, announce(calico(other).with(new LocalPref(50)), "10.1.0.128/26"));
        rib.update(gone, announce(calico(gone).with(new LocalPref(500)), "10.1.0.128/26"));
        rib.flush();
        rib.peerDown(gone, Set.of(AddressFamily.IPV4_UNICAST));
        rib.flush();
        assertEquals(2, rib.toLongLivedStale(gone, AddressFamily.IPV4_UNICAST), "two kept; the NO_LLGR one is not");
        rib.flush();

        Update tagged = llgr.route("10.1.0.0/26");
        assertNotNull(tagged, "an LLGR peer keeps the long-lived stale route");
        assertTrue(tagged.attributes().communities().contains(Rib.LLGR_STALE), "tagged LLGR_STALE (RFC 9494 §4.2)");
        assertNull(plain.route("10.1.0.0/26"), "a peer without LLGR gets it withdrawn");
        assertNull(llgr.route("10.1.0.64/26"), "NO_LLGR: removed");
        assertEquals(other.bgpIdentifier(), rib.entry(IpPrefix.parse("10.1.0.128/26")).best().source().bgpIdentifier(),
                "a long-lived stale path loses even to a lower LOCAL_PREF");
        assertEquals(2, rib.sweepStale(gone, AddressFamily.IPV4_UNICAST));
        rib.flush();
        assertNull(llgr.route("10.1.0.0/26"), "gone when the stale time runs out");
    }

    @Test
    void peerDownWithoutGracefulRestartWithdrawsAtOnce() {
        RibPeer c1 = peer(11, PeerRole.CLIENT);
        RibPeer c2 = peer(12, PeerRole.CLIENT);
        up(c1, key(PeerRole.CLIENT, false));
        RecordingSink s2 = up(c2, key(PeerRole.CLIENT, false));
        rib.update(c1, announce(calico(c1), "10.1.0.0/26"));
        rib.flush();
        rib.peerDown(c1, Set.of());
        rib.flush();
        assertNull(s2.route("10.1.0.0/26"));
        assertEquals(1, rib.groups().size(), "c1's membership is gone");
    }

    @Test
    void aLateJoinerGetsTheTableThenEndOfRib() {
        RibPeer c1 = peer(11, PeerRole.CLIENT);
        up(c1, key(PeerRole.CLIENT, true));
        rib.update(c1, announce(calico(c1), "10.1.0.0/26", "10.1.0.64/26"));
        rib.flush();
        RibPeer late = peer(12, PeerRole.CLIENT);
        RecordingSink s = up(late, key(PeerRole.CLIENT, true));
        rib.flush();
        assertEquals(2, s.table.size());
        assertEquals(List.of(AddressFamily.IPV4_UNICAST), s.endOfRib);
        assertEquals(1, s.updates.size());
    }

    @Test
    void routeRefreshResendsTheAdjRibOut() {
        RibPeer c1 = peer(11, PeerRole.CLIENT);
        RibPeer c2 = peer(12, PeerRole.CLIENT);
        up(c1, key(PeerRole.CLIENT, false));
        RecordingSink s2 = up(c2, key(PeerRole.CLIENT, false));
        rib.update(c1, announce(calico(c1), "10.1.0.0/26"));
        rib.flush();
        int before = s2.updates.size();
        rib.refresh(c2, AddressFamily.IPV4_UNICAST, false);
        rib.flush();
        assertEquals(before + 1, s2.updates.size());
        assertEquals(0, s2.refreshMarkers.size(), "no BoRR/EoRR without enhanced route refresh");

        rib.refresh(c2, AddressFamily.IPV4_UNICAST, true);
        rib.flush();
        assertEquals(before + 2, s2.updates.size());
        assertEquals(List.of("BoRR", "EoRR"), s2.refreshMarkers, "RFC 7313 §4: the re-advertisement is bracketed");
        assertEquals(2, s2.refreshMarkerPositions.get(1) - s2.refreshMarkerPositions.get(0),
                "BoRR, then the one UPDATE, then EoRR");
    }

    @Test
    void unknownOptionalTransitiveAttributesPassWithPartialSet() {
        RibPeer c1 = peer(11, PeerRole.CLIENT);
        RibPeer c2 = peer(12, PeerRole.CLIENT);
        up(c1, key(PeerRole.CLIENT, false));
        RecordingSink s2 = up(c2, key(PeerRole.CLIENT, false));
        UnknownAttribute otc = new UnknownAttribute(0xC0, 35, new byte[] {0, 0, (byte) 0xFC, 0});
        UnknownAttribute nonTransitive = new UnknownAttribute(0x80, 99, new byte[] {1});
        rib.update(c1, announce(calico(c1, otc, nonTransitive), "10.1.0.0/26"));
        rib.flush();
        PathAttributes got = s2.route("10.1.0.0/26").attributes();
        UnknownAttribute passed = (UnknownAttribute) got.get(35);
        assertArrayEquals(otc.value(), passed.value(), "value byte-exact");
        assertEquals(0xE0, passed.flags(), "Partial set (RFC 4271 §5)");
        assertNull(got.get(99), "unknown non-transitive dropped");
    }

    @Test
    void noAdvertiseStaysHere() {
        RibPeer c1 = peer(11, PeerRole.CLIENT);
        RibPeer c2 = peer(12, PeerRole.CLIENT);
        up(c1, key(PeerRole.CLIENT, false));
        RecordingSink s2 = up(c2, key(PeerRole.CLIENT, false));
        rib.update(c1, announce(calico(c1, new Communities(Communities.NO_ADVERTISE)), "10.1.0.0/26"));
        rib.flush();
        assertNull(s2.route("10.1.0.0/26"));
        assertNotNull(rib.entry(IpPrefix.parse("10.1.0.0/26")), "kept in the Loc-RIB");
    }

    @Test
    void treatAsWithdrawRemovesThePrefixes() {
        RibPeer c1 = peer(11, PeerRole.CLIENT);
        up(c1, key(PeerRole.CLIENT, false));
        rib.update(c1, announce(calico(c1), "10.1.0.0/26"));
        Update broken = new Update(RibFixtures.nlri(), calico(c1), RibFixtures.nlri("10.1.0.0/26"),
                List.of(new io.routereflector.wire.attribute.AttributeProblem(1,
                        io.routereflector.wire.attribute.Rfc7606Action.TREAT_AS_WITHDRAW, null, "test")));
        rib.update(c1, broken);
        rib.flush();
        assertNull(rib.entry(IpPrefix.parse("10.1.0.0/26")));
    }

    /** 200 clients in one group: a change is encoded once per distinct source, not once per member. */
    @Test
    void updateGroupsEncodeOncePerChangeNotPerPeer() {
        List<RibPeer> peers = new ArrayList<>();
        List<RecordingSink> sinks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            RibPeer p = new RibPeer(i + 1, peer(1, PeerRole.CLIENT).address(), 0x0A000000 + i + 1, AS, PeerRole.CLIENT);
            peers.add(p);
            sinks.add(up(p, key(PeerRole.CLIENT, true)));
        }
        rib.flush();
        UpdateGroup group = rib.groups().iterator().next();
        assertEquals(200, group.members().size(), "one group for all");
        long before = group.encodedMessages();
        for (int i = 0; i < 200; i++) {
            rib.update(peers.get(i), announce(calico(peers.get(i)), "10." + (i / 250) + "." + (i % 250) + ".0/26"));
        }
        rib.flush();
        assertEquals(200, group.encodedPartitions(), "one partition per source");
        assertEquals(200, group.encodedMessages() - before, "one UPDATE encoded per source, shared by 199 members");
        for (RecordingSink s : sinks) {
            assertEquals(199, s.table.size(), "every client has every other client's route");
        }
        assertEquals(200, rib.internedAttributeSets(), "one attribute set per node (next hop differs)");
        assertEquals(WireSettings.class, sinks.get(0).settings.getClass());
        assertEquals(Set.of(AddressFamily.IPV4_UNICAST), group.key().addPathSend());
    }
}
