package io.routereflector.testbed;


import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A real FRR 8.4 in a testbed host (TESTBED.md): one zebra and one bgpd in the host's namespace under
 * the FRR pathspace named after that namespace, run in the foreground as programs of the testbed
 * (stopped by their own pids), configured with {@code vtysh -b} from a rendered {@code frr.conf},
 * and read with vtysh's JSON through Jackson. The pathspace's folders go when the peer is closed,
 * or with the testbed.
 */
public final class FrrPeer implements AutoCloseable {

    private static final Duration START_WAIT = Duration.ofSeconds(20);

    private final Host host;
    private final PeerConfig config;
    private final String configText;
    private final FrrPathspace pathspace;
    private final ManagedProcess zebra;
    private final ManagedProcess bgpd;

    private FrrPeer(Host host, PeerConfig config, String configText, FrrPathspace pathspace, ManagedProcess zebra,
                    ManagedProcess bgpd) {
        this.host = host;
        this.config = config;
        this.configText = configText;
        this.pathspace = pathspace;
        this.zebra = zebra;
        this.bgpd = bgpd;
    }

    /** Writes frr.conf, starts zebra and bgpd in {@code host}'s namespace and loads the config into them. */
    public static FrrPeer start(Host host, PeerConfig config) {
        Binaries.require(Binaries.FRR_ZEBRA);
        Binaries.require(Binaries.FRR_BGPD);
        Binaries.require(Binaries.VTYSH);
        String text = FrrConfig.render(host, config);
        FrrPathspace pathspace = FrrPathspace.create(host.namespace(), text);
        host.testbed().onClose(pathspace::delete);
        String name = host.namespace().substring(Testbed.PREFIX.length());
        List<String> common = List.of("-N", pathspace.name(), "-F", "datacenter", "--log", "stdout");
        ManagedProcess zebra = host.start(name + "-zebra", with(Binaries.FRR_ZEBRA, common));
        awaitVty(pathspace, "zebra", zebra);
        List<String> bgpdArgs = new ArrayList<>(common);
        if (!config.listen()) {
            bgpdArgs.addAll(List.of("-p", "0")); // port 0: bgpd only dials
        }
        ManagedProcess bgpd = host.start(name + "-bgpd", with(Binaries.FRR_BGPD, bgpdArgs));
        awaitVty(pathspace, "bgpd", bgpd);
        FrrPeer peer = new FrrPeer(host, config, text, pathspace, zebra, bgpd);
        Shell.Result loaded = host.exec(Shell.DEFAULT_TIMEOUT, Binaries.VTYSH.toString(), "-N", pathspace.name(), "-b");
        if (!loaded.ok() || loaded.output().contains("% ")) {
            throw new IllegalStateException("vtysh -b did not load " + pathspace.configFile() + ": " + loaded.output()
                    + "\n" + peer.diagnostics());
        }
        return peer;
    }

    private static List<String> with(java.nio.file.Path program, List<String> args) {
        List<String> command = new ArrayList<>(List.of(program.toString()));
        command.addAll(args);
        return command;
    }

