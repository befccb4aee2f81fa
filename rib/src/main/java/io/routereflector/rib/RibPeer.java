package io.routereflector.rib;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the RIB knows of a peer whose session is up: enough for the decision process (BGP identifier,
 * address, AS, eBGP or not) and for the reflection rules (role). {@code id} is a small number unique
 * among live sessions; it keys per-peer tables.
 */
public record RibPeer(int id, InetAddress address, int bgpIdentifier, long asn, PeerRole role) {

    public RibPeer {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(role, "role");
        if (asn < 0 || asn > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("AS number out of range: " + asn);
        }
    }

    public boolean isEbgp() {
        return role == PeerRole.EBGP;
    }

    /** RFC 4271 §9.1.2.2 (g): lower peer address wins; IPv4 sorts before IPv6. */
    public int compareAddress(RibPeer other) {
        byte[] a = address.getAddress();
        byte[] b = other.address.getAddress();
        if (a.length != b.length) {
            return Integer.compare(a.length, b.length);
        }
        return Arrays.compareUnsigned(a, b);
    }

    @Override
    public String toString() {
        return address.getHostAddress();
    }
}
