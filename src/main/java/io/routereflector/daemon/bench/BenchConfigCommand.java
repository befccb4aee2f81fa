package io.routereflector.daemon.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code routereflector bench config}: the reflector-side configuration that matches a bench run with
 * the same plan options (scenario, nodes, reflector address): calicoctl YAML for our daemon, a BIRD 2
 * configuration, GoBGP TOML, or the same resources written into etcd.
 */
@Command(name = "config",
        description = "Write the reflector configuration that peers with the bench nodes of the same options.",
        footer = {"", "Examples:",
                "  routereflector bench config --target calico --nodes 1000 --reflector 198.18.0.1 --out /tmp/rr/cluster.yaml",
                "  routereflector bench config --target bird --nodes 1000 --reflector 198.18.0.1 --out /tmp/rr/bird.conf",
                "  routereflector bench config --target gobgp --nodes 1000 --reflector 198.18.0.1 --out /tmp/rr/gobgpd.toml",
                "  routereflector bench config --target etcd --etcd http://127.0.0.1:2379 --nodes 1000 --reflector 198.18.0.1"})
public final class BenchConfigCommand implements Callable<Integer> {

    enum Target { CALICO, BIRD, GOBGP, ETCD }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    PlanOptions plan = new PlanOptions();

    @Option(names = "--target", required = true, description = "calico (YAML), bird, gobgp or etcd.")
    Target target;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write it (default: standard output).")
    Path out;

    @Option(names = "--etcd", paramLabel = "URLS", description = "etcd endpoints for --target etcd.")
    String etcd;

    @Option(names = "--interface", defaultValue = "b0", description = "BIRD: the interface of the bench network (default ${DEFAULT-VALUE}).")
    String iface = "b0";

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        BenchConfigs configs;
        try {
            configs = plan.configs(iface);
        } catch (IllegalArgumentException e) {
            err.println("routereflector bench config: " + e.getMessage());
            return 2;
        }
        String text;
        switch (target) {
            case CALICO:
                text = configs.calicoYaml(plan.initialMembers());
                break;
            case BIRD:
                text = configs.birdConfig(plan.initialMembers());
                break;
            case GOBGP:
                text = configs.gobgpToml(plan.initialMembers());
                break;
            case ETCD:
                if (etcd == null) {
                    err.println("routereflector bench config: --target etcd needs --etcd URLS");
                    return 2;
                }
                try (Membership.EtcdMembership store = new Membership.EtcdMembership(etcd, configs)) {
                    store.putAll(plan.initialMembers());
                }
                return 0;
            default:
                throw new IllegalStateException();
        }
        if (out == null) {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
        } else {
            Membership.writeAtomically(out, text);
        }
        return 0;
    }
}
