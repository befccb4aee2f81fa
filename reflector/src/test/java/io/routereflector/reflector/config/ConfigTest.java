package io.routereflector.reflector.config;

import io.routereflector.rib.PeerRole;

import io.routereflector.wire.nlri.AddressFamily;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void defaultsAreThoseOfCalicosBird() throws Exception {
        PeerConfig p = PeerConfig.builder(ip("10.0.0.2"), 64512).build();
        assertEquals(179, p.port());
        assertEquals(240, p.holdTime());
        assertEquals(80, p.keepaliveTime(), "keepalive defaults to hold/3");
        assertEquals(5, p.connectRetryTime());
        assertEquals(120, p.gracefulRestartTime());
        assertEquals(Set.of(AddressFamily.IPV4_UNICAST), p.families());
        assertEquals(Set.of(AddressFamily.IPV6_UNICAST), PeerConfig.builder(ip("fd00::2"), 64512).build().families());
        assertEquals(0, PeerConfig.builder(ip("10.0.0.2"), 1).holdTime(0).build().keepaliveTime(), "hold 0: no keepalives");
    }

    @Test
    void passwordNeverPrinted() throws Exception {
        PeerConfig p = PeerConfig.builder(ip("10.0.0.2"), 64512).password("s3cret-key").build();
        assertFalse(p.toString().contains("s3cret-key"), p.toString());
        assertTrue(p.toString().contains("password=<set>"));
        ReflectorConfig r = ReflectorConfig.of((Inet4Address) ip("10.0.0.1"), 64512, List.of(), 179, List.of(p));
        assertFalse(r.toString().contains("s3cret-key"), r.toString());
    }

    @Test
    void validationNamesThePeerAndTheRule() throws Exception {
        InetAddress a = ip("10.0.0.2");
        assertEquals("peer 10.0.0.2: hold time 2 is not 0 or 3..65535",
                assertThrows(IllegalArgumentException.class, () -> PeerConfig.builder(a, 1).holdTime(2).build()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PeerConfig.builder(a, 1).keepaliveTime(100).build())
                .getMessage().contains("keepalive 100 s must be 1..hold/3 (80 s)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PeerConfig.builder(a, 0).build()).getMessage().contains("AS 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PeerConfig.builder(a, 1).ttlSecurityHops(255).build())
                .getMessage().contains("TTL security"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PeerConfig.builder(a, 1).password("x".repeat(81)).build())
                .getMessage().contains("1..80 octets"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PeerConfig.builder(a, 1).addPath(Map.of(AddressFamily.IPV6_UNICAST, AddPathMode.BOTH)).build())
                .getMessage().contains("ADD-PATH for ipv6-unicast"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PeerConfig.builder(a, 1).sourceAddress(ip("fd00::1")).build())
                .getMessage().contains("other IP version"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PeerConfig.builder(a, 1).gracefulRestartTime(4096).build())
                .getMessage().contains("RFC 4724"));
    }

    @Test
    void rolesDerivedFromAsAndCheckedWhenGiven() throws Exception {
        Inet4Address id = (Inet4Address) ip("10.0.0.1");
        PeerConfig ibgp = PeerConfig.builder(ip("10.0.0.2"), 64512).build();
        PeerConfig ebgp = PeerConfig.builder(ip("10.0.0.3"), 65000).build();
        ReflectorConfig r = ReflectorConfig.of(id, 64512, List.of(), 179, List.of(ibgp, ebgp));
        assertEquals(PeerRole.CLIENT, r.peers().get(0).role());
        assertEquals(PeerRole.EBGP, r.peers().get(1).role());
        assertEquals(id, r.clusterId(), "cluster id defaults to the router id");
        PeerConfig wrong = PeerConfig.builder(ip("10.0.0.2"), 64512).role(PeerRole.EBGP).build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReflectorConfig.of(id, 64512, List.of(), 179, List.of(wrong)))
                .getMessage().contains("role ebgp but AS 64512 equals the local AS"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReflectorConfig.of(id, 64512, List.of(), 179, List.of(ibgp, ibgp)))
                .getMessage().contains("configured twice"));
        assertThrows(IllegalArgumentException.class, () -> ReflectorConfig.of((Inet4Address) ip("0.0.0.0"), 1, List.of(), 179, List.of()));
    }

    @Test
    void whatResetsASession() throws Exception {
        PeerConfig p = PeerConfig.builder(ip("10.0.0.2"), 64512).role(PeerRole.CLIENT).build();
        assertFalse(p.needsResetFor(p.toBuilder().holdTime(90).build()), "timers apply to the next connection");
        assertFalse(p.needsResetFor(p.toBuilder().passive(true).build()));
        assertTrue(p.needsResetFor(p.toBuilder().password("k").build()));
        assertTrue(p.needsResetFor(p.toBuilder().role(PeerRole.NON_CLIENT).build()));
        assertTrue(p.needsResetFor(p.toBuilder().families(Set.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST)).build()));
        assertTrue(p.needsResetFor(p.toBuilder().addPath(Map.of(AddressFamily.IPV4_UNICAST, AddPathMode.SEND)).build()));
        ReflectorConfig a = ReflectorConfig.of((Inet4Address) ip("10.0.0.1"), 64512, List.of(), 179, List.of(p));
        assertFalse(a.resetsAllFor(a.withPeers(List.of())));
        assertTrue(a.resetsAllFor(ReflectorConfig.of((Inet4Address) ip("10.0.0.9"), 64512, List.of(), 179, List.of(p))));
    }
}
