package io.routereflector.wire.nlri;

/** An IPv4 prefix: the address as a big-endian int, host bits zero. */
public record Ipv4Prefix(int address, int length) implements IpPrefix {

    public Ipv4Prefix {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("IPv4 prefix length out of range: " + length);
        }
        if ((address & ~mask(length)) != 0) {
            throw new IllegalArgumentException("host bits set in " + Ipv4Prefix.format(address) + "/" + length);
        }
    }

    /**
     * Mixed, because the record's default (31 × address + length) keeps the host bits' zeros: every
     * Calico /26 would land in the same 1/64 of a hash table's buckets.
     */
    @Override
    public int hashCode() {
        return PrefixHash.mix(((long) address << 8) | length);
    }

    /** The network mask of a prefix length, as a big-endian int. */
    public static int mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    public static Ipv4Prefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("prefix without /length: " + text);
        }
        return new Ipv4Prefix(parseAddress(text.substring(0, slash)), parseLength(text.substring(slash + 1), 32));
    }

    /** Parses a dotted quad into a big-endian int; rejects anything else. */
    public static int parseAddress(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not a dotted-quad IPv4 address: " + dotted);
        }
        int value = 0;
        for (String part : parts) {
            // ASCII digits only: Character.isDigit and Integer.parseInt also accept other scripts' digits.
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Ipv4Prefix::isAsciiDigit)) {
                throw new IllegalArgumentException("not a dotted-quad IPv4 address: " + dotted);
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("not a dotted-quad IPv4 address: " + dotted);
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    static boolean isAsciiDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** A prefix length of 1 to 3 ASCII digits, at most {@code max}. */
    static int parseLength(String text, int max) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(Ipv4Prefix::isAsciiDigit)) {
            throw new IllegalArgumentException("not a prefix length: " + text);
        }
        int length = Integer.parseInt(text);
        if (length > max) {
            throw new IllegalArgumentException("prefix length " + length + " exceeds " + max);
        }
        return length;
    }

    public static String format(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }

    @Override
    public AddressFamily family() {
        return AddressFamily.IPV4_UNICAST;
    }

    @Override
    public String toString() {
        return format(address) + "/" + length;
    }
}
