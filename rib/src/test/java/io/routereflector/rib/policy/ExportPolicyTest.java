package io.routereflector.rib.policy;

import io.routereflector.rib.policy.FilterRule.MatchOperator;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * calico/node's export policy row by row. Each row names where calico/node's behaviour comes from:
 * {@code bird_ipam.cfg.template} {@code calico_export_to_bgp_peers()} / {@code reject_disabled_pools()},
 * {@code bird.cfg.template}'s per-peer {@code export filter} (BGPFilter functions first, then the
 * Calico function, then {@code reject}), and confd {@code template_funcs.go} {@code filterStatement},
 * {@code filterMatchCIDR}, {@code filterMatchPrefixLength}.
 */
class ExportPolicyTest {

    private static final IpPrefix POOL = IpPrefix.parse("10.64.0.0/16");
    private static final IpPrefix NO_EXPORT = IpPrefix.parse("10.65.0.0/16");
    private static final IpPrefix SERVICES = IpPrefix.parse("10.96.0.0/12");

    private static final ExportPolicy CALICO = new ExportPolicy(true,
            List.of(new PolicyCidr(POOL, "IPPool pods"), new PolicyCidr(NO_EXPORT, "IPPool hidden")),
            List.of(new PolicyCidr(NO_EXPORT, "IPPool hidden")),
            List.of(new PolicyCidr(SERVICES, "serviceClusterIPs")), List.of(), List.of());

    @ParameterizedTest(name = "{0} -> {1} ({2})")
    @CsvSource({
            // calico_export_to_bgp_peers: "if ( net ~ <pool cidr> ) then { accept; }" — a pod block, any length inside
            "10.64.3.0/26,   true,  bird_ipam.cfg.template pool loop: net ~ cidr",
            "10.64.0.0/16,   true,  bird_ipam.cfg.template pool loop: the pool itself (~ includes equal)",
            "10.64.3.7/32,   true,  bird_ipam.cfg.template pool loop: a /32 inside",
            "10.0.0.0/8,     false, net ~ 10.64.0.0/16 is false for a shorter covering prefix: final reject",
            "0.0.0.0/0,      false, a ToR's default route: final reject of the peer's export filter",
            "192.0.2.0/24,   false, outside every pool: final reject",
            // reject_disabled_pools() runs first: "if ( net ~ cidr ) then { reject; }" for disableBGPExport
            "10.65.1.0/26,   false, reject_disabled_pools()",
            // the /staticroutes loop: service CIDRs
            "10.96.0.0/12,   true,  staticroutes loop: serviceClusterIPs",
            "10.100.7.9/32,  true,  staticroutes loop: a service /32 inside",
    })
    void calicoExport(String prefix, boolean accepted, String source) {
        assertEquals(accepted, CALICO.evaluate(IpPrefix.parse(prefix)).accepted(), source);
    }

