package io.routereflector.testbed;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Proves the testbed: real BIRD 2, BIRD 1.6 and GoBGP peer over the bridge and exchange routes; etcd runs. */
class TestbedIT {

    private static final Duration UP = Duration.ofSeconds(60);

    @AfterEach
    void nothingLeftBehind() {
        // Under the testbed lock: a testbed of another test JVM on this machine must not count as ours.
        Testbed.whileNoOtherTestbed(() -> {
            assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
            assertEquals(List.of(), Testbed.rootLinks(), "links left behind");
            return null;
        });
    }

    @Test
    void bird2AndGobgpPeerAndExchangeRoutesWithCommunities() {
        long birdPid;
        long gobgpPid;
        try (Testbed testbed = Testbed.start()) {
            Host birdHost = testbed.host(12);
            Host gobgpHost = testbed.host(13);
            BirdPeer bird = BirdPeer.start(birdHost, BirdPeer.Version.BIRD2, new PeerConfig(64512, birdHost.ipv4(),
                    false, List.of(StaticRoute.of("10.12.0.0/26").withCommunities("64512:100")
                            .withLargeCommunities("64512:1:2"), StaticRoute.of("10.12.0.64/26")),
                    List.of(Neighbor.calico("gobgp", gobgpHost.ipv4())), "", true));
            GobgpPeer gobgp = GobgpPeer.start(gobgpHost, new PeerConfig(64512, gobgpHost.ipv4(), false,
                    List.of(StaticRoute.of("10.13.0.0/26").withCommunities("64512:200", "65535:65281")
                            .withLargeCommunities("64512:3:4").withRouteTargets("64512:10").withMed(10)),
                    List.of(Neighbor.calico("bird", birdHost.ipv4())), "", true));
            birdPid = bird.process().pid();
            gobgpPid = gobgp.process().pid();

            BirdProtocol session = bird.awaitEstablished("gobgp", UP);
            assertEquals(gobgpHost.ipv4(), session.neighborAddress());
            assertTrue(session.session().contains("internal"), session.toString());
            GobgpPeer.GobgpNeighbor neighbor = gobgp.awaitEstablished(birdHost.ipv4(), UP);
            assertTrue(neighbor.remoteCapabilities().contains("AddPathCapability"), neighbor.toString());
            assertTrue(neighbor.remoteCapabilities().contains("FourOctetASNCapability"), neighbor.toString());

            PeerRoute atGobgp = gobgp.awaitRoute("10.12.0.0/26", r -> !r.from().isEmpty(), UP);
            assertEquals(birdHost.ipv4(), atGobgp.nextHop());
            assertEquals(List.of("64512:100"), atGobgp.communities());
            assertEquals(List.of("64512:1:2"), atGobgp.largeCommunities());
            assertEquals(100, atGobgp.localPref());
            gobgp.awaitRoute("10.12.0.64/26", r -> r.communities().isEmpty(), UP);

            PeerRoute atBird = bird.awaitRoute("10.13.0.0/26", r -> r.from().equals("gobgp"), UP);
            assertEquals(gobgpHost.ipv4(), atBird.nextHop());
            assertEquals(List.of("64512:200", "65535:65281"), atBird.communities());
            assertEquals(List.of("64512:3:4"), atBird.largeCommunities());
            assertEquals(List.of("rt:64512:10"), atBird.extCommunities());
            assertEquals(10, atBird.med());
            assertEquals("igp", atBird.origin());
            assertEquals(1, bird.protocol("gobgp").imported());
            assertEquals(2, bird.protocol("gobgp").exported());
        }
        assertFalse(ProcessHandle.of(birdPid).map(ProcessHandle::isAlive).orElse(false), "bird still runs");
        assertFalse(ProcessHandle.of(gobgpPid).map(ProcessHandle::isAlive).orElse(false), "gobgpd still runs");
    }

    @Test
    void bird16ComesUpAgainstGobgp() {
        try (Testbed testbed = Testbed.start()) {
            Host birdHost = testbed.host(22);
            Host gobgpHost = testbed.host(23);
            BirdPeer bird = BirdPeer.start(birdHost, BirdPeer.Version.BIRD16, new PeerConfig(64512,
                    birdHost.ipv4(), false, List.of(StaticRoute.of("10.22.0.0/26").withCommunities("64512:122")),
                    List.of(Neighbor.calico("gobgp", gobgpHost.ipv4())), "", true));
            GobgpPeer gobgp = GobgpPeer.start(gobgpHost, new PeerConfig(64512, gobgpHost.ipv4(), false,
                    List.of(StaticRoute.of("10.23.0.0/26").withLargeCommunities("64512:23:1")),
                    List.of(Neighbor.calico("bird", birdHost.ipv4())), "", true));

            assertTrue(bird.versionString().contains("1.6"), bird.versionString());
            BirdProtocol session = bird.awaitEstablished("gobgp", UP);
            assertTrue(session.neighborCapabilities().contains("AS4"), session.toString());
            gobgp.awaitEstablished(birdHost.ipv4(), UP);
            PeerRoute atGobgp = gobgp.awaitRoute("10.22.0.0/26", r -> !r.from().isEmpty(), UP);
            assertEquals(List.of("64512:122"), atGobgp.communities());
            PeerRoute atBird = bird.awaitRoute("10.23.0.0/26", r -> true, UP);
            assertEquals(gobgpHost.ipv4(), atBird.nextHop());
            assertEquals(List.of("64512:23:1"), atBird.largeCommunities());
        }
    }

