package io.routereflector.interop;

import io.netty.channel.EventLoopGroup;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.session.Transport;
import io.routereflector.rib.Path;
import io.routereflector.speaker.SimSpeaker;
import io.routereflector.testbed.GobgpPeer;
import io.routereflector.testbed.Host;
import io.routereflector.testbed.Neighbor;
import io.routereflector.testbed.PeerRoute;
import io.routereflector.testbed.StaticRoute;
import io.routereflector.testbed.Testbed;
import io.routereflector.testbed.Await;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.ClusterList;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.OriginatorId;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Ipv4Prefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AS border, observed by real GoBGP peers: a GoBGP Calico node (iBGP client, host 81), a GoBGP
 * top-of-rack router in AS 65009 (host 82) configured with {@code keepOriginalNextHop}, and a raw
 * speaker of ours in AS 65009 on 198.51.100.98 that sends what an eBGP peer must not (LOCAL_PREF,
 * ORIGINATOR_ID, CLUSTER_LIST; AsBorderIT checks the same at loopback with raw speakers) and paths holding our own AS, which it is allowed once
 * ({@code numAllowedLocalASNumbers: 1}).
 */
@Timeout(120)
class TorPeeringIT {

    static final Duration UP = Duration.ofSeconds(45);
    static final long TOR_AS = 65009;
    static final int SPEAKER_HOST = 98;
    static final String SPEAKER = "198.51.100." + SPEAKER_HOST;
    static final String SPEAKER_ROUTE = "10.98.0.0/24";
    static final String NODE_ROUTE = "10.81.0.0/26";
    static final String LOCAL_AS_ONCE = "10.98.1.0/24";
    static final String LOCAL_AS_TWICE = "10.98.2.0/24";

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
        assertEquals(List.of(), Testbed.rootLinks(), "links left behind");
    }

    @Test
    void whatCrossesTheBorderIsCleanedAndTheTorKeepsTheNodesNextHop() throws Exception {
        Transport transport = Transport.detect();
        EventLoopGroup group = transport.newGroup(1, "speaker");
        try (Testbed testbed = Testbed.start()) {
            Host nodeHost = testbed.host(81);
            Host torHost = testbed.host(82);
            String rr = Testbed.REFLECTOR_IPV4;
            GobgpPeer node = GobgpPeer.start(nodeHost,
                    io.routereflector.testbed.PeerConfig.calicoNode(nodeHost, false, StaticRoute.of(NODE_ROUTE)));
            GobgpPeer tor = GobgpPeer.start(torHost, new io.routereflector.testbed.PeerConfig(TOR_AS, torHost.ipv4(), false,
                    List.of(), List.of(Neighbor.calico("reflector", rr).withAs(InteropReflector.AS).withAddPaths(false)
                            .withGracefulRestart(false)), "", true));
            assertEquals(SPEAKER, testbed.addRootAddress(SPEAKER_HOST));
            try (InteropReflector reflector = InteropReflector.start(transport, rr, ReflectorInteropIT.CLUSTER_ID,
                    List.of(rr), 179, List.of(
                            InteropReflector.client(nodeHost.ipv4(), rr).build(),
                            PeerConfig.builder(InteropReflector.ip(torHost.ipv4()), TOR_AS).connectRetryTime(2)
                                    .gracefulRestartTime(0).sourceAddress(InteropReflector.ip(rr))
                                    .keepOriginalNextHop(true).build(),
                            PeerConfig.builder(InteropReflector.ip(SPEAKER), TOR_AS).passive(true)
                                    .gracefulRestartTime(0).allowedLocalAs(1).build()))) {
                reflector.awaitEstablished(UP, nodeHost.ipv4(), torHost.ipv4());
                SimSpeaker speaker = SimSpeaker.connect(transport, group, InteropReflector.ip(SPEAKER),
                        new InetSocketAddress(InteropReflector.ip(rr), 179),
                        new SimSpeaker.Settings(TOR_AS, Ipv4Prefix.parseAddress(SPEAKER),
                                AddressFamily.IPV4_UNICAST, false, 240, 0));
                Await.until("the speaker to be Established", UP, speaker::established, speaker::toString);

                // RFC 4271 §5.1.5, RFC 7606 §7.5/§7.9/§7.10: an eBGP peer's LOCAL_PREF, ORIGINATOR_ID
                // and CLUSTER_LIST are discarded on receipt.
                PathAttributes attributes = PathAttributes.of(Origin.IGP,
                        new AsPath(List.of(AsPath.Segment.sequence((int) TOR_AS))), new LocalPref(500),
                        new OriginatorId(Ipv4Prefix.parseAddress("192.0.2.9")),
                        new ClusterList(Ipv4Prefix.parseAddress("192.0.2.8")));
                speaker.announce(List.of(Ipv4Prefix.parse(SPEAKER_ROUTE)), attributes,
                        InteropReflector.ip(SPEAKER).getAddress());
                PeerRoute atNode = node.awaitRoute(SPEAKER_ROUTE, r -> true, UP);
                assertEquals(100, atNode.localPref(), atNode.toString());
                assertEquals("", atNode.originatorId(), atNode.toString());
                assertEquals(List.of(), atNode.clusterList(), atNode.toString());
                assertEquals(List.of(TOR_AS), atNode.asPath(), atNode.toString());
                assertEquals(SPEAKER, atNode.nextHop(), "iBGP never changes the next hop");
                List<Path> stored = reflector.paths(SPEAKER_ROUTE);
                assertEquals(1, stored.size(), stored.toString());
                assertNull(stored.get(0).attributes().localPref(), "the ToR's LOCAL_PREF fed our decision process");
                assertNull(stored.get(0).attributes().originatorId());
                assertNull(stored.get(0).attributes().clusterList());

                // numAllowedLocalASNumbers 1 (BIRD `allow local as 1`): our AS once in the path is
                // accepted, twice is a loop (RFC 4271 §9.1.2). Sent in this order, so once the first
                // arrives the second has been processed too.
                int local = (int) InteropReflector.AS;
                speaker.announce(List.of(Ipv4Prefix.parse(LOCAL_AS_TWICE)), PathAttributes.of(Origin.IGP,
                        AsPath.sequence((int) TOR_AS, local, 65010, local)), InteropReflector.ip(SPEAKER).getAddress());
                speaker.announce(List.of(Ipv4Prefix.parse(LOCAL_AS_ONCE)), PathAttributes.of(Origin.IGP,
                        AsPath.sequence((int) TOR_AS, local, 65010)), InteropReflector.ip(SPEAKER).getAddress());
                // Observed in our Loc-RIB: GoBGP peers in 64512 would themselves reject a path holding their AS.
                Await.until(LOCAL_AS_ONCE + " accepted", UP, () -> !reflector.paths(LOCAL_AS_ONCE).isEmpty(),
                        () -> reflector.describe(SPEAKER));
                assertTrue(reflector.paths(LOCAL_AS_TWICE).isEmpty(), "our AS twice is a loop");

                // keepOriginalNextHop (calico/node's `next hop keep`): the ToR sends traffic for the
                // node's block to the node, not to the reflector host, which forwards nothing.
                PeerRoute atTor = tor.awaitRoute(NODE_ROUTE, r -> true, UP);
                assertEquals(nodeHost.ipv4(), atTor.nextHop(), atTor.toString());
                assertEquals(List.of(InteropReflector.AS), atTor.asPath(), atTor.toString());
                assertTrue(atTor.originatorId().isEmpty() && atTor.clusterList().isEmpty(), atTor.toString());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- testbed:\n" + testbed.diagnostics(), e);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(3, TimeUnit.SECONDS);
        }
    }
}
