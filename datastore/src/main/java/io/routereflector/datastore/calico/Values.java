package io.routereflector.datastore.calico;

import java.math.BigDecimal;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scalar formats of Calico resources: IP literals (never resolved through DNS), AS numbers in plain
 * or asdot form, Go durations ({@code 120s}, {@code 2m}) and {@code peerIP} with an optional port.
 * Each parser throws {@link IllegalArgumentException} with a message fit for a {@code ResourceProblem}.
 */
public final class Values {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Pattern BRACKETED = Pattern.compile("\\[([^\\]]+)](?::(\\d{1,5}))?");

    private Values() {
    }

    /** An IPv4 or IPv6 literal; a host name is refused rather than looked up. */
    public static InetAddress ip(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("an IP address is required");
        }
        Matcher m = IPV4.matcher(text);
        if (m.matches()) {
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(m.group(i + 1));
                if (octet > 255) {
                    throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
                }
                b[i] = (byte) octet;
            }
            return byAddress(b, text);
        }
        // Only a string of hex digits, colons and dots reaches InetAddress: it is then a literal, no DNS.
        if (text.indexOf(':') >= 0 && IPV6_CHARS.matcher(text).matches()) {
            try {
                InetAddress a = InetAddress.getByName(text);
                if (a instanceof Inet6Address) {
                    return a;
                }
            } catch (UnknownHostException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not an IP address");
    }

    public static Inet4Address ipv4(String text) {
        InetAddress a = ip(text);
        if (!(a instanceof Inet4Address)) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
        return (Inet4Address) a;
    }

    public static Inet6Address ipv6(String text) {
        InetAddress a = ip(text);
        if (!(a instanceof Inet6Address)) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address");
        }
        return (Inet6Address) a;
    }

    /** A Node's address, with or without a prefix length ({@code 10.0.0.10/24}); the length is dropped. */
    public static InetAddress interfaceAddress(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return ip(text);
        }
        InetAddress a = ip(text.substring(0, slash));
        int max = a instanceof Inet4Address ? 32 : 128;
        String len = text.substring(slash + 1);
        if (!len.matches("\\d{1,3}") || Integer.parseInt(len) > max) {
            throw new IllegalArgumentException("'" + text + "' has a bad prefix length (0.." + max + ")");
        }
        return a;
    }

    /** Plain ({@code 64512}) or asdot ({@code 1.10} = 1 × 65536 + 10) AS number, 1..4294967295. */
    public static long asNumber(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("an AS number is required");
        }
        long value;
        if (text.matches("\\d{1,10}")) {
            value = Long.parseLong(text);
        } else if (text.matches("\\d{1,5}\\.\\d{1,5}")) {
            int dot = text.indexOf('.');
            long high = Long.parseLong(text.substring(0, dot));
            long low = Long.parseLong(text.substring(dot + 1));
            if (high > 0xFFFF || low > 0xFFFF) {
                throw new IllegalArgumentException("asdot '" + text + "' has a part above 65535");
            }
            value = high << 16 | low;
        } else {
            throw new IllegalArgumentException("'" + text + "' is not an AS number (plain or asdot)");
        }
        if (value < 1 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("AS " + text + " is not 1..4294967295");
        }
        return value;
    }

    /** A Go duration ({@code 120s}, {@code 2m}, {@code 1m30s}, {@code 1.5h}, {@code 0}) in whole seconds, rounded down. */
    public static long durationSeconds(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a duration is required");
        }
        if (text.equals("0")) {
            return 0;
        }
        Matcher m = DURATION_PART.matcher(text);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("'" + text + "' is not a duration such as 120s, 2m or 1m30s");
            }
            BigDecimal unit = switch (m.group(2)) {
                case "ns" -> BigDecimal.ONE;
                case "us", "µs" -> BigDecimal.valueOf(1_000L);
                case "ms" -> BigDecimal.valueOf(1_000_000L);
                case "s" -> BigDecimal.valueOf(1_000_000_000L);
                case "m" -> BigDecimal.valueOf(60_000_000_000L);
                default -> BigDecimal.valueOf(3_600_000_000_000L);
            };
            nanos = nanos.add(new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1)).multiply(unit));
            at = m.end();
        }
        BigDecimal seconds = nanos.divideToIntegralValue(BigDecimal.valueOf(1_000_000_000L));
        if (seconds.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("duration '" + text + "' is too long");
        }
        return seconds.longValueExact();
    }

    /** {@code peerIP}: {@code 10.0.0.1}, {@code 10.0.0.1:1790}, {@code fd00::1}, {@code [fd00::1]:1790}; port 0 = not given. */
    public record IpPort(InetAddress address, int port) {
    }

    public static IpPort ipPort(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("an IP address is required");
        }
        Matcher b = BRACKETED.matcher(text);
        if (b.matches()) {
            return new IpPort(ipv6(b.group(1)), b.group(2) == null ? 0 : port(b.group(2), text));
        }
        int colon = text.indexOf(':');
        if (colon >= 0 && colon == text.lastIndexOf(':')) {
            // One colon: IPv4 with a port (an IPv6 literal has at least two).
            return new IpPort(ipv4(text.substring(0, colon)), port(text.substring(colon + 1), text));
        }
        return new IpPort(ip(text), 0);
    }

    private static int port(String digits, String whole) {
        if (!digits.matches("\\d{1,5}") || Integer.parseInt(digits) < 1 || Integer.parseInt(digits) > 0xFFFF) {
            throw new IllegalArgumentException("'" + whole + "' has a port that is not 1..65535");
        }
        return Integer.parseInt(digits);
    }

    private static InetAddress byAddress(byte[] b, String text) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address", e);
        }
    }
}
