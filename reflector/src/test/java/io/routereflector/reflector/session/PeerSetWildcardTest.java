package io.routereflector.reflector.session;

import io.netty.channel.epoll.Epoll;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.wire.nlri.AddressFamily;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.routereflector.reflector.session.PeerSetLoopbackTest.await;
import static io.routereflector.reflector.session.PeerSetLoopbackTest.freePort;
import static io.routereflector.reflector.session.PeerSetLoopbackTest.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Listening on every address, IPv4 and IPv6 (calico/node's default {@code bindMode}): both wildcards on
 * one port, over real sockets. The peers only dial (they listen nowhere), so each session is one they
 * opened to us: an IPv4 one from 127.0.0.2 and an IPv6 one from ::1.
 */
class PeerSetWildcardTest {

    static final long AS = 64512;
    final List<PeerSet> sets = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (PeerSet s : sets) {
            s.close();
        }
    }

    PeerSet speaker(Transport transport, String routerId, List<String> listen, int port, PeerConfig... peers) throws Exception {
        PeerSet set = new PeerSet(transport, 1, new Recording());
        sets.add(set);
        List<java.net.InetAddress> addresses = new ArrayList<>();
        for (String a : listen) {
            addresses.add(ip(a));
        }
        set.apply(new ReflectorConfig((Inet4Address) ip(routerId), null, AS, addresses, port, List.of(peers), false));
        return set;
    }

    static PeerConfig.Builder peer(String address, int port, String source) throws Exception {
        return PeerConfig.builder(ip(address), AS).port(port).holdTime(3).connectRetryTime(1).sourceAddress(ip(source));
    }

    static boolean up(PeerSet set, String peer) {
        try {
            PeerSession s = set.session(ip(peer));
            return s != null && s.state() == SessionState.ESTABLISHED;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void bothWildcardsOnOnePortAcceptIpv4AndIpv6Peers(String kind) throws Exception {
        assertTrue(!kind.equals("epoll") || Epoll.isAvailable(), () -> "epoll: " + Epoll.unavailabilityCause());
        Transport transport = kind.equals("epoll") ? Transport.epoll() : Transport.nio();
        int port = freePort();
        PeerSet rr = speaker(transport, "127.0.0.1", List.of("0.0.0.0", "::"), port,
                peer("127.0.0.2", port, "127.0.0.1").passive(true).build(), peer("::1", port, "::1").passive(true).build());
        speaker(transport, "127.0.0.2", List.of(), port, peer("127.0.0.1", port, "127.0.0.2").build());
        speaker(transport, "127.0.0.3", List.of(), port, peer("::1", port, "::1").build());
        await(Duration.ofSeconds(10), () -> up(rr, "127.0.0.2") && up(rr, "::1"), kind + ": the IPv4 and the IPv6 peer Established");
        assertEquals(Set.of(AddressFamily.IPV6_UNICAST), rr.session(ip("::1")).negotiated().families());
        assertEquals(Set.of(AddressFamily.IPV4_UNICAST), rr.session(ip("127.0.0.2")).negotiated().families());
    }
}
