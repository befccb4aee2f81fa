package io.routereflector.interop;

import io.netty.channel.EventLoopGroup;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.session.Transport;
import io.routereflector.rib.Path;
import io.routereflector.speaker.SimSpeaker;
import io.routereflector.testbed.Await;
import io.routereflector.wire.attribute.As4Path;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.ClusterList;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.OriginatorId;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;
import io.routereflector.wire.nlri.Ipv4Prefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What crosses the AS border is cleaned at the border (RFC 4271 §5.1.5, RFC 7606 §7.5, §7.9, §7.10):
 * a top-of-rack router in another AS sending LOCAL_PREF, ORIGINATOR_ID and CLUSTER_LIST, seen by a
 * raw speaker of ours as the iBGP client of an in-JVM reflector, on loopback (127.0.0.4x).
 */
@Timeout(120)
class AsBorderIT {

    static final Duration UP = Duration.ofSeconds(30);
    static final String RR = "127.0.0.1";
    static final String TOR = "127.0.0.41";
    static final String CLIENT = "127.0.0.42";
    /** A second ToR, configured as a dedicated reflector host should be: keepOriginalNextHop, numAllowedLocalASNumbers 1. */
    static final String KEEPING_TOR = "127.0.0.43";
    /** An OLD (2-octet AS, RFC 6793) iBGP client. */
    static final String OLD_CLIENT = "127.0.0.44";
    static final long TOR_AS = 65009;

    private Transport transport;
    private EventLoopGroup group;
    private InteropReflector rr;
    private InetSocketAddress remote;

    @BeforeEach
    void start() {
        transport = Transport.detect();
        group = transport.newGroup(1, "speaker");
        rr = InteropReflector.start(transport, "192.0.2.1", ReflectorInteropIT.CLUSTER_ID, List.of(RR), 0, List.of(
                tor(TOR).build(), tor(KEEPING_TOR).keepOriginalNextHop(true).allowedLocalAs(1).build(),
                InteropReflector.client(CLIENT, RR).passive(true).build(),
                InteropReflector.client(OLD_CLIENT, RR).passive(true).build()));
        remote = new InetSocketAddress(InteropReflector.ip(RR), rr.reflector().peers().listening().get(0).getPort());
    }

    private static PeerConfig.Builder tor(String address) {
        return PeerConfig.builder(InteropReflector.ip(address), TOR_AS).families(Set.of(AddressFamily.IPV4_UNICAST))
                .addPath(Map.of()).sourceAddress(InteropReflector.ip(RR)).connectRetryTime(2).passive(true);
    }

    private static SimSpeaker.Settings torSettings(String address) {
        return new SimSpeaker.Settings(TOR_AS, Ipv4Prefix.parseAddress(address), AddressFamily.IPV4_UNICAST, false, 240, 0);
    }

    private static SimSpeaker.Settings clientSettings() {
        return SimSpeaker.Settings.calico(InteropReflector.AS, Ipv4Prefix.parseAddress(CLIENT), AddressFamily.IPV4_UNICAST);
    }

