package io.routereflector.rib;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the RIB knows of a peer whose session is up: enough for the decision process (BGP identifier,
 * address, AS, eBGP or not) and for the reflection rules (role). {@code id} is a small number unique
 * among live sessions; it keys per-peer tables.
 *
 * @param allowedLocalAs from an eBGP peer, how many times our AS may appear in an AS_PATH before the
 *                       route counts as a loop (BIRD's {@code allow local as}; 0 = not once)
 */
public record RibPeer(int id, PeerKey key, int bgpIdentifier, long asn, PeerRole role, int allowedLocalAs) {

    /** A peer on BGP's port 179. */
    public RibPeer(int id, InetAddress address, int bgpIdentifier, long asn, PeerRole role, int allowedLocalAs) {
        this(id, PeerKey.of(address), bgpIdentifier, asn, role, allowedLocalAs);
    }

    public RibPeer(int id, InetAddress address, int bgpIdentifier, long asn, PeerRole role) {
        this(id, address, bgpIdentifier, asn, role, 0);
    }

    public RibPeer {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(role, "role");
        if (asn < 0 || asn > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("AS number out of range: " + asn);
        }
        if (allowedLocalAs < 0) {
            throw new IllegalArgumentException("allowed local AS count is negative: " + allowedLocalAs);
        }
    }

    public InetAddress address() {
        return key.address();
    }

    public boolean isEbgp() {
        return role == PeerRole.EBGP;
    }

    /**
     * RFC 4271 §9.1.2.2 (g): lower peer address wins; IPv4 sorts before IPv6. Two peers on one address
     * (their own ports) are told apart by port, so the choice stays deterministic.
     */
    public int compareAddress(RibPeer other) {
        byte[] a = key.address().getAddress();
        byte[] b = other.key.address().getAddress();
        if (a.length != b.length) {
            return Integer.compare(a.length, b.length);
        }
        int c = Arrays.compareUnsigned(a, b);
        return c != 0 ? c : Integer.compare(key.port(), other.key.port());
    }

    @Override
    public String toString() {
        return key.toString();
    }
}
