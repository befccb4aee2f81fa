package io.routereflector.daemon;

import io.routereflector.datastore.DesiredState;
import io.routereflector.datastore.ResourceProblem;
import io.routereflector.daemon.ops.ExportSummary;
import io.routereflector.reflector.config.AddPathMode;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.rib.PeerRole;
import io.routereflector.wire.nlri.AddressFamily;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Loads the datastore once, derives the configuration, prints the peers we would have and every
 * problem found. Exit 0: clean; 1: problems (skipped data) or no usable configuration; 2: bad
 * options or an unreadable datastore.
 */
@Command(name = "check-config",
        description = "Derive the configuration from the datastore, print the peers and every problem, and exit.",
        footer = {"", "Examples:",
                "  routereflector check-config --datastore-path src/examples/cluster --node rr1",
                "  DATASTORE_TYPE=file DATASTORE_PATH=/etc/calico/resources IP=10.0.0.1 routereflector check-config",
                "  ETCD_ENDPOINTS=http://10.0.0.5:2379 IP=10.0.0.1 routereflector check-config"})
public final class CheckConfigCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DaemonOptions options = new DaemonOptions();

    Environment env = Environment.system();

    /** A check answers promptly: an etcd that does not answer within this is an error, not a wait. */
    static final Duration ETCD_WAIT = Duration.ofSeconds(15);

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DesiredState.Snapshot snapshot;
        ReflectorConfig config;
        try (DesiredState source = ConfigLoader.open(options, env, ETCD_WAIT)) {
            source.start(c -> { });
            snapshot = source.snapshot();
            config = snapshot.config() == null ? null : options.override(snapshot.config());
        } catch (DaemonOptions.ConfigError e) {
            err.println("routereflector: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("routereflector: cannot load the datastore: " + ConfigLoader.describe(e));
            return 2;
        }
        if (config == null) {
            out.println("no configuration: nothing usable was derived");
        } else {
            print(config, out);
        }
        if (config != null) {
            warnNextHops(config, out);
            out.println("export policy: " + ExportSummary.describe(config));
        }
        List<ResourceProblem> problems = snapshot.problems();
        if (problems.isEmpty()) {
            out.println("no problems found");
        } else {
            out.println(problems.size() + (problems.size() == 1 ? " problem:" : " problems:"));
            for (ResourceProblem p : problems) {
                out.println("  " + p);
            }
        }
        out.flush();
        return config != null && problems.isEmpty() ? 0 : 1;
    }

    /**
     * Toward eBGP we set ourselves as next hop unless keepOriginalNextHop says otherwise; a dedicated
     * reflector host forwards nothing, so the peer would send the cluster's traffic into a hole.
     */
    static void warnNextHops(ReflectorConfig c, PrintWriter out) {
        for (PeerConfig p : c.peers()) {
            if (p.role() == PeerRole.EBGP && !p.keepOriginalNextHop()) {
                out.printf("warning: eBGP peer %s (AS %d) gets this reflector as next hop of every route it is sent, "
                        + "so it would send that traffic here, to a host that does not forward it; set keepOriginalNextHop: true "
                        + "on its BGPPeer unless this host routes for the cluster%n", p.key(), p.remoteAs());
            }
        }
    }

    static void print(ReflectorConfig c, PrintWriter out) {
        out.printf("router id %s, cluster id %s, AS %d, listening on %s port %d%n", c.routerId().getHostAddress(),
                c.clusterId().getHostAddress(), c.localAs(),
                c.listenAddresses().isEmpty() ? "all addresses" : c.listenAddresses().stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", ")),
                c.port());
        out.printf("%d %s%n", c.peers().size(), c.peers().size() == 1 ? "peer:" : "peers:");
        String format = "  %-24s %-6s %-11s %-10s %-13s %-9s %-4s %s%n";
        out.printf(format, "PEER ADDRESS", "PORT", "AS", "ROLE", "FAMILIES", "ADD-PATH", "MD5", "TTL-SECURITY");
        for (PeerConfig p : c.peers()) {
            String families = p.families().stream().map(AddressFamily::toString).sorted().collect(Collectors.joining(","));
            String addPath = p.addPath().values().stream().filter(m -> m != AddPathMode.NONE).map(m -> m.name().toLowerCase())
                    .distinct().collect(Collectors.joining(","));
            out.printf(format, p.address().getHostAddress(), p.port(), p.remoteAs(), p.role(), families,
                    addPath.isEmpty() ? "off" : addPath, p.password() == null ? "no" : "yes",
                    p.ttlSecurityHops() == 0 ? "off" : p.ttlSecurityHops() + " hops");
        }
    }
}
