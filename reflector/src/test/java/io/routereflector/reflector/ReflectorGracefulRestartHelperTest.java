package io.routereflector.reflector;

import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.reflector.session.Transport;
import io.routereflector.rib.Path;
import io.routereflector.rib.PeerKey;
import io.routereflector.rib.Rib;
import io.routereflector.rib.RouteEntry;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.Communities;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.MpReachNlri;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.capability.Capability;
import io.routereflector.wire.capability.FourOctetAs;
import io.routereflector.wire.capability.GracefulRestart;
import io.routereflector.wire.capability.LongLivedGracefulRestart;
import io.routereflector.wire.capability.Multiprotocol;
import io.routereflector.wire.message.BgpMessage;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;
import io.routereflector.wire.nlri.Ipv4Prefix;
import io.routereflector.wire.nlri.Ipv6Prefix;
import io.routereflector.wire.nlri.NlriList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reflector as an exact graceful-restart helper (RFC 4724 §4.2, RFC 9494), through real loopback
 * sockets: a restarting speaker at 127.0.0.2 (IPv4 and IPv6), an observer at 127.0.0.4 that counts
 * what it is sent, and a marker speaker at 127.0.0.5 whose one route, once the observer has it, proves
 * that everything the reflector would have sent before it has arrived.
 */
@Timeout(40)
class ReflectorGracefulRestartHelperTest {

    static final long AS = 64512;
    static final AddressFamily V4 = AddressFamily.IPV4_UNICAST;
    static final AddressFamily V6 = AddressFamily.IPV6_UNICAST;
    static final Ipv4Prefix P4 = Ipv4Prefix.parse("10.2.0.0/24");
    static final Ipv6Prefix P6 = Ipv6Prefix.parse("fd00:2::/64");
    static final Ipv4Prefix Q4 = Ipv4Prefix.parse("10.2.1.0/24");
    static final Ipv4Prefix MARKER = Ipv4Prefix.parse("10.5.0.0/24");
    static final String RESTARTING = "127.0.0.2";

    /** The addresses of the peers (each on the test's own port) the reflector is helping. */
    static Set<InetAddress> addresses(Set<PeerKey> peers) {
        return peers.stream().map(PeerKey::address).collect(Collectors.toSet());
    }

    @Test
    void staleMarkingCoversOnlyTheFamiliesTheCapabilityListed() throws Exception {
        try (Harness h = new Harness()) {
            RawSpeaker peer = h.restarting(gr(30, Map.of(V4, true)), null);
            announceBoth(peer);
            await(() -> entry(h.reflector, P4) != null && entry(h.reflector, P6) != null, "both prefixes learned");
            peer.close();
            h.awaitDown();
            assertTrue(entry(h.reflector, P4).paths().get(0).stale(), "IPv4 was listed: kept, stale");
            assertNull(entry(h.reflector, P6), "IPv6 was not listed in the GR capability: its routes go at once");
        }
    }

    @Test
    void aReturningPeerWithoutForwardingStateForAFamilyLosesItsStaleRoutesAtOnce() throws Exception {
        try (Harness h = new Harness()) {
            RawSpeaker first = h.restarting(gr(30, Map.of(V4, true, V6, true)), null);
            announceBoth(first);
            await(() -> entry(h.reflector, P4) != null && entry(h.reflector, P6) != null, "both prefixes learned");
            first.close();
            h.awaitDown();
            assertTrue(entry(h.reflector, P6).paths().get(0).stale());
            // §4.2: the F bit clear for IPv6 in the new OPEN: its forwarding state was not kept.
            h.restarting(gr(30, Map.of(V4, true, V6, false)), null);
            await(() -> entry(h.reflector, P6) == null, "IPv6 stale routes flushed when the new session came up");
            assertTrue(entry(h.reflector, P4).paths().get(0).stale(), "IPv4 (F bit set) keeps waiting for End-of-RIB");
            assertEquals(Set.of(h.restartingAddress), addresses(h.reflector.gracefulRestartInProgress()));
        }
    }

