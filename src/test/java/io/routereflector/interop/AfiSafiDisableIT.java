package io.routereflector.interop;

import io.netty.channel.EventLoopGroup;
import io.routereflector.reflector.session.Transport;
import io.routereflector.rib.PeerKey;
import io.routereflector.rib.PeerRouteStats;
import io.routereflector.speaker.SimSpeaker;
import io.routereflector.testbed.Await;
import io.routereflector.testbed.GobgpPeer;
import io.routereflector.testbed.Host;
import io.routereflector.testbed.PeerConfig;
import io.routereflector.testbed.StaticRoute;
import io.routereflector.testbed.Testbed;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Ipv4Prefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 7606 "AFI/SAFI disable" at the wire: a speaker of ours announces routes, then sends an UPDATE
 * whose MP_REACH_NLRI cannot be used — a next hop whose length does not fit the AFI (RFC 7606 §7.11),
 * or an attribute length running past the attribute field (RFC 7606 §4, §3 j). RFC 4760 §7: every
 * route of that AFI/SAFI from the speaker goes (a real GoBGP client sees them withdrawn), later UPDATEs
 * of the family are ignored for the rest of the session, and the session itself stays up; a new
 * session starts with the family enabled again.
 */
@Timeout(150)
class AfiSafiDisableIT {

