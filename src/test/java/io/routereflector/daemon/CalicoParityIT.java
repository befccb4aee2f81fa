package io.routereflector.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calico parity as real peers see it, with the daemon as a process on the file datastore (issue 15 §2–§3):
 * <ul>
 *   <li>BGPConfiguration {@code default} says {@code logSeverityScreen: info} (valid for Calico: its CRD
 *       pattern is case-insensitive) next to {@code asNumber: 64513}: the clients in AS 64513 come up. A later
 *       typo in that one field ({@code verbose}) is reported with its file, field, value and what is expected,
 *       and changes nothing else: every session stays up, the AS stays 64513, and a BGPPeer added to the
 *       same file in the same edit applies (its ToR comes up).</li>
 *   <li>A BGPPeer whose {@code secretKeyRef} cannot be read gives a session without TCP MD5 and a warning,
 *       as calico/node's {@code getPassword} does, shown in {@code status PEER}.</li>
 *   <li>Two BGPPeers naming one peer: the global one wins over the node-scoped one, as calico/node's
 *       {@code updatePeersV1} emits global peerings first.</li>
 *   <li>ADD-PATH is offered to every peer, as bird.cfg.template's {@code bgp_template} does: a ToR that
 *       receives several paths holds both nodes' paths of a prefix they both announce (its ECMP).</li>
 *   <li>Without {@code bindMode: NodeIP} we listen on every address, as calico/node's BIRD does: a node that
 *       dials another address of the reflector's host comes up.</li>
 * </ul>
 */
@Timeout(180)
class CalicoParityIT {

    static final String RR = Testbed.REFLECTOR_IPV4;
    static final long AS = 64513;
    static final Duration UP = Duration.ofSeconds(40);
    static final ObjectMapper JSON = new ObjectMapper();
    /** Announced by two nodes (a service address both advertise). */
    static final String ANYCAST = "10.99.0.0/24";

