package io.routereflector.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon's log level follows BGPConfiguration {@code logSeverityScreen} in the file datastore while
 * it runs (no LOG_LEVEL given): Debug brings debug lines, Warning silences info lines; a level given
 * with {@code --log-level} wins over the datastore.
 */
@Timeout(60)
class DaemonLogLevelIT {

    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private Path datastore() throws Exception {
        Path data = Files.createDirectories(dir.resolve("datastore"));
        for (String name : new String[] {"nodes.yaml", "bgpconfiguration.yaml", "bgppeers.yaml"}) {
            Files.copy(Path.of("examples/cluster").resolve(name), data.resolve(name));
        }
        return data;
    }

    private static List<String> run(Path data) throws Exception {
        return List.of("run", "--datastore-path", data.toString(), "--node", "rr1", "--port", Integer.toString(freePort()));
    }

    /** The log after the first line containing {@code marker}. */
    private static String after(DaemonProcess daemon, String marker) {
        String log = daemon.log();
        int at = log.indexOf(marker);
        assertTrue(at >= 0, "no '" + marker + "' in\n" + log);
        return log.substring(log.indexOf('\n', at) + 1);
    }

    private static long count(String text, String level) {
        return text.lines().filter(l -> l.contains(" " + level + " [")).count();
    }

    @Test
    void logSeverityScreenChangesTheLevelLive() throws Exception {
        Path data = datastore();
        Path config = data.resolve("bgpconfiguration.yaml");
        Path nodes = data.resolve("nodes.yaml");
        String info = Files.readString(config);
        assertTrue(info.contains("logSeverityScreen: Info"), info);
        try (DaemonProcess daemon = DaemonProcess.startJar("loglevel", run(data), Map.of(), dir)) {
            daemon.awaitStarted();
            assertEquals(0, count(daemon.log(), "DEBUG"), daemon.diagnostics());

            Files.writeString(config, info.replace("logSeverityScreen: Info", "logSeverityScreen: Debug"));
            daemon.awaitLine("log level debug (BGPConfiguration logSeverityScreen Debug), was info", WAIT);
            // The next edit is read at debug: the file datastore says what it read.
            Files.writeString(nodes, Files.readString(nodes) + "# touched\n");
            String debugLine = daemon.awaitLine("DEBUG [file-datastore] FileDatastore - read " + nodes, WAIT);
            System.out.println("after logSeverityScreen: Debug → " + debugLine);

            // Warning: said at info first, then info lines (a configuration applied) no longer show.
            Files.writeString(config, info.replace("logSeverityScreen: Info", "logSeverityScreen: Warning"));
            daemon.awaitLine("log level warn (BGPConfiguration logSeverityScreen Warning), was debug", WAIT);
            String nodesText = Files.readString(nodes);
            Files.writeString(nodes, nodesText.substring(0, nodesText.lastIndexOf("---")));
            DaemonProcess.sleep(1500);
            String since = after(daemon, "logSeverityScreen Warning");
            assertEquals(0, count(since, "INFO") + count(since, "DEBUG"), "info or debug at warn:\n" + since);

            // Back to Info: the configuration change made meanwhile was applied, silently; new ones show.
            Files.writeString(config, info);
            daemon.awaitLine("log level info (BGPConfiguration logSeverityScreen Info), was warn", WAIT);
            Files.writeString(nodes, nodesText);
            daemon.awaitLine("configuration applied: 1 peers added", WAIT);
            assertTrue(daemon.lines("1 removed").isEmpty(), "the removal at warn was not logged\n" + daemon.diagnostics());
            assertEquals(0, count(after(daemon, "logSeverityScreen Info), was warn"), "DEBUG"), daemon.diagnostics());
            DaemonProcess.assertStopsOnSigterm(daemon);
        }
    }

    @Test
    void aLevelGivenOnTheCommandLineWinsOverTheDatastore() throws Exception {
        Path data = datastore();
        Path config = data.resolve("bgpconfiguration.yaml");
        Files.writeString(config, Files.readString(config).replace("logSeverityScreen: Info", "logSeverityScreen: Debug"));
        List<String> args = new java.util.ArrayList<>(run(data));
        args.addAll(List.of("--log-level", "info"));
        try (DaemonProcess daemon = DaemonProcess.startJar("given", args, Map.of(), dir)) {
            daemon.awaitStarted();
            daemon.awaitLine("BGPConfiguration logSeverityScreen is Debug: ignored, the level given by --log-level/LOG_LEVEL (info) applies",
                    WAIT);
            Files.writeString(data.resolve("nodes.yaml"), Files.readString(data.resolve("nodes.yaml")) + "# touched\n");
            DaemonProcess.sleep(1000);
            assertEquals(0, count(daemon.log(), "DEBUG"), daemon.diagnostics());
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
