package io.routereflector.rib;

/**
 * How the reflector treats a peer (RFC 4456 §2): an iBGP client, an iBGP non-client (for Calico,
 * a reflector sharing our cluster id), or an eBGP peer (a top-of-rack router in another AS).
 */
public enum PeerRole {
    CLIENT("rr client"),
    NON_CLIENT("rr mesh"),
    EBGP("ebgp");

    private final String display;

    PeerRole(String display) {
        this.display = display;
    }

    public boolean isIbgp() {
        return this != EBGP;
    }

    @Override
    public String toString() {
        return display;
    }
}
