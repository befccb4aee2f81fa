package io.routereflector.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A real BIRD (2, or the 1.6 that Calico nodes run) in a testbed host, configured like a Calico
 * node (TESTBED.md templates), run in the foreground with its own control socket and queried with
 * {@code birdc -s SOCKET}.
 */
public final class BirdPeer implements AutoCloseable {

    public enum Version {
        BIRD2, BIRD16;

        /** The daemon for a family: BIRD 1.6 runs one daemon per family ({@code bird6} for IPv6). */
        Path daemon(boolean ipv6) {
            return this == BIRD2 ? Binaries.BIRD2 : Binaries.bird16(ipv6 ? "bird6" : "bird");
        }

        Path client(boolean ipv6) {
            return this == BIRD2 ? Binaries.BIRDC2 : Binaries.bird16(ipv6 ? "birdc6" : "birdc");
        }
    }

    private static final Duration START_WAIT = Duration.ofSeconds(15);

    private final Host host;
    private final Version version;
    private final PeerConfig config;
    private final String configText;
    private final Path socket;
    private final ManagedProcess process;

    private BirdPeer(Host host, Version version, PeerConfig config, String configText, Path socket,
                     ManagedProcess process) {
        this.host = host;
        this.version = version;
        this.config = config;
        this.configText = configText;
        this.socket = socket;
        this.process = process;
    }

    /** Writes the config, starts BIRD with {@code -f} in {@code host}'s namespace and waits for its socket. */
    public static BirdPeer start(Host host, Version version, PeerConfig config) {
        Path daemon = Binaries.require(version.daemon(config.ipv6()));
        Binaries.require(version.client(config.ipv6()));
        String name = host.namespace().substring(Testbed.PREFIX.length()) + "-" + daemon.getFileName()
                + (version == Version.BIRD16 ? "-1.6" : "-2");
        Path dir = host.testbed().workDir();
        Path conf = dir.resolve(name + ".conf");
        Path socket = dir.resolve(name + ".ctl");
        String text = BirdConfig.render(version, host, config);
        try {
            Files.writeString(conf, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ManagedProcess process = host.start(name, List.of(daemon.toString(), "-f", "-c", conf.toString(),
                "-s", socket.toString(), "-P", dir.resolve(name + ".pid").toString()));
        BirdPeer peer = new BirdPeer(host, version, config, text, socket, process);
        Await.until(name + " to open its control socket", START_WAIT, () -> {
            process.requireAlive();
            return Files.exists(socket) && peer.birdc("show", "status").ok();
        }, peer::diagnostics);
        return peer;
    }

    public Host host() {
        return host;
    }

    public Version version() {
        return version;
    }

    public PeerConfig config() {
        return config;
    }

    /** The generated configuration file's text. */
    public String configText() {
        return configText;
    }

    public ManagedProcess process() {
        return process;
    }

    /** {@code bird --version}, e.g. "BIRD version 2.0.12". */
    public String versionString() {
        return Shell.run(version.daemon(config.ipv6()).toString(), "--version").output().trim();
    }

    public Shell.Result birdc(String... command) {
        List<String> full = new java.util.ArrayList<>(List.of(version.client(config.ipv6()).toString(),
                "-s", socket.toString()));
        full.addAll(List.of(command));
        return Shell.run(full, Map.of(), Shell.DEFAULT_TIMEOUT);
    }

    public BirdProtocol protocol(String name) {
        return BirdProtocol.parse(birdc("show", "protocols", "all", name).orThrow());
    }

    /** Every route in BIRD's table, with all attributes. */
    public List<PeerRoute> routes() {
        return BirdRoutes.parse(birdc("show", "route", "all").orThrow());
    }

    public BirdProtocol awaitEstablished(String protocol, Duration timeout) {
        return Await.value(version + " protocol " + protocol + " on " + host + " to be Established", timeout,
                () -> Optional.of(protocol(protocol)).filter(BirdProtocol::established), this::diagnostics);
    }

    /** Waits for a route with {@code prefix} that satisfies {@code condition}. */
    public PeerRoute awaitRoute(String prefix, Predicate<PeerRoute> condition, Duration timeout) {
        return Await.value("route " + prefix + " in " + version + " on " + host, timeout,
                () -> routes().stream().filter(r -> r.prefix().equals(prefix)).filter(condition).findFirst(),
                () -> birdc("show", "route", "all").output() + "\n" + diagnostics());
    }

    /** The config, the protocols and the daemon's own log. */
    public String diagnostics() {
        String protocols = process.isAlive() ? birdc("show", "protocols", "all").output() : "(not running)";
        return "--- " + version + " config:\n" + configText + "--- protocols:\n" + protocols + "\n"
                + process.diagnostics();
    }

    public void stop() {
        process.stop();
    }

    @Override
    public void close() {
        stop();
    }
}
