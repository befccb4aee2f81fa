package io.routereflector.daemon.birdctl;

import io.netty.channel.EventLoopGroup;
import io.routereflector.daemon.ops.BgpMetrics;
import io.routereflector.daemon.ops.PrometheusText;
import io.routereflector.daemon.ops.StatusService;
import io.routereflector.datastore.DesiredState;
import io.routereflector.reflector.Reflector;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.reflector.session.Transport;
import io.routereflector.speaker.SimSpeaker;
import io.routereflector.testbed.Await;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Ipv4Prefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control sockets through real Unix sockets, served from a running reflector with one Established
 * node (a simulated Calico node over TCP on loopback) and one node that refuses connections.
 */
@Timeout(120)
class ControlSocketTest {

    static final long AS = 64512;
    static final String RR = "127.0.0.240";
    static final String UP = "127.0.0.241";
    static final String REFUSED = "127.0.0.242";
    static final String VERSION = "1.6.8-test";

    @TempDir
    Path dir;

    Reflector reflector;
    EventLoopGroup group;
    SimSpeaker node;
    ControlSockets sockets;
    StatusService status;
    Path v4;
    Path v6;

    @BeforeEach
    void start() throws Exception {
        Transport transport = Transport.detect();
        reflector = new Reflector(transport, 1);
        InetAddress rr = InetAddress.getByName(RR);
        reflector.apply(new ReflectorConfig((Inet4Address) rr, null, AS, List.of(rr), 0, List.of(
                PeerConfig.builder(InetAddress.getByName(UP), AS).passive(true).build(),
                PeerConfig.builder(InetAddress.getByName(REFUSED), AS).build()), false));
        int port = reflector.peers().listening().get(0).getPort();
        group = transport.newGroup(1, "socket-test");
        node = SimSpeaker.connect(transport, group, InetAddress.getByName(UP), new InetSocketAddress(rr, port),
                SimSpeaker.Settings.calico(AS, Ipv4Prefix.parseAddress(UP), AddressFamily.IPV4_UNICAST));
        Await.until("the node Established", Duration.ofSeconds(20), node::established, () -> node.toString());
        node.announce(List.of(Ipv4Prefix.parse("10.241.0.0/26")), PathAttributes.of(Origin.IGP, AsPath.EMPTY, new LocalPref(100)),
                InetAddress.getByName(UP).getAddress());
        status = new StatusService(reflector, () -> new DesiredState.Health(DesiredState.Status.HEALTHY, ""), Clock.systemDefaultZone());
        Await.until("the route counted", Duration.ofSeconds(20), () -> prefixes() == 1, () -> "");
        InetAddress refused = InetAddress.getByName(REFUSED);
        Await.until("the refused dial recorded", Duration.ofSeconds(20),
                () -> reflector.peers().session(refused).lastErrorInfo() != null, () -> "");
        v4 = dir.resolve("sockets/bird.ctl");
        v6 = dir.resolve("sockets/bird6.ctl");
        Map<Path, BirdCli> clis = new LinkedHashMap<>();
        clis.put(v4, new BirdCli(status, AddressFamily.IPV4_UNICAST, BirdTimeFormat.UNIX, VERSION, Clock.systemDefaultZone(), () -> null));
        clis.put(v6, new BirdCli(status, AddressFamily.IPV6_UNICAST, BirdTimeFormat.UNIX, VERSION, Clock.systemDefaultZone(), () -> null));
        sockets = ControlSockets.start(clis);
    }

    @AfterEach
    void stop() throws Exception {
        if (sockets != null) {
            sockets.close();
        }
        node.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(3, TimeUnit.SECONDS);
        reflector.close();
        assertTrue(!Files.exists(v4) && !Files.exists(v6), "the socket files go with the sockets");
    }

