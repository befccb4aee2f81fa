package io.routereflector.testbed;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link PeerConfig} as an FRR 8.4 {@code frr.conf} (integrated config, loaded with
 * {@code vtysh -b}). Routes are {@code network} statements, their attributes set by one route-map
 * each; the peer's family is the only one its sessions carry (as a Calico node runs one session per
 * family). eBGP needs no policy ({@code no bgp ebgp-requires-policy}), {@code network} needs no RIB
 * route ({@code no bgp network import-check}).
 */
final class FrrConfig {

    private FrrConfig() {
    }

    static String render(Host host, PeerConfig config) {
        String family = config.ipv6() ? "ipv6" : "ipv4";
        List<String> lines = new ArrayList<>(List.of(
                "frr defaults datacenter",
                "hostname " + host.namespace(),
                "log stdout debugging",
                "debug bgp neighbor-events",
                "!",
                "router bgp " + config.as(),
                " bgp router-id " + config.routerId(),
                " no bgp ebgp-requires-policy",
                " no bgp network import-check",
                " no bgp default ipv4-unicast",
                " bgp graceful-restart",
                " bgp graceful-restart restart-time " + restartTime(config)));
        if (!config.clusterId().isEmpty()) {
            lines.add(" bgp cluster-id " + config.clusterId());
        }
        for (Neighbor n : config.neighbors()) {
            String a = " neighbor " + n.address() + " ";
            lines.add(a + "remote-as " + n.as());
            lines.add(a + "description " + n.name());
            lines.add(a + "update-source " + host.address(config.ipv6()));
            // Reconnect quickly after a session drops (the datacenter default is 10 s).
            lines.add(a + "timers connect 2");
            if (!n.gracefulRestart()) {
                lines.add(a + "graceful-restart-disable");
            }
            if (n.passive()) {
                lines.add(a + "passive");
            }
            if (!n.password().isEmpty()) {
                lines.add(a + "password " + n.password());
            }
            if (n.multihop() && n.as() != config.as()) {
                lines.add(a + "ebgp-multihop 255");
            }
        }
        lines.add(" address-family " + family + " unicast");
        for (int i = 0; i < config.routes().size(); i++) {
            StaticRoute route = config.routes().get(i);
            lines.add("  network " + route.prefix() + (hasAttributes(route) ? " route-map " + routeMap(i) : ""));
        }
        for (Neighbor n : config.neighbors()) {
            String a = "  neighbor " + n.address() + " ";
            lines.add(a + "activate");
            if (n.addPaths()) {
                lines.add(a + "addpath-tx-all-paths");
            }
            if (n.rrClient()) {
                lines.add(a + "route-reflector-client");
            }
        }
        lines.add(" exit-address-family");
        lines.add("!");
        for (int i = 0; i < config.routes().size(); i++) {
            StaticRoute route = config.routes().get(i);
            if (hasAttributes(route)) {
                lines.addAll(routeMapLines(routeMap(i), route));
            }
        }
        return String.join("\n", lines) + "\n";
    }

    /** The route-map that gives {@code route} its attributes. */
    static List<String> routeMapLines(String name, StaticRoute route) {
        List<String> lines = new ArrayList<>(List.of("route-map " + name + " permit 10"));
        if (!route.communities().isEmpty()) {
            lines.add(" set community " + String.join(" ", route.communities()));
        }
        if (!route.largeCommunities().isEmpty()) {
            lines.add(" set large-community " + String.join(" ", route.largeCommunities()));
        }
        if (!route.routeTargets().isEmpty()) {
            lines.add(" set extcommunity rt " + String.join(" ", route.routeTargets()));
        }
        if (route.med() >= 0) {
            lines.add(" set metric " + route.med());
        }
        lines.add("exit");
        return lines;
    }

    static boolean hasAttributes(StaticRoute route) {
        return !route.communities().isEmpty() || !route.largeCommunities().isEmpty()
                || !route.routeTargets().isEmpty() || route.med() >= 0;
    }

    static String routeMap(int index) {
        return "rt-" + index;
    }

    /** FRR has one restart time per instance: the longest its neighbors ask for. */
    private static int restartTime(PeerConfig config) {
        return config.neighbors().stream().mapToInt(Neighbor::restartTime).max().orElse(120);
    }
}
