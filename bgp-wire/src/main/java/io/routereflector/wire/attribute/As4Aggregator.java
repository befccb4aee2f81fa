package io.routereflector.wire.attribute;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.nlri.Ipv4Prefix;

/** AS4_AGGREGATOR (RFC 6793 §3): always 8 octets, else attribute discard (RFC 6793 §6). */
public record As4Aggregator(int flags, int asn, int address) implements PathAttribute {

    public As4Aggregator {
        AttributeType.AS4_AGGREGATOR.checkFlags(flags);
    }

    public As4Aggregator(int asn, int address) {
        this(AttributeType.AS4_AGGREGATOR.canonicalFlags(), asn, address);
    }

    static As4Aggregator decode(int flags, ByteBuf buf, int index, int length, WireSettings settings) {
        if (length != 8) {
            throw MalformedAttributeException.length("AS4_AGGREGATOR", length, "8");
        }
        return new As4Aggregator(flags, buf.getInt(index), buf.getInt(index + 4));
    }

    @Override
    public int typeCode() {
        return AttributeType.AS4_AGGREGATOR.code();
    }

    @Override
    public int valueLength(WireSettings settings) {
        return 8;
    }

    @Override
    public void encodeValue(ByteBuf out, WireSettings settings) {
        out.writeInt(asn);
        out.writeInt(address);
    }

    @Override
    public String toString() {
        return "As4Aggregator[" + Integer.toUnsignedString(asn) + " " + Ipv4Prefix.format(address)
                + ", flags=0x" + Integer.toHexString(flags) + "]";
    }
}
