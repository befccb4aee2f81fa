package io.routereflector.rib.policy;

import io.routereflector.wire.nlri.IpPrefix;

import java.util.List;

/**
 * What calico/node exports to one BGP peer, rule by rule in its order (confd templates: the peer's
 * {@code export filter} in {@code bird.cfg.template} calls its BGPFilters' export functions, then
 * {@code calico_export_to_bgp_peers()} of {@code bird_ipam.cfg.template}, then {@code reject}):
 * <ol>
 * <li>the peer's BGPFilters ({@code spec.filters}) in order, their rules in order: the first rule that
 *     matches accepts or rejects ({@code filterStatement});</li>
 * <li>inside a pool with {@code disableBGPExport}: reject ({@code reject_disabled_pools()}, called first);</li>
 * <li>inside a BGPConfiguration service CIDR: accept (the {@code /staticroutes} loop, {@code net ~ cidr});</li>
 * <li>inside any other IPPool, disabled pools included: accept ({@code net ~ cidr}: the pool or any
 *     longer prefix inside it);</li>
 * <li>anything else: reject.</li>
 * </ol>
 * Where no IPPool is known at all ({@code poolsKnown} false) steps 2–5 become "accept": the old
 * reflector image exported everything. Equal policies make equal update-group keys.
 *
 * @param communities BGPConfiguration {@code prefixAdvertisements}: added to what step 2–4 accepts
 *                    ({@code apply_communities()} runs inside {@code calico_export_to_bgp_peers()},
 *                    so a route a BGPFilter accepts does not get them)
 */
public record ExportPolicy(boolean poolsKnown, List<PolicyCidr> pools, List<PolicyCidr> noExportPools,
                           List<PolicyCidr> services, List<FilterRule> filters, List<CommunityTag> communities) {

    /** Export everything, add nothing: no IPPool, no BGPFilter, no prefix advertisement. */
    public static final ExportPolicy ALL = new ExportPolicy(false, List.of(), List.of(), List.of(), List.of(), List.of());

    /** At most this many community tags (they are tracked in a bit mask per exported route). */
    public static final int MAX_COMMUNITY_TAGS = 64;

    public ExportPolicy {
        pools = List.copyOf(pools);
        noExportPools = List.copyOf(noExportPools);
        services = List.copyOf(services);
        filters = List.copyOf(filters);
        communities = List.copyOf(communities);
        if (communities.size() > MAX_COMMUNITY_TAGS) {
            throw new IllegalArgumentException("more than " + MAX_COMMUNITY_TAGS + " prefix advertisements");
        }
    }

    /** True when every route is sent unchanged: nothing to evaluate per prefix. */
    public boolean exportsAll() {
        return !poolsKnown && filters.isEmpty() && communities.isEmpty();
    }

    /** This policy with other BGPFilter rules (the peer's own). */
    public ExportPolicy withFilters(List<FilterRule> peerFilters) {
        return new ExportPolicy(poolsKnown, pools, noExportPools, services, peerFilters, communities);
    }

    /** Whether {@code prefix} is sent to the peer, and the rule that decided. */
    public Verdict evaluate(IpPrefix prefix) {
        for (FilterRule rule : filters) {
            if (rule.matches(prefix)) {
                return new Verdict(rule.accept(), "BGPFilter " + rule.filter() + ": " + rule);
            }
        }
        if (!poolsKnown) {
            return Verdict.EXPORT_ALL;
        }
        for (PolicyCidr c : noExportPools) {
            if (Prefixes.covers(c.cidr(), prefix)) {
                return new Verdict(false, c.origin() + " " + c.cidr() + " has disableBGPExport");
            }
        }
        for (PolicyCidr c : services) {
            if (Prefixes.covers(c.cidr(), prefix)) {
                return new Verdict(true, c.origin() + " " + c.cidr());
            }
        }
        for (PolicyCidr c : pools) {
            if (Prefixes.covers(c.cidr(), prefix)) {
                return new Verdict(true, c.origin() + " " + c.cidr());
            }
        }
        return new Verdict(false, "outside every IPPool and service CIDR");
    }

    /**
     * The prefix advertisements whose communities go on {@code prefix} when it is exported, as a bit
     * mask over {@link #communities()}; 0 when a BGPFilter decided (it returns before
     * {@code apply_communities()} runs) or none applies.
     */
    public long tagsFor(IpPrefix prefix) {
        if (communities.isEmpty()) {
            return 0;
        }
        for (FilterRule rule : filters) {
            if (rule.matches(prefix)) {
                return 0;
            }
        }
        long mask = 0;
        for (int i = 0; i < communities.size(); i++) {
            if (Prefixes.covers(communities.get(i).cidr(), prefix)) {
                mask |= 1L << i;
            }
        }
        return mask;
    }
}
