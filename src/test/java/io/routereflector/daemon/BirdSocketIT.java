package io.routereflector.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.routereflector.daemon.birdctl.BirdSocketClient;
import io.routereflector.daemon.ops.PrometheusText;
import io.routereflector.testbed.Await;
import io.routereflector.testbed.Binaries;
import io.routereflector.testbed.BirdPeer;
import io.routereflector.testbed.GobgpPeer;
import io.routereflector.testbed.Host;
import io.routereflector.testbed.ManagedProcess;
import io.routereflector.testbed.PeerConfig;
import io.routereflector.testbed.Shell;
import io.routereflector.testbed.StaticRoute;
import io.routereflector.testbed.Testbed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon (a process from the jar) serving BIRD control sockets to the real clients of the old image,
 * with real Calico-like peers: BIRD 2, BIRD 1.6 and GoBGP over IPv4, BIRD 1.6's bird6 over IPv6, and a
 * node whose IPv4 session is refused (its host runs only bird6).
 * <ul>
 *   <li>Debian's prometheus-bird-exporter 1.4.1 pointed at our two sockets emits every
 *       {@code bird_protocol_*} series our own {@code /metrics} emits, with the same labels and values
 *       (the uptime within a scrape's second or two), and no other.</li>
 *   <li>{@code birdc} of BIRD 1.6 and of BIRD 2: {@code show protocols} and {@code show protocols all}
 *       print the same lines, and say what {@code routereflector status} says of each peer.</li>
 *   <li>BIRD's errors for an unknown command and an over-long request line; many clients at once; and
 *       clients that never read their replies delay neither the others nor BGP.</li>
 * </ul>
 * calicoctl cannot be installed here; ControlSocketTest reads the socket by its parser's rules.
 */
@Timeout(240)
class BirdSocketIT {

    static final String RR = Testbed.REFLECTOR_IPV4;
    static final Duration UP = Duration.ofSeconds(40);
    static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
    }

    @Test
    void birdExporterBirdcAndStatusAgreeOnOurSockets() throws Exception {
        Path exporterBinary = Binaries.require(Binaries.BIRD_EXPORTER);
        try (Testbed testbed = Testbed.start()) {
            Host h2 = testbed.host(71);
            Host h16 = testbed.host(72);
            Host hg = testbed.host(73);
            Host h6 = testbed.host(74);
            Path dir = Files.createDirectories(testbed.workDir().resolve("calico"));
            DaemonFileIT.write(dir.resolve("cluster.yaml"), DaemonFileIT.CLUSTER);
            String rr1 = DaemonFileIT.RR1 + "    ipv6Address: " + Testbed.REFLECTOR_IPV6 + "/64\n";
            DaemonFileIT.write(dir.resolve("nodes.yaml"), rr1 + DaemonFileIT.node("w71", h2.ipv4(), "")
                    + DaemonFileIT.node("w72", h16.ipv4(), "") + DaemonFileIT.node("w73", hg.ipv4(), "")
                    + DaemonFileIT.node("w74", h6.ipv4(), "    ipv6Address: " + h6.ipv6() + "/64\n"));
            BirdPeer bird2 = BirdPeer.start(h2, BirdPeer.Version.BIRD2, PeerConfig.calicoNode(h2, false, StaticRoute.of("10.71.0.0/26")));
            BirdPeer bird16 = BirdPeer.start(h16, BirdPeer.Version.BIRD16, PeerConfig.calicoNode(h16, false, StaticRoute.of("10.72.0.0/26")));
            GobgpPeer gobgp = GobgpPeer.start(hg, PeerConfig.calicoNode(hg, false, StaticRoute.of("10.73.0.0/26")));
            BirdPeer bird6 = BirdPeer.start(h6, BirdPeer.Version.BIRD16, PeerConfig.calicoNode(h6, true, StaticRoute.of("fd00:74::/64")));
            Path sockets = Files.createDirectories(testbed.workDir().resolve("sockets"));
            Path v4 = sockets.resolve("bird.ctl");
            Path v6 = sockets.resolve("bird6.ctl");
            String admin = "127.0.0.1:" + freePort();
            String metrics = "127.0.0.1:" + freePort();
            String exporterAt = "127.0.0.1:" + freePort();
            List<AutoCloseable> closing = new ArrayList<>();
            DaemonProcess daemon = DaemonProcess.startJar("rr", List.of("run", "--admin-listen", admin, "--metrics-listen", metrics),
                    Map.of("DATASTORE_TYPE", "file", "DATASTORE_PATH", dir.toString(), "NODENAME", "rr1",
                            "BIRD_SOCKET", v4.toString(), "BIRD6_SOCKET", v6.toString()), testbed.workDir());
            closing.add(daemon);
            Supplier<String> diag = () -> daemon.diagnostics() + bird2.diagnostics() + bird16.diagnostics() + gobgp.diagnostics()
                    + bird6.diagnostics();
            try {
                daemon.awaitStarted();
                ClientSessions sessions = new ClientSessions().bird("BIRD 2", bird2, "reflector").bird("BIRD 1.6", bird16, "reflector")
                        .gobgp("GoBGP", gobgp, RR).bird("bird6", bird6, "reflector");
                for (String label : List.of("BIRD 2", "BIRD 1.6", "GoBGP", "bird6")) {
                    sessions.awaitEstablished(label, UP, diag);
                }
                bird16.awaitRoute("10.73.0.0/26", r -> true, UP);
                bird2.awaitRoute("10.72.0.0/26", r -> true, UP);
                assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(v4)));
                assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(v6)));

                ManagedProcess exporter = ManagedProcess.start("bird-exporter", List.of(exporterBinary.toString(), "-format.new=true",
                        "-bird.v2=false", "-bird.socket=" + v4, "-bird.socket6=" + v6, "-web.listen-address=" + exporterAt),
                        testbed.workDir().resolve("bird-exporter.log"));
                closing.add(exporter);
                compareMetrics("http://" + exporterAt + "/metrics", "http://" + metrics + "/metrics", diag);
                compareBirdc(v4, v6, admin, diag);
                errorsAndManyClients(v4, v6);
                silentClientsDelayNoBgp(v4, gobgp, bird16, diag);
                // Still consistent after all that traffic.
                compareMetrics("http://" + exporterAt + "/metrics", "http://" + metrics + "/metrics", diag);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n" + diag.get(), e);
            } finally {
                for (int i = closing.size() - 1; i >= 0; i--) {
                    closing.get(i).close();
                }
            }
            assertTrue(!Files.exists(v4) && !Files.exists(v6), "the daemon removes its sockets when it stops");
        }
    }

    /**
     * Every bird_protocol_* sample of the exporter equals ours (uptime within 2 s), and each side has the same
     * set. The two scrapes are moments apart and the refused session's state and since move with each redial,
     * so a difference is looked at again, up to five scrapes, before it fails.
     */
    private static void compareMetrics(String exporterUrl, String oursUrl, Supplier<String> diag) {
        AssertionError last = null;
        for (int attempt = 1; attempt <= 5; attempt++) {
            Map<String, Double> theirs = Await.value("bird_exporter's bird_protocol series", Duration.ofSeconds(30), () -> {
                Map<String, Double> m = birdSeries(get(exporterUrl));
                return m.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(m);
            }, diag);
            Map<String, Double> ours = birdSeries(get(oursUrl));
            try {
                assertEquals(new java.util.TreeSet<>(ours.keySet()), new java.util.TreeSet<>(theirs.keySet()),
                        "the same series and labels\nexporter:\n" + theirs + "\nours:\n" + ours);
                for (Map.Entry<String, Double> e : theirs.entrySet()) {
                    double mine = ours.get(e.getKey());
                    if (e.getKey().startsWith("bird_protocol_uptime{")) {
                        assertTrue(Math.abs(mine - e.getValue()) <= 2, e.getKey() + ": exporter " + e.getValue() + ", ours " + mine);
                    } else {
                        assertEquals(e.getValue(), mine, e.getKey());
                    }
                }
                assertTrue(theirs.size() >= 5 * 25, "every series of the five BGP protocols: " + theirs.size());
                System.out.printf("bird_exporter and /metrics agree on %d bird_protocol_* samples (scrape %d)%n", theirs.size(), attempt);
                return;
            } catch (AssertionError e) {
                last = e;
                System.out.println("scrape " + attempt + " differs: " + e.getMessage());
                DaemonProcess.sleep(700);
            }
        }
        throw last;
    }

    /** {@code name{labels sorted}} to value, for the bird_protocol_* samples of a scrape. */
    static Map<String, Double> birdSeries(String text) {
        StringBuilder only = new StringBuilder();
        text.lines().filter(l -> l.startsWith("bird_protocol_") || l.matches("# (HELP|TYPE) bird_protocol_.*"))
                .forEach(l -> only.append(l).append('\n'));
        Map<String, Double> out = new TreeMap<>();
        for (PrometheusText.Family f : PrometheusText.parse(only.toString()).values()) {
            for (PrometheusText.Sample s : f.samples()) {
                out.put(s.name() + new TreeMap<>(s.labels()), s.value());
            }
        }
        return out;
    }

    /** birdc of BIRD 1.6 and BIRD 2 print the same, and agree with {@code routereflector status}. */
    private static void compareBirdc(Path v4, Path v6, String admin, Supplier<String> diag) throws Exception {
        OpsIT.Cli cli = OpsIT.cli("status", "--admin", admin, "--json");
        assertEquals(0, cli.exit(), cli.out() + cli.err());
        Map<String, JsonNode> rows = new TreeMap<>();
        JSON.readTree(cli.out()).get("peers").forEach(p -> rows.put(p.get("protocol").asText(), p));
        int bgpRows = 0;
        for (Path socket : List.of(v4, v6)) {
            for (String command : List.of("show protocols", "show protocols all")) {
                String b16 = birdc(Binaries.bird16("birdc"), socket, command);
                String b2 = birdc(Binaries.BIRDC2, socket, command);
                assertEquals(b16, b2, "BIRD 1.6's and BIRD 2's birdc print the same for " + command);
                System.out.println("=== birdc -s " + socket.getFileName() + " " + command + "\n" + b16);
                for (String line : b16.lines().toList()) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 5 || !f[1].equals("BGP")) {
                        continue;
                    }
                    JsonNode row = rows.get(f[0]);
                    assertTrue(row != null, f[0] + " is in routereflector status\n" + cli.out());
                    assertEquals(row.get("state").asText(), f[3], line);
                    assertEquals(row.get("sinceEpochSeconds").asText(), f[4], line);
                    String info = f.length > 5 ? String.join(" ", List.of(f).subList(5, f.length)) : "";
                    assertEquals(row.get("info").asText(), info, line);
                    bgpRows++;
                }
                if (command.endsWith("all")) {
                    for (Map.Entry<String, JsonNode> e : rows.entrySet()) {
                        if (!b16.contains(e.getKey() + " ")) {
                            continue;
                        }
                        OpsIT.Cli detail = OpsIT.cli("status", "--admin", admin, "--json", e.getKey());
                        JsonNode d = JSON.readTree(detail.out());
                        String block = b16.substring(b16.indexOf(e.getKey() + " "));
                        assertTrue(block.contains("  Routes:         " + d.get("routes").get("imported").asLong() + " imported, "
                                + d.get("routes").get("exported").asLong() + " exported, " + d.get("routes").get("preferred").asLong()
                                + " preferred\n"), e.getKey() + "\n" + detail.out() + "\n" + block);
                        assertTrue(block.contains("  BGP state:          " + e.getValue().get("bgpState").asText() + "\n"), block);
                        assertTrue(block.contains("    Neighbor address: " + e.getValue().get("address").asText() + "\n"), block);
                    }
                }
            }
        }
        // Each of the five sessions in both commands.
        assertEquals(10, bgpRows, "BGP rows seen");
    }

    private static String birdc(Path client, Path socket, String command) {
        List<String> cmd = new ArrayList<>(List.of(Binaries.require(client).toString(), "-s", socket.toString()));
        cmd.addAll(List.of(command.split(" ")));
        Shell.Result r = Shell.run(cmd, Map.of(), Duration.ofSeconds(10));
        assertEquals(0, r.exitCode(), r.output());
        // The first line is the greeting; the version is ours after BIRD's.
        assertTrue(r.output().startsWith("BIRD 1.6.8-routereflector-"), r.output());
        return r.output().substring(r.output().indexOf('\n') + 1);
    }

    private static void errorsAndManyClients(Path v4, Path v6) throws Exception {
        try (BirdSocketClient c = BirdSocketClient.connect(v4)) {
            assertTrue(c.greeting().startsWith("0001 BIRD 1.6.8-routereflector-"));
            assertEquals("9001 syntax error\n", c.query("show bgp neighbors"));
            assertEquals("9000 Command too long\n", c.query("show protocols " + "x".repeat(10_000)));
            assertTrue(c.query("show route count").matches("0014 \\d+ of \\d+ routes for 3 networks\n"));
        }
        for (String reply : BirdSocketClient.concurrently(List.of(v4, v6), 100, "show protocols all")) {
            assertTrue(reply.startsWith("2002-") && reply.endsWith("\n \n0000 \n"), reply);
        }
    }

    /** Clients that send requests and never read: a new route still crosses the reflector at once. */
    private static void silentClientsDelayNoBgp(Path v4, GobgpPeer gobgp, BirdPeer bird16, Supplier<String> diag) throws Exception {
        List<BirdSocketClient> silent = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                BirdSocketClient s = BirdSocketClient.connect(v4);
                silent.add(s);
                s.send("show protocols all\n".repeat(500).stripTrailing());
            }
            long t0 = System.nanoTime();
            gobgp.addRoute(StaticRoute.of("10.73.1.0/26"));
            bird16.awaitRoute("10.73.1.0/26", r -> true, Duration.ofSeconds(10));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("a GoBGP route reached BIRD 1.6 through us in %d ms beside 20 silent control clients%n", ms);
            assertTrue(ms < 5000, "route propagation took " + ms + " ms");
            try (BirdSocketClient c = BirdSocketClient.connect(v4)) {
                c.greeting();
                assertTrue(c.query("show status").endsWith("0013 Daemon is up and running\n"));
            }
        } finally {
            for (BirdSocketClient s : silent) {
                s.close();
            }
        }
    }

    private static String get(String url) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .timeout(Duration.ofSeconds(20)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
