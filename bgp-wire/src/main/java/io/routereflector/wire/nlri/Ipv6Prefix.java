package io.routereflector.wire.nlri;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv6 prefix: the address as two big-endian longs, host bits zero. */
public record Ipv6Prefix(long high, long low, int length) implements IpPrefix {

    /** Mixed, like {@link Ipv4Prefix#hashCode()}: the zero host bits must not decide the bucket. */
    @Override
    public int hashCode() {
        return PrefixHash.mix(high * 0x9E3779B97F4A7C15L + low + length);
    }

    public Ipv6Prefix {
        if (length < 0 || length > 128) {
            throw new IllegalArgumentException("IPv6 prefix length out of range: " + length);
        }
        if ((high & ~highMask(length)) != 0 || (low & ~lowMask(length)) != 0) {
            throw new IllegalArgumentException("host bits set in IPv6 prefix of length " + length);
        }
    }

    /** The upper 64 bits of the network mask of a prefix length. */
    public static long highMask(int length) {
        if (length >= 64) {
            return -1L;
        }
        return length == 0 ? 0L : -1L << (64 - length);
    }

    /** The lower 64 bits of the network mask of a prefix length. */
    public static long lowMask(int length) {
        if (length <= 64) {
            return 0L;
        }
        return length == 128 ? -1L : -1L << (128 - length);
    }

    public static Ipv6Prefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("prefix without /length: " + text);
        }
        byte[] bytes = parseAddress(text.substring(0, slash));
        return new Ipv6Prefix(toLong(bytes, 0), toLong(bytes, 8), Ipv4Prefix.parseLength(text.substring(slash + 1), 128));
    }

    /** Parses an IPv6 literal (no host names are ever resolved) into 16 bytes. */
    public static byte[] parseAddress(String literal) {
        // ASCII only: Character.digit also accepts other scripts' digits and full-width letters.
        if (literal.indexOf(':') < 0 || !literal.chars().allMatch(c -> Ipv4Prefix.isAsciiDigit(c)
                || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.')) {
            throw new IllegalArgumentException("not an IPv6 address: " + literal);
        }
        try {
            InetAddress address = InetAddress.getByName(literal);
            if (address instanceof Inet6Address) {
                return address.getAddress();
            }
            // An IPv4-mapped literal comes back as Inet4Address; keep it in IPv6 form.
            byte[] v4 = address.getAddress();
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(v4, 0, mapped, 12, 4);
            return mapped;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv6 address: " + literal, e);
        }
    }

    static long toLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    public byte[] addressBytes() {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (high >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return bytes;
    }

    @Override
    public AddressFamily family() {
        return AddressFamily.IPV6_UNICAST;
    }

    @Override
    public String toString() {
        // Formatted here: InetAddress.getByAddress turns an IPv4-mapped address (::ffff:a.b.c.d) into
        // an Inet4Address, which printed "10.0.0.0/104" for ::ffff:10.0.0.0/104.
        StringBuilder full = new StringBuilder(39);
        for (int g = 0; g < 8; g++) {
            long half = g < 4 ? high : low;
            if (g > 0) {
                full.append(':');
            }
            full.append(Integer.toHexString((int) (half >>> (48 - 16 * (g % 4))) & 0xFFFF));
        }
        return compress(full.toString()) + "/" + length;
    }

    /** 2001:db8:0:0:0:0:0:0 becomes 2001:db8:: (RFC 5952 §4.2: the longest run of two or more zero groups, the first on a tie). */
    static String compress(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < groups.length; ) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLength && j - i > 1) {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return String.join(":", groups);
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }
}
