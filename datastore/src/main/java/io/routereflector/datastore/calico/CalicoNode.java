package io.routereflector.datastore.calico;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.Map;
import java.util.Objects;

/**
 * A Calico {@code Node} as far as BGP cares.
 *
 * @param ipv4      {@code spec.bgp.ipv4Address} without its prefix length; null when unset
 * @param ipv6      {@code spec.bgp.ipv6Address}; null when unset
 * @param asNumber  {@code spec.bgp.asNumber}; null = the BGPConfiguration default
 * @param clusterId {@code spec.bgp.routeReflectorClusterID}; null = not a route reflector
 */
public record CalicoNode(String name, Map<String, String> labels, Inet4Address ipv4, Inet6Address ipv6, Long asNumber,
                         Inet4Address clusterId, String source) implements CalicoResource {

    public CalicoNode {
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String kind() {
        return "Node";
    }
}
