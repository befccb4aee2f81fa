package io.routereflector.daemon;

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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DATASTORE_TYPE=file: the daemon (a process from the jar) follows edits of a calicoctl YAML file live —
 * a node added brings its session up, a node removed takes only its own down — and a broken edit keeps
 * the file's last good state (a half-written one that does not parse) while the log names the file and the line,
 * and a typo in one field falls back alone while the rest of the edit applies.
 */
@Timeout(150)
class DaemonFileIT {

    static final String RR = Testbed.REFLECTOR_IPV4;
    static final Duration UP = Duration.ofSeconds(30);

    static String node(String name, String ip, String extra) {
        return "---\napiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: " + name + "\n  labels:\n    rack: a\n"
                + "spec:\n  bgp:\n    ipv4Address: " + ip + "/24\n" + extra;
    }

    static final String RR1 = "---\napiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: rr1\n  labels:\n"
            + "    route-reflector: \"true\"\nspec:\n  bgp:\n    ipv4Address: " + RR + "/24\n    routeReflectorClusterID: 224.0.0.1\n";

    static final String CLUSTER = "apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata:\n  name: default\n"
            + "spec:\n  nodeToNodeMeshEnabled: false\n  asNumber: 64512\n---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
            + "metadata:\n  name: peer-with-route-reflectors\nspec:\n  nodeSelector: all()\n  peerSelector: route-reflector == 'true'\n";

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void editingTheYamlAddsAndRemovesPeersLiveAndABrokenEditKeepsTheLastGoodState() {
        try (Testbed testbed = Testbed.start()) {
            Host h1 = testbed.host(11);
            Host h2 = testbed.host(12);
            Host h3 = testbed.host(13);
            Path dir = testbed.workDir().resolve("calico");
            Path nodes = dir.resolve("nodes.yaml");
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            write(dir.resolve("cluster.yaml"), CLUSTER);
            write(nodes, RR1 + node("w1", h1.ipv4(), "") + node("w2", h2.ipv4(), ""));

            GobgpPeer w1 = GobgpPeer.start(h1, PeerConfig.calicoNode(h1, false, StaticRoute.of("10.11.0.0/26")));
            BirdPeer w2 = BirdPeer.start(h2, BirdPeer.Version.BIRD2, PeerConfig.calicoNode(h2, false, StaticRoute.of("10.12.0.0/26")));
            GobgpPeer w3 = GobgpPeer.start(h3, PeerConfig.calicoNode(h3, false, StaticRoute.of("10.13.0.0/26"))
                    .withNeighbors(Neighbor.calico("reflector", RR).withPassive(true)));
            ClientSessions sessions = new ClientSessions().gobgp("w1 (GoBGP)", w1, RR).bird("w2 (BIRD 2)", w2, "reflector")
                    .gobgp("w3 (GoBGP, passive)", w3, RR);
            try (DaemonProcess daemon = DaemonProcess.startJar("rr1", List.of("run"),
                    Map.of("DATASTORE_TYPE", "file", "DATASTORE_PATH", dir.toString(), "NODENAME", "rr1"), testbed.workDir())) {
                Supplier<String> diag = () -> daemon.diagnostics() + testbed.diagnostics();
                try {
                    assertTrue(daemon.awaitStarted().contains("cluster id 224.0.0.1, AS 64512, 2 peers"), diag.get());
                    sessions.awaitEstablished("w1 (GoBGP)", UP, diag);
                    sessions.awaitEstablished("w2 (BIRD 2)", UP, diag);
                    w2.awaitRoute("10.11.0.0/26", r -> r.originatorId().equals(h1.ipv4()), UP);
                    DaemonProcess.sleep(1100);

                    // Add w3 by editing the file.
                    Map<String, ClientSessions.Session> before = sessions.snapshot();
                    long t0 = System.nanoTime();
                    write(nodes, RR1 + node("w1", h1.ipv4(), "") + node("w2", h2.ipv4(), "") + node("w3", h3.ipv4(), ""));
                    sessions.awaitEstablished("w3 (GoBGP, passive)", Duration.ofSeconds(10), diag);
                    long millis = (System.nanoTime() - t0) / 1_000_000;
                    w3.awaitRoute("10.12.0.0/26", r -> r.originatorId().equals(h2.ipv4()), UP);
                    Map<String, ClientSessions.Session> after = sessions.snapshot();
                    System.out.println(ClientSessions.table("nodes.yaml edited: w3 added (Established " + millis + " ms after the write)",
                            before, after));
                    ClientSessions.assertUntouched(before, after, "adding w3", "w3 (GoBGP, passive)");

                    // Remove w1 by editing the file.
                    DaemonProcess.sleep(1100);
                    before = after;
                    write(nodes, RR1 + node("w2", h2.ipv4(), "") + node("w3", h3.ipv4(), ""));
                    sessions.awaitDown("w1 (GoBGP)", Duration.ofSeconds(10), diag);
                    after = sessions.snapshot();
                    System.out.println(ClientSessions.table("nodes.yaml edited: w1 removed", before, after));
                    ClientSessions.assertUntouched(before, after, "removing w1", "w1 (GoBGP)");

                    // A half-written edit (w2 gone, w3's entry cut off): the file does not parse, so it keeps its
                    // last good state (w2 and w3 stay), and the log says file and line.
                    DaemonProcess.sleep(1100);
                    before = after;
                    String cut = RR1 + node("w3", h3.ipv4(), "").replace("ipv4Address: ", "ipv4Address: [");
                    write(nodes, cut);
                    String logged = daemon.awaitLine("does not parse as YAML", Duration.ofSeconds(10));
                    System.out.println("logged for the half-written edit: " + logged);
                    assertTrue(logged.contains(nodes + ":"), logged);
                    daemon.awaitLine("keeping the last good version of this file", Duration.ofSeconds(5));
                    DaemonProcess.sleep(2000);
                    after = sessions.snapshot();
                    System.out.println(ClientSessions.table("nodes.yaml half-written (w2 gone, w3 cut off)", before, after));
                    ClientSessions.assertUntouched(before, after, "a half-written edit");
                    assertTrue(daemon.lines("removed from the configuration").stream().noneMatch(l -> l.contains(h2.ipv4())),
                            daemon.diagnostics());

                    // A typo in one field (w3's address) in an edit that also removes w2: the field falls back
                    // alone (w3 has no IPv4 address, so no session, as in calico/node) and the rest applies.
                    String typo = RR1 + node("w3", "198.51.100.300", "");
                    int badLine = (int) typo.lines().takeWhile(l -> !l.contains("198.51.100.300")).count() + 1;
                    write(nodes, typo);
                    String reported = daemon.awaitLine(nodes + ":" + badLine + ": spec.bgp.ipv4Address", Duration.ofSeconds(10));
                    assertTrue(reported.endsWith("no IPv4 peering with this node"), reported);
                    sessions.awaitDown("w2 (BIRD 2)", Duration.ofSeconds(10), diag);
                    sessions.awaitDown("w3 (GoBGP, passive)", Duration.ofSeconds(10), diag);

                    // Fixed again: w3 comes back.
                    write(nodes, RR1 + node("w3", h3.ipv4(), ""));
                    sessions.awaitEstablished("w3 (GoBGP, passive)", UP, diag);
                    assertTrue(!sessions.read("w2 (BIRD 2)").established());
                    DaemonProcess.assertStopsOnSigterm(daemon);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(e.getMessage() + "\n" + diag.get(), e);
                }
            }
        }
    }
}
