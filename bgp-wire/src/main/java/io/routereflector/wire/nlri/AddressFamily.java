package io.routereflector.wire.nlri;

/**
 * An AFI/SAFI pair (RFC 4760). Any pair can be carried (capabilities name families we do not route);
 * {@link #IPV4_UNICAST} and {@link #IPV6_UNICAST} are the ones whose NLRI we decode.
 */
public record AddressFamily(int afi, int safi) {
    public static final int AFI_IPV4 = 1;
    public static final int AFI_IPV6 = 2;
    public static final int SAFI_UNICAST = 1;

    public static final AddressFamily IPV4_UNICAST = new AddressFamily(AFI_IPV4, SAFI_UNICAST);
    public static final AddressFamily IPV6_UNICAST = new AddressFamily(AFI_IPV6, SAFI_UNICAST);

    public AddressFamily {
        if (afi < 0 || afi > 0xFFFF) {
            throw new IllegalArgumentException("AFI out of range: " + afi);
        }
        if (safi < 0 || safi > 0xFF) {
            throw new IllegalArgumentException("SAFI out of range: " + safi);
        }
    }

    public static AddressFamily of(int afi, int safi) {
        if (afi == AFI_IPV4 && safi == SAFI_UNICAST) {
            return IPV4_UNICAST;
        }
        if (afi == AFI_IPV6 && safi == SAFI_UNICAST) {
            return IPV6_UNICAST;
        }
        return new AddressFamily(afi, safi);
    }

    /** True for the families whose prefixes this codec understands. */
    public boolean isSupported() {
        return equals(IPV4_UNICAST) || equals(IPV6_UNICAST);
    }

    /** Maximum prefix length in bits for the AFI; -1 when the AFI is not IPv4/IPv6. */
    public int maxPrefixLength() {
        return switch (afi) {
            case AFI_IPV4 -> 32;
            case AFI_IPV6 -> 128;
            default -> -1;
        };
    }

    @Override
    public String toString() {
        if (equals(IPV4_UNICAST)) {
            return "ipv4-unicast";
        }
        if (equals(IPV6_UNICAST)) {
            return "ipv6-unicast";
        }
        return "afi" + afi + "/safi" + safi;
    }
}
