package io.routereflector.wire.message;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.WireSettings;

/** STUB — replaced by the UPDATE/attributes work. */
public final class UpdateCodec {
    private UpdateCodec() {
    }

    public static Update decode(ByteBuf body, WireSettings settings) {
        return new Update(body.readableBytes());
    }

    public static void encode(Update update, WireSettings settings, ByteBuf out) {
        out.writeZero(update.size());
    }
}
