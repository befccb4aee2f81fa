package io.routereflector.wire.attribute;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.WireSettings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * An immutable set of path attributes, at most one per type code, in wire order: a received set
 * re-encodes in the order it came, while {@link Builder} and {@link #with} place new attributes by
 * ascending type code (RFC 4271 §5 asks senders for that order). Lookup by type code is O(1): a
 * 256-bit presence map ranks the code, and a small table maps the rank to the wire position. The
 * hash is computed once, since sets are interned and compared often ({@link AttributeInterner}).
 * Equality is order-sensitive, like the bytes.
 */
public final class PathAttributes implements Iterable<PathAttribute> {

    public static final PathAttributes EMPTY = new PathAttributes(new PathAttribute[0]);

    private final PathAttribute[] attributes;
    private final long present0;
    private final long present1;
    private final long present2;
    private final long present3;
    /** Wire index of the attribute with the k-th smallest type code. */
    private final byte[] byRank;
    private final int hash;

    private PathAttributes(PathAttribute[] attributes) {
        this.attributes = attributes;
        long[] present = new long[4];
        int n = attributes.length;
        for (int i = 0; i < n; i++) {
            int code = attributes[i].typeCode();
            if ((present[code >>> 6] & (1L << code)) != 0) {
                throw new IllegalArgumentException("attribute type " + code + " appears twice");
            }
            present[code >>> 6] |= 1L << code;
        }
        // n is small (a dozen at most in practice): insertion sort by type code.
        byte[] ranks = new byte[n];
        for (int i = 0; i < n; i++) {
            int j = i;
            while (j > 0 && attributes[ranks[j - 1] & 0xFF].typeCode() > attributes[i].typeCode()) {
                ranks[j] = ranks[j - 1];
                j--;
            }
            ranks[j] = (byte) i;
        }
        this.present0 = present[0];
        this.present1 = present[1];
        this.present2 = present[2];
        this.present3 = present[3];
        this.byRank = ranks;
        this.hash = Arrays.hashCode(attributes);
    }

    /** The attributes in the given (wire) order; a type code twice is an error. */
    public static PathAttributes of(List<? extends PathAttribute> attributes) {
        return attributes.isEmpty() ? EMPTY : new PathAttributes(checked(attributes.toArray(new PathAttribute[0])));
    }

    public static PathAttributes of(PathAttribute... attributes) {
        return attributes.length == 0 ? EMPTY : new PathAttributes(checked(attributes.clone()));
    }

    /** For the decoder: the list is fresh and free of duplicates. */
    static PathAttributes wrap(List<PathAttribute> attributes) {
        return attributes.isEmpty() ? EMPTY : new PathAttributes(attributes.toArray(new PathAttribute[0]));
    }

    private static PathAttribute[] checked(PathAttribute[] attributes) {
        if (attributes.length > 256) {
            throw new IllegalArgumentException("more attributes than type codes");
        }
        for (PathAttribute a : attributes) {
            if (a == null) {
                throw new IllegalArgumentException("null attribute");
            }
        }
        return attributes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects attributes and orders them by type code. */
    public static final class Builder {
        private final List<PathAttribute> attributes = new ArrayList<>();

        private Builder() {
        }

        public Builder add(PathAttribute attribute) {
            attributes.add(attribute);
            return this;
        }

        public PathAttributes build() {
            PathAttribute[] array = checked(attributes.toArray(new PathAttribute[0]));
            Arrays.sort(array, (a, b) -> Integer.compare(a.typeCode(), b.typeCode()));
            return array.length == 0 ? EMPTY : new PathAttributes(array);
        }
    }

    private long word(int index) {
        return switch (index) {
            case 0 -> present0;
            case 1 -> present1;
            case 2 -> present2;
            default -> present3;
        };
    }

    public boolean contains(int typeCode) {
        return typeCode >= 0 && typeCode < 256 && (word(typeCode >>> 6) & (1L << typeCode)) != 0;
    }

    public boolean contains(AttributeType type) {
        return contains(type.code());
    }

    /** The attribute of {@code typeCode}, or null. */
    public PathAttribute get(int typeCode) {
        if (!contains(typeCode)) {
            return null;
        }
        int w = typeCode >>> 6;
        int rank = Long.bitCount(word(w) & ((1L << typeCode) - 1));
        for (int i = 0; i < w; i++) {
            rank += Long.bitCount(word(i));
        }
        return attributes[byRank[rank] & 0xFF];
    }

    public PathAttribute get(AttributeType type) {
        return get(type.code());
    }

    /** Wire position i. */
    public PathAttribute attribute(int i) {
        return attributes[i];
    }

    public int size() {
        return attributes.length;
    }

    public boolean isEmpty() {
        return attributes.length == 0;
    }

    public List<PathAttribute> asList() {
        return List.of(attributes);
    }

    @Override
    public Iterator<PathAttribute> iterator() {
        return asList().iterator();
    }

    /** This set with {@code attribute} in place of the one of its type, or added in type-code order. */
    public PathAttributes with(PathAttribute attribute) {
        int code = attribute.typeCode();
        int n = attributes.length;
        if (contains(code)) {
            PathAttribute[] copy = attributes.clone();
            for (int i = 0; i < n; i++) {
                if (copy[i].typeCode() == code) {
                    copy[i] = attribute;
                }
            }
            return new PathAttributes(copy);
        }
        int at = n;
        for (int i = 0; i < n; i++) {
            if (attributes[i].typeCode() > code) {
                at = i;
                break;
            }
        }
        PathAttribute[] grown = new PathAttribute[n + 1];
        System.arraycopy(attributes, 0, grown, 0, at);
        grown[at] = attribute;
        System.arraycopy(attributes, at, grown, at + 1, n - at);
        return new PathAttributes(grown);
    }

    /** This set without the attribute of {@code typeCode} (the same instance when absent). */
    public PathAttributes without(int typeCode) {
        if (!contains(typeCode)) {
            return this;
        }
        PathAttribute[] shrunk = new PathAttribute[attributes.length - 1];
        int j = 0;
        for (PathAttribute a : attributes) {
            if (a.typeCode() != typeCode) {
                shrunk[j++] = a;
            }
        }
        return shrunk.length == 0 ? EMPTY : new PathAttributes(shrunk);
    }

    public PathAttributes without(AttributeType type) {
        return without(type.code());
    }

    public Origin origin() {
        return (Origin) get(1);
    }

    public AsPath asPath() {
        return (AsPath) get(2);
    }

    public NextHop nextHop() {
        return (NextHop) get(3);
    }

    public MultiExitDisc multiExitDisc() {
        return (MultiExitDisc) get(4);
    }

    public LocalPref localPref() {
        return (LocalPref) get(5);
    }

    public AtomicAggregate atomicAggregate() {
        return (AtomicAggregate) get(6);
    }

    public Aggregator aggregator() {
        return (Aggregator) get(7);
    }

    public Communities communities() {
        return (Communities) get(8);
    }

    public OriginatorId originatorId() {
        return (OriginatorId) get(9);
    }

    public ClusterList clusterList() {
        return (ClusterList) get(10);
    }

    public MpReachNlri mpReach() {
        return (MpReachNlri) get(14);
    }

    public MpUnreachNlri mpUnreach() {
        return (MpUnreachNlri) get(15);
    }

    public ExtendedCommunities extendedCommunities() {
        return (ExtendedCommunities) get(16);
    }

    public As4Path as4Path() {
        return (As4Path) get(17);
    }

    public As4Aggregator as4Aggregator() {
        return (As4Aggregator) get(18);
    }

    public LargeCommunities largeCommunities() {
        return (LargeCommunities) get(32);
    }

    /** Octets of all attributes as {@link #encode} writes them. */
    public int encodedLength(WireSettings settings) {
        int total = 0;
        for (PathAttribute a : attributes) {
            total += a.encodedLength(settings);
        }
        return total;
    }

    /** Writes every attribute in this set's order. */
    public void encode(ByteBuf out, WireSettings settings) {
        for (PathAttribute a : attributes) {
            a.encode(out, settings);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof PathAttributes p && p.hash == hash && Arrays.equals(p.attributes, attributes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return Arrays.toString(attributes);
    }
}
