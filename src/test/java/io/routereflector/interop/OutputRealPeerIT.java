package io.routereflector.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoopGroup;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.session.Transport;
import io.routereflector.speaker.SimSpeaker;
import io.routereflector.testbed.Await;
import io.routereflector.testbed.GobgpPeer;
import io.routereflector.testbed.Host;
import io.routereflector.testbed.Testbed;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.Communities;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.Origin;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The output side seen by a real GoBGP Calico node (host 83) as our client: it joins after a route too
 * big to send once reflected was announced, and still gets the table; a node (a raw speaker of ours on
 * 198.51.100.97) re-announcing the same route twenty times costs it no UPDATE at all. OutputIT checks
 * the same at loopback with raw observers.
 */
@Timeout(180)
class OutputRealPeerIT {

    static final Duration UP = Duration.ofSeconds(45);
    static final int SPEAKER_HOST = 97;
    static final String SPEAKER = "198.51.100." + SPEAKER_HOST;
    static final PathAttributes PLAIN = PathAttributes.of(Origin.IGP, AsPath.EMPTY, new LocalPref(100));
    static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
        assertEquals(List.of(), Testbed.rootLinks(), "links left behind");
    }

    /** UPDATE messages GoBGP has read from the reflector, from its own counters. */
    private static long updatesReceived(GobgpPeer gobgp, String neighbor) {
        try {
            JsonNode n = JSON.readTree(gobgp.gobgp("neighbor", neighbor, "-j").orThrow());
            return n.path("state").path("messages").path("received").path("update").asLong(-1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aLateNodeGetsTheTableDespiteAnOversizedRouteAndRepeatsCostItNothing() throws Exception {
        Transport transport = Transport.detect();
        EventLoopGroup group = transport.newGroup(1, "speaker");
        try (Testbed testbed = Testbed.start()) {
            Host nodeHost = testbed.host(83);
            String rr = Testbed.REFLECTOR_IPV4;
            assertEquals(SPEAKER, testbed.addRootAddress(SPEAKER_HOST));
            try (InteropReflector reflector = InteropReflector.start(transport, rr, ReflectorInteropIT.CLUSTER_ID,
                    List.of(rr), 179, List.of(
                            InteropReflector.client(nodeHost.ipv4(), rr).build(),
                            InteropReflector.client(SPEAKER, rr).passive(true).build()))) {
                SimSpeaker speaker = SimSpeaker.connect(transport, group, InteropReflector.ip(SPEAKER),
                        new InetSocketAddress(InteropReflector.ip(rr), 179),
                        SimSpeaker.Settings.calico(InteropReflector.AS, Ipv4Prefix.parseAddress(SPEAKER), AddressFamily.IPV4_UNICAST),
                        null);
                Await.until("the speaker to be Established", UP, speaker::established, speaker::toString);
                byte[] hop = InteropReflector.ip(SPEAKER).getAddress();

                // 1008 communities: 4088 octets from the speaker, past 4096 once ORIGINATOR_ID and CLUSTER_LIST are added.
                int[] many = new int[1008];
                for (int i = 0; i < many.length; i++) {
                    many[i] = 64512 << 16 | i;
                }
                speaker.announce(List.of(Ipv4Prefix.parse("10.97.0.0/24")), PLAIN.with(new Communities(many)), hop);
                List<IpPrefix> fits = List.of(Ipv4Prefix.parse("10.97.1.0/24"), Ipv4Prefix.parse("10.97.2.0/24"));
                speaker.announce(fits, PLAIN, hop);
                Await.until("the reflector to hold the routes that fit", UP,
                        () -> !reflector.paths("10.97.2.0/24").isEmpty(), () -> reflector.describe(SPEAKER));

                // The node comes up afterwards: its initial table must not stall on the oversized route.
                GobgpPeer node = GobgpPeer.start(nodeHost, io.routereflector.testbed.PeerConfig.calicoNode(nodeHost, false));
                node.awaitEstablished(rr, UP);
                for (IpPrefix p : fits) {
                    node.awaitRoute(p.toString(), r -> true, UP);
                }

                // Twenty identical re-announcements, then a marker: GoBGP reads the marker's UPDATE only.
                long before = updatesReceived(node, rr);
                for (int i = 0; i < 20; i++) {
                    speaker.announce(List.of(fits.get(0)), PLAIN, hop);
                }
                speaker.announce(List.of(Ipv4Prefix.parse("10.97.9.0/24")), PLAIN, hop);
                node.awaitRoute("10.97.9.0/24", r -> true, UP);
                assertEquals(before + 1, updatesReceived(node, rr), "UPDATEs GoBGP read for 20 repeats and one marker");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- testbed:\n" + testbed.diagnostics(), e);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(3, TimeUnit.SECONDS);
        }
    }
}
