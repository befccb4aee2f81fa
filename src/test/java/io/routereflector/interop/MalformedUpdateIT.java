package io.routereflector.interop;

import io.netty.channel.EventLoopGroup;
import io.routereflector.reflector.session.Transport;
import io.routereflector.speaker.SimSpeaker;
import io.routereflector.testbed.Await;
import io.routereflector.testbed.BirdPeer;
import io.routereflector.testbed.GobgpPeer;
import io.routereflector.testbed.Host;
import io.routereflector.testbed.PeerConfig;
import io.routereflector.testbed.PeerRoute;
import io.routereflector.testbed.StaticRoute;
import io.routereflector.testbed.Testbed;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.error.NotificationCode;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A speaker of ours on 198.51.100.99 (a second address of the root veth, so it shares the testbed's
 * lock and never a loopback port with anyone) sends hand-made malformed UPDATEs to the reflector, which also
 * serves a real GoBGP and a real BIRD 2 client. Expected (RFC 7606):
 * <ul>
 *   <li>ORIGIN value 5 (§7.1): treat-as-withdraw — the route leaves the clients, the session stays;</li>
 *   <li>the last attribute's length runs past the attribute field (§4): treat-as-withdraw as well,
 *       since the Total Path Attribute Length still locates the NLRI;</li>
 *   <li>Total Path Attribute Length runs past the message (RFC 4271 §6.3, kept by RFC 7606 §3 b):
 *       session reset with NOTIFICATION UPDATE Message Error / Malformed Attribute List (3/1), and
 *       the speaker's remaining route is withdrawn (it has no graceful restart).</li>
 * </ul>
 * The real clients' sessions are untouched throughout: same state, same uptime.
 */
@Timeout(120)
class MalformedUpdateIT {

