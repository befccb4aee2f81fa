package io.routereflector.daemon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.routereflector.daemon.DaemonProcess;
import io.routereflector.daemon.MainAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario D as {@code compare.sh} runs it against our daemon: the configuration {@code bench config
 * --target calico} writes, the daemon from the jar, a speaker whose table is larger than the default
 * prefix limit (20 000). The limit must not end the speaker's session (the other reflectors in the
 * comparison have none): the configuration raises it to the table's size, and the table reaches the client.
 */
@Timeout(120)
class BenchBigTableIT {

    @TempDir
    Path dir;

    @Test
    void aTableAboveTheDefaultPrefixLimitIsReflectedWithoutAReset() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        String reflector = "127.0.0.1:" + port;
        List<String> plan = List.of("--scenario", "D", "--speakers", "1", "--clients", "1", "--table", "20500",
                "--reflector", reflector);
        Path yaml = dir.resolve("cluster.yaml");
        List<String> config = concat(List.of("bench", "config", "--target", "calico", "--first-node", BenchCommandTest.FIRST,
                "--out", yaml.toString()), plan);
        assertEquals(0, MainAccess.commandLine().execute(config.toArray(String[]::new)), "bench config");
        try (DaemonProcess daemon = DaemonProcess.startJar("rr", List.of("run", "--datastore-path", yaml.toString(),
                "--node", BenchConfigs.REFLECTOR_NODE, "--state-dir", dir.resolve("state").toString()), Map.of(), dir)) {
            daemon.awaitStarted();
            JsonNode f = BenchCommandTest.bench(dir.resolve("d.json"), concat(plan, List.of("--timeout", "60", "--max-duration", "90",
                    "--reflector-pid", Long.toString(daemon.pid()))).toArray(String[]::new));
            assertEquals(0, f.get("sessions_reset").asInt(), f + "\n" + daemon.log());
            assertTrue(f.get("convergence_ms").asDouble() > 0, "the client got the table: " + f + "\n" + daemon.log());
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