    @Test
    void aReturningPeerWithoutGracefulRestartLosesAllItsStaleRoutesAtOnce() throws Exception {
        try (Harness h = new Harness()) {
            RawSpeaker first = h.restarting(gr(30, Map.of(V4, true, V6, true)), null);
            announceBoth(first);
            await(() -> entry(h.reflector, P4) != null && entry(h.reflector, P6) != null, "both prefixes learned");
            first.close();
            h.awaitDown();
            h.restarting(null, null);
            await(() -> entry(h.reflector, P4) == null && entry(h.reflector, P6) == null,
                    "stale routes flushed when the peer came back without the GR capability");
            await(() -> h.reflector.gracefulRestartInProgress().isEmpty(), "no longer helping");
        }
    }

    @Test
    void endOfRibEndsTheHelperForItsFamilyAlone() throws Exception {
        try (Harness h = new Harness()) {
            RawSpeaker first = h.restarting(gr(30, Map.of(V4, true, V6, true)), null);
            announceBoth(first);
            await(() -> entry(h.reflector, P4) != null && entry(h.reflector, P6) != null, "both prefixes learned");
            first.close();
            h.awaitDown();
            RawSpeaker second = h.restarting(gr(30, Map.of(V4, true, V6, true)), null);
            announceBoth(second);
            second.write(Update.endOfRib(V4));
            // Same session, so applied after the End-of-RIB: once Q4 is in, the End-of-RIB was handled.
            second.announce(List.of(Q4));
            await(() -> entry(h.reflector, Q4) != null, "Q4 learned");
            assertEquals(Set.of(h.restartingAddress), addresses(h.reflector.gracefulRestartInProgress()),
                    "still helping: IPv6 has had no End-of-RIB");
            second.write(Update.endOfRib(V6));
            await(() -> h.reflector.gracefulRestartInProgress().isEmpty(),
                    "End-of-RIB for the last family ends the helper (not the 360 s stale timer)");
            assertFalse(entry(h.reflector, P4).paths().get(0).stale());
            assertFalse(entry(h.reflector, P6).paths().get(0).stale());
        }
    }

    @Test
    void markingStaleAndRelearningTheSameRoutesSendsNothing() throws Exception {
        try (Harness h = new Harness()) {
            RawSpeaker first = h.restarting(gr(30, Map.of(V4, true)), null);
            first.announce(List.of(P4));
            h.observerReceives(P4);
            first.close();
            h.awaitDown();
            assertTrue(entry(h.reflector, P4).paths().get(0).stale());
            RawSpeaker second = h.restarting(gr(30, Map.of(V4, true)), null);
            second.announce(List.of(P4));
            second.write(Update.endOfRib(V4));
            await(() -> h.reflector.gracefulRestartInProgress().isEmpty(), "End-of-RIB ends the helper");
            assertFalse(entry(h.reflector, P4).paths().get(0).stale());
            assertEquals(List.of(), h.updatesBeforeMarker(), "the observer saw nothing of the restart");
        }
    }

    @Test
    void aSecondDropDuringLongLivedStaleKeepsTheCommunityAndTheFlagTogether() throws Exception {
        try (Harness h = new Harness()) {
            Map<AddressFamily, Boolean> v4 = Map.of(V4, true);
            RawSpeaker first = h.restarting(gr(1, v4), llgr(60));
            first.announce(List.of(P4));
            h.observerReceives(P4);
            first.close();
            h.awaitDown();
            await(() -> entry(h.reflector, P4).paths().get(0).llgrStale(), "long-lived stale after the 1 s restart time");
            h.observerLoses(P4); // RFC 9494 §4.5: the observer did not advertise LLGR
            RawSpeaker second = h.restarting(gr(1, v4), llgr(60));
            second.close();
            h.awaitDown();
            Path path = entry(h.reflector, P4).paths().get(0);
            assertTrue(path.stale() && path.llgrStale(), "still long-lived stale: " + path);
            assertEquals(1, llgrStaleCount(path), "LLGR_STALE once: " + path);
            assertEquals(List.of(), h.updatesBeforeMarker(),
                    "the observer, without LLGR, was not sent the long-lived stale route again");
            Path later = entry(h.reflector, P4).paths().get(0);
            assertTrue(later.llgrStale() && llgrStaleCount(later) == 1, later.toString());
        }
    }

