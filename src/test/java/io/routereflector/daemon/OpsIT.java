package io.routereflector.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoopGroup;
import io.routereflector.daemon.ops.PrometheusText;
import io.routereflector.reflector.session.Transport;
import io.routereflector.speaker.SimSpeaker;
import io.routereflector.testbed.Await;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.Communities;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.message.Notification;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;
import io.routereflector.wire.nlri.Ipv4Prefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged daemon (src/target/routereflector.jar, as a process) with two simulated Calico nodes up,
 * one down and a global peer with a TCP MD5 password that is not running: the admin endpoint and the
 * CLI ({@code status}, {@code status PEER}, {@code routes}, {@code health}), {@code /metrics} parsed
 * strictly, {@code /readyz} across its transitions, and JSON log lines that never show the password.
 */
@Timeout(180)
class OpsIT {

    static final String RR = "127.0.0.230";
    static final String A = "127.0.0.231";
    static final String B = "127.0.0.232";
    static final String DOWN = "127.0.0.233";
    static final String GLOBAL = "127.0.0.234";
    static final String PASSWORD = "Md5-Secret-Value-7";
    static final long AS = 64512;
    /** The BGP port of this run: the nodes' configured listen port, which calico/node writes into their names. */
    private int bgpPort;

    /** How status, routes, metrics and the log name a node here: its address and the cluster's port, which is not 179. */
    private String at(String address) {
        return address + ":" + bgpPort;
    }

    private String table(String address) {
        return Pattern.quote(at(address));
    }

    @TempDir
    Path dir;

    record Cli(int exit, String out, String err) {
    }