    static final String CONFIG = """
            apiVersion: projectcalico.org/v3
            kind: BGPConfiguration
            metadata: {name: default}
            spec:
              logSeverityScreen: %s
              nodeToNodeMeshEnabled: false
              asNumber: 64513
            ---
            apiVersion: projectcalico.org/v3
            kind: BGPPeer
            metadata: {name: peer-with-route-reflectors}
            spec: {nodeSelector: all(), peerSelector: route-reflector == 'true'}
            """;

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
    }

    @Test
    void oneBadFieldKeepsEverySessionUpAMissingSecretGivesAnMd5LessSessionAndTheGlobalPeerWins() throws Exception {
        try (Testbed testbed = Testbed.start()) {
            Host hg = testbed.host(81);
            Host hb = testbed.host(82);
            Host tor = testbed.host(83);
            Host tor2 = testbed.host(84);
            Host other = testbed.host(85);
            Host tor3 = testbed.host(86);
            String second = testbed.addRootAddress(90);
            Path dir = Files.createDirectories(testbed.workDir().resolve("calico"));
            Path secrets = Files.createDirectories(testbed.workDir().resolve("secrets"));
            Path cluster = dir.resolve("cluster.yaml");
            DaemonFileIT.write(cluster, CONFIG.formatted("info"));
            DaemonFileIT.write(dir.resolve("nodes.yaml"), DaemonFileIT.RR1 + DaemonFileIT.node("w81", hg.ipv4(), "")
                    + DaemonFileIT.node("w82", hb.ipv4(), "") + DaemonFileIT.node("w85", other.ipv4(), ""));
            DaemonFileIT.write(dir.resolve("tors.yaml"), """
                    apiVersion: projectcalico.org/v3
                    kind: BGPPeer
                    metadata: {name: tor-with-secret}
                    spec:
                      node: rr1
                      peerIP: %s
                      asNumber: 65001
                      keepOriginalNextHop: true
                      password: {secretKeyRef: {name: bgp-secrets, key: tor}}
                    ---
                    apiVersion: projectcalico.org/v3
                    kind: BGPPeer
                    metadata: {name: a-tor-on-rr1}
                    spec: {node: rr1, peerIP: %s, asNumber: 65002, keepOriginalNextHop: true, keepaliveTime: 30s}
                    ---
                    apiVersion: projectcalico.org/v3
                    kind: BGPPeer
                    metadata: {name: z-tor-everywhere}
                    spec: {peerIP: %s, asNumber: 65002, keepOriginalNextHop: true, keepaliveTime: 20s}
                    """.formatted(tor.ipv4(), tor2.ipv4(), tor2.ipv4()));

            GobgpPeer gobgp = GobgpPeer.start(hg, new PeerConfig(AS, hg.ipv4(), false, List.of(StaticRoute.of("10.81.0.0/26"),
                    StaticRoute.of(ANYCAST)),
                    List.of(Neighbor.calico("reflector", RR).withAs(AS)), "", true));
            BirdPeer bird16 = BirdPeer.start(hb, BirdPeer.Version.BIRD16, new PeerConfig(AS, hb.ipv4(), false,
                    List.of(StaticRoute.of("10.82.0.0/26"), StaticRoute.of(ANYCAST)), List.of(Neighbor.calico("reflector", RR).withAs(AS)),
                    "", true));
            GobgpPeer torPeer = GobgpPeer.start(tor, new PeerConfig(65001, tor.ipv4(), false, List.of(StaticRoute.of("10.83.0.0/24")),
                    List.of(Neighbor.calico("reflector", RR).withAs(AS).withAddPaths(false)), "", true));
            // This ToR receives several paths per prefix (GoBGP's add-paths receive).
            GobgpPeer tor2Peer = GobgpPeer.start(tor2, new PeerConfig(65002, tor2.ipv4(), false, List.of(StaticRoute.of("10.84.0.0/24")),
                    List.of(Neighbor.calico("reflector", RR).withAs(AS).withAddPaths(true)), "", true));
            // Dials the host's second address only (it does not listen, so our own dial is refused).
            GobgpPeer otherPeer = GobgpPeer.start(other, new PeerConfig(AS, other.ipv4(), false, List.of(StaticRoute.of("10.85.0.0/26")),
                    List.of(Neighbor.calico("reflector", second).withAs(AS)), "", false));
            GobgpPeer tor3Peer = GobgpPeer.start(tor3, new PeerConfig(65003, tor3.ipv4(), false, List.of(StaticRoute.of("10.86.0.0/24")),
                    List.of(Neighbor.calico("reflector", RR).withAs(AS).withAddPaths(false)), "", true));
            ClientSessions sessions = new ClientSessions().gobgp("GoBGP node", gobgp, RR).bird("BIRD 1.6 node", bird16, "reflector")
                    .gobgp("GoBGP ToR without MD5", torPeer, RR).gobgp("GoBGP ToR named twice", tor2Peer, RR)
                    .gobgp("GoBGP node dialling " + second, otherPeer, second);
            int adminPort = freePort();
            try (DaemonProcess daemon = DaemonProcess.startJar("rr1", List.of("run", "--admin-listen", RR + ":" + adminPort,
                    "--metrics-listen", "off", "--secrets-dir", secrets.toString()),
                    Map.of("DATASTORE_TYPE", "file", "DATASTORE_PATH", dir.toString(), "NODENAME", "rr1"), testbed.workDir())) {
                Supplier<String> diag = () -> daemon.diagnostics() + gobgp.diagnostics() + bird16.diagnostics()
                        + torPeer.diagnostics() + tor2Peer.diagnostics() + otherPeer.diagnostics()
                        + tor3Peer.diagnostics();
                try {
                    daemon.awaitStarted();
                    for (String label : List.of("GoBGP node", "BIRD 1.6 node", "GoBGP ToR without MD5", "GoBGP ToR named twice",
                            "GoBGP node dialling " + second)) {
                        sessions.awaitEstablished(label, UP, diag);
                    }
                    String admin = "http://" + RR + ":" + adminPort;
                    assertEquals(AS, json(admin + "/status").path("localAs").asLong(), diag.get());

                    // The unreadable secret: a session without MD5, the warning in the log and in status PEER.
                    JsonNode torStatus = json(admin + "/status/" + tor.ipv4());
                    assertTrue(torStatus.path("warnings").toString().contains("bgp-secrets/tor"), torStatus.toPrettyString());
                    assertTrue(torStatus.path("warnings").toString().contains("without TCP MD5"), torStatus.toPrettyString());
                    assertTrue(daemon.log().contains("bgp-secrets/tor"), diag.get());
                    OpsIT.Cli text = OpsIT.cli("status", "--admin", RR + ":" + adminPort, tor.ipv4());
                    System.out.println(text.out());
                    assertTrue(text.out().lines().anyMatch(l -> l.startsWith("  Warning:        secret bgp-secrets/tor")
                            && l.endsWith("the session runs without TCP MD5")), text.out());

                    // Two BGPPeers for one peer: calico/node emits the global peering first, and the first one wins.
                    JsonNode tor2Status = json(admin + "/status/" + tor2.ipv4());
                    assertEquals("Global_" + tor2.ipv4().replace('.', '_'), tor2Status.at("/peer/protocol").asText(),
                            tor2Status.toPrettyString());
                    assertEquals("global", tor2Status.at("/peer/peerType").asText(), tor2Status.toPrettyString());

                    // ADD-PATH toward the ToR (keepOriginalNextHop): both nodes' paths, each with its node's next hop.
                    Await.until("the ToR to hold both paths of " + ANYCAST, UP, () -> tor2Peer.routes().stream()
                            .filter(r -> r.prefix().equals(ANYCAST)).map(PeerRoute::nextHop).collect(Collectors.toSet())
                            .equals(Set.of(hg.ipv4(), hb.ipv4())), () -> tor2Peer.gobgp("global", "rib", "-j").output() + diag.get());

                    // A typo in one field: reported alone; nothing else changes, no session flaps.
                    Map<String, ClientSessions.Session> before = sessions.snapshot();
                    DaemonFileIT.write(cluster, CONFIG.formatted("verbose") + """
                            ---
                            apiVersion: projectcalico.org/v3
                            kind: BGPPeer
                            metadata: {name: tor-added-with-the-typo}
                            spec: {peerIP: %s, asNumber: 65003, keepOriginalNextHop: true}
                            """.formatted(tor3.ipv4()));
                    String reported = daemon.awaitLine("spec.logSeverityScreen", Duration.ofSeconds(20));
                    System.out.println("reported: " + reported);
                    assertTrue(reported.contains("cluster.yaml:5") && reported.contains("'verbose'") && reported.contains("Info"),
                            reported);
                    DaemonProcess.sleep(3000);
                    Map<String, ClientSessions.Session> after = sessions.snapshot();
                    System.out.println(ClientSessions.table("after the typo", after));
                    for (String label : before.keySet()) {
                        assertTrue(after.get(label).established(), label + " went down\n" + diag.get());
                        assertEquals(before.get(label).epoch(), after.get(label).epoch(), label + " flapped\n" + diag.get());
                    }
                    assertEquals(AS, json(admin + "/status").path("localAs").asLong(), diag.get());
                    // The rest of the edit applied: the BGPPeer written next to the typo brings its ToR up.
                    new ClientSessions().gobgp("GoBGP ToR added with the typo", tor3Peer, RR)
                            .awaitEstablished("GoBGP ToR added with the typo", UP, diag);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(e.getMessage() + "\n" + diag.get(), e);
                }
            }
        }
    }

    private static JsonNode json(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(RR))) {
            return s.getLocalPort();
        }
    }
}
