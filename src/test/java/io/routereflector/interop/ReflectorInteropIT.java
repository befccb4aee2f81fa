package io.routereflector.interop;

import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.session.Transport;
import io.routereflector.testbed.BirdPeer;
import io.routereflector.testbed.BirdProtocol;
import io.routereflector.testbed.FrrPeer;
import io.routereflector.testbed.GobgpPeer;
import io.routereflector.testbed.Host;
import io.routereflector.testbed.PeerRoute;
import io.routereflector.testbed.StaticRoute;
import io.routereflector.testbed.Testbed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GoBGP, BIRD 2, BIRD 1.6 and FRR 8.4, configured like Calico nodes, as clients of one in-JVM reflector,
 * over IPv4 (198.51.100.0/24) and, one session per client as Calico runs them, over IPv6 (2001:db8::/64).
 * Every route one client announces must reach every other client reflected per RFC 4456: ORIGINATOR_ID
 * the announcer's router id, CLUSTER_LIST exactly our cluster id, NEXT_HOP and communities untouched.
 * A prefix two clients announce reaches the others as two paths over ADD-PATH (RFC 7911).
 */
@Timeout(180)
class ReflectorInteropIT {

    static final String CLUSTER_ID = "10.255.0.1";
    static final Duration UP = Duration.ofSeconds(45);

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
        assertEquals(List.of(), Testbed.rootLinks(), "links left behind");
    }

    /** How a test reads what one real client received from the reflector. */
    interface Received {
        /** Waits for a reflected route for {@code prefix} that satisfies {@code condition}. */
        PeerRoute await(String prefix, Predicate<PeerRoute> condition);

        /** The reflected paths the client holds now for {@code prefix}. */
        List<PeerRoute> paths(String prefix);
    }

    /** One Calico-like client: what it announces, and what it received. */
    record Client(String name, Host host, boolean ipv6, List<StaticRoute> routes, Received received) {
        String address() {
            return host.address(ipv6);
        }
    }

    @Test
    void gobgpBird2AndBird16ExchangeRoutesThroughTheReflectorOverIpv4AndIpv6() {
        try (Testbed testbed = Testbed.start()) {
            List<Client> v4 = startClients(testbed, false, 11);
            List<Client> v6 = startClients(testbed, true, 21);
            List<PeerConfig> peers = new ArrayList<>();
            for (Client c : v4) {
                peers.add(InteropReflector.client(c.address(), Testbed.REFLECTOR_IPV4).build());
            }
            for (Client c : v6) {
                peers.add(InteropReflector.client(c.address(), Testbed.REFLECTOR_IPV6).build());
            }
            try (InteropReflector rr = InteropReflector.start(Transport.detect(), Testbed.REFLECTOR_IPV4, CLUSTER_ID,
                    List.of(Testbed.REFLECTOR_IPV4, Testbed.REFLECTOR_IPV6), 179, peers)) {
                for (Client c : v4) {
                    rr.awaitEstablished(UP, c.address());
                }
                for (Client c : v6) {
                    rr.awaitEstablished(UP, c.address());
                }
                assertEveryRouteReflectedToEveryOtherClient(v4);
                assertEveryRouteReflectedToEveryOtherClient(v6);
                assertNegotiatedCapabilities(rr);
                twoAnnouncersReachTheOthersAsTwoPaths(v4, false);
                twoAnnouncersReachTheOthersAsTwoPaths(v6, true);
                withdrawalAndAttributeChangePropagate(v4, false);
                withdrawalAndAttributeChangePropagate(v6, true);
                bird16WithdrawsAndReannounces(v4);
                bird16WithdrawsAndReannounces(v6);
                frrWithdrawsAndReannounces(v4);
                frrWithdrawsAndReannounces(v6);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- testbed:\n" + testbed.diagnostics(), e);
            }
        }
    }

    /**
     * GoBGP on host base, BIRD 2 on base+1, BIRD 1.6 (bird / bird6) on base+2, FRR on base+3; each with
     * two routes.
     */
    private List<Client> startClients(Testbed testbed, boolean ipv6, int base) {
        List<Client> clients = new ArrayList<>();
        Host g = testbed.host(base);
        List<StaticRoute> gRoutes = List.of(
                StaticRoute.of(prefix(ipv6, base, 0)).withCommunities("64512:100").withLargeCommunities("64512:1:2"),
                StaticRoute.of(prefix(ipv6, base, 1)));
        GobgpPeer gobgp = GobgpPeer.start(g, io.routereflector.testbed.PeerConfig.calicoNode(g, ipv6,
                gRoutes.toArray(StaticRoute[]::new)));
        clients.add(new Client("GoBGP", g, ipv6, gRoutes, new Received() {
            @Override
            public PeerRoute await(String prefix, Predicate<PeerRoute> condition) {
                return gobgp.awaitRoute(prefix, r -> !r.from().isEmpty() && condition.test(r), UP);
            }

            @Override
            public List<PeerRoute> paths(String prefix) {
                return gobgp.routes().stream().filter(r -> r.prefix().equals(prefix) && !r.from().isEmpty()).toList();
            }
        }));
        for (BirdPeer.Version version : List.of(BirdPeer.Version.BIRD2, BirdPeer.Version.BIRD16)) {
            Host h = testbed.host(base + clients.size());
            List<StaticRoute> routes = List.of(
                    StaticRoute.of(prefix(ipv6, h.number(), 0)).withCommunities("64512:" + h.number(), "65000:7")
                            .withLargeCommunities("64512:" + h.number() + ":9"),
                    StaticRoute.of(prefix(ipv6, h.number(), 1)));
            List<StaticRoute> announced = new ArrayList<>(routes);
            if (version == BirdPeer.Version.BIRD2) {
                announced.add(StaticRoute.of(shared(ipv6)));
            }
            BirdPeer bird = BirdPeer.start(h, version, io.routereflector.testbed.PeerConfig.calicoNode(h, ipv6,
                    announced.toArray(StaticRoute[]::new)));
            clients.add(new Client(version.toString(), h, ipv6, routes, new Received() {
                @Override
                public PeerRoute await(String prefix, Predicate<PeerRoute> condition) {
                    return bird.awaitRoute(prefix, r -> r.from().equals("reflector") && condition.test(r), UP);
                }

                @Override
                public List<PeerRoute> paths(String prefix) {
                    return bird.routes().stream().filter(r -> r.prefix().equals(prefix) && r.from().equals("reflector")).toList();
                }
            }));
            birds.put(h.number(), bird);
        }
        Host f = testbed.host(base + clients.size());
        List<StaticRoute> fRoutes = List.of(
                StaticRoute.of(prefix(ipv6, f.number(), 0)).withCommunities("64512:" + f.number(), "65000:8")
                        .withLargeCommunities("64512:" + f.number() + ":10"),
                StaticRoute.of(prefix(ipv6, f.number(), 1)));
        FrrPeer frr = FrrPeer.start(f, io.routereflector.testbed.PeerConfig.calicoNode(f, ipv6,
                fRoutes.toArray(StaticRoute[]::new)));
        clients.add(new Client("FRR", f, ipv6, fRoutes, new Received() {
            @Override
            public PeerRoute await(String prefix, Predicate<PeerRoute> condition) {
                return frr.awaitRoute(prefix, r -> !r.from().isEmpty() && condition.test(r), UP);
            }

            @Override
            public List<PeerRoute> paths(String prefix) {
                return frr.routes().stream().filter(r -> r.prefix().equals(prefix) && !r.from().isEmpty()).toList();
            }
        }));
        frrs.put(f.number(), frr);
        gobgps.put(g.number(), gobgp);
        return clients;
    }

    /** The daemons of the running test by host number (JUnit makes one instance per test). */
    private final java.util.Map<Integer, BirdPeer> birds = new java.util.HashMap<>();
    private final java.util.Map<Integer, GobgpPeer> gobgps = new java.util.HashMap<>();
    private final java.util.Map<Integer, FrrPeer> frrs = new java.util.HashMap<>();

    /** A /26 of 10.N.0.0/24 or a /122 of fd00:10:N::/64 (the block sizes Calico's IPAM hands out). */
    static String prefix(boolean ipv6, int host, int index) {
        return ipv6 ? "fd00:10:" + host + "::" + (index == 0 ? "" : Integer.toHexString(index * 64)) + "/122"
                : "10." + host + ".0." + index * 64 + "/26";
    }

    private static void assertEveryRouteReflectedToEveryOtherClient(List<Client> clients) {
        for (Client announcer : clients) {
            for (StaticRoute route : announcer.routes()) {
                for (Client receiver : clients) {
                    if (receiver == announcer) {
                        continue;
                    }
                    String where = announcer.name() + "'s " + route.prefix() + " at " + receiver.name()
                            + (receiver.ipv6() ? " (IPv6)" : "");
                    PeerRoute got = receiver.received().await(route.prefix(), r -> true);
                    assertEquals(announcer.host().ipv4(), got.originatorId(), where + ": ORIGINATOR_ID");
                    assertEquals(List.of(CLUSTER_ID), got.clusterList(), where + ": CLUSTER_LIST");
                    assertEquals(announcer.address(), got.nextHop(), where + ": NEXT_HOP");
                    assertEquals(route.communities(), got.communities(), where + ": COMMUNITIES");
                    assertEquals(route.largeCommunities(), got.largeCommunities(), where + ": LARGE_COMMUNITY");
                    assertEquals(List.of(), got.asPath(), where + ": AS_PATH (iBGP, not prepended)");
                    assertEquals(100, got.localPref(), where + ": LOCAL_PREF");
                    assertEquals("igp", got.origin(), where + ": ORIGIN");
                    // ADD-PATH: exactly one path per prefix, the announcer's (no echo of anyone else's).
                    assertEquals(1, receiver.received().paths(route.prefix()).size(), where + ": paths received");
                }
            }
        }
    }

    private void assertNegotiatedCapabilities(InteropReflector rr) {
        for (BirdPeer bird : birds.values()) {
            BirdProtocol p = bird.protocol("reflector");
            String what = bird.version() + " on " + bird.host() + ": " + p;
            assertTrue(p.established(), what);
            if (bird.version() == BirdPeer.Version.BIRD2) {
                for (String cap : List.of("Multiprotocol", "Route refresh", "Graceful restart", "4-octet AS numbers",
                        "ADD-PATH", "Enhanced refresh", "Long-lived graceful restart")) {
                    assertTrue(p.neighborCapabilities().contains(cap), what + ": no " + cap);
                }
                String all = bird.birdc("show", "protocols", "all", "reflector").orThrow();
                assertTrue(all.contains("RX: " + (bird.config().ipv6() ? "ipv6" : "ipv4")), all);
                assertTrue(all.contains("TX: " + (bird.config().ipv6() ? "ipv6" : "ipv4")), all);
            } else {
                for (String cap : List.of("refresh", "enhanced-refresh", "restart-able", "llgr-aware", "AS4",
                        "add-path-rx", "add-path-tx")) {
                    assertTrue(p.neighborCapabilities().contains(cap), what + ": no " + cap);
                }
            }
            var negotiated = rr.session(bird.host().address(bird.config().ipv6())).negotiated();
            assertTrue(negotiated.fourOctetAs(), what + ": " + negotiated);
        }
        for (GobgpPeer gobgp : gobgps.values()) {
            String reflector = gobgp.config().ipv6() ? Testbed.REFLECTOR_IPV6 : Testbed.REFLECTOR_IPV4;
            GobgpPeer.GobgpNeighbor n = gobgp.neighbor(reflector).orElseThrow();
            for (String cap : List.of("AddPathCapability", "FourOctetASNCapability", "GracefulRestartCapability",
                    "RouteRefreshCapability", "MultiProtocolCapability")) {
                assertTrue(n.remoteCapabilities().contains(cap), "GoBGP sees " + n.remoteCapabilities() + ": no " + cap);
            }
        }
        for (FrrPeer frr : frrs.values()) {
            boolean ipv6 = frr.config().ipv6();
            FrrPeer.FrrNeighbor n = frr.neighbor(ipv6 ? Testbed.REFLECTOR_IPV6 : Testbed.REFLECTOR_IPV4).orElseThrow();
            for (String cap : List.of("4byteAs", "addPath", "gracefulRestart", "routeRefresh", "enhancedRouteRefresh",
                    "longLivedGracefulRestart", "multiprotocolExtensions")) {
                assertTrue(n.capabilities().contains(cap), "FRR sees " + n.capabilities() + ": no " + cap);
            }
            var negotiated = rr.session(frr.host().address(ipv6)).negotiated();
            var family = ipv6 ? io.routereflector.wire.nlri.AddressFamily.IPV6_UNICAST
                    : io.routereflector.wire.nlri.AddressFamily.IPV4_UNICAST;
            assertTrue(negotiated.fourOctetAs(), "FRR: " + negotiated);
            assertEquals(java.util.Set.of(family), negotiated.addPathSend(), "we send FRR path ids: " + negotiated);
            assertEquals(java.util.Set.of(family), negotiated.addPathReceive(), "FRR sends us path ids: " + negotiated);
            assertEquals(java.util.Set.of(family), negotiated.gracefulRestartFamilies(), "FRR's GR families: " + negotiated);
        }
    }

    /**
     * BIRD 2 announces one more prefix, {@link #shared}, that GoBGP then announces too: BIRD 1.6 and FRR,
     * which receive ADD-PATH, hold both paths, each with its announcer as ORIGINATOR_ID and NEXT_HOP;
     * GoBGP withdraws it again and only BIRD 2's path stays.
     */
    private void twoAnnouncersReachTheOthersAsTwoPaths(List<Client> clients, boolean ipv6) {
        String prefix = shared(ipv6);
        Client g = clients.get(0);
        Client b2 = clients.get(1);
        GobgpPeer gobgp = gobgps.get(g.host().number());
        for (Client receiver : clients.subList(2, clients.size())) {
            receiver.received().await(prefix, r -> r.originatorId().equals(b2.host().ipv4()));
        }
        gobgp.addRoute(StaticRoute.of(prefix));
        Map<String, String> both = Map.of(g.host().ipv4(), g.address(), b2.host().ipv4(), b2.address());
        for (Client receiver : clients.subList(2, clients.size())) {
            io.routereflector.testbed.Await.until(receiver.name() + " to hold both paths of " + prefix, UP,
                    () -> nextHopsByOriginator(receiver.received().paths(prefix)).equals(both),
                    () -> receiver.received().paths(prefix).toString());
        }
        gobgp.deleteRoute(prefix);
        Map<String, String> one = Map.of(b2.host().ipv4(), b2.address());
        for (Client receiver : clients.subList(2, clients.size())) {
            io.routereflector.testbed.Await.until(receiver.name() + " to hold only BIRD 2's path of " + prefix, UP,
                    () -> nextHopsByOriginator(receiver.received().paths(prefix)).equals(one),
                    () -> receiver.received().paths(prefix).toString());
        }
    }

    private static Map<String, String> nextHopsByOriginator(List<PeerRoute> paths) {
        Map<String, String> out = new java.util.HashMap<>();
        for (PeerRoute r : paths) {
            if (out.put(r.originatorId(), r.nextHop()) != null) {
                return Map.of(); // two paths of one originator: not what ADD-PATH should give
            }
        }
        return out;
    }

    /** The prefix BIRD 2 announces beside its two routes, which GoBGP announces too for a while. */
    static String shared(boolean ipv6) {
        return ipv6 ? "fd00:10:ff::/122" : "10.255.0.0/26";
    }

    /**
     * GoBGP withdraws its second route and re-announces its first with one more community: both
     * BIRDs and FRR see the withdrawal, and the new community set, still reflected the same way.
     */
    private void withdrawalAndAttributeChangePropagate(List<Client> clients, boolean ipv6) {
        Client g = clients.get(0);
        GobgpPeer gobgp = gobgps.get(g.host().number());
        String first = g.routes().get(0).prefix();
        String second = g.routes().get(1).prefix();
        gobgp.deleteRoute(second);
        gobgp.addRoute(g.routes().get(0).withCommunities("64512:100", "64512:101"));
        for (Client receiver : clients.subList(1, clients.size())) {
            io.routereflector.testbed.Await.until(second + " withdrawn at " + receiver.name(), UP,
                    () -> receiver.received().paths(second).isEmpty(), () -> receiver.received().paths(second).toString());
            PeerRoute changed = receiver.received().await(first, r -> r.communities().size() == 2);
            assertEquals(List.of("64512:100", "64512:101"), changed.communities(), receiver.name());
            assertEquals(List.of("64512:1:2"), changed.largeCommunities(), receiver.name());
            assertEquals(g.host().ipv4(), changed.originatorId(), receiver.name());
            assertEquals(List.of(CLUSTER_ID), changed.clusterList(), receiver.name());
            assertEquals(g.host().address(ipv6), changed.nextHop(), receiver.name());
            assertEquals(1, receiver.received().paths(first).size(), receiver.name() + ": the old path is replaced");
        }
    }

    /**
     * BIRD 1.6 (the Calico node's daemon) stops exporting its static routes and starts again: GoBGP,
     * BIRD 2 and FRR see both routes withdrawn, then announced again with the same attributes.
     */
    private void bird16WithdrawsAndReannounces(List<Client> clients) {
        Client announcer = clients.get(2);
        BirdPeer bird16 = birds.get(announcer.host().number());
        String disabled = bird16.birdc("disable", "static1").orThrow();
        assertTrue(disabled.contains("disabled"), disabled);
        for (Client receiver : others(clients, announcer)) {
            for (StaticRoute route : announcer.routes()) {
                io.routereflector.testbed.Await.until(route.prefix() + " withdrawn at " + receiver.name(), UP,
                        () -> receiver.received().paths(route.prefix()).isEmpty(), () -> receiver.name());
            }
        }
        String enabled = bird16.birdc("enable", "static1").orThrow();
        assertTrue(enabled.contains("enabled"), enabled);
        for (Client receiver : others(clients, announcer)) {
            for (StaticRoute route : announcer.routes()) {
                PeerRoute back = receiver.received().await(route.prefix(), r -> true);
                assertEquals(route.communities(), back.communities(), receiver.name());
                assertEquals(announcer.host().ipv4(), back.originatorId(), receiver.name());
                assertEquals(List.of(CLUSTER_ID), back.clusterList(), receiver.name());
            }
        }
    }

    /**
     * FRR withdraws both its routes ({@code no network}) and announces them again: the three others see
     * them go, then come back with the same communities, reflected the same way.
     */
    private void frrWithdrawsAndReannounces(List<Client> clients) {
        Client announcer = clients.get(3);
        FrrPeer frr = frrs.get(announcer.host().number());
        for (StaticRoute route : announcer.routes()) {
            frr.deleteRoute(route.prefix());
        }
        for (Client receiver : others(clients, announcer)) {
            for (StaticRoute route : announcer.routes()) {
                io.routereflector.testbed.Await.until(route.prefix() + " withdrawn at " + receiver.name(), UP,
                        () -> receiver.received().paths(route.prefix()).isEmpty(), () -> receiver.name());
            }
        }
        for (StaticRoute route : announcer.routes()) {
            frr.addRoute(route);
        }
        for (Client receiver : others(clients, announcer)) {
            for (StaticRoute route : announcer.routes()) {
                PeerRoute back = receiver.received().await(route.prefix(), r -> true);
                assertEquals(route.communities(), back.communities(), receiver.name());
                assertEquals(route.largeCommunities(), back.largeCommunities(), receiver.name());
                assertEquals(announcer.host().ipv4(), back.originatorId(), receiver.name());
                assertEquals(List.of(CLUSTER_ID), back.clusterList(), receiver.name());
                assertEquals(announcer.address(), back.nextHop(), receiver.name());
            }
        }
    }

    private static List<Client> others(List<Client> clients, Client announcer) {
        return clients.stream().filter(c -> c != announcer).toList();
    }
}
