package io.routereflector.wire.nlri;

/**
 * One NLRI entry: a prefix and, when ADD-PATH (RFC 7911) is in effect for its family in this
 * direction, its path identifier. The path id is an unsigned 32-bit value held in an int; it is 0
 * when no path ids are carried.
 */
public record Nlri(IpPrefix prefix, int pathId) {

    public Nlri {
        if (prefix == null) {
            throw new IllegalArgumentException("prefix is required");
        }
    }

    public static Nlri of(IpPrefix prefix) {
        return new Nlri(prefix, 0);
    }

    public static Nlri of(String prefix) {
        return new Nlri(IpPrefix.parse(prefix), 0);
    }

    @Override
    public String toString() {
        return pathId == 0 ? prefix.toString() : prefix + "#" + Integer.toUnsignedString(pathId);
    }
}
