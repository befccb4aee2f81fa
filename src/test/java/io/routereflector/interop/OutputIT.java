package io.routereflector.interop;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.routereflector.daemon.ops.BgpMetrics;
import io.routereflector.daemon.ops.PrometheusText;
import io.routereflector.daemon.ops.StatusService;
import io.routereflector.datastore.DesiredState;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.session.Transport;
import io.routereflector.rib.PeerRouteStats;
import io.routereflector.rib.out.Member;
import io.routereflector.rib.out.UpdateGroup;
import io.routereflector.rib.out.UpdateSink;
import io.routereflector.speaker.SimSpeaker;
import io.routereflector.testbed.Await;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.Communities;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.NextHop;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.message.MessageType;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;
import io.routereflector.wire.nlri.Ipv4Prefix;
import io.routereflector.wire.nlri.Nlri;
import io.routereflector.wire.nlri.NlriList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The output side under the cases that once broke it, seen by raw speakers of ours on loopback
 * (127.0.0.3x) as clients of an in-JVM reflector: a route too big to send once reflected, a node
 * re-announcing the same route, a session replaced under the RIB thread's feet, and the sent-message
 * counters against what a client actually read.
 */
@Timeout(120)
class OutputIT {

    static final Duration UP = Duration.ofSeconds(30);
    static final String RR = "127.0.0.1";
    static final String ANNOUNCER = "127.0.0.31";
    static final String EARLY = "127.0.0.32";
    static final String LATE = "127.0.0.33";
    static final String EXTENDED = "127.0.0.34";
    static final PathAttributes PLAIN = PathAttributes.of(Origin.IGP, AsPath.EMPTY, new LocalPref(100));

    private Transport transport;
    private EventLoopGroup group;
    private InteropReflector rr;
    private InetSocketAddress remote;

    @BeforeEach
    void start() {
        transport = Transport.detect();
        group = transport.newGroup(1, "speaker");
        rr = InteropReflector.start(transport, "192.0.2.1", ReflectorInteropIT.CLUSTER_ID, List.of(RR), 0, List.of(
                client(ANNOUNCER).build(), client(EARLY).build(), client(LATE).build(),
                client(EXTENDED).extendedMessages(true).build()));
        remote = new InetSocketAddress(InteropReflector.ip(RR), rr.reflector().peers().listening().get(0).getPort());
    }

