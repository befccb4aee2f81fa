package io.routereflector.daemon;

import java.util.List;

/**
 * The Calico resources of the leaf-spine deployment in {@link LeafSpineFabricIT} (README "A leaf-spine
 * fabric"), as calicoctl YAML: per rack two reflector Nodes sharing one {@code routeReflectorClusterID},
 * labelled {@code rr-group} (the rack) and {@code rr-id} (the reflector), with the rack's AS as their own
 * {@code asNumber}; the rack's workers labelled {@code rack}; BGPPeers {@code rrX-to-leafX} (the rack's
 * leaf by {@code peerIP} and {@code asNumber}, {@code keepOriginalNextHop}) and {@code rrX-to-node}
 * (workers to the rack's reflectors by selectors); an IPPool covering the pod blocks and the service CIDR
 * in {@code serviceClusterIPs}.
 */
final class FabricResources {

    static final String POD_POOL = "10.244.0.0/16";
    static final String SERVICE_CIDR = "10.96.0.0/16";

    /** One rack: its AS, cluster id, leaf, reflectors and workers (addresses in 198.51.100.0/24). */
    record Rack(int number, long as, String clusterId, String leaf, long leafAs, List<String> reflectors,
                List<String> workers) {
        String group() {
            return "rack" + number;
        }

        String reflectorName(int i) {
            return "rr" + number + (char) ('a' + i);
        }
    }

    private FabricResources() {
    }

    /**
     * Cluster-wide resources; {@code allowedLocalAs} goes into every {@code rrX-to-leafX}. {@code bindMode:
     * NodeIP}: the four reflectors share the test's host, so each must listen on its own address only.
     */
    static String cluster(List<Rack> racks, int allowedLocalAs) {
        StringBuilder y = new StringBuilder("""
                apiVersion: projectcalico.org/v3
                kind: BGPConfiguration
                metadata:
                  name: default
                spec:
                  nodeToNodeMeshEnabled: false
                  asNumber: 64512
                  bindMode: NodeIP
                  serviceClusterIPs:
                  - cidr: %s
                ---
                apiVersion: projectcalico.org/v3
                kind: IPPool
                metadata:
                  name: pods
                spec:
                  cidr: %s
                  blockSize: 26
                  ipipMode: Never
                  vxlanMode: Never
                  natOutgoing: true
                """.formatted(SERVICE_CIDR, POD_POOL));
        for (Rack r : racks) {
            y.append("""
                    ---
                    apiVersion: projectcalico.org/v3
                    kind: BGPPeer
                    metadata:
                      name: rr%d-to-leaf%d
                    spec:
                      nodeSelector: rr-group == '%s'
                      peerIP: %s
                      asNumber: %d
                      keepOriginalNextHop: true
                    """.formatted(r.number(), r.number(), r.group(), r.leaf(), r.leafAs()));
            if (allowedLocalAs > 0) {
                y.append("  numAllowedLocalASNumbers: ").append(allowedLocalAs).append('\n');
            }
            y.append("""
                    ---
                    apiVersion: projectcalico.org/v3
                    kind: BGPPeer
                    metadata:
                      name: rr%d-to-node
                    spec:
                      nodeSelector: rack == '%s'
                      peerSelector: rr-group == '%s'
                    """.formatted(r.number(), r.group(), r.group()));
        }
        return y.toString();
    }

    /** Every Node: the reflectors and the workers of each rack. */
    static String nodes(List<Rack> racks) {
        StringBuilder y = new StringBuilder();
        for (Rack r : racks) {
            for (int i = 0; i < r.reflectors().size(); i++) {
                y.append("""
                        ---
                        apiVersion: projectcalico.org/v3
                        kind: Node
                        metadata:
                          name: %s
                          labels:
                            rr-group: %s
                            rr-id: %s
                        spec:
                          bgp:
                            ipv4Address: %s/24
                            asNumber: %d
                            routeReflectorClusterID: %s
                        """.formatted(r.reflectorName(i), r.group(), r.reflectorName(i), r.reflectors().get(i), r.as(),
                        r.clusterId()));
            }
            for (String w : r.workers()) {
                y.append("""
                        ---
                        apiVersion: projectcalico.org/v3
                        kind: Node
                        metadata:
                          name: w%s
                          labels:
                            rack: %s
                        spec:
                          bgp:
                            ipv4Address: %s/24
                            asNumber: %d
                        """.formatted(w.substring(w.lastIndexOf('.') + 1), r.group(), w, r.as()));
            }
        }
        return y.toString();
    }
}