    static final Duration UP = Duration.ofSeconds(45);
    static final int SPEAKER_HOST = 99;
    static final String SPEAKER = "198.51.100." + SPEAKER_HOST;
    static final String NEXT_HOP = SPEAKER;
    static final String STAYS = "10.99.0.0/24";
    static final String BAD_ORIGIN = "10.99.1.0/24";
    static final String OVERRUN = "10.99.2.0/24";

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
        assertEquals(List.of(), Testbed.rootLinks(), "links left behind");
    }

    @Test
    void malformedUpdatesGetTheirRfc7606ActionAndOtherSessionsAreUntouched() throws Exception {
        Transport transport = Transport.detect();
        EventLoopGroup group = transport.newGroup(1, "speaker");
        try (Testbed testbed = Testbed.start()) {
            Host gHost = testbed.host(71);
            Host bHost = testbed.host(72);
            GobgpPeer gobgp = GobgpPeer.start(gHost, PeerConfig.calicoNode(gHost, false, StaticRoute.of("10.71.0.0/26")));
            BirdPeer bird = BirdPeer.start(bHost, BirdPeer.Version.BIRD2,
                    PeerConfig.calicoNode(bHost, false, StaticRoute.of("10.72.0.0/26")));
            String rr = Testbed.REFLECTOR_IPV4;
            assertEquals(SPEAKER, testbed.addRootAddress(SPEAKER_HOST));
            try (InteropReflector reflector = InteropReflector.start(transport, rr, ReflectorInteropIT.CLUSTER_ID,
                    List.of(rr), 179, List.of(
                            InteropReflector.client(gHost.ipv4(), rr).build(),
                            InteropReflector.client(bHost.ipv4(), rr).build(),
                            InteropReflector.client(SPEAKER, rr).passive(true).addPath(Map.of()).build()))) {
                reflector.awaitEstablished(UP, gHost.ipv4(), bHost.ipv4());
                SimSpeaker speaker = SimSpeaker.connect(transport, group, InteropReflector.ip(SPEAKER),
                        new InetSocketAddress(InteropReflector.ip(rr), 179),
                        new SimSpeaker.Settings(InteropReflector.AS, Ipv4Prefix.parseAddress(SPEAKER),
                                AddressFamily.IPV4_UNICAST, false, 240, 0));
                Await.until("the speaker to be Established", UP, speaker::established, speaker::toString);
                Await.until("the speaker to receive both clients' routes", UP, () -> speaker.prefixes().containsAll(
                        List.of(Ipv4Prefix.parse("10.71.0.0/26"), Ipv4Prefix.parse("10.72.0.0/26"))), speaker::toString);

                PathAttributes attributes = PathAttributes.of(Origin.IGP, AsPath.EMPTY, new LocalPref(100));
                speaker.announce(List.of(Ipv4Prefix.parse(STAYS), Ipv4Prefix.parse(BAD_ORIGIN), Ipv4Prefix.parse(OVERRUN)),
                        attributes, InteropReflector.ip(NEXT_HOP).getAddress());
                for (String prefix : List.of(STAYS, BAD_ORIGIN, OVERRUN)) {
                    PeerRoute atBird = bird.awaitRoute(prefix, r -> true, UP);
                    assertEquals(NEXT_HOP, atBird.nextHop());
                    assertEquals(SPEAKER, atBird.originatorId());
                    gobgp.awaitRoute(prefix, r -> true, UP);
                }
                Instant gobgpSince = reflector.session(gHost.ipv4()).since();
                Instant birdSince = reflector.session(bHost.ipv4()).since();
                Instant speakerSince = reflector.session(SPEAKER).since();

                // 1. ORIGIN 5: treat-as-withdraw.
                speaker.sendRaw(update(attributesWithOrigin(5), -1, nlri(10, 99, 1)));
                awaitGone(bird, gobgp, BAD_ORIGIN);
                assertTrue(reflector.established(SPEAKER), reflector.describe(SPEAKER));
                assertEquals(speakerSince, reflector.session(SPEAKER).since(), "no reset for treat-as-withdraw");

                // 2. LOCAL_PREF claims 10 octets where 4 are left: treat-as-withdraw.
                ByteArrayOutputStream overrun = new ByteArrayOutputStream();
                overrun.writeBytes(attributesWithOrigin(0));
                overrun.writeBytes(new byte[] {0x40, 5, 10, 0, 0, 0, 100});
                speaker.sendRaw(update(overrun.toByteArray(), -1, nlri(10, 99, 2)));
                awaitGone(bird, gobgp, OVERRUN);
                assertTrue(reflector.established(SPEAKER), reflector.describe(SPEAKER));
                assertEquals(speakerSince, reflector.session(SPEAKER).since(), "no reset for treat-as-withdraw");
                bird.awaitRoute(STAYS, r -> true, UP);

                // 3. Total Path Attribute Length past the end of the message: session reset, 3/1.
                speaker.sendRaw(update(attributesWithOrigin(0), 200, nlri(10, 99, 3)));
                Await.until("a NOTIFICATION at the speaker", UP, () -> speaker.notificationReceived() != null,
                        speaker::toString);
                assertEquals(NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST, speaker.notificationReceived().named(),
                        speaker.notificationReceived().toString());
                assertNotNull(reflector.session(SPEAKER).lastNotificationSent());
                assertEquals(NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST,
                        reflector.session(SPEAKER).lastNotificationSent().named());
                awaitGone(bird, gobgp, STAYS);

                // The real clients never noticed anything but the routes.
                assertTrue(reflector.established(gHost.ipv4()) && reflector.established(bHost.ipv4()));
                assertEquals(gobgpSince, reflector.session(gHost.ipv4()).since(), "GoBGP's session was reset");
                assertEquals(birdSince, reflector.session(bHost.ipv4()).since(), "BIRD's session was reset");
                assertTrue(bird.protocol("reflector").established());
                assertTrue(gobgp.neighbor(rr).orElseThrow().established());
                assertEquals(gHost.ipv4(), bird.awaitRoute("10.71.0.0/26", r -> true, UP).originatorId());
                assertEquals(bHost.ipv4(), gobgp.awaitRoute("10.72.0.0/26", r -> true, UP).originatorId());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- testbed:\n" + testbed.diagnostics(), e);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(3, TimeUnit.SECONDS);
        }
    }

    private static void awaitGone(BirdPeer bird, GobgpPeer gobgp, String prefix) {
        Await.until(prefix + " withdrawn at BIRD", UP, () -> bird.routes().stream().noneMatch(r -> r.prefix().equals(prefix)),
                bird::diagnostics);
        Await.until(prefix + " withdrawn at GoBGP", UP, () -> gobgp.routes().stream().noneMatch(r -> r.prefix().equals(prefix)),
                gobgp::diagnostics);
    }

    /** ORIGIN with {@code origin} as its value, an empty AS_PATH, NEXT_HOP 198.51.100.99 (the speaker). */
    private static byte[] attributesWithOrigin(int origin) {
        return new byte[] {
            0x40, 1, 1, (byte) origin,             // ORIGIN (RFC 4271 §5.1.1): 0..2 are defined
            0x40, 2, 0,                            // AS_PATH, empty (iBGP)
            0x40, 3, 4, (byte) 198, 51, 100, 99,   // NEXT_HOP
        };
    }

    private static byte[] nlri(int a, int b, int c) {
        return new byte[] {24, (byte) a, (byte) b, (byte) c};
    }

    /**
     * An UPDATE (RFC 4271 §4.3) with no withdrawn routes; {@code declaredAttributesLength} −1 means
     * the true length of {@code attributes}, anything else is written as given.
     */
    private static byte[] update(byte[] attributes, int declaredAttributesLength, byte[] nlri) {
        int length = 19 + 2 + 2 + attributes.length + nlri.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 16; i++) {
            out.write(0xFF);
        }
        out.write(length >>> 8);
        out.write(length);
        out.write(2);
        out.write(0);
        out.write(0);
        int declared = declaredAttributesLength < 0 ? attributes.length : declaredAttributesLength;
        out.write(declared >>> 8);
        out.write(declared);
        out.writeBytes(attributes);
        out.writeBytes(nlri);
        return out.toByteArray();
    }
}
