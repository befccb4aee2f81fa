package io.routereflector.testbed;

import java.util.List;

/**
 * What one real peer runs: its AS and router id, the family it speaks (one per daemon, as Calico
 * runs BIRD 1.6), the routes it originates and its sessions.
 *
 * @param clusterId cluster id when the peer reflects to {@link Neighbor#rrClient()} neighbors, else empty
 * @param listen    false: the peer only dials out (GoBGP {@code port = -1})
 * @param listenPort the port it listens on when it does (179 unless a BGPPeer's {@code peerIP} gives another)
 */
public record PeerConfig(long as, String routerId, boolean ipv6, List<StaticRoute> routes,
                         List<Neighbor> neighbors, String clusterId, boolean listen, int listenPort) {

    public PeerConfig(long as, String routerId, boolean ipv6, List<StaticRoute> routes, List<Neighbor> neighbors,
                      String clusterId, boolean listen) {
        this(as, routerId, ipv6, routes, neighbors, clusterId, listen, 179);
    }

    public PeerConfig {
        if (listenPort < 1 || listenPort > 0xFFFF) {
            throw new IllegalArgumentException("listen port is 1..65535: " + listenPort);
        }
        routes = List.copyOf(routes);
        neighbors = List.copyOf(neighbors);
        if (!routerId.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
            throw new IllegalArgumentException("router id must be a dotted quad: " + routerId);
        }
        for (StaticRoute route : routes) {
            if (route.isIpv6() != ipv6) {
                throw new IllegalArgumentException("route " + route.prefix() + " is not of this peer's family");
            }
        }
        for (Neighbor neighbor : neighbors) {
            if (neighbor.isIpv6() != ipv6) {
                throw new IllegalArgumentException("neighbor " + neighbor.address() + " is not of this family");
            }
        }
    }

    /** A Calico node on {@code host} peering with the in-JVM reflector at 198.51.100.1 / 2001:db8::1. */
    public static PeerConfig calicoNode(Host host, boolean ipv6, StaticRoute... routes) {
        String reflector = ipv6 ? Testbed.REFLECTOR_IPV6 : Testbed.REFLECTOR_IPV4;
        return new PeerConfig(64512, host.ipv4(), ipv6, List.of(routes),
                List.of(Neighbor.calico("reflector", reflector)), "", true);
    }

    public PeerConfig withNeighbors(Neighbor... values) {
        return new PeerConfig(as, routerId, ipv6, routes, List.of(values), clusterId, listen, listenPort);
    }

    public PeerConfig withRoutes(StaticRoute... values) {
        return new PeerConfig(as, routerId, ipv6, List.of(values), neighbors, clusterId, listen, listenPort);
    }

    public PeerConfig withClusterId(String value) {
        return new PeerConfig(as, routerId, ipv6, routes, neighbors, value, listen, listenPort);
    }

    public PeerConfig withListen(boolean value) {
        return new PeerConfig(as, routerId, ipv6, routes, neighbors, clusterId, value, listenPort);
    }

    public PeerConfig withListenPort(int value) {
        return new PeerConfig(as, routerId, ipv6, routes, neighbors, clusterId, listen, value);
    }
}
