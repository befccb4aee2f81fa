package io.routereflector.testbed;

import java.util.List;

/**
 * One route as a real peer shows it (BIRD's {@code show route all}, GoBGP's {@code global rib -j}),
 * in one shape so tests compare both alike. Communities "a:b", large "a:b:c", extended
 * "rt:a:b" for route targets (other kinds "type:subtype:value"); absent numbers are -1, an absent
 * originator is empty.
 *
 * @param from BIRD: the protocol the route came from; GoBGP: the neighbor address (empty when local)
 */
public record PeerRoute(String prefix, String from, boolean best, String nextHop, String origin, List<Long> asPath,
                        long med, long localPref, List<String> communities, List<String> largeCommunities,
                        List<String> extCommunities, String originatorId, List<String> clusterList) {

    public PeerRoute {
        asPath = List.copyOf(asPath);
        communities = List.copyOf(communities);
        largeCommunities = List.copyOf(largeCommunities);
        extCommunities = List.copyOf(extCommunities);
        clusterList = List.copyOf(clusterList);
    }

    /** "a:b" from the 32-bit value of a standard community (RFC 1997). */
    public static String community(long value) {
        return (value >>> 16) + ":" + (value & 0xFFFF);
    }
}
