package io.routereflector.wire.message;

import io.netty.buffer.ByteBuf;

/** STUB — replaced by the OPEN/capabilities work. */
public final class RouteRefreshCodec {
    private RouteRefreshCodec() {
    }

    public static RouteRefresh decode(ByteBuf body) {
        return new RouteRefresh(body.readUnsignedShort());
    }

    public static void encode(RouteRefresh refresh, ByteBuf out) {
        out.writeShort(refresh.afi());
    }
}
