package io.routereflector.wire.capability;

import io.netty.buffer.ByteBuf;

/** Support for 4-octet AS numbers (RFC 6793 §3, code 65): the speaker's own AS, 4 octets. */
public record FourOctetAs(long asn) implements Capability {

    public static final int CODE = 65;
    public static final int LENGTH = 4;

    public FourOctetAs {
        if (asn < 0 || asn > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("AS number out of range: " + asn);
        }
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
        out.writeInt((int) asn);
    }
}
