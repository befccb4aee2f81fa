package io.routereflector.daemon;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.routereflector.datastore.kdd.ApiServerStandIn;
import io.routereflector.datastore.kdd.KddObjects;
import io.routereflector.datastore.kdd.NodeMapping;
import io.routereflector.testbed.Await;
import io.routereflector.testbed.BirdPeer;
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

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code DATASTORE_TYPE=kubernetes} end to end: two reflector daemons from the jar, each a Kubernetes Node
 * (annotations as calico/node writes them), reading fabric8's mock API server on loopback through a
 * kubeconfig. The mock stands in for a real Kubernetes API server, which cannot be installed here; its
 * data outlives a stop, which is how the outage is made. Real GoBGP, BIRD 1.6 and BIRD 2 clients in
 * testbed namespaces.
 *
 * <p>rr1 (198.51.100.1, cluster id 244.0.0.1) serves rack a, rr2 (198.51.100.2, cluster id 244.0.0.2)
 * serves rack b: BGPPeers {@code rack-a-to-rr1}, {@code rack-b-to-rr2} and {@code rrs-to-rrs} (the
 * reflectors are clients of each other, so routes cross between the client sets). Mesh off, bindMode
 * NodeIP (both daemons share the test's host). Clients added live are passive toward the reflector, so
 * the session comes up by the daemon's own dial when it applies the change.
 */
@Timeout(300)
class DaemonKddIT {

    static final String RR1 = Testbed.REFLECTOR_IPV4;
    static final Duration UP = Duration.ofSeconds(30);

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
    }

    private static DaemonProcess reflector(String name, Path kubeconfig, Testbed testbed, int metrics, int admin) {
        return DaemonProcess.startJar(name, List.of("run", "--admin-listen", "127.0.0.1:" + admin,
                        "--metrics-listen", "127.0.0.1:" + metrics),
                Map.of("DATASTORE_TYPE", "kubernetes", "KUBECONFIG", kubeconfig.toString(), "NODENAME", name,
                        "STATE_DIRECTORY", testbed.workDir().resolve(name + "-state").toString()), testbed.workDir());
    }

    @Test
    void kubernetesNodesAndCrdsDriveTwoMeshedReflectorsLive() throws Exception {
        try (Testbed testbed = Testbed.start(); ApiServerStandIn api = new ApiServerStandIn().start(); KubernetesClient k = api.client()) {
            String rr2Address = testbed.addRootAddress(2);
            Host h1 = testbed.host(11);
            Host h2 = testbed.host(12);
            Host h3 = testbed.host(13);
            Host h4 = testbed.host(14);
            Host h5 = testbed.host(15);
            Host torHost = testbed.host(20);
            k.nodes().resource(KddObjects.node("rr1", RR1, "244.0.0.1", Map.of("route-reflector", "true", "rr", "rr1"))).create();
            k.nodes().resource(KddObjects.node("rr2", rr2Address, "244.0.0.2", Map.of("route-reflector", "true", "rr", "rr2"))).create();
            k.nodes().resource(KddObjects.node("w1", h1.ipv4(), null, Map.of("rack", "a"))).create();
            k.nodes().resource(KddObjects.node("w2", h2.ipv4(), null, Map.of("rack", "a"))).create();
            k.nodes().resource(KddObjects.node("w3", h3.ipv4(), null, Map.of("rack", "b"))).create();
            // calico/node has not started on w4 yet (no address annotation); w5 is in no rack yet.
            k.nodes().resource(new NodeBuilder().withNewMetadata().withName("w4").addToLabels("rack", "a").endMetadata().build()).create();
            k.nodes().resource(KddObjects.node("w5", h5.ipv4(), null, Map.of())).create();
            KddObjects.createPeer(k, "rack-a-to-rr1", "{\"nodeSelector\":\"rack == 'a'\",\"peerSelector\":\"rr == 'rr1'\"}");
            KddObjects.createPeer(k, "rack-b-to-rr2", "{\"nodeSelector\":\"rack == 'b'\",\"peerSelector\":\"rr == 'rr2'\"}");
            KddObjects.createPeer(k, "rrs-to-rrs", "{\"nodeSelector\":\"has(route-reflector)\",\"peerSelector\":\"has(route-reflector)\"}");
            KddObjects.createConfiguration(k, "default", "{\"nodeToNodeMeshEnabled\":false,\"asNumber\":64512,\"bindMode\":\"NodeIP\"}");
            Path kubeconfig = api.kubeconfig(testbed.workDir());

            GobgpPeer w1 = GobgpPeer.start(h1, PeerConfig.calicoNode(h1, false, StaticRoute.of("10.11.0.0/26")));
            BirdPeer w2 = BirdPeer.start(h2, BirdPeer.Version.BIRD16, PeerConfig.calicoNode(h2, false, StaticRoute.of("10.12.0.0/26")));
            BirdPeer w3 = BirdPeer.start(h3, BirdPeer.Version.BIRD2, PeerConfig.calicoNode(h3, false, StaticRoute.of("10.13.0.0/26"))
                    .withNeighbors(Neighbor.calico("reflector", rr2Address)));
            GobgpPeer w4 = GobgpPeer.start(h4, PeerConfig.calicoNode(h4, false, StaticRoute.of("10.14.0.0/26"))
                    .withNeighbors(Neighbor.calico("reflector", RR1).withPassive(true)));
            GobgpPeer w5 = GobgpPeer.start(h5, PeerConfig.calicoNode(h5, false, StaticRoute.of("10.15.0.0/26"))
                    .withNeighbors(Neighbor.calico("reflector", RR1).withPassive(true)));
            ClientSessions sessions = new ClientSessions().gobgp("w1 (GoBGP)", w1, RR1).bird("w2 (BIRD 1.6)", w2, "reflector")
                    .bird("w3 (BIRD 2, rr2)", w3, "reflector").gobgp("w4 (GoBGP)", w4, RR1).gobgp("w5 (GoBGP)", w5, RR1);
            int metrics1 = DaemonProcess.freePort();
            String admin1 = "127.0.0.1:" + DaemonProcess.freePort();
            try (DaemonProcess rr1 = reflector("rr1", kubeconfig, testbed, metrics1, Integer.parseInt(admin1.substring(10)));
                 DaemonProcess rr2 = reflector("rr2", kubeconfig, testbed, DaemonProcess.freePort(), DaemonProcess.freePort())) {
                Supplier<String> diag = () -> rr1.diagnostics() + rr2.diagnostics() + testbed.diagnostics();
                try {
                    String started = rr1.awaitStarted();
                    assertTrue(started.contains("router id 198.51.100.1, cluster id 244.0.0.1, AS 64512, 3 peers"), started);
                    assertTrue(rr2.awaitStarted().contains("cluster id 244.0.0.2, AS 64512, 2 peers"), rr2.diagnostics());
                    for (String c : List.of("w1 (GoBGP)", "w2 (BIRD 1.6)", "w3 (BIRD 2, rr2)")) {
                        sessions.awaitEstablished(c, UP, diag);
                    }
                    assertEquals(1, rr1.lines("node 'w4' has no projectcalico.org/IPv4Address annotation").size(), rr1.diagnostics());
                    assertTrue(started.contains("datastore HEALTHY"), started);
                    // Routes cross the reflector mesh: w1 (rack a, rr1) → rr2 → w3 (rack b), and back.
                    PeerRoute atW3 = w3.awaitRoute("10.11.0.0/26", r -> r.originatorId().equals(h1.ipv4()), UP);
                    assertEquals(List.of("244.0.0.2", "244.0.0.1"), atW3.clusterList());
                    assertEquals(h1.ipv4(), atW3.nextHop());
                    w1.awaitRoute("10.13.0.0/26", r -> r.originatorId().equals(h3.ipv4()), UP);
                    w2.awaitRoute("10.13.0.0/26", r -> r.originatorId().equals(h3.ipv4()), UP);
                    assertFalse(sessions.read("w4 (GoBGP)").established());
                    assertFalse(sessions.read("w5 (GoBGP)").established());
                    System.out.println(ClientSessions.table("start: exactly the selected clients", sessions.snapshot()));
                    DaemonProcess.sleep(1100);

                    // 1. An annotation: calico/node starts on w4 and writes its address.
                    Map<String, ClientSessions.Session> before = sessions.snapshot();
                    k.nodes().withName("w4").edit(n -> new NodeBuilder(n).editMetadata().addToAnnotations(NodeMapping.IPV4, h4.ipv4() + "/24")
                            .endMetadata().build());
                    sessions.awaitEstablished("w4 (GoBGP)", Duration.ofSeconds(5), diag);
                    Map<String, ClientSessions.Session> after = sessions.snapshot();
                    System.out.println(ClientSessions.table("annotate w4 projectcalico.org/IPv4Address", before, after));
                    ClientSessions.assertUntouched(before, after, "w4's annotation", "w4 (GoBGP)");
                    w3.awaitRoute("10.14.0.0/26", r -> r.originatorId().equals(h4.ipv4()), UP);

                    // 2. A label: w5 joins rack a.
                    DaemonProcess.sleep(1100);
                    before = after;
                    k.nodes().withName("w5").edit(n -> new NodeBuilder(n).editMetadata().addToLabels("rack", "a").endMetadata().build());
                    sessions.awaitEstablished("w5 (GoBGP)", Duration.ofSeconds(5), diag);
                    after = sessions.snapshot();
                    System.out.println(ClientSessions.table("label w5 rack=a", before, after));
                    ClientSessions.assertUntouched(before, after, "w5's label", "w5 (GoBGP)");

                    // 3. A BGPPeer with a password in a Secret: an MD5 session to a router that is no node.
                    DaemonProcess.sleep(1100);
                    before = after;
                    k.secrets().inNamespace("kube-system").resource(KddObjects.secret("kube-system", "bgp-passwords", "tor", "first-key")).create();
                    GobgpPeer tor = GobgpPeer.start(torHost, PeerConfig.calicoNode(torHost, false, StaticRoute.of("10.20.0.0/24"))
                            .withNeighbors(Neighbor.calico("reflector", RR1).withPassive(true).withPassword("first-key")));
                    sessions.gobgp("tor (GoBGP, MD5)", tor, RR1);
                    KddObjects.createPeer(k, "rr1-to-tor", "{\"node\":\"rr1\",\"peerIP\":\"" + torHost.ipv4() + "\",\"asNumber\":64512,"
                            + "\"password\":{\"secretKeyRef\":{\"name\":\"bgp-passwords\",\"key\":\"tor\"}}}");
                    sessions.awaitEstablished("tor (GoBGP, MD5)", Duration.ofSeconds(10), diag);
                    after = sessions.snapshot();
                    System.out.println(ClientSessions.table("BGPPeer rr1-to-tor with secretKeyRef bgp-passwords/tor (TCP MD5)", before, after));
                    ClientSessions.assertUntouched(before, after, "the tor BGPPeer", "tor (GoBGP, MD5)");
                    w3.awaitRoute("10.20.0.0/24", r -> r.originatorId().equals(torHost.ipv4()), UP);

                    // 4. The password rotates: only that session is re-keyed (the router gets the new key too).
                    DaemonProcess.sleep(1100);
                    before = after;
                    k.secrets().inNamespace("kube-system").resource(KddObjects.secret("kube-system", "bgp-passwords", "tor", "second-key")).update();
                    rr1.awaitLine("peer " + torHost.ipv4() + ": configuration changed, resetting", Duration.ofSeconds(5));
                    tor.close();
                    tor = GobgpPeer.start(torHost, PeerConfig.calicoNode(torHost, false, StaticRoute.of("10.20.0.0/24"))
                            .withNeighbors(Neighbor.calico("reflector", RR1).withPassive(true).withPassword("second-key")));
                    sessions.gobgp("tor (GoBGP, MD5)", tor, RR1);
                    sessions.awaitEstablished("tor (GoBGP, MD5)", Duration.ofSeconds(15), diag);
                    after = sessions.snapshot();
                    System.out.println(ClientSessions.table("rotate Secret bgp-passwords/tor", before, after));
                    ClientSessions.assertUntouched(before, after, "the password rotation", "tor (GoBGP, MD5)");
                    assertEquals(1, rr1.lines("configuration changed, resetting").size(), rr1.diagnostics());

                    // 5. A node is deleted: only its session goes, and its route with it.
                    DaemonProcess.sleep(1100);
                    before = after;
                    k.nodes().withName("w1").delete();
                    sessions.awaitDown("w1 (GoBGP)", Duration.ofSeconds(5), diag);
                    Await.until("w1's route withdrawn at w3", UP, () -> w3.routes().stream().noneMatch(r -> r.prefix().equals("10.11.0.0/26")), diag);
                    after = sessions.snapshot();
                    System.out.println(ClientSessions.table("delete node w1", before, after));
                    ClientSessions.assertUntouched(before, after, "deleting w1", "w1 (GoBGP)");

                    // 6. w2 gets rr1's cluster id: CLIENT → NON_CLIENT, only its session resets.
                    DaemonProcess.sleep(1100);
                    before = after;
                    k.nodes().withName("w2").edit(n -> new NodeBuilder(n).editMetadata().addToAnnotations(NodeMapping.CLUSTER_ID, "244.0.0.1")
                            .endMetadata().build());
                    rr1.awaitLine("peer " + h2.ipv4() + ": configuration changed, resetting", Duration.ofSeconds(5));
                    String epoch = before.get("w2 (BIRD 1.6)").epoch();
                    sessions.await("w2 (BIRD 1.6)", UP, s -> s.established() && !s.epoch().equals(epoch), "re-Established", diag);
                    after = sessions.snapshot();
                    System.out.println(ClientSessions.table("annotate w2 RouteReflectorClusterID=244.0.0.1", before, after));
                    ClientSessions.assertUntouched(before, after, "w2's cluster id", "w2 (BIRD 1.6)");

                    // 7. The API server goes away: health DEGRADED, every session and route kept; on return a change is followed.
                    DaemonProcess.sleep(1100);
                    before = after;
                    api.stop();
                    rr1.awaitLine("Kubernetes API: version probe", Duration.ofSeconds(15));
                    Await.until("rr1 reports the datastore degraded", UP, () -> datastoreDegraded(metrics1), diag);
                    OpsIT.Cli status = OpsIT.cli("status", "--admin", admin1);
                    assertTrue(status.out().contains("datastore: DEGRADED: Kubernetes API"), status.out());
                    System.out.println("routereflector status during the outage:\n" + status.out());
                    DaemonProcess.sleep(3000);
                    after = sessions.snapshot();
                    System.out.println(ClientSessions.table("API server down (health DEGRADED)", before, after));
                    ClientSessions.assertUntouched(before, after, "the API-server outage");
                    w3.awaitRoute("10.12.0.0/26", r -> r.originatorId().equals(h2.ipv4()), UP);
                    api.start();
                    rr1.awaitLine("the server is back", Duration.ofSeconds(20));
                    Await.until("rr1 reports the datastore healthy", UP, () -> !datastoreDegraded(metrics1), diag);
                    assertTrue(OpsIT.cli("status", "--admin", admin1).out().contains("datastore: HEALTHY"), diag.get());
                    k.nodes().withName("w5").delete();
                    sessions.awaitDown("w5 (GoBGP)", Duration.ofSeconds(10), diag);
                    Map<String, ClientSessions.Session> last = sessions.snapshot();
                    System.out.println(ClientSessions.table("API server back; delete node w5", after, last));
                    ClientSessions.assertUntouched(after, last, "the return of the API server", "w5 (GoBGP)");
                    assertTrue(rr1.lines("resetting every session").isEmpty(), rr1.diagnostics());
                    DaemonProcess.assertStopsOnSigterm(rr1);
                    DaemonProcess.assertStopsOnSigterm(rr2);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(e.getMessage() + "\n" + diag.get(), e);
                }
            }
        }
    }

    /** The daemon's own metric: routereflector_datastore_status{status="degraded"} is 1. */
    static boolean datastoreDegraded(int port) {
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().anyMatch(l -> l.startsWith("routereflector_datastore_status{") && l.contains("\"degraded\"")
                    && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) > 0);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
