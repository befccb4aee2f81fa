package io.routereflector.datastore.calico;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * Calico's fields (projectcalico.org/v3, Calico v3.30) that a {@link Shapes} record does not bind, and
 * what becomes of each: every one calico/node honours is either refused here by name or has no meaning
 * for a reflector (it acts on calico/node's own host: its interfaces, kernel routes or local workloads).
 * A field in neither list is not Calico's and is reported as unknown (a typo such as {@code peerIp}).
 */
final class CalicoFields {

    private CalicoFields() {
    }

    /** Honoured by calico/node, not by us: reported each time, with the reason. */
    private static final Map<String, String> NOT_APPLIED = Map.of(
            "BGPPeer spec.localASNumber", "a reflector speaks one AS to every peer (its Node's or BGPConfiguration's);"
                    + " a peer expecting another AS refuses the session");

    /** The export policy's fields: {@link PolicyDecoder} reads (and reports) them beside the resource. */
    private static final java.util.Set<String> POLICY = java.util.Set.of("BGPPeer spec.filters",
            "BGPConfiguration spec.serviceClusterIPs", "BGPConfiguration spec.serviceExternalIPs",
            "BGPConfiguration spec.serviceLoadBalancerIPs", "BGPConfiguration spec.prefixAdvertisements");

    /** What calico/node does with them concerns its own host only; documented in the README. */
    private static final Map<String, String> NODE_ONLY = Map.ofEntries(
            Map.entry("BGPConfiguration spec.ignoredInterfaces", "interfaces whose addresses calico/node exports"),
            Map.entry("BGPConfiguration spec.localWorkloadPeeringIPV4", "calico/node's address for peering with its workloads"),
            Map.entry("BGPConfiguration spec.localWorkloadPeeringIPV6", "calico/node's address for peering with its workloads"),
            Map.entry("BGPConfiguration spec.programClusterRoutes", "which routes calico/node programs into its kernel"),
            Map.entry("BGPConfiguration spec.ipv4NormalRoutePriority", "the kernel metric of calico/node's routes"),
            Map.entry("BGPConfiguration spec.ipv6NormalRoutePriority", "the kernel metric of calico/node's routes"),
            Map.entry("BGPConfiguration spec.serviceLoadBalancerAggregation", "how calico/node originates LoadBalancer routes"),
            Map.entry("Node spec.bgp.ipv4IPIPTunnelAddr", "the node's IPIP tunnel address"),
            Map.entry("Node spec.bgp.interfaceIPv4Address", "the node's interface address"),
            Map.entry("Node spec.bgp.interfaceIPv6Address", "the node's interface address"));

    /** Whether calico/node's field has no meaning for a reflector. */
    static boolean nodeOnly(String kind, String field) {
        return NODE_ONLY.containsKey(kind + " " + field);
    }

    /** A field no shape binds: refused with its reason, passed over when it is calico/node's own, else unknown. */
    static void unbound(String kind, String field, JsonNode value, FieldBinder.Report report) {
        String key = kind + " " + field;
        if (POLICY.contains(key)) {
            return;
        }
        String reason = NOT_APPLIED.get(key);
        if (reason != null) {
            report.problem(field, "not applied: " + reason);
        } else if (!NODE_ONLY.containsKey(key)) {
            report.problem(field, "not a field of a Calico " + kind + " (value " + FieldBinder.shown(value) + "); ignored");
        }
    }
}