    @AfterEach
    void stop() {
        rr.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private SimSpeaker connect(String local, SimSpeaker.Settings settings) {
        SimSpeaker s = SimSpeaker.connect(transport, group, InteropReflector.ip(local), remote, settings, null);
        Await.until(local + " Established", UP, s::established, s::toString);
        return s;
    }

    @Test
    void iBgpOnlyAttributesFromAnEbgpPeerStopAtTheBorder() {
        SimSpeaker client = connect(CLIENT, clientSettings());
        SimSpeaker tor = connect(TOR, torSettings(TOR));
        int foreign = Ipv4Prefix.parseAddress("9.9.9.9");
        PathAttributes leaky = PathAttributes.of(Origin.IGP, AsPath.sequence((int) TOR_AS), new LocalPref(500),
                new OriginatorId(foreign), new ClusterList(foreign));
        // A CLUSTER_LIST holding our own cluster id: a loop inside our AS, meaningless from another AS.
        PathAttributes ourCluster = PathAttributes.of(Origin.IGP, AsPath.sequence((int) TOR_AS),
                new ClusterList(Ipv4Prefix.parseAddress(ReflectorInteropIT.CLUSTER_ID)));
        IpPrefix leakyRoute = Ipv4Prefix.parse("10.41.0.0/24");
        IpPrefix ourClusterRoute = Ipv4Prefix.parse("10.41.1.0/24");
        byte[] hop = InteropReflector.ip(TOR).getAddress();
        tor.announce(List.of(leakyRoute), leaky, hop);
        tor.announce(List.of(ourClusterRoute), ourCluster, hop);

        Await.until("the client to get both of the ToR's routes", UP,
                () -> client.prefixes().containsAll(List.of(leakyRoute, ourClusterRoute)), client::toString);
        PathAttributes seen = client.paths(leakyRoute).get(0);
        assertEquals(Path.DEFAULT_LOCAL_PREF, seen.localPref().value(), "LOCAL_PREF the client got: " + seen);
        assertNull(seen.originatorId(), "ORIGINATOR_ID from another AS reached the client: " + seen);
        assertNull(seen.clusterList(), "CLUSTER_LIST from another AS reached the client: " + seen);

        // Nor does our own decision process see them.
        PathAttributes kept = rr.paths(leakyRoute.toString()).get(0).attributes();
        assertNull(kept.localPref(), "LOCAL_PREF from another AS kept in the Loc-RIB: " + kept);
        assertNull(kept.originatorId(), "ORIGINATOR_ID from another AS kept in the Loc-RIB: " + kept);
        assertNull(kept.clusterList(), "CLUSTER_LIST from another AS kept in the Loc-RIB: " + kept);
    }

    /**
     * BGPPeer keepOriginalNextHop: a node's route reaches the ToR with the node as next hop, since a
     * reflector host forwards nothing (calico/node: BIRD's "next hop keep"); without it, ours.
     */
    @Test
    void keepOriginalNextHopPassesTheNodesNextHopToTheTor() {
        SimSpeaker tor = connect(TOR, torSettings(TOR));
        SimSpeaker keeping = connect(KEEPING_TOR, torSettings(KEEPING_TOR));
        SimSpeaker client = connect(CLIENT, clientSettings());
        IpPrefix block = Ipv4Prefix.parse("10.42.0.0/26");
        client.announce(List.of(block), PathAttributes.of(Origin.IGP, AsPath.EMPTY), InteropReflector.ip(CLIENT).getAddress());
        for (SimSpeaker s : List.of(tor, keeping)) {
            Await.until(s + " to get the node's block", UP, () -> s.prefixes().contains(block), s::toString);
        }
        assertEquals(Ipv4Prefix.parseAddress(CLIENT), keeping.paths(block).get(0).nextHop().address(),
                "next hop at the ToR with keepOriginalNextHop");
        assertEquals(Ipv4Prefix.parseAddress(RR), tor.paths(block).get(0).nextHop().address(),
                "next hop at the ToR without keepOriginalNextHop");
        assertEquals(AsPath.sequence((int) InteropReflector.AS), keeping.paths(block).get(0).asPath(), "AS_PATH at the ToR");
    }

    /**
     * BGPPeer numAllowedLocalASNumbers (BIRD's "allow local as N"): a route whose AS_PATH holds our AS
     * at most N times is accepted from that peer; by default, and beyond N, it is a loop and dropped.
     */
    @Test
    void numAllowedLocalAsNumbersAdmitsOurAsUpToTheLimit() {
        SimSpeaker client = connect(CLIENT, clientSettings());
        SimSpeaker tor = connect(TOR, torSettings(TOR));
        SimSpeaker keeping = connect(KEEPING_TOR, torSettings(KEEPING_TOR));
        int ours = (int) InteropReflector.AS;
        PathAttributes once = PathAttributes.of(Origin.IGP, AsPath.sequence((int) TOR_AS, ours));
        PathAttributes twice = PathAttributes.of(Origin.IGP, AsPath.sequence((int) TOR_AS, ours, 65010, ours));
        IpPrefix fromTorOnce = Ipv4Prefix.parse("10.43.0.0/26");
        IpPrefix fromKeepingOnce = Ipv4Prefix.parse("10.43.1.0/26");
        IpPrefix fromKeepingTwice = Ipv4Prefix.parse("10.43.2.0/26");
        IpPrefix marker = Ipv4Prefix.parse("10.43.9.0/26");
        tor.announce(List.of(fromTorOnce), once, InteropReflector.ip(TOR).getAddress());
        keeping.announce(List.of(fromKeepingOnce), once, InteropReflector.ip(KEEPING_TOR).getAddress());
        keeping.announce(List.of(fromKeepingTwice), twice, InteropReflector.ip(KEEPING_TOR).getAddress());
        // Sent last by both ToRs: once it arrived from both, everything before it has been through the RIB.
        tor.announce(List.of(marker), PathAttributes.of(Origin.IGP, AsPath.sequence((int) TOR_AS)), InteropReflector.ip(TOR).getAddress());
        keeping.announce(List.of(marker), PathAttributes.of(Origin.IGP, AsPath.sequence((int) TOR_AS)),
                InteropReflector.ip(KEEPING_TOR).getAddress());
        Await.until("the marker from both ToRs in the Loc-RIB", UP, () -> rr.paths(marker.toString()).size() == 2,
                () -> rr.paths(marker.toString()).toString());
        Await.until("the client to get the route within the limit", UP, () -> client.prefixes().contains(fromKeepingOnce),
                client::toString);
        assertEquals(List.of(), rr.paths(fromTorOnce.toString()), "our AS once, from a ToR allowing none");
        assertEquals(List.of(), rr.paths(fromKeepingTwice.toString()), "our AS twice, from a ToR allowing one");
        assertEquals(Set.of(fromKeepingOnce, marker), client.prefixes(), "what the client got");
    }

    /**
     * RFC 6793 with OLD speakers on both sides: a ToR without 4-octet AS support carries a 4-octet ASN
     * in AS4_PATH (AS_TRANS in AS_PATH); a NEW client gets the whole path in AS_PATH, an OLD client gets
     * AS_TRANS again with the path in AS4_PATH.
     */
    @Test
    void aFourOctetAsnCarriedByOldSpeakersSurvivesTheReflector() {
        int newAs = (int) 4_200_000_001L;
        SimSpeaker client = connect(CLIENT, clientSettings());
        SimSpeaker oldClient = connect(OLD_CLIENT, SimSpeaker.Settings.calico(InteropReflector.AS,
                Ipv4Prefix.parseAddress(OLD_CLIENT), AddressFamily.IPV4_UNICAST).withoutFourOctetAs());
        SimSpeaker tor = connect(TOR, torSettings(TOR).withoutFourOctetAs());
        IpPrefix route = Ipv4Prefix.parse("10.44.0.0/24");
        tor.announce(List.of(route), PathAttributes.of(Origin.IGP, AsPath.sequence((int) TOR_AS, AsPath.AS_TRANS),
                new As4Path(List.of(AsPath.Segment.sequence((int) TOR_AS, newAs)))), InteropReflector.ip(TOR).getAddress());
        for (SimSpeaker s : List.of(client, oldClient)) {
            Await.until(s + " to get the ToR's route", UP, () -> s.prefixes().contains(route), s::toString);
        }
        PathAttributes atNew = client.paths(route).get(0);
        assertEquals(AsPath.sequence((int) TOR_AS, newAs), atNew.asPath(), "AS_PATH at the 4-octet client");
        assertNull(atNew.as4Path(), "AS4_PATH at the 4-octet client");
        PathAttributes atOld = oldClient.paths(route).get(0);
        assertEquals(AsPath.sequence((int) TOR_AS, AsPath.AS_TRANS), atOld.asPath(), "AS_PATH at the 2-octet client");
        assertEquals(List.of(AsPath.Segment.sequence((int) TOR_AS, newAs)), atOld.as4Path().segments(),
                "AS4_PATH at the 2-octet client");
    }
}
