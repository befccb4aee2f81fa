package io.routereflector.datastore.derive;

import java.net.Inet4Address;
import java.net.Inet6Address;

/**
 * Who we are: a Calico Node name ({@code NODENAME}) when the reflector is itself a v3 Node with a
 * {@code routeReflectorClusterID}, and/or our addresses ({@code IP}, {@code IP6}) for a standalone
 * reflector. Given addresses win over the Node's own; the IPv4 address is the router id.
 */
public record Identity(String nodeName, Inet4Address ipv4, Inet6Address ipv6) {

    public Identity {
        if ((nodeName == null || nodeName.isEmpty()) && ipv4 == null && ipv6 == null) {
            throw new IllegalArgumentException("a node name or an address is required to know which peers are ours");
        }
        if (nodeName != null && nodeName.isEmpty()) {
            nodeName = null;
        }
    }

    public static Identity node(String name) {
        return new Identity(name, null, null);
    }

    public static Identity address(Inet4Address ipv4, Inet6Address ipv6) {
        return new Identity(null, ipv4, ipv6);
    }

    @Override
    public String toString() {
        return nodeName != null ? "node " + nodeName : "address " + (ipv4 != null ? ipv4.getHostAddress() : ipv6.getHostAddress());
    }
}
