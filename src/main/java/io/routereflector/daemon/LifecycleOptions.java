package io.routereflector.daemon;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** Where the daemon keeps its restart marker, and how long it defers its table after a restart. */
public final class LifecycleOptions {

    static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/routereflector");

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Directory for the restart marker and shutdown requests (env STATE_DIRECTORY, as systemd's"
                    + " StateDirectory= sets it; default /var/lib/routereflector).")
    Path stateDir;

    @Option(names = "--selection-deferral", paramLabel = "SECONDS", defaultValue = "120",
            description = "After a restart, the longest we wait for every peer's End-of-RIB before advertising"
                    + " (RFC 4724 §4.1 Selection_Deferral_Timer; default ${DEFAULT-VALUE}).")
    int selectionDeferral = 120;

    /** systemd may pass several directories separated by colons; ours is the first. */
    Path stateDir(Environment env) {
        if (stateDir != null) {
            return stateDir;
        }
        String fromSystemd = env.get("STATE_DIRECTORY");
        return fromSystemd == null ? DEFAULT_STATE_DIR : Path.of(fromSystemd.split(":")[0]);
    }

    Duration selectionDeferral() throws DaemonOptions.ConfigError {
        if (selectionDeferral < 1 || selectionDeferral > 3600) {
            throw new DaemonOptions.ConfigError("--selection-deferral " + selectionDeferral + ": expected 1..3600 seconds");
        }
        return Duration.ofSeconds(selectionDeferral);
    }
}
