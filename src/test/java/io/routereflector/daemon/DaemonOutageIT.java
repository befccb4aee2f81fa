package io.routereflector.daemon;

import io.routereflector.testbed.BirdPeer;
import io.routereflector.testbed.EtcdServer;
import io.routereflector.testbed.GobgpPeer;
import io.routereflector.testbed.Host;
import io.routereflector.testbed.Neighbor;
import io.routereflector.testbed.PeerConfig;
import io.routereflector.testbed.StaticRoute;
import io.routereflector.testbed.Testbed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * etcd goes away for 30 s while the daemon (a process from the jar) serves its clients: no session
 * drops — the clients' Established times do not move — and a change put right after etcd is back
 * (a new node, whose client is passive so the daemon's own dial brings it up) is applied.
 */
@Timeout(150)
class DaemonOutageIT {

    static final String R = EtcdDatastoreIT.R;
    static final String RR = Testbed.REFLECTOR_IPV4;
    static final Duration UP = Duration.ofSeconds(30);
    static final Duration OUTAGE = Duration.ofSeconds(30);

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
    }

    @Test
    void etcdAwayForThirtySecondsDropsNoSessionAndAChangeAfterItIsApplied() {
        try (Testbed testbed = Testbed.start(); EtcdServer etcd = EtcdServer.start(false)) {
            Host h1 = testbed.host(11);
            Host h2 = testbed.host(12);
            Host h3 = testbed.host(13);
            etcd.put(R + "bgpconfigurations/default", EtcdDatastoreIT.DEFAULT_CONFIG);
            etcd.put(R + "nodes/rr1", EtcdDatastoreIT.node("rr1", RR, "224.0.0.1", "\"route-reflector\":\"true\""));
            etcd.put(R + "nodes/w1", EtcdDatastoreIT.node("w1", h1.ipv4(), null, ""));
            etcd.put(R + "nodes/w2", EtcdDatastoreIT.node("w2", h2.ipv4(), null, ""));
            etcd.put(R + "bgppeers/peer-with-route-reflectors", EtcdDatastoreIT.PEER_WITH_RRS);
            GobgpPeer w1 = GobgpPeer.start(h1, PeerConfig.calicoNode(h1, false, StaticRoute.of("10.11.0.0/26")));
            BirdPeer w2 = BirdPeer.start(h2, BirdPeer.Version.BIRD2, PeerConfig.calicoNode(h2, false, StaticRoute.of("10.12.0.0/26")));
            GobgpPeer w3 = GobgpPeer.start(h3, PeerConfig.calicoNode(h3, false, StaticRoute.of("10.13.0.0/26"))
                    .withNeighbors(Neighbor.calico("reflector", RR).withPassive(true)));
            ClientSessions sessions = new ClientSessions().gobgp("w1 (GoBGP)", w1, RR).bird("w2 (BIRD 2)", w2, "reflector")
                    .gobgp("w3 (GoBGP, passive)", w3, RR);
            try (DaemonProcess daemon = DaemonProcess.startJar("rr1", List.of("run"),
                    Map.of("ETCD_ENDPOINTS", etcd.endpoint(), "NODENAME", "rr1"), testbed.workDir())) {
                Supplier<String> diag = () -> daemon.diagnostics() + "\n" + etcd.diagnostics() + "\n" + testbed.diagnostics();
                try {
                    daemon.awaitStarted();
                    sessions.awaitEstablished("w1 (GoBGP)", UP, diag);
                    sessions.awaitEstablished("w2 (BIRD 2)", UP, diag);
                    w1.awaitRoute("10.12.0.0/26", r -> r.originatorId().equals(h2.ipv4()), UP);
                    DaemonProcess.sleep(1100);
                    Map<String, ClientSessions.Session> before = sessions.snapshot();

                    long stopped = System.nanoTime();
                    etcd.stop();
                    DaemonProcess.sleep(OUTAGE.toMillis());
                    assertTrue(daemon.isAlive(), "the daemon outlives the outage");
                    Map<String, ClientSessions.Session> during = sessions.snapshot();
                    System.out.println(ClientSessions.table("after " + OUTAGE.toSeconds() + " s without etcd", before, during));
                    ClientSessions.assertUntouched(before, during, "etcd stopped");
                    assertTrue(w1.routes().stream().anyMatch(r -> r.prefix().equals("10.12.0.0/26")), "routes stay while etcd is away");

                    etcd.start();
                    long back = System.nanoTime();
                    etcd.put(R + "nodes/w3", EtcdDatastoreIT.node("w3", h3.ipv4(), null, ""));
                    sessions.awaitEstablished("w3 (GoBGP, passive)", UP, diag);
                    long millis = (System.nanoTime() - back) / 1_000_000;
                    System.out.println("etcd was away " + (back - stopped) / 1_000_000 + " ms; nodes/w3 put right after it returned was"
                            + " Established at the client " + millis + " ms after etcd was back");
                    // What the daemon said about etcd meanwhile (the closing note quotes it).
                    daemon.lines("etcd").forEach(System.out::println);
                    w3.awaitRoute("10.11.0.0/26", r -> r.originatorId().equals(h1.ipv4()), UP);
                    Map<String, ClientSessions.Session> after = sessions.snapshot();
                    System.out.println(ClientSessions.table("etcd back, nodes/w3 put", before, after));
                    ClientSessions.assertUntouched(before, after, "etcd outage and return", "w3 (GoBGP, passive)");
                    assertTrue(daemon.lines("resetting").isEmpty(), "no session was reset\n" + daemon.diagnostics());
                    DaemonProcess.assertStopsOnSigterm(daemon);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(e.getMessage() + "\n" + diag.get(), e);
                }
            }
        }
    }
}
