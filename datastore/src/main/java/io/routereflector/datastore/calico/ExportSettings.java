package io.routereflector.datastore.calico;

import io.routereflector.rib.policy.CommunityTag;
import io.routereflector.wire.nlri.IpPrefix;

import java.util.List;
import java.util.Objects;

/**
 * The export part of a BGPConfiguration ({@code name} is the BGPConfiguration's): the service CIDRs
 * calico/node advertises ({@code serviceClusterIPs}, {@code serviceExternalIPs},
 * {@code serviceLoadBalancerIPs}) and the {@code prefixAdvertisements} with their community names
 * resolved through {@code communities}. Null lists = the field is not set.
 */
public record ExportSettings(String name, List<IpPrefix> serviceClusterIps, List<IpPrefix> serviceExternalIps,
                             List<IpPrefix> serviceLoadBalancerIps, List<CommunityTag> prefixAdvertisements, String source)
        implements PolicyResource {

    public ExportSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        serviceClusterIps = serviceClusterIps == null ? null : List.copyOf(serviceClusterIps);
        serviceExternalIps = serviceExternalIps == null ? null : List.copyOf(serviceExternalIps);
        serviceLoadBalancerIps = serviceLoadBalancerIps == null ? null : List.copyOf(serviceLoadBalancerIps);
        prefixAdvertisements = prefixAdvertisements == null ? null : List.copyOf(prefixAdvertisements);
    }

    @Override
    public String kind() {
        return "BGPConfiguration";
    }
}
