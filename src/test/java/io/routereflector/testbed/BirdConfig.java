package io.routereflector.testbed;

/**
 * Calico-node-like BIRD configurations (the checked templates of TESTBED.md) for BIRD 2 and the
 * 1.6 syntax (one family per daemon, options directly in the protocol).
 */
final class BirdConfig {

    private BirdConfig() {
    }

    static String render(BirdPeer.Version version, Host host, PeerConfig config) {
        boolean two = version == BirdPeer.Version.BIRD2;
        String family = config.ipv6() ? "ipv6" : "ipv4";
        String local = host.address(config.ipv6());
        StringBuilder out = new StringBuilder();
        out.append("router id ").append(config.routerId()).append(";\n");
        out.append("log stderr all;\n");
        if (!two) {
            out.append("listen bgp address ").append(local).append(config.listenPort() != 179 ? " port " + config.listenPort() : "")
                    .append(";\n");
        } else if (config.listenPort() != 179) {
            throw new IllegalArgumentException("a BIRD 2 peer listens on 179 here; give another listen port to BIRD 1.6 or GoBGP");
        }
        out.append("protocol device { scan time 2; }\n");
        // The connected network resolves next hops (multihop sessions resolve them recursively).
        out.append("protocol direct { ").append(two ? family + "; " : "").append("interface \"eth0\"; }\n");
        out.append("protocol static {").append(two ? " " + family + ";" : "");
        for (StaticRoute route : config.routes()) {
            out.append(" route ").append(route.prefix()).append(" blackhole;");
        }
        out.append(" }\n");
        exportFilter(out, config);
        for (Neighbor neighbor : config.neighbors()) {
            out.append("protocol bgp ").append(neighbor.name()).append(" {\n");
            out.append("  local ").append(local).append(" as ").append(config.as()).append(";\n");
            out.append("  neighbor ").append(neighbor.address()).append(" as ").append(neighbor.as()).append(";\n");
            out.append("  debug { states, events };\n");
            if (two) {
                out.append("  strict bind yes;\n"); // else BIRD 2 binds 0.0.0.0:179
            }
            if (neighbor.multihop()) {
                out.append("  multihop;\n");
            }
            out.append("  graceful restart ").append(neighbor.gracefulRestart() ? "on" : "off").append(";\n");
            if (neighbor.passive()) {
                out.append("  passive on;\n");
            }
            if (!neighbor.password().isEmpty()) {
                out.append("  password \"").append(neighbor.password()).append("\";\n");
            }
            if (neighbor.rrClient()) {
                out.append("  rr client;\n");
                out.append("  rr cluster id ").append(config.clusterId().isEmpty() ? config.routerId()
                        : config.clusterId()).append(";\n");
            }
            // Calico's timers: retry quickly so tests do not wait for BIRD's 120 s default.
            out.append("  ").append(two ? "connect" : "start").append(" delay time 1;\n");
            out.append("  connect retry time 5;\n");
            out.append("  error wait time 5,30;\n");
            String channel = "import all; export filter export_routes; add paths "
                    + (neighbor.addPaths() ? "on" : "off") + ";";
            if (two) {
                out.append("  ").append(family).append(" { ").append(channel).append(" };\n");
            } else {
                out.append("  ").append(channel).append("\n");
            }
            out.append("}\n");
        }
        return out.toString();
    }

    /** Exports the static routes with their attributes; a reflector also passes BGP routes on. */
    private static void exportFilter(StringBuilder out, PeerConfig config) {
        boolean reflects = config.neighbors().stream().anyMatch(Neighbor::rrClient);
        out.append("filter export_routes {\n");
        out.append("  if source = RTS_BGP then ").append(reflects ? "accept" : "reject").append(";\n");
        out.append("  if source != RTS_STATIC then reject;\n");
        for (StaticRoute route : config.routes()) {
            StringBuilder actions = new StringBuilder();
            for (String c : route.communities()) {
                actions.append(" bgp_community.add((").append(c.replace(':', ',')).append("));");
            }
            for (String c : route.largeCommunities()) {
                actions.append(" bgp_large_community.add((").append(c.replace(':', ',')).append("));");
            }
            for (String c : route.routeTargets()) {
                actions.append(" bgp_ext_community.add((rt, ").append(c.replace(":", ", ")).append("));");
            }
            if (route.med() >= 0) {
                actions.append(" bgp_med = ").append(route.med()).append(";");
            }
            if (actions.length() > 0) {
                out.append("  if net = ").append(route.prefix()).append(" then {").append(actions).append(" }\n");
            }
        }
        out.append("  accept;\n}\n");
    }
}
