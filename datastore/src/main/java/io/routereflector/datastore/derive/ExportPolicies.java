package io.routereflector.datastore.derive;

import io.routereflector.datastore.ResourceProblem;
import io.routereflector.datastore.calico.BgpFilter;
import io.routereflector.datastore.calico.BgpPeer;
import io.routereflector.datastore.calico.CalicoResource;
import io.routereflector.datastore.calico.ExportSettings;
import io.routereflector.datastore.calico.IpPool;
import io.routereflector.datastore.calico.PeerFilters;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.rib.policy.ExportPolicy;
import io.routereflector.rib.policy.FilterRule;
import io.routereflector.rib.policy.ImportFilter;
import io.routereflector.rib.policy.PolicyCidr;
import io.routereflector.wire.nlri.IpPrefix;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each peering's export policy and import filter from the datastore's IPPools, BGPFilters, BGPPeer
 * {@code spec.filters} and BGPConfigurations, as calico/node builds them (see {@link ExportPolicy}):
 * the pools and service CIDRs are the same for every peer, the BGPFilters are the peering BGPPeer's.
 * Service CIDRs come from the {@code default} BGPConfiguration (calico/node advertises them
 * cluster-wide); prefix advertisements from the reflector's own {@code node.<name>} one when it sets
 * them, else from {@code default} (calico/node's node key wins over the global one).
 */
final class ExportPolicies {

    private final ExportPolicy base;
    /** BGPPeer source → its filters' rules (export, import). */
    private final Map<String, List<FilterRule>> exportBySource = new HashMap<>();
    private final Map<String, List<FilterRule>> importBySource = new HashMap<>();

    private ExportPolicies(ExportPolicy base) {
        this.base = base;
    }

    /** The common policy, and the BGPFilters of every BGPPeer by its source. */
    static ExportPolicies from(Collection<? extends CalicoResource> resources, String selfName, List<ResourceProblem> problems) {
        Map<String, IpPool> pools = new TreeMap<>();
        Map<String, BgpFilter> filters = new TreeMap<>();
        Map<String, PeerFilters> peerFilters = new HashMap<>();
        Map<String, String> peerSources = new HashMap<>();
        Map<String, ExportSettings> settings = new HashMap<>();
        for (CalicoResource r : resources) {
            if (r instanceof IpPool p) {
                pools.putIfAbsent(p.name(), p);
            } else if (r instanceof BgpFilter f) {
                filters.putIfAbsent(f.name(), f);
            } else if (r instanceof PeerFilters f) {
                peerFilters.putIfAbsent(f.name(), f);
            } else if (r instanceof BgpPeer p) {
                peerSources.putIfAbsent(p.name(), p.source());
            } else if (r instanceof ExportSettings s) {
                settings.putIfAbsent(s.name(), s);
            }
        }
        List<PolicyCidr> accept = new ArrayList<>();
        List<PolicyCidr> noExport = new ArrayList<>();
        for (IpPool p : pools.values()) {
            PolicyCidr c = new PolicyCidr(p.cidr(), "IPPool " + p.name());
            if (p.disableBgpExport()) {
                noExport.add(c);
            } else {
                accept.add(c);
            }
        }
        List<PolicyCidr> services = new ArrayList<>();
        ExportSettings global = settings.get("default");
        if (global != null) {
            add(services, global.serviceClusterIps(), "serviceClusterIPs");
            add(services, global.serviceExternalIps(), "serviceExternalIPs");
            add(services, global.serviceLoadBalancerIps(), "serviceLoadBalancerIPs");
        }
        ExportSettings own = selfName == null ? null : settings.get("node." + selfName);
        var advertisements = own != null && own.prefixAdvertisements() != null ? own.prefixAdvertisements()
                : global != null && global.prefixAdvertisements() != null ? global.prefixAdvertisements() : List.<io.routereflector.rib.policy.CommunityTag>of();
        ExportPolicies out = new ExportPolicies(new ExportPolicy(!pools.isEmpty(), accept, noExport, services, List.of(), advertisements));
        for (PeerFilters pf : peerFilters.values()) {
            String source = peerSources.get(pf.name());
            if (source == null) {
                continue; // the BGPPeer itself was refused: no peering to filter
            }
            List<FilterRule> export = new ArrayList<>();
            List<FilterRule> imports = new ArrayList<>();
            for (String name : pf.filters()) {
                BgpFilter f = filters.get(name);
                if (f == null) {
                    problems.add(new ResourceProblem(pf.source(), "spec.filters", "no BGPFilter named '" + name
                            + "': its peerings are filtered by the others only"));
                    continue;
                }
                export.addAll(f.exportRules());
                imports.addAll(f.importRules());
            }
            out.exportBySource.put(source, export);
            out.importBySource.put(source, imports);
        }
        return out;
    }

    private static void add(List<PolicyCidr> out, List<IpPrefix> cidrs, String origin) {
        if (cidrs != null) {
            cidrs.forEach(c -> out.add(new PolicyCidr(c, origin)));
        }
    }

    /** The common policy (for check-config and status: whether IPPools are known at all). */
    ExportPolicy base() {
        return base;
    }

    /** {@code peer} with the policy of the BGPPeer at {@code origin} (the common one for mesh peerings). */
    PeerConfig apply(PeerConfig peer, String origin) {
        List<FilterRule> export = exportBySource.getOrDefault(origin, List.of());
        List<FilterRule> imports = importBySource.getOrDefault(origin, List.of());
        return peer.toBuilder().exportPolicy(export.isEmpty() ? base : base.withFilters(export))
                .importFilter(imports.isEmpty() ? ImportFilter.ALL : new ImportFilter(imports)).build();
    }
}