    static final Duration UP = Duration.ofSeconds(45);
    static final int SPEAKER_HOST = 98;
    static final String SPEAKER = "198.51.100." + SPEAKER_HOST;

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
        assertEquals(List.of(), Testbed.rootLinks(), "links left behind");
    }

    @Test
    void anUnusableMpReachNlriWithdrawsTheFamilyAndIgnoresItForTheRestOfTheSession() throws Exception {
        Transport transport = Transport.detect();
        EventLoopGroup group = transport.newGroup(1, "speaker");
        try (Testbed testbed = Testbed.start()) {
            Host gHost = testbed.host(73);
            GobgpPeer gobgp = GobgpPeer.start(gHost, PeerConfig.calicoNode(gHost, false, StaticRoute.of("10.73.0.0/26")));
            String rr = Testbed.REFLECTOR_IPV4;
            assertEquals(SPEAKER, testbed.addRootAddress(SPEAKER_HOST));
            try (InteropReflector reflector = InteropReflector.start(transport, rr, ReflectorInteropIT.CLUSTER_ID,
                    List.of(rr), 179, List.of(
                            InteropReflector.client(gHost.ipv4(), rr).build(),
                            InteropReflector.client(SPEAKER, rr).passive(true).addPath(Map.of()).build()))) {
                reflector.awaitEstablished(UP, gHost.ipv4());
                SimSpeaker speaker = connect(transport, group, rr);
                announce(speaker, "10.98.0.0/24", "10.98.1.0/24");
                gobgp.awaitRoute("10.98.0.0/24", r -> true, UP);
                gobgp.awaitRoute("10.98.1.0/24", r -> true, UP);
                Instant speakerSince = reflector.session(SPEAKER).since();

                // 1. RFC 7606 §7.11: an IPv4 unicast next hop of 5 octets.
                speaker.sendRaw(update(mpReach(5, 0)));
                awaitGone(gobgp, "10.98.0.0/24");
                awaitGone(gobgp, "10.98.1.0/24");
                assertTrue(reflector.established(SPEAKER), reflector.describe(SPEAKER));
                assertEquals(speakerSince, reflector.session(SPEAKER).since(), "AFI/SAFI disable is no session reset");

                // Later routes of the family from that session are ignored.
                long ignoredBefore = stats(reflector).importUpdatesIgnored();
                announce(speaker, "10.98.3.0/24");
                Await.until("the reflector to ignore the announcement", UP,
                        () -> stats(reflector).importUpdatesIgnored() > ignoredBefore, () -> stats(reflector).toString());
                assertEquals(List.of(), reflector.paths("10.98.3.0/24"), "a route of a disabled family was imported");
                assertEquals(0, reflector.receivedFrom(SPEAKER));

                // A new session enables the family again.
                speaker.close();
                Await.until("the speaker's session to go down", UP, () -> !reflector.established(SPEAKER),
                        () -> reflector.describe(SPEAKER));
                speaker = connect(transport, group, rr);
                announce(speaker, "10.98.4.0/24");
                gobgp.awaitRoute("10.98.4.0/24", r -> true, UP);
                speakerSince = reflector.session(SPEAKER).since();

                // 2. RFC 7606 §4 and §3 j: MP_REACH_NLRI's length runs 20 octets past the attribute field.
                speaker.sendRaw(update(mpReach(4, 20)));
                awaitGone(gobgp, "10.98.4.0/24");
                assertTrue(reflector.established(SPEAKER), reflector.describe(SPEAKER));
                assertEquals(speakerSince, reflector.session(SPEAKER).since(), "AFI/SAFI disable is no session reset");

                // GoBGP's own route still reflects: nothing else was touched.
                assertTrue(gobgp.neighbor(rr).orElseThrow().established());
                speaker.close();
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- testbed:\n" + testbed.diagnostics(), e);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(3, TimeUnit.SECONDS);
        }
    }

    private static SimSpeaker connect(Transport transport, EventLoopGroup group, String rr) {
        SimSpeaker speaker = SimSpeaker.connect(transport, group, InteropReflector.ip(SPEAKER),
                new InetSocketAddress(InteropReflector.ip(rr), 179),
                new SimSpeaker.Settings(InteropReflector.AS, Ipv4Prefix.parseAddress(SPEAKER),
                        AddressFamily.IPV4_UNICAST, false, 240, 0));
        Await.until("the speaker to be Established", UP, speaker::established, speaker::toString);
        return speaker;
    }

    private static void announce(SimSpeaker speaker, String... prefixes) {
        speaker.announce(java.util.Arrays.stream(prefixes).map(Ipv4Prefix::parse).toList(),
                PathAttributes.of(Origin.IGP, AsPath.EMPTY, new LocalPref(100)),
                InteropReflector.ip(SPEAKER).getAddress());
    }

    private static PeerRouteStats stats(InteropReflector reflector) {
        try {
            return reflector.reflector().query(rib -> rib.peerStats().get(PeerKey.of(InteropReflector.ip(SPEAKER))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitGone(GobgpPeer gobgp, String prefix) {
        Await.until(prefix + " withdrawn at GoBGP", UP, () -> gobgp.routes().stream().noneMatch(r -> r.prefix().equals(prefix)),
                gobgp::diagnostics);
    }

    /**
     * ORIGIN IGP, empty AS_PATH, then MP_REACH_NLRI for IPv4 unicast announcing 10.98.2.0/24 with a
     * next hop of {@code nextHopLength} octets; its length field claims {@code overrun} octets more
     * than the UPDATE holds.
     */
    private static byte[] mpReach(int nextHopLength, int overrun) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        value.writeBytes(new byte[] {0, 1, 1, (byte) nextHopLength});
        for (int i = 0; i < nextHopLength; i++) {
            value.write(i == 0 ? 198 : 51);
        }
        value.write(0);
        value.writeBytes(new byte[] {24, 10, 98, 2});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x40, 1, 1, 0, 0x40, 2, 0});
        out.writeBytes(new byte[] {(byte) 0x80, 14, (byte) (value.size() + overrun)});
        out.writeBytes(value.toByteArray());
        return out.toByteArray();
    }

    /** An UPDATE (RFC 4271 §4.3) with these path attributes, no withdrawn routes, no IPv4 NLRI field. */
    private static byte[] update(byte[] attributes) {
        int length = 19 + 2 + 2 + attributes.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 16; i++) {
            out.write(0xFF);
        }
        out.writeBytes(new byte[] {(byte) (length >>> 8), (byte) length, 2, 0, 0,
                (byte) (attributes.length >>> 8), (byte) attributes.length});
        out.writeBytes(attributes);
        return out.toByteArray();
    }
}
