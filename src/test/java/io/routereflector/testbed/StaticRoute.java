package io.routereflector.testbed;

import java.util.List;

/**
 * A route a peer originates, with the attributes a Calico node (or a ToR) may put on it.
 * Communities are written "asn:value", large ones "global:local1:local2", extended ones as route
 * targets "asn:value"; {@code med} is -1 when absent.
 */
public record StaticRoute(String prefix, List<String> communities, List<String> largeCommunities,
                          List<String> routeTargets, long med) {

    public StaticRoute {
        if (!prefix.matches("[0-9a-fA-F:.]+/\\d{1,3}")) {
            throw new IllegalArgumentException("not a prefix: " + prefix);
        }
        communities = List.copyOf(communities);
        largeCommunities = List.copyOf(largeCommunities);
        routeTargets = List.copyOf(routeTargets);
        for (String c : communities) {
            requireParts(c, 2);
        }
        for (String c : largeCommunities) {
            requireParts(c, 3);
        }
        for (String c : routeTargets) {
            requireParts(c, 2);
        }
        if (med < -1 || med > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("MED out of range: " + med);
        }
    }

    public static StaticRoute of(String prefix) {
        return new StaticRoute(prefix, List.of(), List.of(), List.of(), -1);
    }

    public StaticRoute withCommunities(String... values) {
        return new StaticRoute(prefix, List.of(values), largeCommunities, routeTargets, med);
    }

    public StaticRoute withLargeCommunities(String... values) {
        return new StaticRoute(prefix, communities, List.of(values), routeTargets, med);
    }

    public StaticRoute withRouteTargets(String... values) {
        return new StaticRoute(prefix, communities, largeCommunities, List.of(values), med);
    }

    public StaticRoute withMed(long value) {
        return new StaticRoute(prefix, communities, largeCommunities, routeTargets, value);
    }

    public boolean isIpv6() {
        return prefix.contains(":");
    }

    private static void requireParts(String community, int parts) {
        String[] split = community.split(":");
        if (split.length != parts) {
            throw new IllegalArgumentException("expected " + parts + " numbers in " + community);
        }
        for (String part : split) {
            long value = Long.parseLong(part);
            if (value < 0 || value > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("out of range in " + community);
            }
        }
    }
}
