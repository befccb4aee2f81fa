package io.routereflector.wire.message;

import io.netty.buffer.ByteBuf;

/** STUB — replaced by the OPEN/capabilities work. */
public final class OpenCodec {
    private OpenCodec() {
    }

    public static Open decode(ByteBuf body) {
        return new Open(body.readUnsignedByte());
    }

    public static void encode(Open open, ByteBuf out) {
        out.writeByte(open.version());
    }
}
