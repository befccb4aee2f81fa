package io.routereflector.wire.attribute;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.WireSettings;

import java.util.Arrays;

/**
 * COMMUNITIES (RFC 1997): 32-bit values in wire order; the length must be a non-zero multiple of 4
 * (RFC 7606 §7.8).
 */
public record Communities(int flags, int[] values) implements PathAttribute {

    public static final int NO_EXPORT = 0xFFFFFF01;
    public static final int NO_ADVERTISE = 0xFFFFFF02;
    public static final int NO_EXPORT_SUBCONFED = 0xFFFFFF03;
    /** RFC 3765. */
    public static final int NO_PEER = 0xFFFFFF04;

    public Communities {
        AttributeType.COMMUNITIES.checkFlags(flags);
        if (values.length == 0) {
            throw new IllegalArgumentException("COMMUNITIES carries at least one value");
        }
        values = values.clone();
    }

    public Communities(int... values) {
        this(AttributeType.COMMUNITIES.canonicalFlags(), values);
    }

    /** The community ASN:value. */
    public static int of(int asn, int value) {
        return (asn << 16) | (value & 0xFFFF);
    }

    static Communities decode(int flags, ByteBuf buf, int index, int length, WireSettings settings) {
        if (length == 0 || length % 4 != 0) {
            throw MalformedAttributeException.length("COMMUNITIES", length, "a non-zero multiple of 4");
        }
        int[] values = new int[length / 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = buf.getInt(index + 4 * i);
        }
        return new Communities(flags, values);
    }

    @Override
    public int[] values() {
        return values.clone();
    }

    public int size() {
        return values.length;
    }

    public int get(int i) {
        return values[i];
    }

    public boolean contains(int community) {
        for (int v : values) {
            if (v == community) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int typeCode() {
        return AttributeType.COMMUNITIES.code();
    }

    @Override
    public int valueLength(WireSettings settings) {
        return 4 * values.length;
    }

    @Override
    public void encodeValue(ByteBuf out, WireSettings settings) {
        for (int v : values) {
            out.writeInt(v);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Communities c && c.flags == flags && Arrays.equals(c.values, values);
    }

    @Override
    public int hashCode() {
        return flags * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Communities[");
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? "" : " ").append(values[i] >>> 16).append(':').append(values[i] & 0xFFFF);
        }
        return b.append(", flags=0x").append(Integer.toHexString(flags)).append(']').toString();
    }
}
