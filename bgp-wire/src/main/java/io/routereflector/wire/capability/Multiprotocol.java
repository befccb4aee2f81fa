package io.routereflector.wire.capability;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.nlri.AddressFamily;

/**
 * Multiprotocol Extensions (RFC 4760 §8, code 1): AFI (2), reserved (1), SAFI (1). The reserved
 * octet "SHOULD be set to 0 by the sender and ignored by the receiver"; it is kept so that an OPEN
 * re-encodes byte-exact, and it plays no part in negotiation.
 */
public record Multiprotocol(AddressFamily family, int reserved) implements Capability {

    public static final int CODE = 1;
    public static final int LENGTH = 4;

    public Multiprotocol {
        if (family == null) {
            throw new IllegalArgumentException("family is required");
        }
        if (reserved < 0 || reserved > 0xFF) {
            throw new IllegalArgumentException("reserved is one octet: " + reserved);
        }
    }

    public Multiprotocol(AddressFamily family) {
        this(family, 0);
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int valueLength() {
        return LENGTH;
    }

    @Override
    public void writeValue(ByteBuf out) {
        out.writeShort(family.afi());
        out.writeByte(reserved);
        out.writeByte(family.safi());
    }
}
