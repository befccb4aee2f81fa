package io.routereflector.wire.attribute;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.WireSettings;

import java.util.Arrays;

/**
 * EXTENDED_COMMUNITIES (RFC 4360): 8-octet values in wire order, held as longs; the length must be
 * a non-zero multiple of 8 (RFC 7606 §7.14).
 */
public record ExtendedCommunities(int flags, long[] values) implements PathAttribute {

    public ExtendedCommunities {
        AttributeType.EXTENDED_COMMUNITIES.checkFlags(flags);
        if (values.length == 0) {
            throw new IllegalArgumentException("EXTENDED_COMMUNITIES carries at least one value");
        }
        values = values.clone();
    }

    public ExtendedCommunities(long... values) {
        this(AttributeType.EXTENDED_COMMUNITIES.canonicalFlags(), values);
    }

    static ExtendedCommunities decode(int flags, ByteBuf buf, int index, int length, WireSettings settings) {
        if (length == 0 || length % 8 != 0) {
            throw MalformedAttributeException.length("EXTENDED_COMMUNITIES", length, "a non-zero multiple of 8");
        }
        long[] values = new long[length / 8];
        for (int i = 0; i < values.length; i++) {
            values[i] = buf.getLong(index + 8 * i);
        }
        return new ExtendedCommunities(flags, values);
    }

    @Override
    public long[] values() {
        return values.clone();
    }

    public int size() {
        return values.length;
    }

    public long get(int i) {
        return values[i];
    }

    /** The type octet of value i (RFC 4360 §2): high bit IANA authority, next bit non-transitive. */
    public int typeOf(int i) {
        return (int) (values[i] >>> 56);
    }

    public boolean contains(long value) {
        for (long v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int typeCode() {
        return AttributeType.EXTENDED_COMMUNITIES.code();
    }

    @Override
    public int valueLength(WireSettings settings) {
        return 8 * values.length;
    }

    @Override
    public void encodeValue(ByteBuf out, WireSettings settings) {
        for (long v : values) {
            out.writeLong(v);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtendedCommunities c && c.flags == flags && Arrays.equals(c.values, values);
    }

    @Override
    public int hashCode() {
        return flags * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("ExtendedCommunities[");
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? "" : " ").append(String.format("%016x", values[i]));
        }
        return b.append(", flags=0x").append(Integer.toHexString(flags)).append(']').toString();
    }
}
