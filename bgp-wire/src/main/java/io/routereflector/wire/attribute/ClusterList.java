package io.routereflector.wire.attribute;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.nlri.Ipv4Prefix;

import java.util.Arrays;

/**
 * CLUSTER_LIST (RFC 4456 §8): the cluster ids a route was reflected through, most recent first.
 * Order matters (it is the reflection path), so this is a list, never a set. The length must be a
 * non-zero multiple of 4 (RFC 7606 §7.10).
 */
public record ClusterList(int flags, int[] ids) implements PathAttribute {

    public ClusterList {
        AttributeType.CLUSTER_LIST.checkFlags(flags);
        if (ids.length == 0) {
            throw new IllegalArgumentException("CLUSTER_LIST carries at least one id");
        }
        ids = ids.clone();
    }

    public ClusterList(int... ids) {
        this(AttributeType.CLUSTER_LIST.canonicalFlags(), ids);
    }

    static ClusterList decode(int flags, ByteBuf buf, int index, int length, WireSettings settings) {
        if (length == 0 || length % 4 != 0) {
            throw MalformedAttributeException.length("CLUSTER_LIST", length, "a non-zero multiple of 4");
        }
        int[] ids = new int[length / 4];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = buf.getInt(index + 4 * i);
        }
        return new ClusterList(flags, ids);
    }

    /** The list a reflector sends on: its cluster id first (RFC 4456 §8); the received flags stay. */
    public ClusterList prepend(int clusterId) {
        int[] grown = new int[ids.length + 1];
        grown[0] = clusterId;
        System.arraycopy(ids, 0, grown, 1, ids.length);
        return new ClusterList(flags, grown);
    }

    /** A route whose list holds our cluster id looped back and is ignored (RFC 4456 §8). */
    public boolean contains(int clusterId) {
        for (int id : ids) {
            if (id == clusterId) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }

    public int size() {
        return ids.length;
    }

    public int get(int i) {
        return ids[i];
    }

    @Override
    public int typeCode() {
        return AttributeType.CLUSTER_LIST.code();
    }

    @Override
    public int valueLength(WireSettings settings) {
        return 4 * ids.length;
    }

    @Override
    public void encodeValue(ByteBuf out, WireSettings settings) {
        for (int id : ids) {
            out.writeInt(id);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterList c && c.flags == flags && Arrays.equals(c.ids, ids);
    }

    @Override
    public int hashCode() {
        return flags * 31 + Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("ClusterList[");
        for (int i = 0; i < ids.length; i++) {
            b.append(i == 0 ? "" : " ").append(Ipv4Prefix.format(ids[i]));
        }
        return b.append(", flags=0x").append(Integer.toHexString(flags)).append(']').toString();
    }
}
