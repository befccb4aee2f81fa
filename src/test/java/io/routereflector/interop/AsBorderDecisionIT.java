package io.routereflector.interop;

import io.netty.channel.EventLoopGroup;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.session.Transport;
import io.routereflector.rib.Path;
import io.routereflector.rib.PeerRole;
import io.routereflector.speaker.SimSpeaker;
import io.routereflector.testbed.Await;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The AS border as raw speakers of ours see it on loopback (127.0.0.4x): what an eBGP neighbour may
 * and may not bring into our AS, and what we send across it.
 */
@Timeout(120)
class AsBorderDecisionIT {

    static final Duration UP = Duration.ofSeconds(30);
    static final String RR = "127.0.0.1";
    static final String RR_ID = "192.0.2.1";
    static final String EBGP_A = "127.0.0.41";
    static final String EBGP_B = "127.0.0.42";
    static final String CLIENT = "127.0.0.43";

    private Transport transport;
    private EventLoopGroup group;
    private InteropReflector rr;
    private InetSocketAddress remote;

    private void start(List<PeerConfig> peers) {
        transport = Transport.detect();
        group = transport.newGroup(1, "speaker");
        rr = InteropReflector.start(transport, RR_ID, ReflectorInteropIT.CLUSTER_ID, List.of(RR), 0, peers);
        remote = new InetSocketAddress(InteropReflector.ip(RR), rr.reflector().peers().listening().get(0).getPort());
    }

    @AfterEach
    void stop() {
        if (rr != null) {
            rr.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    static PeerConfig.Builder ebgp(String address, long as) {
        return PeerConfig.builder(InteropReflector.ip(address), as).role(PeerRole.EBGP)
                .families(Set.of(AddressFamily.IPV4_UNICAST)).connectRetryTime(2)
                .sourceAddress(InteropReflector.ip(RR)).passive(true);
    }

    /** An iBGP client without ADD-PATH: it is sent our best path only. */
    static PeerConfig.Builder singlePathClient(String address) {
        return InteropReflector.client(address, RR).addPath(Map.of()).passive(true);
    }

    SimSpeaker connect(String local, long as, boolean addPath) {
        SimSpeaker s = SimSpeaker.connect(transport, group, InteropReflector.ip(local), remote,
                new SimSpeaker.Settings(as, id(local), AddressFamily.IPV4_UNICAST, addPath, 240, 0), null);
        Await.until(local + " Established", UP, s::established, s::toString);
        return s;
    }

    static int id(String dotted) {
        return Ipv4Prefix.parseAddress(dotted);
    }

    static byte[] hop(String address) {
        return InteropReflector.ip(address).getAddress();
    }

    static IpPrefix p(String text) {
        return Ipv4Prefix.parse(text);
    }

    /**
     * RFC 4271 §5.1.5, RFC 7606 §7.5/§7.9/§7.10: LOCAL_PREF, ORIGINATOR_ID and CLUSTER_LIST from an
     * eBGP neighbour are discarded on import. Our clients never see its values, its ORIGINATOR_ID
     * never stands in for its BGP identifier in the decision process, and an ORIGINATOR_ID equal to
     * our router id is no reflection loop.
     */
    @Test
    void anEbgpPeersOriginatorIdNeitherBreaksTiesNorLoops() {
        start(List.of(ebgp(EBGP_A, 65001).build(), ebgp(EBGP_B, 65002).build(), singlePathClient(CLIENT).build()));
        SimSpeaker client = connect(CLIENT, InteropReflector.AS, false);
        SimSpeaker a = connect(EBGP_A, 65001, false);
        SimSpeaker b = connect(EBGP_B, 65002, false);

        // A's BGP identifier (127.0.0.41) is lower than B's (127.0.0.42) only if B's ORIGINATOR_ID is used.
        PathAttributes plainB = PathAttributes.of(Origin.IGP, AsPath.sequence(65002));
        PathAttributes claimsA = PathAttributes.of(Origin.IGP, AsPath.sequence(65001), new LocalPref(500),
                new OriginatorId(id("10.9.9.9")), new ClusterList(id("10.8.8.8"), id("10.7.7.7")));
        PathAttributes claimsB = plainB.with(new OriginatorId(id("10.0.0.1")));
        IpPrefix contested = p("10.41.0.0/24");
        IpPrefix onlyA = p("10.41.1.0/24");
        IpPrefix ourIdAsOriginator = p("10.41.2.0/24");
        a.announce(List.of(contested, onlyA), claimsA, hop(EBGP_A));
        b.announce(List.of(contested), claimsB, hop(EBGP_B));
        a.announce(List.of(ourIdAsOriginator), claimsA.with(new OriginatorId(id(RR_ID))), hop(EBGP_A));

        Await.until("the client to learn all three prefixes", UP,
                () -> client.prefixes().containsAll(List.of(contested, onlyA, ourIdAsOriginator)),
                () -> "client has " + client.table() + "; reflector has " + rr.paths(ourIdAsOriginator.toString()));
        PathAttributes seen = client.paths(onlyA).get(0);
        assertEquals(Path.DEFAULT_LOCAL_PREF, seen.localPref().value(), "LOCAL_PREF the client sees: " + seen);
        assertNull(seen.originatorId(), "ORIGINATOR_ID passed from eBGP: " + seen);
        assertNull(seen.clusterList(), "CLUSTER_LIST passed from eBGP: " + seen);
        Await.until("the contested prefix's best path to be A's (lower BGP identifier)", UP,
                () -> client.paths(contested).size() == 1
                        && client.paths(contested).get(0).nextHop().address() == id(EBGP_A),
                () -> "client sees " + client.paths(contested) + "; reflector has " + rr.paths(contested.toString()));
    }
}
