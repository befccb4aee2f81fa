package io.routereflector.wire.attribute;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.nlri.Ipv4Prefix;

/** ORIGINATOR_ID (RFC 4456 §8): the router id of the route's originator; 4 octets (RFC 7606 §7.9). */
public record OriginatorId(int flags, int routerId) implements PathAttribute {

    public OriginatorId {
        AttributeType.ORIGINATOR_ID.checkFlags(flags);
    }

    public OriginatorId(int routerId) {
        this(AttributeType.ORIGINATOR_ID.canonicalFlags(), routerId);
    }

    static OriginatorId decode(int flags, ByteBuf buf, int index, int length, WireSettings settings) {
        if (length != 4) {
            throw MalformedAttributeException.length("ORIGINATOR_ID", length, "4");
        }
        return new OriginatorId(flags, buf.getInt(index));
    }

    @Override
    public int typeCode() {
        return AttributeType.ORIGINATOR_ID.code();
    }

    @Override
    public int valueLength(WireSettings settings) {
        return 4;
    }

    @Override
    public void encodeValue(ByteBuf out, WireSettings settings) {
        out.writeInt(routerId);
    }

    @Override
    public String toString() {
        return "OriginatorId[" + Ipv4Prefix.format(routerId) + ", flags=0x" + Integer.toHexString(flags) + "]";
    }
}
