package io.routereflector.wire.message;

import io.routereflector.wire.nlri.AddressFamily;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * ROUTE-REFRESH (RFC 2918 §3, RFC 7313 §3.2): AFI, Message Subtype (the old reserved octet), SAFI.
 * Subtypes other than 0..2 are kept so that the session can ignore the message as RFC 7313 §5
 * requires. Octets after the fixed four (RFC 5291 ORF entries; we never negotiate ORF) are kept
 * byte-exact on subtype 0 and unknown subtypes, for the session to log or ignore; on BoRR/EoRR they
 * are a length error (RFC 7313 §5), so such a record cannot be built.
 */
public record RouteRefresh(AddressFamily family, int subtype, byte[] orfData) implements BgpMessage {

    public static final int NORMAL = 0;
    public static final int BEGIN = 1;
    public static final int END = 2;

    public RouteRefresh {
        if (family == null) {
            throw new IllegalArgumentException("family is required");
        }
        if (subtype < 0 || subtype > 0xFF) {
            throw new IllegalArgumentException("subtype is one octet: " + subtype);
        }
        orfData = orfData == null ? new byte[0] : orfData.clone();
        if (orfData.length > 0 && (subtype == BEGIN || subtype == END)) {
            throw new IllegalArgumentException("BoRR/EoRR carry nothing after the family (RFC 7313 §5)");
        }
    }

    public RouteRefresh(AddressFamily family, int subtype) {
        this(family, subtype, new byte[0]);
    }

    /** A plain request (RFC 2918). */
    public static RouteRefresh request(AddressFamily family) {
        return new RouteRefresh(family, NORMAL);
    }

    /** Beginning-of-RIB-Route-Refresh marker (RFC 7313 §4). */
    public static RouteRefresh beginOfRefresh(AddressFamily family) {
        return new RouteRefresh(family, BEGIN);
    }

    /** End-of-RIB-Route-Refresh marker (RFC 7313 §4). */
    public static RouteRefresh endOfRefresh(AddressFamily family) {
        return new RouteRefresh(family, END);
    }

    /** False for subtypes RFC 7313 §5 says to ignore. */
    public boolean knownSubtype() {
        return subtype <= END;
    }

    @Override
    public byte[] orfData() {
        return orfData.clone();
    }

    @Override
    public MessageType type() {
        return MessageType.ROUTE_REFRESH;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouteRefresh r && r.family.equals(family) && r.subtype == subtype
                && Arrays.equals(r.orfData, orfData);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * family.hashCode() + subtype) + Arrays.hashCode(orfData);
    }

    @Override
    public String toString() {
        String name = switch (subtype) {
            case NORMAL -> "request";
            case BEGIN -> "BoRR";
            case END -> "EoRR";
            default -> "subtype " + subtype;
        };
        return "RouteRefresh[" + family + " " + name
                + (orfData.length > 0 ? " orf=" + HexFormat.of().formatHex(orfData) : "") + "]";
    }
}
