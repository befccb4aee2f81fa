package io.routereflector.testbed;

/**
 * One BGP session of a real peer, with the options a Calico node sets (CALICO.md, "What Calico
 * nodes send and expect"): multihop, graceful restart, ADD-PATH, and passive toward higher IPs.
 *
 * @param password    TCP MD5 password, empty for none
 * @param rrClient    true when the peer itself reflects to this neighbor (a peer acting as reflector)
 * @param restartTime graceful restart time in seconds the peer advertises (GoBGP; BIRD keeps its 120 s)
 */
public record Neighbor(String name, String address, long as, boolean addPaths, boolean gracefulRestart,
                       boolean passive, String password, boolean multihop, boolean rrClient, int restartTime) {

    /** Words BIRD's grammar reserves that one might pick for a peer's name. */
    private static final java.util.Set<String> BIRD_KEYWORDS = java.util.Set.of("rr", "bgp", "static", "direct",
            "device", "kernel", "neighbor", "local", "peer", "client", "table", "filter", "protocol", "import",
            "export", "source", "from", "to", "as", "ipv4", "ipv6");

    public Neighbor {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("BIRD needs a plain protocol name: " + name);
        }
        if (BIRD_KEYWORDS.contains(name)) {
            throw new IllegalArgumentException(name + " is a BIRD keyword, not usable as a protocol name");
        }
        if (as < 1 || as > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("AS out of range: " + as);
        }
        if (restartTime < 1 || restartTime > 4095) {
            throw new IllegalArgumentException("restart time is 1..4095 s (RFC 4724 §3): " + restartTime);
        }
        if (password.contains("\"")) {
            throw new IllegalArgumentException("password must not contain quotes");
        }
    }

    /** A Calico node's session: iBGP in 64512, multihop, graceful restart, add paths on. */
    public static Neighbor calico(String name, String address) {
        return new Neighbor(name, address, 64512, true, true, false, "", true, false, 120);
    }

    public boolean isIpv6() {
        return address.contains(":");
    }

    public Neighbor withAs(long value) {
        return new Neighbor(name, address, value, addPaths, gracefulRestart, passive, password, multihop, rrClient, restartTime);
    }

    public Neighbor withAddPaths(boolean value) {
        return new Neighbor(name, address, as, value, gracefulRestart, passive, password, multihop, rrClient, restartTime);
    }

    public Neighbor withGracefulRestart(boolean value) {
        return new Neighbor(name, address, as, addPaths, value, passive, password, multihop, rrClient, restartTime);
    }

    public Neighbor withPassive(boolean value) {
        return new Neighbor(name, address, as, addPaths, gracefulRestart, value, password, multihop, rrClient, restartTime);
    }

    public Neighbor withPassword(String value) {
        return new Neighbor(name, address, as, addPaths, gracefulRestart, passive, value, multihop, rrClient, restartTime);
    }

    public Neighbor withMultihop(boolean value) {
        return new Neighbor(name, address, as, addPaths, gracefulRestart, passive, password, value, rrClient, restartTime);
    }

    public Neighbor withRrClient(boolean value) {
        return new Neighbor(name, address, as, addPaths, gracefulRestart, passive, password, multihop, value, restartTime);
    }

    public Neighbor withRestartTime(int value) {
        return new Neighbor(name, address, as, addPaths, gracefulRestart, passive, password, multihop, rrClient, value);
    }
}
