package io.routereflector.wire.attribute;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.WireSettings;

/**
 * LOCAL_PREF (RFC 4271 §5.1.5): an unsigned 32-bit preference; 4 octets (RFC 7606 §7.5). Ignoring
 * it from an external peer is the session's call: the codec does not know the peer's kind.
 */
public record LocalPref(int flags, long value) implements PathAttribute {

    public LocalPref {
        AttributeType.LOCAL_PREF.checkFlags(flags);
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("LOCAL_PREF out of range: " + value);
        }
    }

    public LocalPref(long value) {
        this(AttributeType.LOCAL_PREF.canonicalFlags(), value);
    }

    static LocalPref decode(int flags, ByteBuf buf, int index, int length, WireSettings settings) {
        if (length != 4) {
            throw MalformedAttributeException.length("LOCAL_PREF", length, "4");
        }
        return new LocalPref(flags, buf.getUnsignedInt(index));
    }

    @Override
    public int typeCode() {
        return AttributeType.LOCAL_PREF.code();
    }

    @Override
    public int valueLength(WireSettings settings) {
        return 4;
    }

    @Override
    public void encodeValue(ByteBuf out, WireSettings settings) {
        out.writeInt((int) value);
    }
}
