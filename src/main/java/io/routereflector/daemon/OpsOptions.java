package io.routereflector.daemon;

import io.routereflector.daemon.birdctl.ControlSockets;
import io.routereflector.daemon.log.LineLogging;
import io.routereflector.daemon.ops.BgpMetrics;
import io.routereflector.daemon.ops.OpsServers;
import io.routereflector.daemon.ops.StatusService;
import io.routereflector.datastore.DesiredState;
import io.routereflector.reflector.Reflector;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The operations side of {@code run}: where the admin and metrics endpoints listen, the log format,
 * and their start and stop. Kept apart from {@link RunCommand} so that the daemon's main line stays short.
 */
public final class OpsOptions implements AutoCloseable {

    @Option(names = "--admin-listen", paramLabel = "HOST:PORT",
            description = "Admin endpoint (status, routes, health; JSON). Default 127.0.0.1:9180; 'off' disables it.")
    String adminListen = "127.0.0.1:9180";

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT",
            description = "Prometheus /metrics, /livez and /readyz. Default 0.0.0.0:9324; 'off' disables it.")
    String metricsListen = "0.0.0.0:9324";

    @Option(names = "--log-format", paramLabel = "FORMAT", description = "text (default) or json: one JSON object per line (env LOG_FORMAT).")
    String logFormat;

    @picocli.CommandLine.Mixin
    BirdSocketOptions birdSockets = new BirdSocketOptions();

    private BgpMetrics metrics;
    private OpsServers servers;
    private ControlSockets controlSockets;
    /** When the datastore's configuration was last applied ({@code show status}'s "Last reconfiguration"). */
    private volatile Instant lastApplied;

    void configureLogging(org.slf4j.event.Level level, DaemonOptions options, Environment env) throws DaemonOptions.ConfigError {
        String f = logFormat != null ? logFormat : env.get("LOG_FORMAT");
        LineLogging.Format format;
        try {
            format = f == null ? LineLogging.Format.TEXT : LineLogging.Format.valueOf(f.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DaemonOptions.ConfigError("--log-format " + f + ": expected text or json");
        }
        LineLogging.configure(level, format, System.out);
        List<String> secrets = new ArrayList<>();
        secrets.add(options.etcdPassword);
        secrets.add(env.get("ETCD_PASSWORD"));
        LineLogging.addSecrets(secrets);
    }

    /** Parses {@code HOST:PORT} ({@code [v6]:PORT} for IPv6); null for "off". */
    static InetSocketAddress address(String option, String text) throws DaemonOptions.ConfigError {
        if (text == null || text.equalsIgnoreCase("off")) {
            return null;
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new DaemonOptions.ConfigError(option + " " + text + ": expected HOST:PORT such as 127.0.0.1:9180");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new DaemonOptions.ConfigError(option + " " + text + ": the port is not 0..65535");
        }
        InetAddress a = DaemonOptions.literal(option, host);
        return new InetSocketAddress(a, port);
    }

    void start(Reflector reflector, DesiredState source, Environment env) throws DaemonOptions.ConfigError, InterruptedException {
        InetSocketAddress admin = address("--admin-listen", adminListen);
        InetSocketAddress metricsAt = address("--metrics-listen", metricsListen);
        StatusService status = new StatusService(reflector, source::health, Clock.systemDefaultZone());
        metrics = new BgpMetrics(status, Clock.systemUTC());
        try {
            servers = OpsServers.start(status, metrics, admin, metricsAt);
        } catch (Exception e) {
            // Netty rethrows a failed bind's checked BindException undeclared: catch everything.
            throw new DaemonOptions.ConfigError("cannot listen for the admin or metrics endpoint (" + adminListen + ", "
                    + metricsListen + "): " + ConfigLoader.describe(e));
        }
        try {
            controlSockets = birdSockets.start(status, env, () -> lastApplied);
        } catch (DaemonOptions.ConfigError | InterruptedException | RuntimeException e) {
            servers.close();
            throw e;
        }
    }

    /** Peer passwords join the secrets the log never shows, before the configuration is applied. */
    void secrets(ReflectorConfig config) {
        List<String> passwords = new ArrayList<>();
        for (PeerConfig p : config.peers()) {
            passwords.add(p.password());
        }
        LineLogging.addSecrets(passwords);
    }

    void applied(boolean ok) {
        if (ok) {
            lastApplied = Instant.now();
        }
        if (metrics != null) {
            metrics.configurationApplied(ok);
        }
    }

    String describe() {
        if (servers == null) {
            return "no admin or metrics endpoint";
        }
        return "admin " + (servers.adminAddress() == null ? "off" : servers.adminAddress())
                + ", metrics " + (servers.metricsAddress() == null ? "off" : servers.metricsAddress())
                + ", BIRD sockets " + (controlSockets == null ? "off" : controlSockets.paths());
    }

    public OpsServers servers() {
        return servers;
    }

    @Override
    public void close() {
        if (controlSockets != null) {
            controlSockets.close();
        }
        if (servers != null) {
            servers.close();
        }
    }
}
