package io.routereflector.testbed;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A real GoBGP in a testbed host: TOML config, {@code gobgpd --api-hosts 127.0.0.1:PORT
 * --pprof-disable} in the host's namespace (so its API is private to that namespace), routes added
 * and state read with the {@code gobgp} CLI, JSON read with Jackson.
 */
public final class GobgpPeer implements AutoCloseable {

    public static final int API_PORT = 50051;
    private static final Duration START_WAIT = Duration.ofSeconds(15);

    private final Host host;
    private final PeerConfig config;
    private final String configText;
    private final ManagedProcess process;

    private GobgpPeer(Host host, PeerConfig config, String configText, ManagedProcess process) {
        this.host = host;
        this.config = config;
        this.configText = configText;
        this.process = process;
    }

    /** Starts gobgpd, waits for its API, then adds the config's routes to its global RIB. */
    public static GobgpPeer start(Host host, PeerConfig config) {
        return start(host, config, false);
    }

    /**
     * With {@code routesFirst}, the sessions start administratively down and are enabled only once
     * the config's routes are in the RIB: the first UPDATEs after the OPEN carry the whole table,
     * as after a real restart (and End-of-RIB then means "this is all of it", RFC 4724 §4).
     */
    public static GobgpPeer start(Host host, PeerConfig config, boolean routesFirst) {
        return start(host, config, routesFirst, false);
    }

    /**
     * Starts gobgpd as after a graceful restart ({@code gobgpd -r}): its OPEN sets the Restart State
     * bit and, for each graceful-restart family, the Forwarding State bit (RFC 4724 §3), so a helper
     * keeps its stale routes until End-of-RIB. The routes are in its RIB before the sessions start.
     */
    public static GobgpPeer restart(Host host, PeerConfig config) {
        return start(host, config, true, true);
    }

    private static GobgpPeer start(Host host, PeerConfig config, boolean routesFirst, boolean restarting) {
        Binaries.require(Binaries.GOBGPD);
        Binaries.require(Binaries.GOBGP);
        String name = host.namespace().substring(Testbed.PREFIX.length()) + "-gobgpd";
        Path conf = host.testbed().workDir().resolve(name + ".toml");
        String text = GobgpConfig.render(host, config, routesFirst);
        try {
            Files.writeString(conf, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(Binaries.GOBGPD.toString(), "-f", conf.toString(),
                "--api-hosts", "127.0.0.1:" + API_PORT, "--pprof-disable"));
        if (restarting) {
            command.add("--graceful-restart");
        }
        ManagedProcess process = host.start(name, command);
        GobgpPeer peer = new GobgpPeer(host, config, text, process);
        Await.until(name + " to answer on its API", START_WAIT, () -> {
            process.requireAlive();
            return peer.gobgp("global").ok();
        }, peer::diagnostics);
        for (StaticRoute route : config.routes()) {
            peer.addRoute(route);
        }
        if (routesFirst) {
            for (Neighbor neighbor : config.neighbors()) {
                peer.gobgp("neighbor", neighbor.address(), "enable").orThrow();
            }
        }
        return peer;
    }

    public Host host() {
        return host;
    }

    public PeerConfig config() {
        return config;
    }

    public String configText() {
        return configText;
    }

    public ManagedProcess process() {
        return process;
    }

    /** {@code gobgpd --version}, e.g. "gobgpd version 3.10.0". */
    public String versionString() {
        return Shell.run(Binaries.GOBGPD.toString(), "--version").output().trim();
    }

    public Shell.Result gobgp(String... args) {
        List<String> command = new ArrayList<>(List.of(Binaries.GOBGP.toString(), "-p", String.valueOf(API_PORT)));
        command.addAll(List.of(args));
        return host.exec(Shell.DEFAULT_TIMEOUT, command.toArray(String[]::new));
    }

    /** Originates {@code route} with this host's own address as next hop and origin IGP. */
    public void addRoute(StaticRoute route) {
        List<String> args = new ArrayList<>(List.of("global", "rib", "-a", CliJson.family(route.isIpv6()), "add",
                route.prefix(), "origin", "igp", "nexthop", host.address(route.isIpv6())));
        if (route.med() >= 0) {
            args.addAll(List.of("med", String.valueOf(route.med())));
        }
        if (!route.communities().isEmpty()) {
            args.addAll(List.of("community", String.join(",", route.communities())));
        }
        if (!route.largeCommunities().isEmpty()) {
            args.addAll(List.of("large-community", String.join(",", route.largeCommunities())));
        }
        for (String target : route.routeTargets()) {
            args.addAll(List.of("rt", target));
        }
        gobgp(args.toArray(String[]::new)).orThrow();
    }

    public void deleteRoute(String prefix) {
        gobgp("global", "rib", "-a", CliJson.family(prefix.contains(":")), "del", prefix).orThrow();
    }

    public List<GobgpNeighbor> neighbors() {
        return GobgpJson.neighbors(CliJson.read("gobgp", gobgp("neighbor", "-j").orThrow()));
    }

    /** The global RIB of the peer's family: its own routes and those it received. */
    public List<PeerRoute> routes() {
        String rib = gobgp("global", "rib", "-a", CliJson.family(config.ipv6()), "-j").orThrow();
        return GobgpJson.routes(CliJson.read("gobgp", rib));
    }

    public GobgpNeighbor awaitEstablished(String neighborAddress, Duration timeout) {
        return Await.value("GoBGP on " + host + " to be Established with " + neighborAddress, timeout,
                () -> neighbors().stream().filter(n -> n.address().equals(neighborAddress))
                        .filter(GobgpNeighbor::established).findFirst(), this::diagnostics);
    }

    public PeerRoute awaitRoute(String prefix, Predicate<PeerRoute> condition, Duration timeout) {
        return Await.value("route " + prefix + " in GoBGP on " + host, timeout,
                () -> routes().stream().filter(r -> r.prefix().equals(prefix)).filter(condition).findFirst(),
                () -> gobgp("global", "rib", "-a", CliJson.family(config.ipv6())).output() + "\n" + diagnostics());
    }

    public String diagnostics() {
        String neighbors = process.isAlive() ? gobgp("neighbor").output() : "(not running)";
        return "--- GoBGP config:\n" + configText + "--- neighbors:\n" + neighbors + "\n" + process.diagnostics();
    }

    public void stop() {
        process.stop();
    }

    /** SIGKILL: no NOTIFICATION, no FIN from BGP's side of things, as in a crash. */
    public void kill() {
        process.kill();
    }

    @Override
    public void close() {
        stop();
    }



    /** A neighbor as {@code gobgp neighbor -j} shows it. */
    public record GobgpNeighbor(String address, long peerAs, String state, List<String> remoteCapabilities) {
        public GobgpNeighbor {
            remoteCapabilities = List.copyOf(remoteCapabilities);
        }

        public boolean established() {
            return "established".equals(state);
        }
    }

    /** The neighbor with {@code address}, if configured. */
    public Optional<GobgpNeighbor> neighbor(String address) {
        return neighbors().stream().filter(n -> n.address().equals(address)).findFirst();
    }
}
