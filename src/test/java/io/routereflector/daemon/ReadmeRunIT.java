package io.routereflector.daemon;

import io.routereflector.testbed.Binaries;
import io.routereflector.testbed.Testbed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's run command, taken from the README itself and run verbatim from the repository root
 * through the launcher script: it starts on the example cluster with the file datastore, listens on
 * 127.0.0.1:1179 (no root needed), and stops on SIGTERM.
 */
@Timeout(200)
class ReadmeRunIT {

    static final java.time.Duration PORT_WAIT = java.time.Duration.ofSeconds(120);

    static boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 1179), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The launcher part of the README line "mvn … package && src/bin/routereflector run …". */
    static List<String> readmeRunCommand(Path root) {
        try {
            String line = Files.readAllLines(root.resolve("README.md")).stream()
                    .filter(l -> l.contains("src/bin/routereflector run ")).findFirst()
                    .orElseThrow(() -> new AssertionError("README.md shows no `src/bin/routereflector run` command"));
            String command = line.contains("&& ") ? line.substring(line.indexOf("&& ") + 3) : line;
            return List.of(command.strip().split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theReadmesRunCommandStartsOnTheExampleListensAndStopsOnSigterm() throws IOException {
        Path root = Binaries.repoRoot();
        List<String> command = readmeRunCommand(root);
        assertEquals(List.of("src/bin/routereflector", "run", "--datastore-path", "src/examples/cluster", "--node", "rr1"), command);
        Path logDir = Files.createTempDirectory(Testbed.PREFIX + "readme-");
        // Port 1179 on loopback is machine-wide: take the testbed lock so no other test JVM runs this at once.
        // Port 1179 on loopback is machine-wide: take the testbed lock so no other test JVM runs this at once,
        // and wait (bounded) for anything else that holds the port to let it go.
        Testbed.whileNoOtherTestbed(() -> {
            io.routereflector.testbed.Await.until("127.0.0.1:1179 to be free", PORT_WAIT, () -> !listening(),
                    () -> io.routereflector.testbed.Shell.run("ss", "-ltnp").output());
            DaemonProcess daemon = DaemonProcess.start("readme-run", command, Map.of(), logDir.resolve("readme-run.log"), root);
            try {
                String started = daemon.awaitStarted();
                assertTrue(started.contains("router id 127.0.0.1, cluster id 224.0.0.1, AS 64512, 3 peers, listening on [/127.0.0.1:1179]"),
                        daemon.diagnostics());
                assertTrue(listening(), "nothing listens on 127.0.0.1:1179\n" + daemon.diagnostics());

                // The same command again while the port is taken: one clear line and a non-zero exit, not a
                // daemon that says "started" and listens nowhere.
                DaemonProcess second = DaemonProcess.start("readme-run-2", command, Map.of(), logDir.resolve("readme-run-2.log"), root);
                try {
                    second.awaitExit(DaemonProcess.START_WAIT);
                    // The admin endpoint's port (127.0.0.1:9180) is taken first, the BGP port next: either way,
                    // one "routereflector: cannot ..." line and a non-zero exit.
                    assertTrue(second.exitCode() != 0, second.diagnostics());
                    assertEquals(1, second.lines("routereflector: cannot ").size(), second.diagnostics());
                    assertTrue(second.lines("Address already in use").size() >= 1, second.diagnostics());
                    assertTrue(second.lines("started:").isEmpty(), second.diagnostics());
                } finally {
                    second.stop();
                }

                DaemonProcess.assertStopsOnSigterm(daemon);
                assertTrue(daemon.lines("Exception").isEmpty(), daemon.diagnostics());
                return null;
            } finally {
                daemon.stop();
            }
        });
        try (var files = Files.walk(logDir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
