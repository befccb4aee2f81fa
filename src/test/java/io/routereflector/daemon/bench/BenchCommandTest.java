package io.routereflector.daemon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.routereflector.reflector.Reflector;
import io.routereflector.reflector.config.AddPathMode;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.reflector.session.Transport;
import io.routereflector.rib.PeerRole;
import io.routereflector.wire.nlri.AddressFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code routereflector bench} end to end against an in-JVM reflector on loopback: 20 nodes converge,
 * every one holds the 19 × 4 routes of the others with their own next hops, and churn events propagate.
 */
@Timeout(120)
class BenchCommandTest {

    static final int NODES = 20;
    static final String FIRST = "127.3.0.1";

    @TempDir
    Path dir;

    /** A reflector whose clients are 127.3.0.1 … 127.3.0.N, passive (the bench nodes do not listen). */
    static Reflector reflector(int nodes) throws Exception {
        List<PeerConfig> peers = new ArrayList<>();
        AddressPlan plan = AddressPlan.uniform(io.routereflector.wire.nlri.Ipv4Prefix.parseAddress(FIRST), nodes, 0);
        for (int i = 0; i < nodes; i++) {
            peers.add(PeerConfig.builder(plan.inetAddress(i), 64512).role(PeerRole.CLIENT)
                    .families(Set.of(AddressFamily.IPV4_UNICAST))
                    .addPath(Map.of(AddressFamily.IPV4_UNICAST, AddPathMode.BOTH)).passive(true).build());
        }
        Inet4Address me = (Inet4Address) AddressPlan.inet(io.routereflector.wire.nlri.Ipv4Prefix.parseAddress("127.0.0.1"));
        Inet4Address cluster = (Inet4Address) AddressPlan.inet(io.routereflector.wire.nlri.Ipv4Prefix.parseAddress("224.0.0.1"));
        Reflector reflector = new Reflector(Transport.detect(), 2);
        reflector.apply(new ReflectorConfig(me, cluster, 64512, List.of(me), 0, peers, false));
        return reflector;
    }

    static JsonNode bench(Path json, String... args) throws Exception {
        CommandLine cli = io.routereflector.daemon.MainAccess.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("bench", "--json", json.toString(), "--first-node", FIRST));
        all.addAll(List.of(args));
        int exit = cli.execute(all.toArray(String[]::new));
        assertEquals(0, exit, out + "\n" + err);
        assertTrue(out.toString().contains("convergence_ms"), out.toString());
        return new ObjectMapper().readTree(json.toFile()).get("figures");
    }

    @Test
    void coldStartOfTwentyNodesConvergesWithCorrectRoutes() throws Exception {
        Reflector reflector = reflector(NODES);
        try {
            int port = reflector.peers().listening().get(0).getPort();
            JsonNode f = bench(dir.resolve("a.json"), "--scenario", "A", "--nodes", Integer.toString(NODES),
                    "--reflector", "127.0.0.1:" + port, "--timeout", "60", "--max-duration", "90",
                    "--reflector-pid", Long.toString(ProcessHandle.current().pid()), "--idle", "1");
            assertEquals(NODES, f.get("established").asInt());
            assertEquals(NODES, f.get("converged").asInt());
            assertTrue(f.get("convergence_ms").asDouble() > 0, f.toString());
            assertTrue(f.get("convergence_ms").asDouble() >= f.get("all_established_ms").asDouble(), f.toString());
            assertEquals(0, f.get("sessions_reset").asInt());
            assertEquals(0, f.get("wrong_next_hop").asInt());
            assertEquals(0, f.get("foreign_routes").asInt());
            // Each node got the 19 others' UPDATEs (one per announcing node: their 4 blocks share attributes) and End-of-RIB.
            assertTrue(f.get("updates_received").asLong() >= (long) NODES * NODES, f.toString());
            assertTrue(f.get("reflector_cpu_s").asDouble() >= 0, f.toString());
            // --idle 1: the sessions were held a second after convergence, then the RSS read (this JVM's).
            assertTrue(f.get("reflector_rss_idle_mib").asDouble() > 0, f.toString());
            assertTrue(f.get("reflector_idle_cpu_s").asDouble() >= 0, f.toString());
            assertEquals(0, f.get("sessions_reset").asInt());
        } finally {
            reflector.close();
        }
    }

    @Test
    void churnEventsReachEveryOtherNode() throws Exception {
        Reflector reflector = reflector(NODES);
        try {
            int port = reflector.peers().listening().get(0).getPort();
            JsonNode f = bench(dir.resolve("b.json"), "--scenario", "B", "--nodes", Integer.toString(NODES),
                    "--reflector", "127.0.0.1:" + port, "--timeout", "60", "--max-duration", "90",
                    "--churn-rate", "20", "--churn-duration", "3", "--drop-every", "1", "--drop-for", "1",
                    "--drop-fraction", "0.1");
            long events = f.get("churn_events").asLong();
            assertTrue(events >= 40, f.toString());
            // Every completed event reached all 19 other nodes; only events overlapping a drop may stay incomplete.
            assertEquals(events, f.get("propagation_event_count").asLong() + f.get("churn_events_incomplete").asLong(), f.toString());
            assertTrue(f.get("propagation_receipt_count").asLong() >= f.get("propagation_event_count").asLong() * 15, f.toString());
            assertTrue(f.get("propagation_event_p99_ms").asDouble() > 0, f.toString());
            assertEquals(0, f.get("churn_unintended_resets").asInt(), f.toString());
            assertEquals(1, f.get("churn_all_back").asInt(), f.toString());
        } finally {
            reflector.close();
        }
    }

    /** Nothing listens at the reflector's address: the bench says so after ~10 s instead of waiting out --timeout. */
    @Test
    @Timeout(60)
    void aReflectorThatIsNotThereIsReportedQuickly() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort(); // closed again: nothing listens there now
        }
        Path json = dir.resolve("nobody.json");
        long start = System.nanoTime();
        JsonNode f = bench(json, "--scenario", "A", "--nodes", "3", "--reflector", "127.0.0.1:" + port, "--timeout", "300");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(0, f.get("established").asInt(), f.toString());
        assertEquals(-1, f.get("convergence_ms").asInt(), f.toString());
        assertTrue(seconds < 40, "gave up after " + seconds + " s, not within ~10 s");
        JsonNode notes = new ObjectMapper().readTree(json.toFile()).get("notes");
        assertTrue(notes.toString().contains("is a reflector listening at 127.0.0.1:" + port), notes.toString());
    }
}
