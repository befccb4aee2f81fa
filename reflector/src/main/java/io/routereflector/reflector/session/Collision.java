package io.routereflector.reflector.session;

/**
 * RFC 4271 §6.8 connection collision resolution as a pure rule. Both speakers evaluate it with the
 * roles swapped and must reach the same answer, so it depends only on the two identifiers (and, for
 * equal identifiers, which RFC 6286 §2.3 allows between different ASes, on the AS numbers).
 */
public final class Collision {

    private Collision() {
    }

    /**
     * True when the connection this speaker initiated survives and the one the peer initiated is
     * closed with Cease / Connection Collision Resolution; false for the opposite.
     */
    public static boolean keepLocallyInitiated(int localId, long localAs, int remoteId, long remoteAs) {
        int order = Integer.compareUnsigned(localId, remoteId);
        if (order != 0) {
            // §6.8: "If the value of the local BGP Identifier is less than the remote one", close the
            // connection the local system initiated.
            return order > 0;
        }
        // RFC 6286 §2.3: equal identifiers: the speaker with the larger AS keeps its own connection.
        return localAs > remoteAs;
    }
}
