package io.routereflector.wire.attribute;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.nlri.Ipv4Prefix;

/**
 * AGGREGATOR (RFC 4271 §5.1.7): the aggregating AS (unsigned 32-bit in an int) and router id; 6
 * octets on 2-octet sessions (an ASN above 65535 written as AS_TRANS, RFC 6793 §4.2.2), 8 otherwise.
 * A wrong length means attribute discard (RFC 7606 §7.7).
 */
public record Aggregator(int flags, int asn, int address) implements PathAttribute {

    public Aggregator {
        AttributeType.AGGREGATOR.checkFlags(flags);
    }

    public Aggregator(int asn, int address) {
        this(AttributeType.AGGREGATOR.canonicalFlags(), asn, address);
    }

    static Aggregator decode(int flags, ByteBuf buf, int index, int length, WireSettings settings) {
        if (settings.fourOctetAs()) {
            if (length != 8) {
                throw MalformedAttributeException.length("AGGREGATOR", length, "8 (4-octet AS session)");
            }
            return new Aggregator(flags, buf.getInt(index), buf.getInt(index + 4));
        }
        if (length != 6) {
            throw MalformedAttributeException.length("AGGREGATOR", length, "6 (2-octet AS session)");
        }
        return new Aggregator(flags, buf.getUnsignedShort(index), buf.getInt(index + 2));
    }

    @Override
    public int typeCode() {
        return AttributeType.AGGREGATOR.code();
    }

    @Override
    public int valueLength(WireSettings settings) {
        return settings.fourOctetAs() ? 8 : 6;
    }

    @Override
    public void encodeValue(ByteBuf out, WireSettings settings) {
        if (settings.fourOctetAs()) {
            out.writeInt(asn);
        } else {
            out.writeShort(Integer.compareUnsigned(asn, 0xFFFF) > 0 ? AsPath.AS_TRANS : asn);
        }
        out.writeInt(address);
    }

    @Override
    public String toString() {
        return "Aggregator[" + Integer.toUnsignedString(asn) + " " + Ipv4Prefix.format(address)
                + ", flags=0x" + Integer.toHexString(flags) + "]";
    }
}
