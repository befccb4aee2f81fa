package io.routereflector.wire.capability;

import io.netty.buffer.ByteBuf;

/**
 * One capability of an OPEN's Capabilities optional parameter (RFC 5492 §4): a code, a one-octet
 * length and a value. Kinds we understand are records of their own; anything else, including a known
 * code whose value we cannot represent faithfully, is an {@link UnknownCapability} kept byte-exact.
 * {@link CapabilityCodec} reads them; each kind writes its own value.
 */
public sealed interface Capability permits Multiprotocol, RouteRefreshCapability, EnhancedRouteRefresh, FourOctetAs,
        GracefulRestart, LongLivedGracefulRestart, AddPath, ExtendedMessage, Fqdn, UnknownCapability {

    /** The largest value a one-octet Capability Length can announce. */
    int MAX_VALUE_LENGTH = 255;

    int code();

    /** Octets of the value, without the code and length octets. */
    int valueLength();

    /** Writes the value, without the code and length octets. */
    void writeValue(ByteBuf out);
}
