package io.routereflector.rib;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What names one peer: its address and the port we dial it on. Calico keys peerings the same way
 * ({@code peerIP: 10.0.0.1:1790} and {@code 10.0.0.1} are two sessions). Shown as the bare address for
 * BGP's port 179, so everything operators saw before ports mattered reads as it did; else
 * {@code 10.0.0.1:1790} or {@code [fd00::1]:1790}.
 */
public record PeerKey(InetAddress address, int port) implements Comparable<PeerKey> {

    public static final int DEFAULT_PORT = 179;

    /** IPv4 before IPv6, then by address octets, then by port: the order BIRD and calicoctl list peers in. */
    public static final Comparator<PeerKey> ORDER = Comparator.comparing((PeerKey k) -> k.address instanceof Inet6Address)
            .thenComparing(k -> k.address.getAddress(), Arrays::compareUnsigned)
            .thenComparingInt(PeerKey::port);

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern BRACKETED = Pattern.compile("\\[([^\\]]+)](?::(\\d{1,5}))?");

    public PeerKey {
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("peer " + address.getHostAddress() + ": port " + port + " is not 1..65535");
        }
    }

    /** The peer at {@code address} on BGP's port. */
    public static PeerKey of(InetAddress address) {
        return new PeerKey(address, DEFAULT_PORT);
    }

    /**
     * {@code 10.0.0.1}, {@code 10.0.0.1:1790}, {@code fd00::1}, {@code [fd00::1]} or {@code [fd00::1]:1790}
     * (no port: 179). Address literals only: nothing is looked up.
     *
     * @throws IllegalArgumentException saying what was expected
     */
    public static PeerKey parse(String text) {
        String t = text.strip();
        Matcher bracketed = BRACKETED.matcher(t);
        if (bracketed.matches()) {
            return new PeerKey(ipv6(bracketed.group(1), text), bracketed.group(2) == null ? DEFAULT_PORT : port(bracketed.group(2), text));
        }
        if (IPV6.matcher(t).matches()) {
            return of(ipv6(t, text));
        }
        int colon = t.indexOf(':');
        String host = colon < 0 ? t : t.substring(0, colon);
        if (!IPV4.matcher(host).matches()) {
            throw invalid(text);
        }
        return new PeerKey(literal(host, text), colon < 0 ? DEFAULT_PORT : port(t.substring(colon + 1), text));
    }

    private static InetAddress ipv6(String literal, String whole) {
        if (!IPV6.matcher(literal).matches() || !(literal(literal, whole) instanceof Inet6Address a)) {
            throw invalid(whole);
        }
        return a;
    }

    private static InetAddress literal(String literal, String whole) {
        try {
            return InetAddress.getByName(literal); // a literal by the patterns above: no lookup
        } catch (UnknownHostException e) {
            throw invalid(whole);
        }
    }

    private static int port(String digits, String whole) {
        if (!digits.matches("\\d{1,5}") || Integer.parseInt(digits) < 1 || Integer.parseInt(digits) > 0xFFFF) {
            throw new IllegalArgumentException("'" + whole + "' has a port that is not 1..65535");
        }
        return Integer.parseInt(digits);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not a peer: give an address (10.0.0.1, fd00::1) or an address"
                + " and port (10.0.0.1:1790, [fd00::1]:1790)");
    }

    @Override
    public int compareTo(PeerKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        String host = address.getHostAddress();
        if (port == DEFAULT_PORT) {
            return host;
        }
        return (address instanceof Inet4Address ? host : "[" + host + "]") + ":" + port;
    }
}
