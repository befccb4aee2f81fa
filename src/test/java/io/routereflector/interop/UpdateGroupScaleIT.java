package io.routereflector.interop;

import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.session.Transport;
import io.routereflector.rib.PeerRole;
import io.routereflector.speaker.SimSpeaker;
import io.routereflector.speaker.SpeakerFleet;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;
import io.routereflector.wire.nlri.Ipv4Prefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 200 simulated Calico nodes (our own codec, {@link SimSpeaker}) on 127.0.0.10–209 as clients of a
 * reflector on 127.0.0.1: they share one update group, every one receives every other one's routes
 * (and never its own), and a change is encoded once for the group however many members it reaches.
 */
@Timeout(120)
class UpdateGroupScaleIT {

    static final int CLIENTS = 200;
    static final int PREFIXES_EACH = 5;
    static final Duration CONVERGE = Duration.ofSeconds(60);

    @Test
    void twoHundredClientsShareOneGroupAndEachChangeIsEncodedOnce() throws Exception {
        Transport transport = Transport.detect();
        List<PeerConfig> peers = new ArrayList<>();
        List<InetAddress> locals = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            String address = "127.0.0." + (10 + i);
            locals.add(InteropReflector.ip(address));
            peers.add(InteropReflector.client(address, "127.0.0.1").passive(true).build());
        }
        int clusterId = Ipv4Prefix.parseAddress(ReflectorInteropIT.CLUSTER_ID);
        try (InteropReflector rr = InteropReflector.start(transport, "192.0.2.1", ReflectorInteropIT.CLUSTER_ID,
                List.of("127.0.0.1"), 0, peers)) {
            int port = rr.reflector().peers().listening().get(0).getPort();
            try (SpeakerFleet fleet = SpeakerFleet.connect(transport, 2, locals,
                    new InetSocketAddress(InteropReflector.ip("127.0.0.1"), port),
                    local -> SimSpeaker.Settings.calico(InteropReflector.AS, Ipv4Prefix.parseAddress(local.getHostAddress()),
                            AddressFamily.IPV4_UNICAST))) {
                fleet.awaitAll("every client Established", CONVERGE, SimSpeaker::established);
                PathAttributes attributes = PathAttributes.of(Origin.IGP, AsPath.EMPTY, new LocalPref(100));
                for (int i = 0; i < CLIENTS; i++) {
                    fleet.get(i).announce(blocks(i), attributes, locals.get(i).getAddress());
                }
                int expected = (CLIENTS - 1) * PREFIXES_EACH;
                fleet.awaitAll("every client to hold every other client's " + expected + " routes", CONVERGE,
                        s -> s.table().size() == expected);

                // Reflected per RFC 4456, and never back to the announcer (split horizon).
                for (int i = 0; i < CLIENTS; i += 37) {
                    SimSpeaker receiver = fleet.get(i);
                    for (IpPrefix own : blocks(i)) {
                        assertTrue(receiver.paths(own).isEmpty(), receiver + " got its own " + own);
                    }
                    int from = (i + 1) % CLIENTS;
                    List<PathAttributes> got = receiver.paths(blocks(from).get(0));
                    assertEquals(1, got.size(), receiver + ": paths of client " + from);
                    assertEquals(Ipv4Prefix.parseAddress(locals.get(from).getHostAddress()), got.get(0).originatorId().routerId());
                    assertArrayEquals(new int[] {clusterId}, got.get(0).clusterList().ids());
                    assertEquals(Ipv4Prefix.parseAddress(locals.get(from).getHostAddress()), got.get(0).nextHop().address());
                }

                List<InteropReflector.GroupView> groups = rr.groups();
                assertEquals(1, groups.size(), "identical clients share one group: " + groups);
                InteropReflector.GroupView group = groups.get(0);
                assertEquals(CLIENTS, group.members().size());
                assertEquals(PeerRole.CLIENT, group.key().role());
                assertEquals(Set.of(AddressFamily.IPV4_UNICAST), group.key().addPathSend());

                // One new prefix from one client reaches the 199 others: one UPDATE encoded, not 199.
                IpPrefix added = Ipv4Prefix.parse("10.250.0.0/24");
                long before = rr.groups().get(0).encodedMessages();
                fleet.get(0).announce(List.of(added), attributes, locals.get(0).getAddress());
                fleet.awaitAll("the new prefix everywhere but at its announcer", CONVERGE,
                        s -> s == fleet.get(0) || !s.paths(added).isEmpty());
                assertEquals(1, rr.groups().get(0).encodedMessages() - before, "UPDATEs encoded for one announcement");
                assertTrue(fleet.get(0).paths(added).isEmpty());

                // Its withdrawal: one UPDATE again.
                before = rr.groups().get(0).encodedMessages();
                fleet.get(0).withdraw(List.of(added));
                fleet.awaitAll("the prefix withdrawn everywhere", CONVERGE, s -> s.paths(added).isEmpty());
                assertEquals(1, rr.groups().get(0).encodedMessages() - before, "UPDATEs encoded for one withdrawal");

                // 100 new prefixes of one client in one UPDATE: packed by attribute set, a message or two.
                List<IpPrefix> batch = new ArrayList<>();
                for (int k = 0; k < 100; k++) {
                    batch.add(Ipv4Prefix.parse("10.251." + k + ".0/24"));
                }
                before = rr.groups().get(0).encodedMessages();
                fleet.get(7).announce(batch, attributes.with(new LocalPref(200)), locals.get(7).getAddress());
                IpPrefix last = batch.get(batch.size() - 1);
                fleet.awaitAll("the batch everywhere", CONVERGE, s -> s == fleet.get(7)
                        || s.paths(last).stream().anyMatch(a -> a.localPref() != null && a.localPref().value() == 200));
                long encoded = rr.groups().get(0).encodedMessages() - before;
                assertTrue(encoded >= 1 && encoded <= 2, "UPDATEs encoded for a 100-prefix batch: " + encoded);
                for (SimSpeaker s : fleet.speakers()) {
                    assertFalse(s != fleet.get(7) && s.prefixes().size() != expected + batch.size(),
                            s + " holds " + s.prefixes().size() + " prefixes");
                }
            }
        }
    }

    /** Client i's IPAM blocks: 10.i.k.0/24, k = 0..PREFIXES_EACH-1 (i &lt; 200 keeps clear of 10.250/10.251). */
    static List<IpPrefix> blocks(int i) {
        List<IpPrefix> out = new ArrayList<>();
        for (int k = 0; k < PREFIXES_EACH; k++) {
            out.add(Ipv4Prefix.parse("10." + i + "." + k + ".0/24"));
        }
        return out;
    }
}
