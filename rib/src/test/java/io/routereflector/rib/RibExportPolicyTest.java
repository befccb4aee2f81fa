package io.routereflector.rib;

import io.routereflector.rib.out.GroupKey;
import io.routereflector.rib.policy.CommunityTag;
import io.routereflector.rib.policy.ExportPolicy;
import io.routereflector.rib.policy.FilterRule;
import io.routereflector.rib.policy.PolicyCidr;
import io.routereflector.wire.attribute.Communities;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.routereflector.rib.RibFixtures.announce;
import static io.routereflector.rib.RibFixtures.calico;
import static io.routereflector.rib.RibFixtures.key;
import static io.routereflector.rib.RibFixtures.peer;
import static io.routereflector.rib.RibFixtures.rib;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The export policy in the update groups: what each peer is sent, shared encodings, and a change without a reset. */
class RibExportPolicyTest {

    private static final ExportPolicy POOLS = new ExportPolicy(true,
            List.of(new PolicyCidr(IpPrefix.parse("10.64.0.0/16"), "IPPool pods")), List.of(),
            List.of(new PolicyCidr(IpPrefix.parse("10.96.0.0/12"), "serviceClusterIPs")), List.of(), List.of());

    private static final FilterRule NO_TEN_64_9 = new FilterRule("no-64-9", AddressFamily.IPV4_UNICAST,
            IpPrefix.parse("10.64.9.0/24"), FilterRule.MatchOperator.IN, -1, -1, false, null, false);

    @Test
    void defaultRouteAndOutOfPoolPrefixReachNoPeerPoolsAndServicesReachAll() {
        Rib rib = rib();
        RibPeer tor = peer(2, PeerRole.CLIENT);
        RibPeer nodeA = peer(3, PeerRole.CLIENT);
        RibPeer nodeB = peer(4, PeerRole.CLIENT);
        GroupKey k = key(PeerRole.CLIENT, false).withExportPolicy(POOLS);
        RecordingSink torSink = new RecordingSink(k.sendSettings());
        RecordingSink aSink = new RecordingSink(k.sendSettings());
        RecordingSink bSink = new RecordingSink(k.sendSettings());
        rib.peerUp(tor, k, torSink);
        rib.peerUp(nodeA, k, aSink);
        rib.peerUp(nodeB, k.withExportPolicy(POOLS.withFilters(List.of(NO_TEN_64_9))), bSink);
        rib.update(tor, announce(calico(tor), "0.0.0.0/0", "192.0.2.0/24"));
        rib.update(nodeA, announce(calico(nodeA), "10.64.9.0/26", "10.96.0.0/12"));
        rib.flush();
        assertNull(aSink.route("0.0.0.0/0"));
        assertNull(aSink.route("192.0.2.0/24"));
        assertNull(bSink.route("0.0.0.0/0"));
        assertNotNull(torSink.route("10.64.9.0/26"));
        assertNotNull(torSink.route("10.96.0.0/12"));
        assertNotNull(bSink.route("10.96.0.0/12"));
        // the BGPFilter of B's peering withholds the block from B alone
        assertNull(bSink.route("10.64.9.0/26"));
        // the ToR and A share a policy: one group; B has its own
        assertSame(rib.member(tor).group(), rib.member(nodeA).group());
        assertEquals(2, rib.groups().size());
    }

    @Test
    void aPolicyChangeWithdrawsAndAnnouncesWithoutANewSession() {
        Rib rib = rib();
        RibPeer tor = peer(2, PeerRole.CLIENT);
        RibPeer node = peer(3, PeerRole.CLIENT);
        GroupKey k = key(PeerRole.CLIENT, true);
        RecordingSink torSink = new RecordingSink(k.sendSettings());
        RecordingSink nodeSink = new RecordingSink(k.sendSettings());
        rib.peerUp(tor, k, torSink);
        rib.peerUp(node, k, nodeSink);
        rib.update(tor, announce(calico(tor), "0.0.0.0/0"));
        rib.update(tor, announce(calico(tor), "10.64.1.0/26"));
        rib.flush();
        // no IPPool known: everything, as the old image did
        assertEquals(1, nodeSink.paths("0.0.0.0/0").size());
        int eorBefore = nodeSink.endOfRib.size();

        assertTrue(rib.changeExportPolicy(node, POOLS));
        rib.flush();
        assertEquals(0, nodeSink.paths("0.0.0.0/0").size(), "what the new policy rejects is withdrawn");
        assertEquals(1, nodeSink.paths("10.64.1.0/26").size());
        assertEquals(eorBefore, nodeSink.endOfRib.size(), "no new session: no second End-of-RIB");

        assertTrue(rib.changeExportPolicy(node, ExportPolicy.ALL));
        rib.flush();
        assertEquals(1, nodeSink.paths("0.0.0.0/0").size(), "what it accepts again is announced");
        assertEquals(false, rib.changeExportPolicy(node, ExportPolicy.ALL));
    }

    @Test
    void prefixAdvertisementCommunitiesAreAddedAndReannouncedWhenTheyChange() {
        Rib rib = rib();
        RibPeer tor = peer(2, PeerRole.CLIENT);
        RibPeer node = peer(3, PeerRole.CLIENT);
        GroupKey k = key(PeerRole.CLIENT, false).withExportPolicy(POOLS);
        RecordingSink torSink = new RecordingSink(k.sendSettings());
        rib.peerUp(tor, k, torSink);
        rib.peerUp(node, k, new RecordingSink(k.sendSettings()));
        rib.update(node, announce(calico(node), "10.64.1.0/26"));
        rib.flush();
        assertNull(torSink.route("10.64.1.0/26").attributes().communities());
        int community = Communities.of(65000, 100);
        ExportPolicy tagged = new ExportPolicy(true, POOLS.pools(), POOLS.noExportPools(), POOLS.services(), List.of(),
                List.of(new CommunityTag(IpPrefix.parse("10.64.0.0/16"), new int[] {community}, new int[0])));
        assertTrue(rib.changeExportPolicy(tor, tagged));
        rib.flush();
        assertArrayEquals(new int[] {community}, torSink.route("10.64.1.0/26").attributes().communities().values());
        assertEquals(Set.of(AddressFamily.IPV4_UNICAST), rib.member(tor).group().key().families());
    }

    @Test
    void importRulesDropWhatTheyRejectFromThatPeerOnly() {
        Rib rib = rib();
        RibPeer tor = peer(2, PeerRole.CLIENT);
        RibPeer node = peer(3, PeerRole.CLIENT);
        GroupKey k = key(PeerRole.CLIENT, false);
        RecordingSink nodeSink = new RecordingSink(k.sendSettings());
        // bird.cfg.template: the peer's import functions, then "accept"
        rib.peerUp(tor, k, new RecordingSink(k.sendSettings()), new io.routereflector.rib.policy.ImportFilter(List.of(
                new FilterRule("tor-in", AddressFamily.IPV4_UNICAST, IpPrefix.parse("0.0.0.0/0"), FilterRule.MatchOperator.EQUAL,
                        -1, -1, false, null, false))));
        rib.peerUp(node, k, nodeSink);
        rib.update(tor, announce(calico(tor), "0.0.0.0/0", "192.0.2.0/24"));
        rib.flush();
        assertNull(rib.entry(IpPrefix.parse("0.0.0.0/0")));
        assertNotNull(nodeSink.route("192.0.2.0/24"));
        assertEquals(1, rib.peerStats().get(tor.key()).importUpdatesRejected());
    }
}
