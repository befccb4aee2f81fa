package io.routereflector.testbed;

/** GoBGP's TOML for a {@link PeerConfig}: one afi-safi per neighbor, as Calico runs one family per session. */
final class GobgpConfig {

    private GobgpConfig() {
    }

    static String render(Host host, PeerConfig config) {
        return render(host, config, false);
    }

    /** @param adminDown sessions start disabled, so routes can be added before any peer sees the table */
    static String render(Host host, PeerConfig config, boolean adminDown) {
        String local = host.address(config.ipv6());
        String family = config.ipv6() ? "ipv6-unicast" : "ipv4-unicast";
        StringBuilder out = new StringBuilder();
        out.append("[global.config]\n");
        out.append("  as = ").append(config.as()).append('\n');
        out.append("  router-id = \"").append(config.routerId()).append("\"\n");
        if (config.listen()) {
            out.append("  local-address-list = [\"").append(local).append("\"]\n");
            out.append("  port = ").append(config.listenPort()).append('\n');
        } else {
            out.append("  port = -1\n"); // dial out only
        }
        for (Neighbor neighbor : config.neighbors()) {
            out.append("\n[[neighbors]]\n");
            out.append("  [neighbors.config]\n");
            out.append("    neighbor-address = \"").append(neighbor.address()).append("\"\n");
            out.append("    peer-as = ").append(neighbor.as()).append('\n');
            if (adminDown) {
                out.append("    admin-down = true\n");
            }
            if (!neighbor.password().isEmpty()) {
                out.append("    auth-password = \"").append(neighbor.password()).append("\"\n");
            }
            out.append("  [neighbors.transport.config]\n");
            out.append("    local-address = \"").append(local).append("\"\n");
            if (neighbor.passive()) {
                out.append("    passive-mode = true\n");
            }
            out.append("  [neighbors.timers.config]\n");
            out.append("    connect-retry = 5\n");
            if (neighbor.multihop()) {
                out.append("  [neighbors.ebgp-multihop.config]\n");
                out.append("    enabled = true\n");
                out.append("    multihop-ttl = 255\n");
            }
            if (neighbor.rrClient()) {
                out.append("  [neighbors.route-reflector.config]\n");
                out.append("    route-reflector-client = true\n");
                out.append("    route-reflector-cluster-id = \"").append(config.clusterId().isEmpty()
                        ? config.routerId() : config.clusterId()).append("\"\n");
            }
            if (neighbor.gracefulRestart()) {
                out.append("  [neighbors.graceful-restart.config]\n");
                out.append("    enabled = true\n");
                out.append("    restart-time = ").append(neighbor.restartTime()).append('\n');
            }
            out.append("  [[neighbors.afi-safis]]\n");
            out.append("    [neighbors.afi-safis.config]\n");
            out.append("      afi-safi-name = \"").append(family).append("\"\n");
            if (neighbor.addPaths()) {
                out.append("    [neighbors.afi-safis.add-paths.config]\n");
                out.append("      receive = true\n");
                out.append("      send-max = 8\n");
            }
            if (neighbor.gracefulRestart()) {
                out.append("    [neighbors.afi-safis.mp-graceful-restart.config]\n");
                out.append("      enabled = true\n");
            }
        }
        return out.toString();
    }
}
