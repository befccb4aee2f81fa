package io.routereflector.rib.policy;

import io.routereflector.wire.nlri.IpPrefix;

import java.util.Arrays;
import java.util.Objects;

/**
 * One BGPConfiguration {@code prefixAdvertisements} entry, its community names resolved through
 * {@code communities}: what calico/node's {@code apply_communities()} adds ({@code bgp_community.add}
 * for {@code a:b}, {@code bgp_large_community.add} for {@code a:b:c}) to every exported route inside
 * {@code cidr} ({@code net ~ cidr}).
 *
 * @param standard RFC 1997 values ({@code a << 16 | b})
 * @param large    RFC 8092 values, three ints each
 */
public record CommunityTag(IpPrefix cidr, int[] standard, int[] large) {

    public CommunityTag {
        Objects.requireNonNull(cidr, "cidr");
        standard = standard.clone();
        large = large.clone();
        if (large.length % 3 != 0) {
            throw new IllegalArgumentException("large communities come in threes");
        }
    }

    @Override
    public int[] standard() {
        return standard.clone();
    }

    @Override
    public int[] large() {
        return large.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommunityTag t && cidr.equals(t.cidr) && Arrays.equals(standard, t.standard)
                && Arrays.equals(large, t.large);
    }

    @Override
    public int hashCode() {
        return cidr.hashCode() * 31 + Arrays.hashCode(standard) * 17 + Arrays.hashCode(large);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(cidr.toString()).append(" +");
        for (int s : standard) {
            b.append(' ').append(s >>> 16).append(':').append(s & 0xFFFF);
        }
        for (int i = 0; i < large.length; i += 3) {
            b.append(' ').append(Integer.toUnsignedString(large[i])).append(':').append(Integer.toUnsignedString(large[i + 1]))
                    .append(':').append(Integer.toUnsignedString(large[i + 2]));
        }
        return b.toString();
    }
}
