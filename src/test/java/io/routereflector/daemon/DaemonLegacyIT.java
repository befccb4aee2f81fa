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

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The old image's layout {@code /calico/bgp/v1}, the way its operators wrote it, read by two daemons
 * started from the jar with the old image's environment (IP, ETCD_ENDPOINTS or ETCD_AUTHORITY): the two
 * reflectors with {@code rr_v4} entries mesh (the v3-era image never did) and carry routes from one
 * client set to the other. The mesh is proven from the clients: a route that crossed both reflectors
 * carries both cluster ids in its CLUSTER_LIST, the far reflector's first (RFC 4456 §8).
 */
@Timeout(180)
class DaemonLegacyIT {

    static final String L = EtcdDatastoreIT.L;
    static final String A = Testbed.REFLECTOR_IPV4;
    static final Duration UP = Duration.ofSeconds(30);

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
    }

    /** {@code curl -L http://<ETCD>/v2/keys/<key> -XPUT -d value="<value>"}: what that sends, answered 201 or 200. */
    static void curl(HttpClient http, EtcdServer etcd, String key, String value) {
        try {
            int status = EtcdDatastoreIT.curlPut(http, etcd.endpoint(), key, value);
            assertTrue(status == 201 || status == 200, "v2 PUT " + key + ": HTTP " + status);
        } catch (Exception e) {
            throw new AssertionError("v2 PUT " + key + " failed", e);
        }
    }

    /**
     * The old README's topology in small: RR A (cluster id 1.0.0.1) serves w1, RR B (1.0.0.2) serves w2,
     * each through node-specific peer keys; everything written through the v2 API as the old README and
     * calicoctl v1 did. A route from w1 reaches w2 through A and B.
     */
    @Test
    void keysWrittenWithTheOldReadmesCurlThroughTheV2ApiMeshTwoDaemons() {
        try (Testbed testbed = Testbed.start(); EtcdServer etcd = EtcdServer.start(true)) {
            String b = testbed.addRootAddress(2);
            Host h1 = testbed.host(11);
            Host h2 = testbed.host(12);
            HttpClient http = HttpClient.newHttpClient();
            curl(http, etcd, L + "rr_v4/" + A, "{\"ip\":\"" + A + "\",\"cluster_id\":\"1.0.0.1\"}");
            curl(http, etcd, L + "rr_v4/" + b, "{\"ip\":\"" + b + "\",\"cluster_id\":\"1.0.0.2\"}");
            curl(http, etcd, L + "global/as_num", "64512");
            curl(http, etcd, L + "global/node_mesh", "{\"enabled\": false}");
            curl(http, etcd, L + "host/w1/ip_addr_v4", h1.ipv4());
            curl(http, etcd, L + "host/w1/peer_v4/" + A, "{\"ip\":\"" + A + "\",\"as_num\":\"64512\"}");
            curl(http, etcd, L + "host/w2/ip_addr_v4", h2.ipv4());
            curl(http, etcd, L + "host/w2/peer_v4/" + b, "{\"ip\":\"" + b + "\",\"as_num\":\"64512\"}");

            GobgpPeer w1 = GobgpPeer.start(h1, PeerConfig.calicoNode(h1, false, StaticRoute.of("10.11.0.0/26")));
            BirdPeer w2 = BirdPeer.start(h2, BirdPeer.Version.BIRD2, PeerConfig.calicoNode(h2, false, StaticRoute.of("10.12.0.0/26"))
                    .withNeighbors(Neighbor.calico("reflector", b)));
            // A with ETCD_ENDPOINTS, B with the older images' ETCD_AUTHORITY.
            try (DaemonProcess rrA = DaemonProcess.startJar("rr-a", List.of("run"),
                         Map.of("IP", A, "ETCD_ENDPOINTS", etcd.endpoint()), testbed.workDir());
                 DaemonProcess rrB = DaemonProcess.startJar("rr-b", List.of("run"),
                         Map.of("IP", b, "ETCD_AUTHORITY", "127.0.0.1:" + etcd.clientPort()), testbed.workDir())) {
                Supplier<String> diag = () -> rrA.diagnostics() + rrB.diagnostics() + testbed.diagnostics();
                try {
                    assertTrue(rrA.awaitStarted().contains("router id 198.51.100.1, cluster id 1.0.0.1, AS 64512, 2 peers"), diag.get());
                    assertTrue(rrB.awaitStarted().contains("router id 198.51.100.2, cluster id 1.0.0.2, AS 64512, 2 peers"), diag.get());
                    assertTrue(rrA.awaitLine("legacy keys under", UP).contains("etcd v2 keyspace"), diag.get());
                    ClientSessions sessions = new ClientSessions().gobgp("w1 (GoBGP) - A", w1, A).bird("w2 (BIRD 2) - B", w2, "reflector");
                    sessions.awaitEstablished("w1 (GoBGP) - A", UP, diag);
                    sessions.awaitEstablished("w2 (BIRD 2) - B", UP, diag);

                    PeerRoute atW2 = w2.awaitRoute("10.11.0.0/26", r -> r.clusterList().size() == 2, UP);
                    assertEquals(List.of("1.0.0.2", "1.0.0.1"), atW2.clusterList(), "crossed A, then B");
                    assertEquals(h1.ipv4(), atW2.originatorId());
                    assertEquals(h1.ipv4(), atW2.nextHop());
                    PeerRoute atW1 = w1.awaitRoute("10.12.0.0/26", r -> r.clusterList().size() == 2, UP);
                    assertEquals(List.of("1.0.0.1", "1.0.0.2"), atW1.clusterList(), "crossed B, then A");
                    assertEquals(h2.ipv4(), atW1.originatorId());
                    assertTrue(rrA.lines("peer " + b + " (").stream().anyMatch(l -> l.contains("-> Established")), diag.get());
                    System.out.println(ClientSessions.table("legacy v2 keys (curl), two daemons", sessions.snapshot()));
                    DaemonProcess.assertStopsOnSigterm(rrB);
                    DaemonProcess.assertStopsOnSigterm(rrA);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(e.getMessage() + "\n" + diag.get(), e);
                }
            }
        }
    }

    /**
     * The same layout put with {@code etcdctl put} into the v3 keyspace (no v2 API): empty cluster ids
     * (each reflector's router id applies); a global peer entry makes every host a client of A, a
     * node-specific one makes w3 a client of B as well. w3 sees w1's route twice: straight from A, and
     * from B after it crossed the mesh.
     */
    @Test
    void keysPutWithEtcdctlGlobalAndNodePeersMeshTwoDaemons() {
        try (Testbed testbed = Testbed.start(); EtcdServer etcd = EtcdServer.start(false)) {
            String b = testbed.addRootAddress(2);
            Host h1 = testbed.host(11);
            Host h2 = testbed.host(12);
            Host h3 = testbed.host(13);
            etcd.put(L + "rr_v4/" + A, "{\"ip\":\"" + A + "\",\"cluster_id\":\"\"}");
            etcd.put(L + "rr_v4/" + b, "{\"ip\":\"" + b + "\",\"cluster_id\":\"\"}");
            etcd.put(L + "global/as_num", "64512");
            etcd.put(L + "global/peer_v4/" + A, "{\"ip\":\"" + A + "\",\"as_num\":\"64512\"}");
            for (Host h : List.of(h1, h2, h3)) {
                etcd.put(L + "host/w" + (h.number() - 10) + "/ip_addr_v4", h.ipv4());
            }
            etcd.put(L + "host/w3/peer_v4/" + b, "{\"ip\":\"" + b + "\",\"as_num\":\"64512\"}");

            GobgpPeer w1 = GobgpPeer.start(h1, PeerConfig.calicoNode(h1, false, StaticRoute.of("10.11.0.0/26")));
            BirdPeer w2 = BirdPeer.start(h2, BirdPeer.Version.BIRD16, PeerConfig.calicoNode(h2, false, StaticRoute.of("10.12.0.0/26")));
            GobgpPeer w3 = GobgpPeer.start(h3, PeerConfig.calicoNode(h3, false, StaticRoute.of("10.13.0.0/26"))
                    .withNeighbors(Neighbor.calico("rra", A), Neighbor.calico("rrb", b)));
            try (DaemonProcess rrA = DaemonProcess.startJar("rr-a", List.of("run"),
                         Map.of("IP", A, "ETCD_ENDPOINTS", etcd.endpoint()), testbed.workDir());
                 DaemonProcess rrB = DaemonProcess.startJar("rr-b", List.of("run"),
                         Map.of("IP", b, "DATASTORE_TYPE", "etcdv3", "CALICO_ETCD_ENDPOINTS", etcd.endpoint()), testbed.workDir())) {
                Supplier<String> diag = () -> rrA.diagnostics() + rrB.diagnostics() + testbed.diagnostics();
                try {
                    assertTrue(rrA.awaitStarted().contains("router id 198.51.100.1, cluster id 198.51.100.1, AS 64512, 4 peers"), diag.get());
                    assertTrue(rrB.awaitStarted().contains("router id 198.51.100.2, cluster id 198.51.100.2, AS 64512, 2 peers"), diag.get());
                    ClientSessions sessions = new ClientSessions().gobgp("w1 (GoBGP) - A", w1, A).bird("w2 (BIRD 1.6) - A", w2, "reflector")
                            .gobgp("w3 (GoBGP) - A", w3, A).gobgp("w3 (GoBGP) - B", w3, b);
                    for (String c : List.of("w1 (GoBGP) - A", "w2 (BIRD 1.6) - A", "w3 (GoBGP) - A", "w3 (GoBGP) - B")) {
                        sessions.awaitEstablished(c, UP, diag);
                    }
                    PeerRoute viaMesh = w3.awaitRoute("10.11.0.0/26", r -> r.from().equals(b), UP);
                    assertEquals(List.of(b, A), viaMesh.clusterList(), "A reflected it to B over the mesh, B to w3");
                    assertEquals(h1.ipv4(), viaMesh.originatorId());
                    PeerRoute direct = w3.awaitRoute("10.11.0.0/26", r -> r.from().equals(A), UP);
                    assertEquals(List.of(A), direct.clusterList());
                    w2.awaitRoute("10.11.0.0/26", r -> r.originatorId().equals(h1.ipv4()), UP);
                    w1.awaitRoute("10.12.0.0/26", r -> r.originatorId().equals(h2.ipv4()), UP);
                    System.out.println(ClientSessions.table("legacy v3 keys (etcdctl), two daemons", sessions.snapshot()));
                    DaemonProcess.assertStopsOnSigterm(rrB);
                    DaemonProcess.assertStopsOnSigterm(rrA);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(e.getMessage() + "\n" + diag.get(), e);
                }
            }
        }
    }
}