    static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Cli(exit, out.toString(), err.toString());
    }

    static int freePort(String address) throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return s.getLocalPort();
        }
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    void writeDatastore(int bgpPort) throws Exception {
        Path data = Files.createDirectories(dir.resolve("cluster"));
        Files.writeString(data.resolve("config.yaml"), """
                apiVersion: projectcalico.org/v3
                kind: BGPConfiguration
                metadata: {name: default}
                spec: {nodeToNodeMeshEnabled: false, asNumber: 64512, listenPort: %d, bindMode: NodeIP}
                ---
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata: {name: peer-with-route-reflectors}
                spec: {nodeSelector: all(), peerSelector: route-reflector == 'true'}
                ---
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata: {name: tor}
                spec:
                  peerIP: %s
                  asNumber: 64512
                  password: {secretKeyRef: {name: bgp-secrets, key: tor}}
                """.formatted(bgpPort, GLOBAL));
        StringBuilder nodes = new StringBuilder("""
                apiVersion: projectcalico.org/v3
                kind: Node
                metadata: {name: rr1, labels: {route-reflector: "true"}}
                spec: {bgp: {ipv4Address: %s/8, routeReflectorClusterID: 224.0.0.1}}
                """.formatted(RR));
        for (String worker : List.of(A, B, DOWN)) {
            nodes.append("---\napiVersion: projectcalico.org/v3\nkind: Node\nmetadata: {name: w").append(worker.replace('.', '-'))
                    .append("}\nspec: {bgp: {ipv4Address: ").append(worker).append("/8}}\n");
        }
        Files.writeString(data.resolve("nodes.yaml"), nodes);
        Path secret = Files.createDirectories(dir.resolve("secrets/bgp-secrets"));
        Files.writeString(secret.resolve("tor"), PASSWORD);
    }

    @Test
    void statusRoutesMetricsHealthAndLogsAgainstARunningDaemon() throws Exception {
        bgpPort = freePort(RR);
        int adminPort = freePort(RR);
        int metricsPort = freePort(RR);
        writeDatastore(bgpPort);
        String admin = RR + ":" + adminPort;
        String metrics = "http://" + RR + ":" + metricsPort;
        Path jar = Path.of(System.getProperty("rr.repo.root"), "src", "target", "routereflector.jar");
        assertTrue(Files.isRegularFile(jar), "the packaged daemon " + jar);
        Path log = dir.resolve("daemon.log");
        Process daemon = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "run", "--datastore-path", dir.resolve("cluster").toString(), "--node", "rr1",
                "--secrets-dir", dir.resolve("secrets").toString(), "--admin-listen", admin,
                "--metrics-listen", RR + ":" + metricsPort, "--log-format", "json", "--log-level", "debug",
                "--state-dir", Files.createDirectories(dir.resolve("state")).toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Transport transport = Transport.detect();
        EventLoopGroup group = transport.newGroup(1, "ops-it");
        List<SimSpeaker> speakers = new ArrayList<>();
        try {
            // The admin endpoint answers before the datastore's first configuration is applied: wait for
            // the configured peers, else /readyz rightly says "no peers configured".
            Await.until("the admin endpoint with the configuration applied", Duration.ofSeconds(30), () -> {
                Cli status = cli("status", "--admin", admin);
                return status.exit() == 0 && status.out().contains(DOWN);
            }, () -> "daemon log:\n" + read(log));
            // Within the first 30 s, ready only once every peer is up.
            HttpResponse<String> early = get(metrics + "/readyz");
            assertEquals(503, early.statusCode(), early.body());
            assertTrue(early.body().contains("starting: 0/4 peers Established"), early.body());

            InetSocketAddress rr = new InetSocketAddress(InetAddress.getByName(RR), bgpPort);
            for (String local : List.of(A, B)) {
                speakers.add(SimSpeaker.connect(transport, group, InetAddress.getByName(local), rr,
                        SimSpeaker.Settings.calico(AS, Ipv4Prefix.parseAddress(local), AddressFamily.IPV4_UNICAST)));
            }
            SimSpeaker a = speakers.get(0);
            SimSpeaker b = speakers.get(1);
            Await.until("both nodes Established", Duration.ofSeconds(30), () -> a.established() && b.established(),
                    () -> a + " " + b + "\n" + read(log));
            IpPrefix fromA = Ipv4Prefix.parse("10.231.0.0/24");
            a.announce(List.of(fromA), PathAttributes.of(Origin.IGP, AsPath.EMPTY, new LocalPref(100),
                    new Communities(Communities.of(64512, 100))), InetAddress.getByName(A).getAddress());
            b.announce(List.of(Ipv4Prefix.parse("10.232.0.0/24")), PathAttributes.of(Origin.IGP, AsPath.EMPTY, new LocalPref(100)),
                    InetAddress.getByName(B).getAddress());
            Await.until("each node to learn the other's route", Duration.ofSeconds(30),
                    () -> !b.paths(fromA).isEmpty() && !a.paths(Ipv4Prefix.parse("10.232.0.0/24")).isEmpty(), () -> read(log));

            checkStatus(admin);
            checkRoutes(admin);
            checkMetrics(metrics);
            // Real output for the README, kept beside the build's other reports.
            Files.writeString(Path.of(System.getProperty("rr.repo.root"), "src", "target", "ops-it-samples.txt"),
                    cli("status", "--admin", admin).out() + "\n" + cli("status", "--admin", admin, A).out() + "\n"
                            + cli("routes", "--admin", admin).out() + "\n" + body(metrics + "/metrics"));

            // After 30 s: ready while at least one peer is Established.
            Await.until("ready after the start-up window", Duration.ofSeconds(40),
                    () -> probe(metrics + "/readyz") == 200, () -> "readyz: " + body(metrics + "/readyz"));
            assertEquals(200, probe(metrics + "/livez"));
            Cli health = cli("health", "--admin", admin);
            assertEquals(0, health.exit(), health.out() + health.err());
            assertTrue(health.out().startsWith("healthy: live=true ready=true"), health.out());

            // A Cease from the peer: the status says so in BIRD's words, the metrics count it by code.
            a.stop(new Notification(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN));
            b.stop(new Notification(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN));
            Await.until("not ready once no peer is Established", Duration.ofSeconds(30),
                    () -> probe(metrics + "/readyz") == 503, () -> body(metrics + "/readyz"));
            assertTrue(body(metrics + "/readyz").contains("no peer Established (0/4)"));
            Cli down = cli("status", "--admin", admin);
            assertTrue(down.out().matches("(?s).*\\| " + table(A) + " +\\| node specific \\| start \\| [0-9:]{8} \\| "
                    + "(Active|Connect|OpenSent|Idle) Received: Cease / Administrative shutdown +\\|.*"), down.out());
            Map<String, PrometheusText.Family> after = PrometheusText.parse(body(metrics + "/metrics"));
            assertEquals(1.0, PrometheusText.value(after, "routereflector_notifications_total",
                    Map.of("peer", at(A), "direction", "received", "code", "6", "subcode", "2")));
            assertEquals(0.0, PrometheusText.value(after, "bird_protocol_up", Map.of("name", node("231"))));
            Cli unhealthy = cli("health", "--admin", admin);
            assertEquals(1, unhealthy.exit(), unhealthy.out());
        } finally {
            speakers.forEach(SimSpeaker::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            daemon.destroy();
            daemon.waitFor(20, TimeUnit.SECONDS);
            daemon.destroyForcibly();
        }
        checkLog(read(log));
        Cli gone = cli("status", "--admin", admin);
        assertEquals(3, gone.exit(), "no daemon: " + gone.err());
        assertTrue(gone.err().contains("cannot reach the routereflector admin endpoint at http://" + admin), gone.err());
    }

    /** calico/node's BIRD name of a node with a configured listen port: {@code Node_127_0_0_231_port_N}. */
    private String node(String last) {
        return "Node_127_0_0_" + last + "_port_" + bgpPort;
    }

    private void checkStatus(String admin) throws Exception {
        Cli status = cli("status", "--admin", admin);
        assertEquals(0, status.exit(), status.err());
        String out = status.out();
        assertTrue(out.matches("(?s).*\\| +PEER ADDRESS +\\|   PEER TYPE   \\| STATE \\|  SINCE   \\|.*"), out);
        assertTrue(out.matches("(?s).*\\| " + table(A) + " +\\| node specific \\| up    \\| [0-9:]{8} \\| Established +\\|.*"), out);
        assertTrue(out.matches("(?s).*\\| " + table(B) + " +\\| node specific \\| up    \\|.*"), out);
        assertTrue(out.matches("(?s).*\\| " + table(DOWN) + " +\\| node specific \\| start \\| [0-9:]{8} \\| Active Socket: Connection refused +\\|.*"), out);
        assertTrue(out.matches("(?s).*\\| 127\\.0\\.0\\.234 +\\| global +\\| start \\|.*"), out);
        assertTrue(out.contains("No IPv6 peers found."), out);

        Cli peer = cli("status", "--admin", admin, A);
        assertEquals(0, peer.exit(), peer.err());
        String detail = peer.out();
        assertTrue(detail.startsWith(node("231") + " BGP      master   up "), detail);
        assertTrue(detail.contains("    Neighbor AS:      64512\n"), detail);
        assertTrue(detail.contains("    Neighbor ID:      127.0.0.231\n"), detail);
        assertTrue(detail.contains("ADD-PATH ipv4-unicast rx tx"), detail);
        assertTrue(detail.matches("(?s).*    Hold timer:       [0-9]+/240\n.*"), detail);
        assertTrue(detail.contains("  Routes:         1 imported, 1 exported, 1 preferred\n"), detail);
        assertTrue(detail.matches("(?s).*    Import updates: +1 +0 +0 +0 +1\n.*"), detail);
        assertTrue(detail.matches("(?s).*    Export updates: +1 +0 +0 +0 +1\n.*"), detail);

        JsonNode json = new ObjectMapper().readTree(cli("status", "--admin", admin, "--json", node("232")).out());
        assertEquals(at(B), json.at("/peer/address").asText());
        assertEquals(B, json.get("neighborAddress").asText());
        assertEquals("rr client", json.get("role").asText());
        assertTrue(json.get("holdRemaining").asLong() > 200, json.toString());
        assertEquals(1, json.at("/routes/imported").asLong());

        Cli missing = cli("status", "--admin", admin, "10.9.9.9");
        assertEquals(1, missing.exit(), missing.out());
        assertTrue(missing.err().contains("no such peer: 10.9.9.9"), missing.err());
    }

    private void checkRoutes(String admin) throws Exception {
        Cli routes = cli("routes", "--admin", admin, "10.231.0.0/24");
        assertEquals(0, routes.exit(), routes.err());
        String out = routes.out();
        assertTrue(out.startsWith("10.231.0.0/24  (1 path, best by only path)\n"), out);
        assertTrue(out.contains("  * via 127.0.0.231 from " + at(A) + " (rr client, path id 1)\n"), out);
        assertTrue(out.contains("        communities 64512:100\n"), out);
        assertTrue(out.contains("        advertised to " + at(B) + "\n"), out);
        Cli covering = cli("routes", "--admin", admin, "--json", "10.232.0.7");
        JsonNode json = new ObjectMapper().readTree(covering.out());
        assertEquals(1, json.get("total").asInt(), covering.out());
        assertEquals("10.232.0.0/24", json.at("/routes/0/prefix").asText());
        assertEquals("[\"" + at(A) + "\"]", json.at("/routes/0/paths/0/advertisedTo").toString());
        Cli all = cli("routes", "--admin", admin);
        assertTrue(all.out().endsWith("2 prefixes\n"), all.out());
        assertEquals(1, cli("routes", "--admin", admin, "10.99.0.0/24").exit());
        assertEquals(2, cli("routes", "--admin", admin, "not-a-prefix").exit());
    }

    private void checkMetrics(String metrics) throws Exception {
        HttpResponse<String> scrape = get(metrics + "/metrics");
        assertEquals(200, scrape.statusCode());
        assertTrue(scrape.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
        Map<String, PrometheusText.Family> m = PrometheusText.parse(scrape.body());
        Map<String, String> a = Map.of("name", node("231"), "proto", "BGP", "ip_version", "4", "import_filter", "ACCEPT",
                "export_filter", "ACCEPT");
        assertEquals("gauge", m.get("bird_protocol_up").type());
        assertEquals(1.0, PrometheusText.value(m, "bird_protocol_up", Map.of("name", node("231"), "state", "Established")));
        // The state label is BIRD's info column as bird_exporter reads it: the state, then the last error.
        PrometheusText.Sample refused = m.get("bird_protocol_up").samples().stream()
                .filter(x -> x.labels().get("name").equals(node("233"))).findFirst().orElseThrow();
        assertEquals(0.0, refused.value());
        assertTrue(refused.labels().get("state").matches("Active( {8}Socket: Connection refused)?"), refused.toString());
        assertEquals(0.0, PrometheusText.value(m, "bird_protocol_up", Map.of("name", "Global_127_0_0_234")));
        assertEquals(1.0, PrometheusText.value(m, "bird_protocol_prefix_import_count", a));
        assertEquals(1.0, PrometheusText.value(m, "bird_protocol_prefix_export_count", a));
        assertEquals(1.0, PrometheusText.value(m, "bird_protocol_prefix_preferred_count", a));
        assertEquals(0.0, PrometheusText.value(m, "bird_protocol_prefix_filter_count", a));
        assertEquals(1.0, PrometheusText.value(m, "bird_protocol_changes_update_import_receive_count", a));
        assertEquals(1.0, PrometheusText.value(m, "bird_protocol_changes_update_import_accept_count", a));
        assertEquals(1.0, PrometheusText.value(m, "bird_protocol_changes_update_export_accept_count", a));
        assertEquals(0.0, PrometheusText.value(m, "bird_protocol_changes_withdraw_import_receive_count", a));
        double uptime = PrometheusText.value(m, "bird_protocol_uptime", a);
        assertTrue(uptime >= 0 && uptime < 120, "uptime " + uptime);
        assertEquals(6.0, PrometheusText.value(m, "routereflector_session_state", Map.of("peer", at(A))));
        assertEquals("counter", m.get("routereflector_messages_received_total").type());
        assertEquals(1.0, PrometheusText.value(m, "routereflector_messages_received_total", Map.of("peer", at(A), "type", "UPDATE")),
                "one announcement (the simulated node sends no End-of-RIB unless told)");
        assertTrue(PrometheusText.value(m, "routereflector_messages_sent_total", Map.of("peer", at(A), "type", "UPDATE")) >= 2,
                "B's route and End-of-RIB");
        assertEquals(1.0, PrometheusText.value(m, "routereflector_messages_received_total", Map.of("peer", at(A), "type", "OPEN")));
        assertEquals(2.0, PrometheusText.value(m, "routereflector_rib_prefixes", Map.of("family", "ipv4-unicast")));
        assertEquals(1.0, PrometheusText.value(m, "routereflector_update_groups", Map.of()));
        assertEquals(2.0, PrometheusText.value(m, "routereflector_update_group_members", Map.of("group", "0")));
        assertEquals(1.0, PrometheusText.value(m, "routereflector_datastore_status", Map.of("status", "healthy")));
        assertEquals("histogram", m.get("routereflector_update_processing_seconds").type());
        assertEquals(2.0, PrometheusText.value(m, "routereflector_update_processing_seconds_count", Map.of()), "one UPDATE from each node");
        assertTrue(m.containsKey("jvm_memory_used_bytes") && m.containsKey("jvm_gc_pause_seconds") || m.containsKey("jvm_gc_memory_allocated_bytes"),
                "JVM and GC binders");
    }

    private void checkLog(String log) throws Exception {
        assertFalse(log.contains(PASSWORD), "the MD5 password appears in the log");
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : log.split("\n")) {
            if (!line.isBlank()) {
                lines.add(json.readTree(line)); // every line is one JSON object
            }
        }
        assertTrue(lines.stream().anyMatch(n -> n.get("message").asText().startsWith("started: router id 127.0.0.230, cluster id 224.0.0.1")), log);
        assertTrue(lines.stream().anyMatch(n -> n.get("message").asText().startsWith("configuration applied: initial")
                && n.get("message").asText().contains("127.0.0.234 (global, rr client)")), log);
        assertTrue(lines.stream().anyMatch(n -> at(A).equals(n.path("peer").asText()) && n.get("message").asText().contains("-> Established on event")), log);
        assertTrue(lines.stream().anyMatch(n -> at(A).equals(n.path("peer").asText())
                && n.get("message").asText().contains("received NOTIFICATION Cease / Administrative shutdown")), log);
        assertTrue(lines.stream().anyMatch(n -> at(DOWN).equals(n.path("peer").asText()) && n.get("message").asText().contains("Connection refused")), log);
    }

    private static int probe(String url) {
        try {
            return get(url).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String body(String url) {
        try {
            return get(url).body();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
