package io.routereflector.wire.attribute;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.WireSettings;

import java.util.Arrays;

/**
 * LARGE_COMMUNITY (RFC 8092): 12-octet values (global administrator, local data 1, local data 2),
 * packed three ints per value in wire order. The length must be a non-zero multiple of 12, else
 * treat-as-withdraw (RFC 8092 §6); duplicates are not an error there.
 */
public record LargeCommunities(int flags, int[] values) implements PathAttribute {

    public LargeCommunities {
        AttributeType.LARGE_COMMUNITY.checkFlags(flags);
        if (values.length == 0 || values.length % 3 != 0) {
            throw new IllegalArgumentException("LARGE_COMMUNITY holds whole triples, at least one: " + values.length);
        }
        values = values.clone();
    }

    /** {@code values} = global, local1, local2, global, local1, local2, ... */
    public LargeCommunities(int... values) {
        this(AttributeType.LARGE_COMMUNITY.canonicalFlags(), values);
    }

    static LargeCommunities decode(int flags, ByteBuf buf, int index, int length, WireSettings settings) {
        if (length == 0 || length % 12 != 0) {
            throw MalformedAttributeException.length("LARGE_COMMUNITY", length, "a non-zero multiple of 12");
        }
        int[] values = new int[length / 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = buf.getInt(index + 4 * i);
        }
        return new LargeCommunities(flags, values);
    }

    @Override
    public int[] values() {
        return values.clone();
    }

    /** Number of 12-octet communities. */
    public int size() {
        return values.length / 3;
    }

    public int globalAdministrator(int i) {
        return values[3 * i];
    }

    public int localData1(int i) {
        return values[3 * i + 1];
    }

    public int localData2(int i) {
        return values[3 * i + 2];
    }

    public boolean contains(int global, int local1, int local2) {
        for (int i = 0; i < values.length; i += 3) {
            if (values[i] == global && values[i + 1] == local1 && values[i + 2] == local2) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int typeCode() {
        return AttributeType.LARGE_COMMUNITY.code();
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
        return o instanceof LargeCommunities c && c.flags == flags && Arrays.equals(c.values, values);
    }

    @Override
    public int hashCode() {
        return flags * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("LargeCommunities[");
        for (int i = 0; i < values.length; i += 3) {
            b.append(i == 0 ? "" : " ").append(Integer.toUnsignedString(values[i])).append(':')
                    .append(Integer.toUnsignedString(values[i + 1])).append(':').append(Integer.toUnsignedString(values[i + 2]));
        }
        return b.append(", flags=0x").append(Integer.toHexString(flags)).append(']').toString();
    }
}