    @Test
    void socketsAreMode0660AndGreetLikeBird() throws Exception {
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(v4)));
        try (BirdSocketClient c = BirdSocketClient.connect(v4)) {
            assertEquals("0001 BIRD " + VERSION + " ready.\n", c.greeting());
        }
    }

    @Test
    void showProtocolsListsTheFamilysSessionsInBirdsColumns() throws Exception {
        long upSince = reflector.peers().session(InetAddress.getByName(UP)).since().getEpochSecond();
        long refusedSince = reflector.peers().session(InetAddress.getByName(REFUSED)).since().getEpochSecond();
        long started = status.started().getEpochSecond();
        try (BirdSocketClient c = BirdSocketClient.connect(v4)) {
            c.greeting();
            String reply = c.query("show protocols");
            assertEquals("2002-name     proto    table    state  since       info\n"
                    + String.format("1002-device1  Device   master   up     %-10d  %n", started)
                    + String.format(" Global_127_0_0_241 BGP      master   up     %-10d  Established   %n", upSince)
                    + String.format(" Global_127_0_0_242 BGP      master   start  %-10d  Active        Socket: Connection refused%n", refusedSince)
                    + "0000 \n", reply);
            // The next request on the same connection: BIRD's codes carry over (1002 after 0000 gets its code again).
            assertEquals("0014 1 of 1 routes for 1 networks\n", c.query("show route count"));
        }
        try (BirdSocketClient c = BirdSocketClient.connect(v6)) {
            c.greeting();
            assertEquals("2002-name     proto    table    state  since       info\n"
                    + String.format("1002-device1  Device   master   up     %-10d  %n", started) + "0000 \n", c.query("show protocols"));
            assertEquals("0014 0 of 0 routes for 0 networks\n", c.query("show route count"));
        }
    }

    @Test
    void showProtocolsAllHasBirdsDetailBlocksAndAgreesWithMetrics() throws Exception {
        String all;
        try (BirdSocketClient c = BirdSocketClient.connect(v4)) {
            c.greeting();
            all = c.query("show protocols all");
            assertEquals(all, c.query("show protocols all \"*\""));
        }
        List<String> lines = all.lines().toList();
        assertTrue(all.endsWith("\n \n0000 \n"), all);
        assertEquals(3, lines.stream().filter(l -> l.startsWith("1002-")).count(), all);
        assertEquals(3, lines.stream().filter(l -> l.startsWith("1006-")).count(), all);
        assertEquals(3, lines.stream().filter(l -> l.equals(" ")).count(), all);
        String up = block(all, "Global_127_0_0_241");
        for (String expected : List.of("1006-  Preference:     100", "   Input filter:   ACCEPT", "   Output filter:  ACCEPT",
                "   Routes:         1 imported, 0 exported, 1 preferred",
                "   Route change stats:     received   rejected   filtered    ignored   accepted",
                "     Import updates:              1          0          0          0          1",
                "     Import withdraws:            0          0        ---          0          0",
                "     Export updates:              0          0          0        ---          0",
                "     Export withdraws:            0        ---        ---        ---          0",
                "   BGP state:          Established", "     Neighbor address: 127.0.0.241", "     Neighbor AS:      64512",
                "     Neighbor ID:      127.0.0.241", "     Neighbor caps:    refresh AS4", "     Session:          internal multihop route-reflector AS4",
                "     Source address:   127.0.0.240")) {
            assertTrue(up.lines().anyMatch(expected::equals), "missing '" + expected + "' in\n" + up);
        }
        assertTrue(up.lines().anyMatch(l -> l.matches("     Hold timer:       \\d+/240")), up);
        assertTrue(up.lines().anyMatch(l -> l.matches("     Keepalive timer:  \\d+/80")), up);
        String refused = block(all, "Global_127_0_0_242");
        assertTrue(refused.contains("\n   BGP state:          Active\n"), refused);
        assertTrue(refused.contains("\n     Last error:       Socket: Connection refused\n"), refused);

        // One source of truth: what bird_exporter would read here is what /metrics exports.
        BgpMetrics metrics = new BgpMetrics(status, Clock.systemUTC());
        Map<String, PrometheusText.Family> m = PrometheusText.parse(metrics.scrape());
        Map<String, String> labels = Map.of("name", "Global_127_0_0_242", "proto", "BGP", "ip_version", "4", "import_filter", "ACCEPT",
                "export_filter", "ACCEPT");
        Map<String, String> upLabels = new LinkedHashMap<>(labels);
        upLabels.put("state", "Active        Socket: Connection refused");
        assertEquals(0.0, PrometheusText.value(m, "bird_protocol_up", upLabels));
        Map<String, String> node = new LinkedHashMap<>(labels);
        node.put("name", "Global_127_0_0_241");
        assertEquals(1.0, PrometheusText.value(m, "bird_protocol_changes_update_import_accept_count", node));
        node.put("state", "Established");
        assertEquals(1.0, PrometheusText.value(m, "bird_protocol_up", node));
    }

    @Test
    void showProtocolsAllForOneProtocolOrNoneLikeBird() throws Exception {
        try (BirdSocketClient c = BirdSocketClient.connect(v4)) {
            c.greeting();
            String one = c.query("show protocols all Global_127_0_0_241");
            assertTrue(one.startsWith("2002-name     proto    table    state  since       info\n1002-Global_127_0_0_241 BGP"), one);
            assertTrue(one.endsWith("\n \n0000 \n"), one);
            assertEquals("9002 Node_127_0_0_9 is not a protocol\n", c.query("show protocols all Node_127_0_0_9"));
            assertEquals("8003 No protocols match\n", c.query("show protocols \"Mesh*\""));
            assertEquals("9001 syntax error\n", c.query("show bgp summary"));
            assertEquals("9001 syntax error\n", c.query(""));
            assertEquals("9000 Command too long\n", c.query("show status" + " ".repeat(5000)));
            String status = c.query("show status");
            assertTrue(status.matches("1000-BIRD 1\\.6\\.8-test\n1011-Router ID is 127\\.0\\.0\\.240\n Current server time is [-0-9 :]{19}\n"
                    + " Last reboot on [-0-9 :]{19}\n Last reconfiguration on [-0-9 :]{19}\n0013 Daemon is up and running\n"), status);
            String memory = c.query("show memory");
            assertTrue(memory.matches("1018-BIRD memory usage\n Java heap: {8}[ 0-9]{4} [ kMG]B\n Java non-heap: {4}[ 0-9]{4} [ kMG]B\n"
                    + " Direct buffers: {3}[ 0-9]{4} [ kMG]B\n Total: {12}[ 0-9]{4} [ kMG]B\n0000 \n"), memory);
        }
    }

    /**
     * calicoctl cannot be installed here (TESTBED.md): this reads the socket by its parser's rules instead.
     * It writes {@code show protocols} at once without waiting for the greeting, skips {@code 0001}, requires
     * the {@code 2002} headings to be exactly name/proto/table/state/since/info, takes {@code 1002-} rows and
     * rows starting with a blank, splits them on blanks (name, proto BGP, table, state, since, BGP state,
     * the rest joined as info), fails on any other line, and stops at {@code 0000}.
     */
    @Test
    void calicoctlsParserReadsTheRows() throws Exception {
        List<List<String>> peers = new ArrayList<>();
        try (BirdSocketClient c = BirdSocketClient.connect(v4)) {
            c.send("show protocols");
            while (true) {
                String line = c.line();
                if (line.startsWith("0000")) {
                    break;
                } else if (line.startsWith("0001")) {
                    continue;
                } else if (line.startsWith("2002")) {
                    assertEquals(List.of("name", "proto", "table", "state", "since", "info"), List.of(line.substring(5).trim().split("\\s+")));
                } else if (line.startsWith("1002") || line.startsWith(" ")) {
                    List<String> columns = List.of(line.substring(line.startsWith(" ") ? 1 : 5).trim().split("\\s+"));
                    if (columns.size() >= 6 && columns.get(1).equals("BGP") && columns.get(0).matches("(Global|Node|Mesh)_.+")) {
                        String info = columns.get(5) + (columns.size() > 6 ? " " + String.join(" ", columns.subList(6, columns.size())) : "");
                        peers.add(List.of(columns.get(0).replaceFirst("^[A-Za-z]+_", "").replace('_', '.'), columns.get(3), columns.get(4), info));
                    }
                } else {
                    throw new AssertionError("calicoctl fails on the line '" + line + "'");
                }
            }
        }
        String upSince = Long.toString(reflector.peers().session(InetAddress.getByName(UP)).since().getEpochSecond());
        String refusedSince = Long.toString(reflector.peers().session(InetAddress.getByName(REFUSED)).since().getEpochSecond());
        assertEquals(List.of(List.of(UP, "up", upSince, "Established"),
                List.of(REFUSED, "start", refusedSince, "Active Socket: Connection refused")), peers);
        // routereflector status shows the same words.
        assertEquals("Active Socket: Connection refused", status.row(reflector.peers().session(InetAddress.getByName(REFUSED))).info());
    }

    /** Many clients at once, and clients that never read their replies, neither stall others nor the BGP session. */
    @Test
    void manyClientsAndSilentOnesDelayNoOne() throws Exception {
        List<BirdSocketClient> silent = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                BirdSocketClient s = BirdSocketClient.connect(v4);
                silent.add(s);
                // Requests that produce far more than the socket buffers hold, never read: the server stops reading them.
                s.send(("show protocols all\n").repeat(2000).stripTrailing());
            }
            long t0 = System.nanoTime();
            for (String reply : BirdSocketClient.concurrently(List.of(v4, v6), 64, "show protocols all")) {
                assertTrue(reply.startsWith("2002-") && reply.endsWith("\n \n0000 \n"), reply);
            }
            System.out.printf("64 clients answered in %d ms beside 20 silent ones%n", (System.nanoTime() - t0) / 1_000_000);
            // The BGP session still works: a new route arrives and is counted at once.
            node.announce(List.of(Ipv4Prefix.parse("10.241.1.0/26")), PathAttributes.of(Origin.IGP, AsPath.EMPTY, new LocalPref(100)),
                    InetAddress.getByName(UP).getAddress());
            Await.until("the new route while silent clients hang on", Duration.ofSeconds(5),
                    () -> prefixes() == 2, () -> "");
            assertTrue(node.established());
        } finally {
            for (BirdSocketClient s : silent) {
                s.close();
            }
        }
    }

    private int prefixes() {
        try {
            return reflector.query(r -> r.prefixCount(AddressFamily.IPV4_UNICAST));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String block(String all, String name) {
        int start = all.indexOf("1002-" + name + " ");
        int end = all.indexOf("\n \n", start);
        return all.substring(start, end + 1);
    }
}
