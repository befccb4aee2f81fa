package io.routereflector.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SIGHUP means "read the datastore again" even when whoever started the daemon ignored SIGHUP
 * ({@code nohup}, a shell's background job, a supervisor's setting): a signal ignored when a process
 * starts stays ignored in the JVM, which then installs no handler and says nothing. Through the
 * launcher, which clears that, SIGHUP reloads; started as {@code java -jar} under the same condition,
 * the daemon says at start that SIGHUP will not reload. Both start under
 * {@code env --ignore-signal=HUP}, as {@code nohup} would leave them.
 */
@Timeout(120)
class HangupIgnoredIT {

    static final Duration UP = Duration.ofSeconds(30);
    static final Path LAUNCHER = Path.of(System.getProperty("user.dir")).resolve("bin/routereflector");

    @TempDir
    Path dir;

    @Test
    void throughTheLauncherSighupReloadsAlthoughItWasIgnored() throws Exception {
        List<String> command = new ArrayList<>(List.of("env", "--ignore-signal=HUP", LAUNCHER.toString()));
        command.addAll(runArgs());
        try (DaemonProcess daemon = DaemonProcess.start("launcher", command, Map.of("JAVA_OPTS", "-Xmx128m"),
                dir.resolve("launcher.log"), null)) {
            daemon.awaitLine("started:", UP);
            daemon.signal("HUP");
            daemon.awaitLine("reload: unchanged, no session touched", UP);
        }
    }

    @Test
    void startedDirectlyItSaysThatSighupWillNotReload() throws Exception {
        List<String> command = new ArrayList<>(List.of("env", "--ignore-signal=HUP",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-jar",
                DaemonProcess.jar().toString()));
        command.addAll(runArgs());
        try (DaemonProcess daemon = DaemonProcess.start("jar", command, Map.of(), dir.resolve("jar.log"), null)) {
            daemon.awaitLine("SIGHUP was ignored when this process started", UP);
            daemon.awaitLine("started:", UP);
        }
    }

    private List<String> runArgs() throws Exception {
        Path data = Files.createDirectories(dir.resolve("datastore"));
        for (String name : new String[] {"nodes.yaml", "bgpconfiguration.yaml", "bgppeers.yaml"}) {
            Files.copy(Path.of("examples/cluster").resolve(name), data.resolve(name));
        }
        return List.of("run", "--datastore-path", data.toString(), "--node", "rr1",
                "--port", Integer.toString(DaemonProcess.freePort()),
                "--admin-listen", "127.0.0.1:" + DaemonProcess.freePort(),
                "--metrics-listen", "127.0.0.1:" + DaemonProcess.freePort());
    }
}
