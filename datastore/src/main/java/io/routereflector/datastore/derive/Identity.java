package io.routereflector.datastore.derive;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Who we are: a Calico Node name ({@code NODENAME}) when the reflector is itself a v3 Node with a
 * {@code routeReflectorClusterID}, and/or our addresses ({@code IP}, {@code IP6}) for a standalone
 * reflector. Given addresses win over the Node's own.
 *
 * @param routerId the BGP identifier when given ({@code CALICO_ROUTER_ID}, {@code --router-id}); null = our
 *                 IPv4 address, as calico/node defaults it. An IPv6-only reflector needs one.
 */
public record Identity(String nodeName, Inet4Address ipv4, Inet6Address ipv6, Inet4Address routerId) {

    public Identity {
        if ((nodeName == null || nodeName.isEmpty()) && ipv4 == null && ipv6 == null) {
            throw new IllegalArgumentException("a node name or an address is required to know which peers are ours");
        }
        if (nodeName != null && nodeName.isEmpty()) {
            nodeName = null;
        }
    }

    public Identity(String nodeName, Inet4Address ipv4, Inet6Address ipv6) {
        this(nodeName, ipv4, ipv6, null);
    }

    public static Identity node(String name) {
        return new Identity(name, null, null, null);
    }

    public static Identity address(Inet4Address ipv4, Inet6Address ipv6) {
        return new Identity(null, ipv4, ipv6, null);
    }

    public Identity withRouterId(Inet4Address value) {
        return new Identity(nodeName, ipv4, ipv6, value);
    }

    /**
     * {@code CALICO_ROUTER_ID=hash}: calico/node's {@code HashToIPv4} (confd's template utilities): the first
     * four octets of the SHA-256 of the node name, with a first octet above 223 lowered by 32 so that the
     * identifier is never a multicast or reserved address.
     */
    public static Inet4Address hashRouterId(String nodeName) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(nodeName.getBytes(StandardCharsets.UTF_8));
            int first = hash[0] & 0xFF;
            if (first > 223) {
                first -= 32;
            }
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) first, hash[1], hash[2], hash[3]});
        } catch (NoSuchAlgorithmException | UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return nodeName != null ? "node " + nodeName : "address " + (ipv4 != null ? ipv4.getHostAddress() : ipv6.getHostAddress());
    }
}