    private static void awaitVty(FrrPathspace pathspace, String daemon, ManagedProcess process) {
        Await.until(daemon + " of " + pathspace.name() + " to open its vty socket", START_WAIT, () -> {
            process.requireAlive();
            return Files.exists(pathspace.vty(daemon));
        }, process::diagnostics);
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

    public ManagedProcess bgpd() {
        return bgpd;
    }

    /** {@code bgpd --version}'s first line, e.g. "bgpd version 8.4.4". */
    public String versionString() {
        return Shell.run(Binaries.FRR_BGPD.toString(), "--version").output().lines().findFirst().orElse("").trim();
    }

    /** Runs vtysh commands (each one {@code -c}) in this instance. */
    public Shell.Result vtysh(String... commands) {
        List<String> command = new ArrayList<>(List.of(Binaries.VTYSH.toString(), "-N", pathspace.name()));
        for (String c : commands) {
            command.add("-c");
            command.add(c);
        }
        return host.exec(Shell.DEFAULT_TIMEOUT, command.toArray(String[]::new));
    }

    /** Originates {@code route} ({@code network}, with a route-map for its attributes). */
    public void addRoute(StaticRoute route) {
        List<String> commands = new ArrayList<>(List.of("configure terminal"));
        String network = "network " + route.prefix();
        if (FrrConfig.hasAttributes(route)) {
            String map = "rt-" + route.prefix().replaceAll("[^0-9a-fA-F]", "-");
            commands.add("no route-map " + map);
            commands.addAll(FrrConfig.routeMapLines(map, route).stream().map(String::trim).toList());
            network += " route-map " + map;
        }
        commands.addAll(List.of("router bgp " + config.as(),
                "address-family " + CliJson.family(route.isIpv6()) + " unicast", network));
        configure(commands);
    }

    public void deleteRoute(String prefix) {
        configure(List.of("configure terminal", "router bgp " + config.as(),
                "address-family " + CliJson.family(prefix.contains(":")) + " unicast", "no network " + prefix));
    }

    /** Runs configuration commands (starting with {@code configure terminal}); fails on FRR's "% " errors. */
    public void configure(String... commands) {
        configure(List.of(commands));
    }

    private void configure(List<String> commands) {
        Shell.Result result = vtysh(commands.toArray(String[]::new));
        if (!result.ok() || result.output().contains("% ")) {
            throw new IllegalStateException("vtysh refused " + commands + ": " + result.output());
        }
    }

    public List<FrrNeighbor> neighbors() {
        return FrrJson.neighbors(CliJson.read("vtysh", vtysh("show bgp neighbors json").orThrow()));
    }

    public Optional<FrrNeighbor> neighbor(String address) {
        return neighbors().stream().filter(n -> n.address().equals(address)).findFirst();
    }

    /** Every path in the peer's BGP table of its family: its own ({@code from} empty) and received ones. */
    public List<PeerRoute> routes() {
        return table().stream().map(FrrJson.FrrRoute::route).toList();
    }

    /** Prefixes of the paths FRR holds as stale for a restarting neighbor (RFC 4724 §4.2). */
    public List<String> stalePrefixes() {
        return table().stream().filter(FrrJson.FrrRoute::stale).map(r -> r.route().prefix()).toList();
    }

    private List<FrrJson.FrrRoute> table() {
        String table = vtysh("show bgp " + CliJson.family(config.ipv6()) + " unicast json detail").orThrow();
        return FrrJson.routes(CliJson.read("vtysh", table));
    }

    public FrrNeighbor awaitEstablished(String neighborAddress, Duration timeout) {
        return Await.value("FRR on " + host + " to be Established with " + neighborAddress, timeout,
                () -> neighbor(neighborAddress).filter(FrrNeighbor::established), this::diagnostics);
    }

    public PeerRoute awaitRoute(String prefix, Predicate<PeerRoute> condition, Duration timeout) {
        return Await.value("route " + prefix + " in FRR on " + host, timeout,
                () -> routes().stream().filter(r -> r.prefix().equals(prefix)).filter(condition).findFirst(),
                () -> vtysh("show bgp " + CliJson.family(prefix.contains(":")) + " unicast " + prefix).output() + "\n"
                        + diagnostics());
    }

    public String diagnostics() {
        String summary = bgpd.isAlive() ? vtysh("show bgp summary").output() : "(bgpd not running)";
        return "--- FRR config:\n" + configText + "--- summary:\n" + summary + "\n" + zebra.diagnostics() + "\n"
                + bgpd.diagnostics();
    }

    /** Stops bgpd (SIGTERM: it sends its neighbors a Cease), then zebra, and removes the pathspace. */
    public void stop() {
        bgpd.stop();
        zebra.stop();
        pathspace.delete();
    }

    @Override
    public void close() {
        stop();
    }



    /**
     * A neighbor as {@code show bgp neighbors json} shows it; {@code capabilities} are the keys of
     * {@code neighborCapabilities} the neighbor sent, {@code established} counts its sessions.
     */
    public record FrrNeighbor(String address, long remoteAs, String state, List<String> capabilities, String lastReset,
                              long connectionsEstablished) {
        public FrrNeighbor {
            capabilities = List.copyOf(capabilities);
        }

        public boolean established() {
            return "Established".equals(state);
        }
    }
}
