package io.routereflector.daemon;

import io.routereflector.testbed.BirdPeer;
import io.routereflector.testbed.EtcdServer;
import io.routereflector.testbed.GobgpPeer;
import io.routereflector.testbed.Host;
import io.routereflector.testbed.Neighbor;
import io.routereflector.testbed.PeerConfig;
import io.routereflector.testbed.PeerRoute;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon, started from the built jar with the old image's environment (NODENAME, DATASTORE_TYPE,
 * ETCD_ENDPOINTS), against a real etcd holding Calico v3 resources as calicoctl stores them, with real
 * GoBGP and BIRD 1.6 clients in testbed namespaces. Sessions and routes are observed from the clients.
 *
 * <p>The cluster: reflector node rr1 (198.51.100.1, cluster id 224.0.0.1, label route-reflector=true);
 * BGPPeer {@code rack-a-to-reflectors} (nodeSelector rack == 'a', peerSelector route-reflector == 'true')
 * makes every rack-a node a client (symmetric peering, rule 3); BGPPeer {@code rr1-to-tor} (node rr1,
 * peerIP 198.51.100.20) adds a router that is no node. w3 sits in rack b: selected by nothing, its
 * connections are refused.
 *
 * <p>Timing of the live add: w4 (GoBGP) is configured passive toward the reflector, so the session comes
 * up by the daemon's own dial as soon as it applies the change; an active client would also have been
 * refused before the put and would come back only at its next connect retry (5 s for Calico's BIRD),
 * which measures the client, not the daemon.
 */
@Timeout(180)
class DaemonEtcdV3IT {

    static final String R = EtcdDatastoreIT.R;
    static final String RR = Testbed.REFLECTOR_IPV4;
    static final String CLUSTER = "224.0.0.1";
    static final Duration UP = Duration.ofSeconds(30);

    static String peer(String name, String spec) {
        return "{\"kind\":\"BGPPeer\",\"apiVersion\":\"projectcalico.org/v3\",\"metadata\":{\"name\":\"" + name + "\","
                + "\"uid\":\"6e0c9a52-5b1d-4f8e-a3c7-" + String.format("%012d", Math.abs((long) name.hashCode())) + "\","
                + "\"creationTimestamp\":\"2024-05-01T10:00:00Z\"},\"spec\":{" + spec + "}}";
    }

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
    }

    @Test
    void v3ResourcesDriveTheSessionsLiveWithoutFlappingOthers() {
        try (Testbed testbed = Testbed.start(); EtcdServer etcd = EtcdServer.start(false)) {
            Host h1 = testbed.host(11);
            Host h2 = testbed.host(12);
            Host h3 = testbed.host(13);
            Host h4 = testbed.host(14);
            Host tor = testbed.host(20);
            etcd.put(R + "bgpconfigurations/default", EtcdDatastoreIT.DEFAULT_CONFIG);
            etcd.put(R + "nodes/rr1", EtcdDatastoreIT.node("rr1", RR, CLUSTER, "\"route-reflector\":\"true\""));
            etcd.put(R + "nodes/w1", EtcdDatastoreIT.node("w1", h1.ipv4(), null, "\"rack\":\"a\""));
            etcd.put(R + "nodes/w2", EtcdDatastoreIT.node("w2", h2.ipv4(), null, "\"rack\":\"a\""));
            etcd.put(R + "nodes/w3", EtcdDatastoreIT.node("w3", h3.ipv4(), null, "\"rack\":\"b\""));
            etcd.put(R + "bgppeers/rack-a-to-reflectors",
                    peer("rack-a-to-reflectors", "\"nodeSelector\":\"rack == 'a'\",\"peerSelector\":\"route-reflector == 'true'\""));
            etcd.put(R + "bgppeers/rr1-to-tor", peer("rr1-to-tor", "\"node\":\"rr1\",\"peerIP\":\"" + tor.ipv4() + "\",\"asNumber\":64512"));

            GobgpPeer w1 = GobgpPeer.start(h1, PeerConfig.calicoNode(h1, false, StaticRoute.of("10.11.0.0/26")));
            BirdPeer w2 = BirdPeer.start(h2, BirdPeer.Version.BIRD16, PeerConfig.calicoNode(h2, false, StaticRoute.of("10.12.0.0/26")));
            GobgpPeer w3 = GobgpPeer.start(h3, PeerConfig.calicoNode(h3, false, StaticRoute.of("10.13.0.0/26")));
            GobgpPeer w4 = GobgpPeer.start(h4, PeerConfig.calicoNode(h4, false, StaticRoute.of("10.14.0.0/26"))
                    .withNeighbors(Neighbor.calico("reflector", RR).withPassive(true)));
            GobgpPeer torPeer = GobgpPeer.start(tor, PeerConfig.calicoNode(tor, false, StaticRoute.of("10.20.0.0/24")));
            ClientSessions sessions = new ClientSessions().gobgp("w1 (GoBGP)", w1, RR).bird("w2 (BIRD 1.6)", w2, "reflector")
                    .gobgp("tor (GoBGP, peerIP)", torPeer, RR).gobgp("w3 (GoBGP, rack b)", w3, RR)
                    .gobgp("w4 (GoBGP, passive)", w4, RR);

            try (DaemonProcess daemon = DaemonProcess.startJar("rr1", List.of("run"), Map.of("DATASTORE_TYPE", "etcdv3",
                    "ETCD_ENDPOINTS", etcd.endpoint(), "NODENAME", "rr1"), testbed.workDir())) {
                Supplier<String> diag = () -> daemon.diagnostics() + testbed.diagnostics();
                try {
                    String started = daemon.awaitStarted();
                    assertTrue(started.contains("router id 198.51.100.1, cluster id 224.0.0.1, AS 64512, 3 peers"), started);
                    for (String c : List.of("w1 (GoBGP)", "w2 (BIRD 1.6)", "tor (GoBGP, peerIP)")) {
                        sessions.awaitEstablished(c, UP, diag);
                    }
                    // Routes reflect between the clients, unchanged but for ORIGINATOR_ID and CLUSTER_LIST.
                    PeerRoute fromW2 = w1.awaitRoute("10.12.0.0/26", r -> r.from().equals(RR), UP);
                    assertEquals(h2.ipv4(), fromW2.originatorId());
                    assertEquals(List.of(CLUSTER), fromW2.clusterList());
                    assertEquals(h2.ipv4(), fromW2.nextHop());
                    w2.awaitRoute("10.11.0.0/26", r -> r.originatorId().equals(h1.ipv4()), UP);
                    w2.awaitRoute("10.20.0.0/24", r -> r.originatorId().equals(tor.ipv4()), UP);
                    torPeer.awaitRoute("10.11.0.0/26", r -> r.clusterList().equals(List.of(CLUSTER)), UP);
                    // w3 (rack b) is selected by nothing: refused, never Established, and gets no routes.
                    daemon.awaitLine("refused a connection from " + h3.ipv4(), UP);
                    assertFalse(sessions.read("w3 (GoBGP, rack b)").established());
                    assertTrue(w3.routes().stream().noneMatch(r -> !r.from().isEmpty()), "w3 received routes");
                    assertFalse(sessions.read("w4 (GoBGP, passive)").established());
                    DaemonProcess.sleep(1100); // the "since" clocks tick in seconds: let one pass before comparing

                    // 1. A node resource is added: its session is up within 2 s of the put, nobody else moves.
                    Map<String, ClientSessions.Session> before = sessions.snapshot();
                    long t0 = System.nanoTime();
                    etcd.put(R + "nodes/w4", EtcdDatastoreIT.node("w4", h4.ipv4(), null, "\"rack\":\"a\""));
                    sessions.awaitEstablished("w4 (GoBGP, passive)", Duration.ofSeconds(2), diag);
                    long millis = (System.nanoTime() - t0) / 1_000_000;
                    System.out.println("w4: put of nodes/w4 → Established at the client in " + millis + " ms");
                    w4.awaitRoute("10.12.0.0/26", r -> r.originatorId().equals(h2.ipv4()), UP);
                    w1.awaitRoute("10.14.0.0/26", r -> r.originatorId().equals(h4.ipv4()), UP);
                    Map<String, ClientSessions.Session> after = sessions.snapshot();
                    System.out.println(ClientSessions.table("put nodes/w4 (Established " + millis + " ms after the put)", before, after));
                    ClientSessions.assertUntouched(before, after, "adding w4", "w4 (GoBGP, passive)");

                    // 2. A node resource is deleted: only its session goes, and its routes with it.
                    DaemonProcess.sleep(1100);
                    before = after;
                    etcd.etcdctl("del", R + "nodes/w1").orThrow();
                    sessions.awaitDown("w1 (GoBGP)", Duration.ofSeconds(5), diag);
                    awaitThat(() -> w2.routes().stream().noneMatch(r -> r.prefix().equals("10.11.0.0/26")), "w1's route withdrawn at w2", diag);
                    after = sessions.snapshot();
                    System.out.println(ClientSessions.table("delete nodes/w1", before, after));
                    ClientSessions.assertUntouched(before, after, "deleting w1", "w1 (GoBGP)");
                    assertTrue(daemon.log().contains("peer " + h1.ipv4() + ": removed from the configuration"), daemon.diagnostics());

                    // 3. w2 gets the reflector's cluster id: it becomes a NON_CLIENT, and only its session resets.
                    DaemonProcess.sleep(1100);
                    before = after;
                    etcd.put(R + "nodes/w2", EtcdDatastoreIT.node("w2", h2.ipv4(), CLUSTER, "\"rack\":\"a\""));
                    daemon.awaitLine("peer " + h2.ipv4() + ": configuration changed, resetting", Duration.ofSeconds(5));
                    String epochBefore = before.get("w2 (BIRD 1.6)").epoch();
                    sessions.await("w2 (BIRD 1.6)", UP, s -> s.established() && !s.epoch().equals(epochBefore), "re-Established", diag);
                    String reset = daemon.lines("peer " + h2.ipv4() + ": configuration changed, resetting").get(0);
                    // PeerConfig prints the roles as "rr client" (CLIENT) and "rr mesh" (NON_CLIENT).
                    assertTrue(daemon.lines("peer " + h2.ipv4() + ": added").get(0).contains(" rr client "), daemon.diagnostics());
                    assertTrue(reset.contains(" rr mesh "), reset);
                    // A non-client's route still reaches the clients; the clients' routes still reach it.
                    torPeer.awaitRoute("10.12.0.0/26", r -> r.originatorId().equals(h2.ipv4()), UP);
                    w2.awaitRoute("10.20.0.0/24", r -> r.originatorId().equals(tor.ipv4()), UP);
                    after = sessions.snapshot();
                    System.out.println(ClientSessions.table("nodes/w2 gets routeReflectorClusterID 224.0.0.1 (CLIENT → NON_CLIENT)",
                            before, after));
                    ClientSessions.assertUntouched(before, after, "w2's cluster id", "w2 (BIRD 1.6)");
                    assertNotEquals(before.get("w2 (BIRD 1.6)").epoch(), after.get("w2 (BIRD 1.6)").epoch());
                    assertEquals(1, daemon.lines("configuration changed, resetting").size(), daemon.diagnostics());
                    assertFalse(sessions.read("w3 (GoBGP, rack b)").established(), "w3 stays refused throughout");
                    assertTrue(daemon.lines("resetting every session").isEmpty(), daemon.diagnostics());
                    DaemonProcess.assertStopsOnSigterm(daemon);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(e.getMessage() + "\n" + diag.get(), e);
                }
            }
        }
    }

    static void awaitThat(java.util.function.BooleanSupplier condition, String what, Supplier<String> diag) {
        io.routereflector.testbed.Await.until(what, UP, condition, diag);
    }
}