    @Test
    void aLongLivedGracefulRestartPeerIsSentTheRouteAgainTaggedLongLivedStale() throws Exception {
        try (Harness h = new Harness()) {
            RawSpeaker llgrObserver = h.open(new RawSpeaker("127.0.0.6", h.port, AS,
                    List.of(new Multiprotocol(V4), new FourOctetAs(AS), llgr(60))));
            llgrObserver.establish();
            RawSpeaker first = h.restarting(gr(1, Map.of(V4, true)), llgr(60));
            first.announce(List.of(P4));
            Update learned = receives(llgrObserver, P4);
            Communities before = learned.attributes().communities();
            assertFalse(before != null && before.contains(Rib.LLGR_STALE), "fresh, not stale: " + learned);
            first.close();
            h.awaitDown();
            // RFC 9494 §4.2: what this peer sees changed when the restart time ran out, so it is told.
            Update tagged = receives(llgrObserver, P4);
            assertTrue(tagged.attributes().communities() != null
                    && tagged.attributes().communities().contains(Rib.LLGR_STALE), tagged.toString());
        }
    }

    /** Reads {@code speaker} until an UPDATE announces {@code prefix}; returns it. */
    private static Update receives(RawSpeaker speaker, Ipv4Prefix prefix) throws Exception {
        while (true) {
            if (speaker.readOne() instanceof Update u && has(u.nlri(), prefix)) {
                return u;
            }
        }
    }