    @ParameterizedTest(name = "{0} {1} {2} [{3},{4}] vs {5} -> {6}")
    @CsvSource({
            // filterMatchCIDR operatorLUT: Equal "=", NotEqual "!=", In "~", NotIn "!~"
            "EQUAL,     10.9.0.0/16, -1, -1, 10.9.0.0/16, true",
            "EQUAL,     10.9.0.0/16, -1, -1, 10.9.1.0/24, false",
            "NOT_EQUAL, 10.9.0.0/16, -1, -1, 10.9.1.0/24, true",
            "NOT_EQUAL, 10.9.0.0/16, -1, -1, 10.9.0.0/16, false",
            "IN,        10.9.0.0/16, -1, -1, 10.9.1.0/24, true",
            "IN,        10.9.0.0/16, -1, -1, 10.9.0.0/16, true",
            "IN,        10.9.0.0/16, -1, -1, 10.0.0.0/8,  false",
            "NOT_IN,    10.9.0.0/16, -1, -1, 10.8.0.0/16, true",
            "NOT_IN,    10.9.0.0/16, -1, -1, 10.9.4.0/24, false",
            // filterMatchPrefixLength: [cidr{max(len,min), min(32,max)}]
            "IN,        10.9.0.0/16, 24, 26, 10.9.1.0/24, true",
            "IN,        10.9.0.0/16, 24, 26, 10.9.1.0/27, false",
            "IN,        10.9.0.0/16, 24, 26, 10.9.0.0/16, false",
            "IN,        10.9.0.0/16,  8, -1, 10.9.0.0/16, true",
            "IN,        10.9.0.0/16, -1, 40, 10.9.9.9/32, true",
            "NOT_IN,    10.9.0.0/16, 24, 26, 10.9.1.0/27, true",
            "EQUAL,     10.9.0.0/16, 24, 26, 10.9.1.0/25, true",
    })
    void filterMatch(MatchOperator op, String cidr, int min, int max, String prefix, boolean matches) {
        FilterRule rule = new FilterRule("f", AddressFamily.IPV4_UNICAST, IpPrefix.parse(cidr), op, min, max, false, null, false);
        assertEquals(matches, rule.matches(IpPrefix.parse(prefix)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // bird.cfg.template: the peer's BGPFilter functions run before calico_export_to_bgp_peers()
            "10.64.9.0/26,  false, a Reject rule withholds a pool route",
            "203.0.113.0/24, true, an Accept rule sends a route outside every pool",
            "10.64.1.0/26,  true,  no rule matched: the Calico function accepts the pool route",
            "198.51.100.0/24, false, no rule matched, outside the pools: reject",
            "2001:db8::/64,  false, a V4 rule list never matches an IPv6 route (exportV4 vs exportV6)",
    })
    void filtersFirst(String prefix, boolean accepted, String why) {
        ExportPolicy p = CALICO.withFilters(List.of(
                new FilterRule("tor", AddressFamily.IPV4_UNICAST, IpPrefix.parse("10.64.9.0/24"), MatchOperator.IN, -1, -1, false, null, false),
                new FilterRule("tor", AddressFamily.IPV4_UNICAST, IpPrefix.parse("203.0.113.0/24"), MatchOperator.EQUAL, -1, -1, true, null, true)));
        assertEquals(accepted, p.evaluate(IpPrefix.parse(prefix)).accepted(), why);
    }

    @ParameterizedTest(name = "interface [{0}] remotePeers {1} accept {2}: {3} -> {4}")
    @CsvSource({
            // filterStatement: no condition = the bare action; source RemotePeers = a BGP route (all of ours);
            // interface: our routes have no interface, the rule never matches
            "'', false, false, 192.0.2.0/24, false",
            "'', true,  true,  192.0.2.0/24, true",
            "eth0, false, true, 192.0.2.0/24, false",
    })
    void conditionlessSourceAndInterface(String iface, boolean remotePeers, boolean accept, String prefix, boolean accepted) {
        ExportPolicy p = CALICO.withFilters(List.of(new FilterRule("f", AddressFamily.IPV4_UNICAST, null, null, -1, -1,
                remotePeers, iface.isEmpty() ? null : iface, accept)));
        assertEquals(accepted, p.evaluate(IpPrefix.parse(prefix)).accepted());
    }

    @org.junit.jupiter.api.Test
    void noPoolKnownExportsAllButFiltersStillApply() {
        assertEquals(true, ExportPolicy.ALL.evaluate(IpPrefix.parse("0.0.0.0/0")).accepted());
        ExportPolicy p = ExportPolicy.ALL.withFilters(List.of(new FilterRule("f", AddressFamily.IPV4_UNICAST,
                IpPrefix.parse("0.0.0.0/0"), MatchOperator.EQUAL, -1, -1, false, null, false)));
        assertEquals(false, p.evaluate(IpPrefix.parse("0.0.0.0/0")).accepted());
        assertEquals("no IPPool known: export all", p.evaluate(IpPrefix.parse("192.0.2.0/24")).rule());
    }

    @org.junit.jupiter.api.Test
    void communitiesOnlyWhereTheCalicoFunctionDecides() {
        CommunityTag tag = new CommunityTag(POOL, new int[] {(65000 << 16) | 100}, new int[0]);
        ExportPolicy p = new ExportPolicy(true, CALICO.pools(), CALICO.noExportPools(), CALICO.services(),
                List.of(new FilterRule("f", AddressFamily.IPV4_UNICAST, IpPrefix.parse("10.64.9.0/24"), MatchOperator.IN, -1, -1,
                        false, null, true)), List.of(tag));
        // apply_communities(): net ~ cidr adds the communities ...
        assertEquals(1L, p.tagsFor(IpPrefix.parse("10.64.1.0/26")));
        // ... but a BGPFilter that accepted returned before calico_export_to_bgp_peers() ran
        assertEquals(0L, p.tagsFor(IpPrefix.parse("10.64.9.0/26")));
        assertEquals(0L, p.tagsFor(IpPrefix.parse("10.96.0.0/12")));
    }

    @org.junit.jupiter.api.Test
    void cidrsDropHostBitsAsGoDoes() {
        assertEquals(IpPrefix.parse("10.64.0.0/16"), Prefixes.parseCidr("10.64.1.1/16"));
        assertEquals(IpPrefix.parse("fd00:1::/48"), Prefixes.parseCidr("fd00:1::5/48"));
        assertEquals(true, Prefixes.covers(IpPrefix.parse("fd00:1::/48"), IpPrefix.parse("fd00:1:0:7::/64")));
        assertEquals(false, Prefixes.covers(IpPrefix.parse("fd00:1::/48"), IpPrefix.parse("fd00:2::/64")));
        assertEquals(true, Prefixes.covers(IpPrefix.parse("::/0"), IpPrefix.parse("2001:db8::/32")));
        assertEquals(false, Prefixes.covers(IpPrefix.parse("10.0.0.0/8"), IpPrefix.parse("2001:db8::/32")));
    }
}
