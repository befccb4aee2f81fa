package io.routereflector.wire.attribute;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.routereflector.wire.WireSettings;

import java.util.Arrays;

/**
 * An attribute whose type we do not recognize, kept byte-exact with its flags (RFC 4271 §5). Only
 * optional ones survive decoding; an unrecognized well-known attribute resets the session.
 *
 * <p>Forwarding rules (RFC 4271 §5): an unrecognized optional
 * non-transitive attribute is quietly ignored and not passed on; an unrecognized optional transitive
 * one is passed on with the Partial bit set, which is what {@link #withPartial()} gives.
 */
public record UnknownAttribute(int flags, int typeCode, byte[] value) implements PathAttribute {

    public UnknownAttribute {
        if (flags < 0 || flags > 0xFF) {
            throw new IllegalArgumentException("flags out of range: " + flags);
        }
        if (typeCode < 0 || typeCode > 0xFF) {
            throw new IllegalArgumentException("type code out of range: " + typeCode);
        }
        if (AttributeType.fromCode(typeCode) != null) {
            throw new IllegalArgumentException("type code " + typeCode + " is recognized: use its record");
        }
        if (value.length > 0xFFFF) {
            throw new IllegalArgumentException("value of " + value.length + " octets");
        }
        value = value.clone();
    }

    static UnknownAttribute decode(int flags, int typeCode, ByteBuf buf, int index, int length) {
        byte[] value = new byte[length];
        buf.getBytes(index, value);
        return new UnknownAttribute(flags, typeCode, value);
    }

    /** True for an optional transitive attribute: passed on, with Partial set, when we forward. */
    public boolean isPassedOn() {
        return isOptional() && isTransitive();
    }

    /**
     * The copy a reflector forwards: Partial set on an optional transitive attribute, because we
     * pass it on without recognizing it (RFC 4271 §5). Other attributes come back unchanged.
     */
    public UnknownAttribute withPartial() {
        if (!isPassedOn() || isPartial()) {
            return this;
        }
        return new UnknownAttribute(flags | PARTIAL, typeCode, value);
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    public int length() {
        return value.length;
    }

    @Override
    public int valueLength(WireSettings settings) {
        return value.length;
    }

    @Override
    public void encodeValue(ByteBuf out, WireSettings settings) {
        out.writeBytes(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownAttribute u && u.flags == flags && u.typeCode == typeCode && Arrays.equals(u.value, value);
    }

    @Override
    public int hashCode() {
        return (flags * 31 + typeCode) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "UnknownAttribute[type=" + typeCode + ", flags=0x" + Integer.toHexString(flags)
                + ", value=" + ByteBufUtil.hexDump(value) + "]";
    }
}
