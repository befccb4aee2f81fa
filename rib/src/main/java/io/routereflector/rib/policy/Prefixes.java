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
            return (i.address() & Ipv4Prefix.mask(o.length())) == o.address();
        }
        if (outer instanceof Ipv6Prefix o && inner instanceof Ipv6Prefix i) {
            return (i.high() & Ipv6Prefix.highMask(o.length())) == o.high() && (i.low() & Ipv6Prefix.lowMask(o.length())) == o.low();
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
            return new Ipv4Prefix(Ipv4Prefix.parseAddress(address) & Ipv4Prefix.mask(length), length);
        }
        if (length < 0 || length > 128) {
            throw new IllegalArgumentException("IPv6 prefix length out of range: " + text);
        }
        Ipv6Prefix host = Ipv6Prefix.parse(address + "/128");
        return new Ipv6Prefix(host.high() & Ipv6Prefix.highMask(length), host.low() & Ipv6Prefix.lowMask(length), length);
    }
}