    @Test
    void bird2ReflectsBetweenGobgpAndBird16WithOriginatorAndClusterList() {
        try (Testbed testbed = Testbed.start()) {
            Host rrHost = testbed.host(32);
            Host gobgpHost = testbed.host(33);
            Host bird16Host = testbed.host(34);
            BirdPeer.start(rrHost, BirdPeer.Version.BIRD2, new PeerConfig(64512, rrHost.ipv4(), false, List.of(),
                    List.of(Neighbor.calico("client_gobgp", gobgpHost.ipv4()).withRrClient(true),
                            Neighbor.calico("client_bird", bird16Host.ipv4()).withRrClient(true)),
                    "10.0.0.32", true));
            GobgpPeer gobgp = GobgpPeer.start(gobgpHost, new PeerConfig(64512, gobgpHost.ipv4(), false,
                    List.of(StaticRoute.of("10.33.0.0/26")), List.of(Neighbor.calico("reflector", rrHost.ipv4())), "",
                    true));
            BirdPeer bird16 = BirdPeer.start(bird16Host, BirdPeer.Version.BIRD16, new PeerConfig(64512,
                    bird16Host.ipv4(), false, List.of(StaticRoute.of("10.34.0.0/26")),
                    List.of(Neighbor.calico("reflector", rrHost.ipv4())), "", true));

            PeerRoute atGobgp = gobgp.awaitRoute("10.34.0.0/26", r -> true, UP);
            assertEquals(bird16Host.ipv4(), atGobgp.nextHop());
            assertEquals(bird16Host.ipv4(), atGobgp.originatorId());
            assertEquals(List.of("10.0.0.32"), atGobgp.clusterList());
            PeerRoute atBird16 = bird16.awaitRoute("10.33.0.0/26", r -> true, UP);
            assertEquals(gobgpHost.ipv4(), atBird16.nextHop());
            assertEquals(gobgpHost.ipv4(), atBird16.originatorId());
            assertEquals(List.of("10.0.0.32"), atBird16.clusterList());
        }
    }

    @Test
    void bird6SessionOverIpv6() {
        try (Testbed testbed = Testbed.start()) {
            Host birdHost = testbed.host(42);
            Host gobgpHost = testbed.host(43);
            BirdPeer bird6 = BirdPeer.start(birdHost, BirdPeer.Version.BIRD16, new PeerConfig(64512,
                    birdHost.ipv4(), true, List.of(StaticRoute.of("fd00:10:42::/122").withCommunities("64512:6")),
                    List.of(Neighbor.calico("gobgp", gobgpHost.ipv6())), "", true));
            GobgpPeer gobgp = GobgpPeer.start(gobgpHost, new PeerConfig(64512, gobgpHost.ipv4(), true,
                    List.of(StaticRoute.of("fd00:10:43::/122")), List.of(Neighbor.calico("bird", birdHost.ipv6())),
                    "", true));

            BirdProtocol session = bird6.awaitEstablished("gobgp", UP);
            assertEquals(gobgpHost.ipv6(), session.neighborAddress());
            gobgp.awaitEstablished(birdHost.ipv6(), UP);
            PeerRoute atGobgp = gobgp.awaitRoute("fd00:10:42::/122", r -> !r.from().isEmpty(), UP);
            assertEquals(birdHost.ipv6(), atGobgp.nextHop());
            assertEquals(List.of("64512:6"), atGobgp.communities());
            PeerRoute atBird = bird6.awaitRoute("fd00:10:43::/122", r -> true, UP);
            assertEquals(gobgpHost.ipv6(), atBird.nextHop());
        }
    }

    @Test
    void etcdServesPutAndGetAndKeepsDataAcrossRestart() {
        try (EtcdServer etcd = EtcdServer.start(true)) {
            assertNull(etcd.get("/calico/bgp/v1/global/as_num"));
            etcd.put("/calico/bgp/v1/global/as_num", "64512");
            assertEquals("64512", etcd.get("/calico/bgp/v1/global/as_num"));
            etcd.stop();
            assertFalse(etcd.isRunning());
            assertFalse(etcd.etcdctl("--command-timeout=2s", "get", "/calico/bgp/v1/global/as_num").ok(),
                    "a stopped etcd must not answer");
            etcd.start();
            assertEquals("64512", etcd.get("/calico/bgp/v1/global/as_num"));
        }
    }
}
