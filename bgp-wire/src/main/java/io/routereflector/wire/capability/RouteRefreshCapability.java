package io.routereflector.wire.capability;

import io.netty.buffer.ByteBuf;

/**
 * Route Refresh (RFC 2918 §2, code 2), empty value. Named with the suffix so that it does not clash
 * with the ROUTE-REFRESH message record. Cisco's pre-standard code 128 is an {@link UnknownCapability}.
 */
public record RouteRefreshCapability() implements Capability {

    public static final int CODE = 2;
    public static final RouteRefreshCapability INSTANCE = new RouteRefreshCapability();

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