    @AfterEach
    void stop() {
        rr.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static PeerConfig.Builder client(String address) {
        return InteropReflector.client(address, RR).passive(true);
    }

    private SimSpeaker connect(String local, SimSpeaker.Settings settings, SimSpeaker.Listener listener) {
        SimSpeaker s = SimSpeaker.connect(transport, group, InteropReflector.ip(local), remote, settings, listener);
        Await.until(local + " Established", UP, s::established, s::toString);
        return s;
    }

    private SimSpeaker connect(String local) {
        return connect(local, calico(local), null);
    }

    private static SimSpeaker.Settings calico(String local) {
        return SimSpeaker.Settings.calico(InteropReflector.AS, Ipv4Prefix.parseAddress(local), AddressFamily.IPV4_UNICAST);
    }

    private static byte[] hop(String address) {
        return InteropReflector.ip(address).getAddress();
    }

    private static IpPrefix p(String text) {
        return Ipv4Prefix.parse(text);
    }

    /**
     * 1008 communities make the announcer's UPDATE 4088 octets; ORIGINATOR_ID and CLUSTER_LIST (7 each)
     * take the reflected one past 4096. Sent just before routes that fit, in the same burst.
     */
    @Test
    void aRouteTooBigOnceReflectedIsWithheldAndNeverStallsTheOthers() throws InterruptedException {
        SimSpeaker early = connect(EARLY);
        SimSpeaker announcer = connect(ANNOUNCER);
        int[] many = new int[1008];
        for (int i = 0; i < many.length; i++) {
            many[i] = 64512 << 16 | i;
        }
        PathAttributes big = PLAIN.with(new Communities(many));
        IpPrefix bigPrefix = p("10.31.0.0/24");
        ByteBuf sent = MessageCodec.encode(Update.announce(big.with(new NextHop(Ipv4Prefix.parseAddress(ANNOUNCER))),
                NlriList.of(AddressFamily.IPV4_UNICAST, true, List.of(new Nlri(bigPrefix, 1)))),
                announcer.sendSettings(), ByteBufAllocator.DEFAULT);
        int length = sent.readableBytes();
        sent.release();
        assertTrue(length > 4096 - 14 && length <= 4096, "the announcer's UPDATE is just under the limit: " + length);

        announcer.announce(List.of(bigPrefix), big, hop(ANNOUNCER));
        List<IpPrefix> fits = List.of(p("10.31.1.0/24"), p("10.31.2.0/24"), p("10.31.3.0/24"));
        for (int i = 0; i < fits.size(); i++) {
            announcer.announce(List.of(fits.get(i)), PLAIN.with(new LocalPref(100 + i)), hop(ANNOUNCER));
        }
        Await.until("the client that was up to get the routes that fit", UP,
                () -> early.prefixes().containsAll(fits), early::toString);

        // Clients joining afterwards get the table and End-of-RIB; the one with extended messages gets all.
        SimSpeaker late = connect(LATE);
        SimSpeaker extended = connect(EXTENDED, calico(EXTENDED).withExtendedMessages(), null);
        Await.until("the late client's End-of-RIB", UP, late::endOfRib, late::toString);
        Await.until("the extended client's End-of-RIB", UP, extended::endOfRib, extended::toString);
        assertEquals(Set.copyOf(fits), late.prefixes(), "the late client's table");
        assertEquals(Set.copyOf(fits), early.prefixes(), "the early client's table");
        assertTrue(extended.sendSettings().extendedMessages(), "RFC 8654 negotiated with the extended client");
        assertEquals(4, extended.prefixes().size(), "the extended client's table: " + extended.prefixes());
        assertEquals(many.length, extended.paths(bigPrefix).get(0).communities().values().length);

        // Withheld from the two groups that cannot take it (the early and late clients share one).
        assertEquals(1L, rr.withheldPaths(), "paths withheld as too big");

        // Routes after it still flow to everyone.
        IpPrefix after = p("10.31.9.0/24");
        announcer.announce(List.of(after), PLAIN, hop(ANNOUNCER));
        for (SimSpeaker s : List.of(early, late, extended)) {
            Await.until(s + " to get a later route", UP, () -> s.prefixes().contains(after), s::toString);
        }

        // messages_sent counts BGP messages, not the buffers that carried several of them.
        for (SimSpeaker s : List.of(early, late, extended)) {
            String address = s.localAddress().getHostAddress();
            Await.until("the reflector's UPDATE count for " + address + " to match what it read", UP,
                    () -> rr.session(address).counters().sent(MessageType.UPDATE) == s.updatesReceived(),
                    () -> "sent " + rr.session(address).counters().sent(MessageType.UPDATE) + ", read " + s.updatesReceived());
        }

        // Both as the /metrics endpoint renders them.
        BgpMetrics metrics = new BgpMetrics(new StatusService(rr.reflector(),
                () -> new DesiredState.Health(DesiredState.Status.STARTING, ""), Clock.systemUTC()), Clock.systemUTC());
        List<PrometheusText.Sample> scraped = PrometheusText.parse(metrics.scrape()).values().stream()
                .flatMap(f -> f.samples().stream()).toList();
        assertEquals(1.0, sample(scraped, "routereflector_routes_withheld_total", Map.of()), "withheld paths metric");
        for (SimSpeaker s : List.of(early, late, extended)) {
            String address = s.localAddress().getHostAddress();
            assertEquals(s.updatesReceived(), (long) sample(scraped, "routereflector_messages_sent_total",
                    Map.of("peer", address, "type", "UPDATE")), "messages_sent_total{type=UPDATE} of " + address);
        }
    }

    /** A node re-announcing the same route (same attributes, same path id) floods no one. */
    @Test
    void anIdenticalReannouncementSendsNothing() {
        IpPrefix route = p("10.32.0.0/24");
        AtomicInteger announcements = new AtomicInteger();
        Set<IpPrefix> seen = ConcurrentHashMap.newKeySet();
        SimSpeaker observer = connect(EARLY, calico(EARLY), new SimSpeaker.Listener() {
            @Override
            public void established(SimSpeaker speaker) {
            }

            @Override
            public void update(SimSpeaker speaker, Update update, long nanos) {
                for (Nlri nlri : update.reachable(AddressFamily.IPV4_UNICAST)) {
                    seen.add(nlri.prefix());
                    if (nlri.prefix().equals(route)) {
                        announcements.incrementAndGet();
                    }
                }
            }

            @Override
            public void closed(SimSpeaker speaker, String why, boolean byUs) {
            }
        });
        SimSpeaker announcer = connect(ANNOUNCER);
        announcer.announce(List.of(route), PLAIN, hop(ANNOUNCER));
        Await.until("the observer to get the route", UP, () -> seen.contains(route), observer::toString);
        int repeats = 20;
        for (int i = 0; i < repeats; i++) {
            announcer.announce(List.of(route), PLAIN, hop(ANNOUNCER));
            // A marker after each repeat: once it arrived, the repeat has been through a flush.
            IpPrefix marker = p("10.33." + i + ".0/24");
            announcer.announce(List.of(marker), PLAIN, hop(ANNOUNCER));
            Await.until("marker " + marker, UP, () -> seen.contains(marker), observer::toString);
        }
        assertEquals(1, announcements.get(), "announcements of " + route + " the observer read");
        PeerRouteStats stats = rr.routeStats(ANNOUNCER);
        assertEquals(repeats, stats.importUpdatesIgnored(), "re-announcements recorded as ignored: " + stats);
        assertEquals(1 + repeats, stats.importUpdatesAccepted(), "the route and the markers accepted: " + stats);
    }

    /**
     * A group's sink is bound to the connection it encoded for: bytes written through the sink of a
     * session that has since been replaced (another ADD-PATH/AS4 agreement, another diff state) go
     * nowhere, never to the new connection.
     */
    @Test
    void bytesForAReplacedSessionNeverReachItsSuccessor() throws Exception {
        SimSpeaker announcer = connect(ANNOUNCER);
        SimSpeaker first = connect(LATE);
        Await.until("the first session's End-of-RIB", UP, first::endOfRib, first::toString);
        UpdateSink old = rr.reflector().query(rib -> memberOf(rib.groups(), LATE).sink());
        first.close();
        Await.until("the reflector to see the first session go", UP, () -> !rr.established(LATE), () -> rr.describe(LATE));
        SimSpeaker second = connect(LATE);
        Await.until("the second session's End-of-RIB", UP, second::endOfRib, second::toString);

        // An UPDATE encoded for the first session, written after the second came up.
        IpPrefix stray = p("10.34.0.0/24");
        WireSettings firstSettings = new WireSettings(false, true, Set.of(AddressFamily.IPV4_UNICAST));
        rr.reflector().query(rib -> {
            old.write(MessageCodec.encode(Update.announce(PLAIN.with(new NextHop(Ipv4Prefix.parseAddress(ANNOUNCER))),
                    NlriList.of(AddressFamily.IPV4_UNICAST, true, List.of(new Nlri(stray, 1)))), firstSettings, ByteBufAllocator.DEFAULT));
            old.flush();
            return null;
        });
        IpPrefix marker = p("10.34.1.0/24");
        announcer.announce(List.of(marker), PLAIN, hop(ANNOUNCER));
        Await.until("the second session to get the marker", UP, () -> second.prefixes().contains(marker), second::toString);
        assertFalse(second.prefixes().contains(stray), "bytes of the replaced session reached its successor");
        assertTrue(second.established(), second.toString());
        assertFalse(old.isWritable(), "the replaced session's sink is not writable");
    }

    private static double sample(List<PrometheusText.Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(x -> x.name().equals(name) && x.labels().entrySet().containsAll(labels.entrySet()))
                .findFirst().orElseThrow(() -> new AssertionError("no sample " + name + labels)).value();
    }

    private static Member memberOf(java.util.Collection<UpdateGroup> groups, String address) {
        InetAddress a = InteropReflector.ip(address);
        for (UpdateGroup g : groups) {
            for (Member m : g.members()) {
                if (m.peer().address().equals(a)) {
                    return m;
                }
            }
        }
        throw new AssertionError(address + " is in no update group");
    }
}
