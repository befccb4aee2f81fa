package io.routereflector.rib.policy;

import io.routereflector.wire.nlri.IpPrefix;
import io.routereflector.wire.nlri.Ipv4Prefix;
import io.routereflector.wire.nlri.Ipv6Prefix;

/** Prefix arithmetic the policy needs: BIRD's {@code net ~ cidr}, and a CIDR with host bits cleared. */
public final class Prefixes {

    private Prefixes() {
    }

    /**
     * BIRD's {@code net ~ outer} for a prefix: {@code inner} lies inside {@code outer} (same family, at
     * least as long, equal in the first {@code outer.length()} bits). Equal prefixes are covered.
     */
    public static boolean covers(IpPrefix outer, IpPrefix inner) {
        if (inner.length() < outer.length()) {
            return false;
        }
        if (outer instanceof Ipv4Prefix o && inner instanceof Ipv4Prefix i) {
            int mask = o.length() == 0 ? 0 : -1 << (32 - o.length());
            return (i.address() & mask) == o.address();
        }
        if (outer instanceof Ipv6Prefix o && inner instanceof Ipv6Prefix i) {
            int n = o.length();
            long highMask = n >= 64 ? -1L : n == 0 ? 0L : -1L << (64 - n);
            long lowMask = n <= 64 ? 0L : n == 128 ? -1L : -1L << (128 - n);
            return (i.high() & highMask) == o.high() && (i.low() & lowMask) == o.low();
        }
        return false;
    }

    /**
     * A CIDR as Calico accepts it: Go's {@code net.ParseCIDR} keeps the network and drops host bits
     * ({@code 10.0.0.1/16} is {@code 10.0.0.0/16}).
     */
    public static IpPrefix parseCidr(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR (no /length): " + text);
        }
        int length;
        try {
            length = Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR (bad length): " + text);
        }
        String address = t.substring(0, slash);
        if (address.indexOf(':') < 0) {
            if (length < 0 || length > 32) {
                throw new IllegalArgumentException("IPv4 prefix length out of range: " + text);
            }
            int mask = length == 0 ? 0 : -1 << (32 - length);
            return new Ipv4Prefix(Ipv4Prefix.parseAddress(address) & mask, length);
        }
        if (length < 0 || length > 128) {
            throw new IllegalArgumentException("IPv6 prefix length out of range: " + text);
        }
        Ipv6Prefix host = Ipv6Prefix.parse(address + "/128");
        long highMask = length >= 64 ? -1L : length == 0 ? 0L : -1L << (64 - length);
        long lowMask = length <= 64 ? 0L : length == 128 ? -1L : -1L << (128 - length);
        return new Ipv6Prefix(host.high() & highMask, host.low() & lowMask, length);
    }
}
