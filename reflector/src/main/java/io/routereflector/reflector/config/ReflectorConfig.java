package io.routereflector.reflector.config;

import io.routereflector.rib.PeerKey;
import io.routereflector.rib.PeerRole;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The whole desired state of the reflector's sessions. A change of router id, cluster id or local AS
 * resets every session (each one's OPEN and the reflection rules depend on them); any other change
 * touches only the peers it concerns, see {@code PeerSet.apply}.
 *
 * @param clusterId       RFC 4456 cluster id; null = the router id
 * @param listenAddresses one listening socket per address on {@code port}; empty = dial only
 * @param port            0 picks an ephemeral port (tests)
 * @param restarted       advertise the Graceful Restart "Restart State" bit (RFC 4724 §3): we have just
 *                        restarted, peers should keep our routes while we relearn; no reset when it flips
 */
public record ReflectorConfig(Inet4Address routerId, Inet4Address clusterId, long localAs, List<InetAddress> listenAddresses,
                              int port, List<PeerConfig> peers, boolean restarted) {

    public ReflectorConfig {
        Objects.requireNonNull(routerId, "router id is required");
        if (toInt(routerId) == 0) {
            throw new IllegalArgumentException("router id 0.0.0.0 is not a BGP identifier (RFC 6286 §2.1)");
        }
        if (clusterId == null) {
            clusterId = routerId;
        }
        if (localAs < 1 || localAs > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("local AS " + localAs + " is not 1..4294967295");
        }
        listenAddresses = List.copyOf(listenAddresses);
        if (new HashSet<>(listenAddresses).size() != listenAddresses.size()) {
            throw new IllegalArgumentException("listen addresses repeat: " + listenAddresses);
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("listen port " + port + " is not 0..65535");
        }
        List<PeerConfig> resolved = new ArrayList<>();
        Set<PeerKey> seen = new HashSet<>();
        for (PeerConfig p : peers) {
            if (!seen.add(p.key())) {
                throw new IllegalArgumentException("peer " + p.key() + " is configured twice");
            }
            resolved.add(resolveRole(p, localAs));
        }
        peers = List.copyOf(resolved);
    }

    private static PeerConfig resolveRole(PeerConfig p, long localAs) {
        boolean internal = p.remoteAs() == localAs;
        if (p.role() == null) {
            return p.withRole(internal ? PeerRole.CLIENT : PeerRole.EBGP);
        }
        if (internal != p.role().isIbgp()) {
            throw new IllegalArgumentException("peer " + p.address().getHostAddress() + ": role " + p.role() + " but AS "
                    + p.remoteAs() + (internal ? " equals" : " differs from") + " the local AS " + localAs);
        }
        return p;
    }

    public static ReflectorConfig of(Inet4Address routerId, long localAs, List<InetAddress> listen, int port, List<PeerConfig> peers) {
        return new ReflectorConfig(routerId, null, localAs, listen, port, peers, false);
    }

    public ReflectorConfig withPeers(List<PeerConfig> newPeers) {
        return new ReflectorConfig(routerId, clusterId, localAs, listenAddresses, port, newPeers, restarted);
    }

    /** The BGP identifier as the OPEN carries it. */
    public int routerIdBits() {
        return toInt(routerId);
    }

    public static int toInt(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    /** Whether going from this to {@code next} resets every session (documented on the record). */
    public boolean resetsAllFor(ReflectorConfig next) {
        return !routerId.equals(next.routerId) || !clusterId.equals(next.clusterId) || localAs != next.localAs;
    }
}
