package io.routereflector.wire.nlri;

/** An IPv4 or IPv6 prefix with its host bits zero. */
public sealed interface IpPrefix extends Comparable<IpPrefix> permits Ipv4Prefix, Ipv6Prefix {

    int length();

    AddressFamily family();

    /** Parses "10.0.0.0/8" or "2001:db8::/32". Host bits must be zero. */
    static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("prefix without /length: " + text);
        }
        return text.indexOf(':') >= 0 ? Ipv6Prefix.parse(text) : Ipv4Prefix.parse(text);
    }

    @Override
    default int compareTo(IpPrefix other) {
        if (this instanceof Ipv4Prefix a && other instanceof Ipv4Prefix b) {
            int c = Integer.compareUnsigned(a.address(), b.address());
            return c != 0 ? c : Integer.compare(a.length(), b.length());
        }
        if (this instanceof Ipv6Prefix a && other instanceof Ipv6Prefix b) {
            int c = Long.compareUnsigned(a.high(), b.high());
            if (c == 0) {
                c = Long.compareUnsigned(a.low(), b.low());
            }
            return c != 0 ? c : Integer.compare(a.length(), b.length());
        }
        return this instanceof Ipv4Prefix ? -1 : 1;
    }
}
