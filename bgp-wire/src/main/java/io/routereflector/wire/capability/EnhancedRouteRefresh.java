package io.routereflector.wire.capability;

import io.netty.buffer.ByteBuf;

/** Enhanced Route Refresh (RFC 7313 §3.1, code 70), empty value: BoRR/EoRR demarcation. */
public record EnhancedRouteRefresh() implements Capability {

    public static final int CODE = 70;
    public static final EnhancedRouteRefresh INSTANCE = new EnhancedRouteRefresh();

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
