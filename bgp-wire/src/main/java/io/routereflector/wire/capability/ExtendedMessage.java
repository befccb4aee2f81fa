package io.routereflector.wire.capability;

import io.netty.buffer.ByteBuf;

/** BGP Extended Message (RFC 8654 §3, code 6), empty value: messages up to 65535 octets. */
public record ExtendedMessage() implements Capability {

    public static final int CODE = 6;
    public static final ExtendedMessage INSTANCE = new ExtendedMessage();

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int valueLength() {
        return 0;
    }

    @Override
    public void writeValue(ByteBuf out) {
        // No value.
    }
}