    private static boolean has(NlriList list, IpPrefix prefix) {
        for (int i = 0; i < list.size(); i++) {
            if (list.prefix(i).equals(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static int llgrStaleCount(Path path) {
        Communities c = path.attributes().communities();
        int n = 0;
        for (int i = 0; c != null && i < c.size(); i++) {
            n += c.get(i) == Rib.LLGR_STALE ? 1 : 0;
        }
        return n;
    }

    private static void announceBoth(RawSpeaker peer) throws Exception {
        peer.announce(List.of(P4));
        byte[] nextHop = InetAddress.getByName("fd00::2").getAddress();
        PathAttributes v6 = PathAttributes.of(Origin.IGP, AsPath.EMPTY, new LocalPref(100),
                MpReachNlri.ipv6(nextHop, null, NlriList.ofPrefixes(V6, List.of(P6))));
        peer.write(Update.announce(v6, NlriList.empty(V4)));
    }

    /** A GR capability (RFC 4724 §3) with the families given and their F bits; null for none. */
    private static GracefulRestart gr(int restartTime, Map<AddressFamily, Boolean> families) {
        List<GracefulRestart.Entry> entries = new ArrayList<>();
        families.forEach((f, forwarding) -> entries.add(new GracefulRestart.Entry(f, forwarding)));
        return GracefulRestart.of(false, false, restartTime, entries);
    }

    private static LongLivedGracefulRestart llgr(int staleTime) {
        return new LongLivedGracefulRestart(List.of(new LongLivedGracefulRestart.Entry(V4,
                LongLivedGracefulRestart.Entry.FORWARDING_STATE, staleTime)));
    }

    private static RouteEntry entry(Reflector reflector, IpPrefix prefix) throws InterruptedException {
        return reflector.query(rib -> {
            RouteEntry e = rib.entry(prefix);
            return e == null || e.isEmpty() ? null : e;
        });
    }

    interface Check {
        boolean get() throws Exception;
    }

    private static void await(Check condition, String what) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.get()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** The reflector with the three peers configured, and the observer up. */
    private static final class Harness implements AutoCloseable {
        final Reflector reflector = new Reflector(Transport.detect(), 1);
        final InetAddress restartingAddress;
        final int port;
        final RawSpeaker observer;
        final List<RawSpeaker> opened = new ArrayList<>();

        Harness() throws Exception {
            InetAddress local = InetAddress.getByName("127.0.0.1");
            restartingAddress = InetAddress.getByName(RESTARTING);
            List<PeerConfig> peers = List.of(
                    PeerConfig.builder(restartingAddress, AS).passive(true).families(Set.of(V4, V6)).build(),
                    PeerConfig.builder(InetAddress.getByName("127.0.0.4"), AS).passive(true).build(),
                    PeerConfig.builder(InetAddress.getByName("127.0.0.5"), AS).passive(true).build(),
                    PeerConfig.builder(InetAddress.getByName("127.0.0.6"), AS).passive(true).build());
            reflector.apply(new ReflectorConfig((Inet4Address) local, null, AS, List.of(local), 0, peers, false));
            port = reflector.peers().listening().get(0).getPort();
            observer = open(new RawSpeaker("127.0.0.4", port, AS));
            observer.establish();
            // Its initial (empty) table ends with End-of-RIB: read it here, or it could arrive after the
            // first route a test waits for and be counted as something the restart sent.
            while (!(observer.readOne() instanceof Update u && u.isEndOfRib())) {
                // KEEPALIVEs
            }
        }

        RawSpeaker open(RawSpeaker s) {
            opened.add(s);
            return s;
        }

        /** The restarting speaker's next session: IPv4 and IPv6, with these GR and LLGR capabilities (null: none). */
        RawSpeaker restarting(GracefulRestart gr, LongLivedGracefulRestart llgr) throws Exception {
            List<Capability> caps = new ArrayList<>(List.of(new Multiprotocol(V4), new Multiprotocol(V6), new FourOctetAs(AS)));
            if (gr != null) {
                caps.add(gr);
            }
            if (llgr != null) {
                caps.add(llgr);
            }
            RawSpeaker s = open(new RawSpeaker(RESTARTING, port, AS, caps));
            s.establish();
            await(() -> reflector.isEstablished(restartingAddress), "the restarting peer Established");
            return s;
        }

        /** Waits until the restarting peer's session is down (its down task queued on the RIB thread). */
        void awaitDown() throws Exception {
            await(() -> !reflector.isEstablished(restartingAddress), "the restarting peer's session down");
        }

        /** Reads the observer until an UPDATE announces {@code prefix}. */
        void observerReceives(Ipv4Prefix prefix) throws Exception {
            while (!(observer.readOne() instanceof Update u && has(u.nlri(), prefix))) {
                // the initial table, End-of-RIB and KEEPALIVEs before it
            }
        }

        /** Reads the observer until an UPDATE withdraws {@code prefix}. */
        void observerLoses(Ipv4Prefix prefix) throws Exception {
            while (!(observer.readOne() instanceof Update u && has(u.withdrawn(), prefix))) {
                // KEEPALIVEs
            }
        }

        /** The marker speaker announces MARKER; the UPDATEs the observer gets before it. */
        List<Update> updatesBeforeMarker() throws Exception {
            RawSpeaker marker = open(new RawSpeaker("127.0.0.5", port, AS));
            marker.establish();
            marker.announce(List.of(MARKER));
            List<Update> before = new ArrayList<>();
            while (true) {
                BgpMessage m = observer.readOne();
                if (m instanceof Update u) {
                    if (has(u.nlri(), MARKER)) {
                        return before;
                    }
                    before.add(u);
                }
            }
        }

        @Override
        public void close() throws Exception {
            for (RawSpeaker s : opened) {
                s.close();
            }
            reflector.close();
        }
    }
}
