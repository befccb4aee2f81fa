package io.routereflector.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.routereflector.daemon.ops.PrometheusText;
import io.routereflector.testbed.BirdPeer;
import io.routereflector.testbed.GobgpPeer;
import io.routereflector.testbed.Host;
import io.routereflector.testbed.Neighbor;
import io.routereflector.testbed.PeerConfig;
import io.routereflector.testbed.StaticRoute;
import io.routereflector.testbed.Testbed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 §2 end to end: peers are keyed by address and port. One host runs two real speakers on one
 * address — a GoBGP ToR (AS 65001) listening on 1790 and a Calico-node-like BIRD 1.6 (AS 64512) listening
 * on 1791 — named by two BGPPeers {@code peerIP: H:1790} and {@code peerIP: H:1791}. The daemon (a process
 * from the jar, file datastore, {@code --passive} so that it never dials) keeps two sessions: both Established
 * by connections the speakers open to our 179 from the one address, each given to the session whose AS its
 * OPEN names (a port cannot tell them apart), routes from one are
 * reflected to the other, {@code status} and {@code /metrics} list both under calico/node's protocol names
 * ({@code _port_N}), and deleting one BGPPeer ends that session alone.
 */
@Timeout(180)
class PeerPortIT {

    static final String RR = Testbed.REFLECTOR_IPV4;
    static final Duration UP = Duration.ofSeconds(40);
    static final ObjectMapper JSON = new ObjectMapper();
    static final int TOR_PORT = 1790;
    static final int NODE_PORT = 1791;

