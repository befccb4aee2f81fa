package io.routereflector.wire.attribute;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.WireSettings;

/** MULTI_EXIT_DISC (RFC 4271 §5.1.4): optional non-transitive, an unsigned 32-bit metric; 4 octets (RFC 7606 §7.4). */
public record MultiExitDisc(int flags, long value) implements PathAttribute {

    public MultiExitDisc {
        AttributeType.MULTI_EXIT_DISC.checkFlags(flags);
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("MED out of range: " + value);
        }
    }

    public MultiExitDisc(long value) {
        this(AttributeType.MULTI_EXIT_DISC.canonicalFlags(), value);
    }

    static MultiExitDisc decode(int flags, ByteBuf buf, int index, int length, WireSettings settings) {
        if (length != 4) {
            throw MalformedAttributeException.length("MULTI_EXIT_DISC", length, "4");
        }
        return new MultiExitDisc(flags, buf.getUnsignedInt(index));
    }

    @Override
    public int typeCode() {
        return AttributeType.MULTI_EXIT_DISC.code();
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
