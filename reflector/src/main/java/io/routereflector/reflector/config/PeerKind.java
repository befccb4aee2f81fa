package io.routereflector.reflector.config;

/**
 * Where a peer comes from in Calico's model, for operators: the {@code PEER TYPE} column of
 * {@code routereflector status} (calicoctl's words) and the BIRD protocol name prefix Calico uses,
 * which bird_exporter dashboards key on. It never changes how the session behaves.
 */
public enum PeerKind {
    /** Rule 5: the node-to-node mesh. */
    NODE_MESH("node-to-node mesh", "Mesh_"),
    /** Rule 1/2: a global BGPPeer (or one with a nodeSelector). */
    GLOBAL("global", "Global_"),
    /** Rule 1/2/3: a BGPPeer scoped to our node, or another node's BGPPeer that selects us. */
    NODE_SPECIFIC("node specific", "Node_"),
    /** Legacy layout: another reflector of the {@code rr_v4}/{@code rr_v6} mesh. */
    RR_MESH("rr mesh", "Mesh_"),
    /** Legacy layout: a Calico node as our client. */
    RR_CLIENT("rr client", "Node_");

    private final String display;
    private final String protocolPrefix;

    PeerKind(String display, String protocolPrefix) {
        this.display = display;
        this.protocolPrefix = protocolPrefix;
    }

    /**
     * Calico's BIRD protocol name for a peer at {@code address}: {@code Mesh_10_0_0_1}, {@code Node_fd00__1}
     * (the address as Go prints it, RFC 5952, with its dots and colons made underscores).
     */
    public String protocolName(java.net.InetAddress address) {
        return protocolPrefix + AddressText.of(address).replace('.', '_').replace(':', '_');
    }

    @Override
    public String toString() {
        return display;
    }
}
