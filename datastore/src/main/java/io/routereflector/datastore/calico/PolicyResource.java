package io.routereflector.datastore.calico;

/**
 * What calico/node's export policy is made of (issue 15 §1): IPPools, BGPFilters, and the policy parts
 * of BGPPeers ({@code spec.filters}) and BGPConfigurations (service CIDRs, prefix advertisements),
 * decoded beside those resources so that a bad policy field never takes a peering with it.
 */
public sealed interface PolicyResource extends CalicoResource permits IpPool, BgpFilter, PeerFilters, ExportSettings {
}
