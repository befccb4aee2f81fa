package io.routereflector.daemon.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.routereflector.daemon.DaemonOptions;
import io.routereflector.datastore.calico.BgpPeer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reflector-side configuration that makes the bench nodes peers: calicoctl resources for our daemon
 * (file datastore or etcd), a BIRD 2 configuration shaped as Calico's reflector writes it (one
 * {@code rr client} protocol per node from one template, ADD-PATH, graceful restart), and GoBGP's TOML
 * plus the {@code gobgp neighbor add} arguments for a node added at run time.
 *
 * @param reflector     the reflector's address (its router id, what the nodes dial)
 * @param prefixLength  the length of the bench network, written in each Node's {@code ipv4Address}
 * @param iface         the interface BIRD learns the bench network from ({@code protocol direct})
 * @param routesPerNode the most routes one bench node announces (K blocks, or D's {@code --table})
 */
record BenchConfigs(AddressPlan plan, int reflector, int prefixLength, long as, int port, String clusterId,
                    boolean addPath, String iface, int routesPerNode) {

    static final String REFLECTOR_NODE = "bench-rr";
    private static final ObjectMapper JSON = new ObjectMapper();

    static String nodeName(int i) {
        return "bench-node-" + i;
    }

    // ---- Calico resources -------------------------------------------------------------------------

    /** The cluster as calicoctl YAML: BGPConfiguration, the "peer with the reflectors" BGPPeer, the reflector and the nodes. */
    String calicoYaml(List<Integer> members) {
        StringBuilder out = new StringBuilder("# routereflector bench: ").append(members.size()).append(" nodes\n");
        for (Map.Entry<String, ObjectNode> e : calicoResources(members).entrySet()) {
            out.append("---\n").append(yaml(e.getValue()));
        }
        return out.toString();
    }

    /** Every resource by its etcd key (libcalico-go's v3 layout), as JSON trees. */
    Map<String, ObjectNode> calicoResources(List<Integer> members) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        String base = "/calico/resources/v3/projectcalico.org/";
        ObjectNode config = resource("BGPConfiguration", "default");
        ObjectNode spec = config.putObject("spec");
        // bindMode NodeIP: the simulated nodes share the reflector's host, so listening on every address
        // would answer the reflector's own dials to them (BIRD's side of the comparison binds strictly too).
        spec.put("nodeToNodeMeshEnabled", false).put("asNumber", as).put("listenPort", port).put("bindMode", "NodeIP");
        out.put(base + "bgpconfigurations/default", config);
        ObjectNode peer = resource("BGPPeer", "peer-with-route-reflectors");
        peer.putObject("spec").put("nodeSelector", "all()").put("peerSelector", "route-reflector == 'true'");
        if (routesPerNode > Integer.parseInt(DaemonOptions.DEFAULT_MAX_PREFIXES)) {
            // Our prefix limit (default 20 000 per peer) would end a D speaker's session; the BIRD and GoBGP
            // configurations below set no limit, so ours is raised to what a node sends.
            ((ObjectNode) peer.get("metadata")).putObject("annotations")
                    .put(BgpPeer.MAX_PREFIXES_ANNOTATION, Integer.toString(routesPerNode));
        }
        out.put(base + "bgppeers/peer-with-route-reflectors", peer);
        ObjectNode rr = resource("Node", REFLECTOR_NODE);
        ((ObjectNode) rr.get("metadata")).putObject("labels").put("route-reflector", "true");
        rr.putObject("spec").putObject("bgp").put("ipv4Address", AddressPlan.text(reflector) + "/" + prefixLength)
                .put("routeReflectorClusterID", clusterId);
        out.put(base + "nodes/" + REFLECTOR_NODE, rr);
        for (int i : members) {
            out.put(base + "nodes/" + nodeName(i), node(i));
        }
        return out;
    }

    ObjectNode node(int i) {
        ObjectNode n = resource("Node", nodeName(i));
        n.putObject("spec").putObject("bgp").put("ipv4Address", AddressPlan.text(plan.address(i)) + "/" + prefixLength);
        return n;
    }

    static String nodeKey(int i) {
        return "/calico/resources/v3/projectcalico.org/nodes/" + nodeName(i);
    }

    private static ObjectNode resource(String kind, String name) {
        ObjectNode r = JSON.createObjectNode();
        r.put("apiVersion", "projectcalico.org/v3").put("kind", kind);
        r.putObject("metadata").put("name", name);
        return r;
    }

    /** Block-style YAML of a small JSON tree (strings quoted as JSON, which YAML reads as-is). */
    private static String yaml(ObjectNode tree) {
        StringBuilder out = new StringBuilder();
        yaml(tree, "", out);
        return out.toString();
    }

    private static void yaml(ObjectNode tree, String indent, StringBuilder out) {
        tree.fields().forEachRemaining(f -> {
            out.append(indent).append(f.getKey()).append(':');
            if (f.getValue().isObject()) {
                out.append('\n');
                yaml((ObjectNode) f.getValue(), indent + "  ", out);
            } else {
                out.append(' ').append(f.getValue().toString()).append('\n');
            }
        });
    }

    // ---- BIRD 2 -----------------------------------------------------------------------------------

    /**
     * BIRD 2 as Calico's reflector: one protocol per node from a template with {@code rr client},
     * {@code add paths on} and graceful restart; {@code strict bind} so it listens only on the
     * reflector's address, {@code protocol direct} on the bench interface so next hops resolve, and an
     * export filter that sends only what BGP learnt (not the direct route).
     */
    String birdConfig(List<Integer> members) {
        String me = AddressPlan.text(reflector);
        StringBuilder out = new StringBuilder();
        out.append("# routereflector bench: ").append(members.size()).append(" nodes\n");
        out.append("router id ").append(me).append(";\n");
        out.append("protocol device { scan time 2; }\n");
        out.append("protocol direct { ipv4; interface \"").append(iface).append("\"; }\n");
        out.append("template bgp bench_node {\n");
        out.append("  local ").append(me).append(" port ").append(port).append(" as ").append(as).append(";\n");
        out.append("  strict bind yes;\n");
        out.append("  rr client;\n  rr cluster id ").append(clusterId).append(";\n");
        out.append("  graceful restart;\n");
        out.append("  ipv4 { import all; export where source = RTS_BGP;").append(addPath ? " add paths on;" : "").append(" };\n");
        out.append("}\n");
        for (int i : members) {
            String a = AddressPlan.text(plan.address(i));
            out.append("protocol bgp Node_").append(a.replace('.', '_')).append(" from bench_node { neighbor ")
                    .append(a).append(" as ").append(as).append("; }\n");
        }
        return out.toString();
    }

    // ---- GoBGP ------------------------------------------------------------------------------------

    /** gobgpd's TOML: one peer group for the nodes (reflector client, ADD-PATH), the members as neighbors in it. */
    String gobgpToml(List<Integer> members) {
        String me = AddressPlan.text(reflector);
        StringBuilder out = new StringBuilder();
        out.append("# routereflector bench: ").append(members.size()).append(" nodes\n");
        out.append("[global.config]\n  as = ").append(as).append("\n  router-id = \"").append(me).append("\"\n");
        out.append("  port = ").append(port).append("\n  local-address-list = [\"").append(me).append("\"]\n\n");
        out.append("[[peer-groups]]\n  [peer-groups.config]\n    peer-group-name = \"calico\"\n    peer-as = ").append(as).append('\n');
        out.append("  [peer-groups.transport.config]\n    local-address = \"").append(me).append("\"\n");
        out.append("  [peer-groups.route-reflector.config]\n    route-reflector-client = true\n")
                .append("    route-reflector-cluster-id = \"").append(clusterId).append("\"\n");
        out.append("  [[peer-groups.afi-safis]]\n    [peer-groups.afi-safis.config]\n      afi-safi-name = \"ipv4-unicast\"\n");
        if (addPath) {
            out.append("    [peer-groups.afi-safis.add-paths.config]\n      receive = true\n      send-max = 8\n");
        }
        out.append('\n');
        for (int i : members) {
            out.append("[[neighbors]]\n  [neighbors.config]\n    neighbor-address = \"").append(AddressPlan.text(plan.address(i)))
                    .append("\"\n    peer-group = \"calico\"\n");
        }
        return out.toString();
    }

    /** Arguments after {@code gobgp -p PORT} that add node {@code i} at run time (gRPC AddPeer). */
    List<String> gobgpAdd(int i) {
        return List.of("neighbor", "add", AddressPlan.text(plan.address(i)), "as", Long.toString(as),
                "route-reflector-client", clusterId);
    }

    List<String> gobgpDel(int i) {
        return List.of("neighbor", "del", AddressPlan.text(plan.address(i)));
    }
}