    static String peers(String host, boolean withNode) {
        String out = """
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata: {name: tor-on-1790}
                spec: {node: rr1, peerIP: "%s:%d", asNumber: 65001}
                """.formatted(host, TOR_PORT);
        if (withNode) {
            out += """
                    ---
                    apiVersion: projectcalico.org/v3
                    kind: BGPPeer
                    metadata: {name: node-on-1791}
                    spec: {node: rr1, peerIP: "%s:%d", asNumber: 64512}
                    """.formatted(host, NODE_PORT);
        }
        return out;
    }

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
    }

    @Test
    void twoPeersOnOneAddressWithTheirOwnPortsAreTwoSessions() throws Exception {
        try (Testbed testbed = Testbed.start()) {
            Host h = testbed.host(10);
            String torName = "Node_" + h.ipv4().replace('.', '_') + "_port_" + TOR_PORT;
            String nodeName = "Node_" + h.ipv4().replace('.', '_') + "_port_" + NODE_PORT;
            Path dir = testbed.workDir().resolve("calico");
            Files.createDirectories(dir);
            DaemonFileIT.write(dir.resolve("nodes.yaml"), """
                    apiVersion: projectcalico.org/v3
                    kind: BGPConfiguration
                    metadata: {name: default}
                    spec: {nodeToNodeMeshEnabled: false, asNumber: 64512}
                    ---
                    apiVersion: projectcalico.org/v3
                    kind: Node
                    metadata: {name: rr1}
                    spec: {bgp: {ipv4Address: %s/24, routeReflectorClusterID: 224.0.0.1}}
                    """.formatted(RR));
            Path peers = dir.resolve("peers.yaml");
            DaemonFileIT.write(peers, peers(h.ipv4(), true));

            GobgpPeer tor = GobgpPeer.start(h, new PeerConfig(65001, h.ipv4(), false, List.of(),
                    List.of(Neighbor.calico("reflector", RR).withAs(64512).withAddPaths(false).withMultihop(false)), "", true)
                    .withListenPort(TOR_PORT));
            // A next hop on the hosts' network that is not BIRD's own address (BIRD resolves it as connected).
            tor.gobgp("global", "rib", "-a", "ipv4", "add", "192.0.2.0/24", "origin", "igp", "nexthop", "198.51.100.20").orThrow();
            BirdPeer node = BirdPeer.start(h, BirdPeer.Version.BIRD16, new PeerConfig(64512, "198.51.100.110", false,
                    List.of(StaticRoute.of("10.11.0.0/26")), List.of(Neighbor.calico("reflector", RR)), "", true).withListenPort(NODE_PORT));
            ClientSessions sessions = new ClientSessions().gobgp("ToR (GoBGP, AS 65001, port 1790)", tor, RR)
                    .bird("node (BIRD 1.6, AS 64512, port 1791)", node, "reflector");
            int adminPort = OpsIT.freePort("127.0.0.1");
            int metricsPort = OpsIT.freePort("127.0.0.1");
            String admin = "127.0.0.1:" + adminPort;
            try (DaemonProcess daemon = DaemonProcess.startJar("rr1", List.of("run", "--admin-listen", admin,
                            "--metrics-listen", "127.0.0.1:" + metricsPort, "--passive"),
                    Map.of("DATASTORE_TYPE", "file", "DATASTORE_PATH", dir.toString(), "NODENAME", "rr1"), testbed.workDir())) {
                Supplier<String> diag = () -> daemon.diagnostics() + tor.diagnostics() + node.diagnostics() + testbed.diagnostics();
                try {
                    String started = daemon.awaitStarted();
                    assertTrue(started.contains("2 peers"), started + "\n" + diag.get());
                    sessions.awaitEstablished("ToR (GoBGP, AS 65001, port 1790)", UP, diag);
                    sessions.awaitEstablished("node (BIRD 1.6, AS 64512, port 1791)", UP, diag);
                    // We only listen: both sessions are connections the speakers opened from the one address,
                    // each OPEN's AS said whose it was.
                    assertTrue(daemon.lines("(out)").isEmpty(), "we never dial with --passive: " + daemon.lines("(out)"));
                    assertTrue(daemon.lines("refused a connection").isEmpty(), daemon.log());
                    // Routes cross between the two sessions of one address, both ways.
                    tor.awaitRoute("10.11.0.0/26", r -> r.nextHop().equals(RR), UP);
                    node.awaitRoute("192.0.2.0/24", r -> r.nextHop().equals("198.51.100.20"), UP);

                    OpsIT.Cli status = OpsIT.cli("status", "--admin", admin);
                    System.out.println(status.out());
                    assertTrue(status.out().contains(h.ipv4() + ":" + TOR_PORT) && status.out().contains(h.ipv4() + ":" + NODE_PORT),
                            status.out());
                    JsonNode json = JSON.readTree(OpsIT.get("http://" + admin + "/status").body());
                    List<String> names = new ArrayList<>();
                    json.path("peers").forEach(p -> names.add(p.path("protocol").asText() + " " + p.path("state").asText()));
                    assertEquals(List.of(torName + " up", nodeName + " up"), names, json.toPrettyString());
                    // status PEER: by address:port and by protocol name.
                    OpsIT.Cli one = OpsIT.cli("status", "--admin", admin, h.ipv4() + ":" + NODE_PORT);
                    assertEquals(0, one.exit(), one.out() + one.err());
                    assertTrue(one.out().contains(nodeName), one.out());
                    OpsIT.Cli byName = OpsIT.cli("status", "--admin", admin, torName);
                    assertTrue(byName.out().contains("port " + TOR_PORT), byName.out());
                    OpsIT.Cli route = OpsIT.cli("routes", "--admin", admin, "192.0.2.0/24");
                    System.out.println(route.out());
                    assertTrue(route.out().contains(h.ipv4() + ":" + TOR_PORT), route.out());

                    Map<String, PrometheusText.Family> metrics = PrometheusText.parse(
                            OpsIT.get("http://127.0.0.1:" + metricsPort + "/metrics").body());
                    for (String name : List.of(torName, nodeName)) {
                        assertEquals(1.0, PrometheusText.value(metrics, "bird_protocol_up", Map.of("name", name, "proto", "BGP",
                                "ip_version", "4", "import_filter", "ACCEPT", "export_filter", "ACCEPT")), name);
                    }

                    // Deleting one BGPPeer ends its session alone.
                    DaemonProcess.sleep(1100);
                    Map<String, ClientSessions.Session> before = sessions.snapshot();
                    DaemonFileIT.write(peers, peers(h.ipv4(), false));
                    sessions.awaitDown("node (BIRD 1.6, AS 64512, port 1791)", UP, diag);
                    DaemonProcess.sleep(3000);
                    Map<String, ClientSessions.Session> after = sessions.snapshot();
                    System.out.println(ClientSessions.table("node-on-1791 deleted", before, after));
                    ClientSessions.assertUntouched(before, after, "deleting the other BGPPeer on this address",
                            "node (BIRD 1.6, AS 64512, port 1791)");
                    assertTrue(!after.get("node (BIRD 1.6, AS 64512, port 1791)").established(), after.toString());
                    JsonNode left = JSON.readTree(OpsIT.get("http://" + admin + "/status").body());
                    assertEquals(1, left.path("peers").size(), left.toPrettyString());
                    assertEquals(torName, left.path("peers").get(0).path("protocol").asText(), left.toPrettyString());
                    DaemonProcess.assertStopsOnSigterm(daemon);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(e.getMessage() + "\n" + diag.get(), e);
                }
            }
        }
    }
}
