package io.routereflector.daemon;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeListBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEventBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.routereflector.datastore.kdd.ApiServerStandIn;
import io.routereflector.datastore.kdd.KddObjects;
import io.routereflector.testbed.BirdPeer;
import io.routereflector.testbed.GobgpPeer;
import io.routereflector.testbed.Host;
import io.routereflector.testbed.PeerConfig;
import io.routereflector.testbed.StaticRoute;
import io.routereflector.testbed.Testbed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 410 Gone end to end: the daemon from the jar reads a scripted API server (fabric8's mock in expectation
 * mode on loopback, standing in for a real Kubernetes API server: its CRUD mode cannot send 410), whose
 * Node watch answers "too old resource version" once the clients are up. The daemon lists again and,
 * the cluster being the same, touches nothing: real GoBGP and BIRD 1.6 clients keep their sessions and routes.
 */
@Timeout(120)
class DaemonKddGoneIT {

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
    }

    private static Node at(Node n, String rv) {
        return new NodeBuilder(n).editMetadata().withResourceVersion(rv).endMetadata().build();
    }

    @Test
    void a410RelistLosesNothing() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try (Testbed testbed = Testbed.start()) {
            Host h1 = testbed.host(11);
            Host h2 = testbed.host(12);
            Node rr1 = KddObjects.node("rr1", Testbed.REFLECTOR_IPV4, "244.0.0.1", Map.of("route-reflector", "true"));
            Node w1 = KddObjects.node("w1", h1.ipv4(), null, Map.of());
            Node w2 = KddObjects.node("w2", h2.ipv4(), null, Map.of());
            String nodes = "/api/v1/nodes";
            server.expect().get().withPath("/version").andReturn(200, "{\"major\":\"1\",\"minor\":\"30\",\"gitVersion\":\"v1.30.0\"}").always();
            server.expect().get().withPath(nodes).andReturn(200, new NodeListBuilder().withNewMetadata().withResourceVersion("10").endMetadata()
                    .withItems(at(rr1, "3"), at(w1, "4"), at(w2, "5")).build()).once();
            server.expect().get().withPath(nodes + "?allowWatchBookmarks=true&resourceVersion=10&watch=true").andUpgradeToWebSocket().open()
                    .waitFor(12_000).andEmit(new WatchEventBuilder().withType("ERROR").withObject(new StatusBuilder().withCode(410)
                            .withReason("Expired").withMessage("too old resource version: 10 (30)").build()).build()).done().once();
            // The cluster did not change meanwhile: the same nodes, newer revisions.
            server.expect().get().withPath(nodes).andReturn(200, new NodeListBuilder().withNewMetadata().withResourceVersion("30").endMetadata()
                    .withItems(at(rr1, "21"), at(w1, "22"), at(w2, "23")).build()).once();
            server.expect().get().withPath(nodes + "?allowWatchBookmarks=true&resourceVersion=30&watch=true").andUpgradeToWebSocket().open()
                    .waitFor(25_000).andEmit(new WatchEventBuilder().withType("BOOKMARK").withObject(at(rr1, "31")).build()).done().once();
            KddObjects.expectCrds(server, 25_000, KddObjects.calico("BGPPeer", "peer-to-rrs",
                            "{\"nodeSelector\":\"!has(route-reflector)\",\"peerSelector\":\"has(route-reflector)\"}"),
                    KddObjects.calico("BGPConfiguration", "default", "{\"nodeToNodeMeshEnabled\":false}"));

            GobgpPeer g1 = GobgpPeer.start(h1, PeerConfig.calicoNode(h1, false, StaticRoute.of("10.11.0.0/26")));
            BirdPeer b2 = BirdPeer.start(h2, BirdPeer.Version.BIRD16, PeerConfig.calicoNode(h2, false, StaticRoute.of("10.12.0.0/26")));
            ClientSessions sessions = new ClientSessions().gobgp("w1 (GoBGP)", g1, Testbed.REFLECTOR_IPV4).bird("w2 (BIRD 1.6)", b2, "reflector");
            try (DaemonProcess rr = DaemonProcess.startJar("rr1", List.of("run", "--admin-listen", "127.0.0.1:" + DaemonProcess.freePort(),
                    "--metrics-listen", "127.0.0.1:" + DaemonProcess.freePort()), Map.of("DATASTORE_TYPE", "kubernetes", "KUBECONFIG",
                    ApiServerStandIn.kubeconfig(testbed.workDir(), "http://127.0.0.1:" + server.getPort()).toString(), "NODENAME", "rr1"),
                    testbed.workDir())) {
                Supplier<String> diag = () -> rr.diagnostics() + testbed.diagnostics();
                try {
                    assertTrue(rr.awaitStarted().contains("2 peers"), rr.diagnostics());
                    sessions.awaitEstablished("w1 (GoBGP)", Duration.ofSeconds(10), diag);
                    sessions.awaitEstablished("w2 (BIRD 1.6)", Duration.ofSeconds(10), diag);
                    g1.awaitRoute("10.12.0.0/26", r -> r.originatorId().equals(h2.ipv4()), Duration.ofSeconds(10));
                    DaemonProcess.sleep(1100);
                    Map<String, ClientSessions.Session> before = sessions.snapshot();
                    rr.awaitLine("nodes: 410 Gone at revision 10", Duration.ofSeconds(20));
                    DaemonProcess.sleep(2000);
                    Map<String, ClientSessions.Session> after = sessions.snapshot();
                    System.out.println(ClientSessions.table("Node watch: 410 Gone, full list again", before, after));
                    ClientSessions.assertUntouched(before, after, "the 410 relist");
                    assertTrue(after.values().stream().allMatch(ClientSessions.Session::established), after.toString());
                    g1.awaitRoute("10.12.0.0/26", r -> r.originatorId().equals(h2.ipv4()), Duration.ofSeconds(5));
                    assertEquals(List.of(), rr.lines("removed from the configuration"), rr.diagnostics());
                    assertEquals(List.of(), rr.lines("configuration changed"), rr.diagnostics());
                    assertEquals(1, rr.lines("configuration applied").size(), "only the initial configuration: " + rr.diagnostics());
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(e.getMessage() + "\n" + diag.get(), e);
                }
            }
        } finally {
            server.destroy();
        }
    }
}
