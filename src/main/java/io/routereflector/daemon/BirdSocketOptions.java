package io.routereflector.daemon;

import io.routereflector.daemon.birdctl.BirdCli;
import io.routereflector.daemon.birdctl.BirdTimeFormat;
import io.routereflector.daemon.birdctl.ControlSockets;
import io.routereflector.daemon.ops.StatusService;
import io.routereflector.wire.nlri.AddressFamily;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where the BIRD control sockets are served (for an unchanged bird_exporter sidecar, {@code birdc} and
 * {@code calicoctl node status}), and how their {@code since} column is written. Off unless a path is given;
 * the container image sets {@code BIRD_SOCKET=/sockets/bird.ctl} and {@code BIRD6_SOCKET=/sockets/bird6.ctl}.
 */
public final class BirdSocketOptions {

    /** Where calicoctl looks (it tries /var/run/bird/ after these). */
    static final Path CALICOCTL_V4 = Path.of("/var/run/calico/bird.ctl");
    static final Path CALICOCTL_V6 = Path.of("/var/run/calico/bird6.ctl");
    /** What BIRD 1.6 says of itself, then ours: clients that read BIRD's version see a 1.6. */
    static final String BIRD_VERSION = "1.6.8";

    @Option(names = "--bird-socket", paramLabel = "PATH",
            description = "Serve a BIRD 1.6 control socket for the IPv4 sessions at PATH (env BIRD_SOCKET); 'off' (default) disables it.")
    String birdSocket;

    @Option(names = "--bird6-socket", paramLabel = "PATH",
            description = "Serve a BIRD 1.6 control socket for the IPv6 sessions at PATH (env BIRD6_SOCKET); 'off' (default) disables it.")
    String bird6Socket;

    @Option(names = "--calicoctl-sockets", negatable = true, fallbackValue = "true", arity = "0..1", paramLabel = "BOOL",
            description = "Also serve both sockets where calicoctl node status looks: /var/run/calico/bird.ctl and bird6.ctl"
                    + " (env CALICOCTL_SOCKETS=true).")
    Boolean calicoctlSockets;

    @Option(names = "--bird-timeformat", paramLabel = "FORMAT",
            description = "The sockets' 'since' column: unix (default: seconds since the epoch, right for bird_exporter's uptime"
                    + " and calicoctl's columns), iso-short (BIRD's default), iso-long, old-short or old-long (env BIRD_TIMEFORMAT).")
    String timeFormat;

    /** The sockets to serve, path to family; empty when none is configured. */
    Map<Path, AddressFamily> sockets(Environment env) throws DaemonOptions.ConfigError {
        Map<Path, AddressFamily> out = new LinkedHashMap<>();
        Path v4 = path("--bird-socket", birdSocket != null ? birdSocket : env.get("BIRD_SOCKET"));
        Path v6 = path("--bird6-socket", bird6Socket != null ? bird6Socket : env.get("BIRD6_SOCKET"));
        if (v4 != null) {
            out.put(v4, AddressFamily.IPV4_UNICAST);
        }
        if (v6 != null) {
            out.put(v6, AddressFamily.IPV6_UNICAST);
        }
        if (calicoctl(env)) {
            out.putIfAbsent(CALICOCTL_V4, AddressFamily.IPV4_UNICAST);
            out.putIfAbsent(CALICOCTL_V6, AddressFamily.IPV6_UNICAST);
        }
        if (v4 != null && v4.equals(v6)) {
            throw new DaemonOptions.ConfigError("--bird-socket and --bird6-socket name the same path " + v4);
        }
        return out;
    }

    BirdTimeFormat timeFormat(Environment env) throws DaemonOptions.ConfigError {
        String text = timeFormat != null ? timeFormat : env.get("BIRD_TIMEFORMAT");
        try {
            return text == null ? BirdTimeFormat.UNIX : BirdTimeFormat.parse(text);
        } catch (IllegalArgumentException e) {
            throw new DaemonOptions.ConfigError("--bird-timeformat: " + e.getMessage());
        }
    }

    private boolean calicoctl(Environment env) throws DaemonOptions.ConfigError {
        if (calicoctlSockets != null) {
            return calicoctlSockets;
        }
        String text = env.get("CALICOCTL_SOCKETS");
        if (text == null) {
            return false;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new DaemonOptions.ConfigError("CALICOCTL_SOCKETS=" + text + ": expected true or false");
        };
    }

    private static Path path(String option, String text) throws DaemonOptions.ConfigError {
        if (text == null || text.equalsIgnoreCase("off")) {
            return null;
        }
        Path p = Path.of(text);
        if (!p.isAbsolute()) {
            throw new DaemonOptions.ConfigError(option + " " + text + ": expected an absolute path such as /sockets/bird.ctl");
        }
        return p;
    }

    /** Starts the configured sockets; null when there are none. */
    ControlSockets start(StatusService status, Environment env, Supplier<Instant> lastReconfig) throws DaemonOptions.ConfigError,
            InterruptedException {
        Map<Path, AddressFamily> sockets = sockets(env);
        if (sockets.isEmpty()) {
            return null;
        }
        BirdTimeFormat format = timeFormat(env);
        String ours = Main.class.getPackage().getImplementationVersion();
        String version = BIRD_VERSION + "-routereflector-" + (ours == null ? "dev" : ours);
        Map<Path, BirdCli> clis = new LinkedHashMap<>();
        sockets.forEach((path, family) -> clis.put(path, new BirdCli(status, family, format, version, Clock.systemDefaultZone(),
                lastReconfig)));
        try {
            return ControlSockets.start(clis);
        } catch (java.io.IOException | RuntimeException e) {
            throw new DaemonOptions.ConfigError("cannot serve the BIRD control sockets " + sockets.keySet() + ": " + ConfigLoader.describe(e));
        }
    }
}
