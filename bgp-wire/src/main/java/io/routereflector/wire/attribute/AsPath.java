package io.routereflector.wire.attribute;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.WireSettings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * AS_PATH (RFC 4271 §5.1.2): ordered segments of unsigned 32-bit AS numbers (held in ints). On the
 * wire each ASN takes 4 octets when both sides negotiated RFC 6793, else 2 octets, and an ASN above
 * 65535 is written as AS_TRANS (RFC 6793 §4.2.2); building the matching AS4_PATH for such a peer is
 * the sender's job. An empty AS_PATH (iBGP origination, what Calico sends) is legal.
 */
public record AsPath(int flags, List<Segment> segments) implements PathAttribute {

    public static final int AS_TRANS = 23456;

    private static final int CANONICAL = AttributeType.AS_PATH.canonicalFlags();

    public static final AsPath EMPTY = new AsPath(CANONICAL, List.of());

    /** Segment types (RFC 4271 §4.3, RFC 5065 §3). */
    public enum SegmentType {
        AS_SET(1), AS_SEQUENCE(2), AS_CONFED_SEQUENCE(3), AS_CONFED_SET(4);

        private final int code;

        SegmentType(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** Null for an unknown segment type. */
        public static SegmentType fromCode(int code) {
            return code >= 1 && code <= 4 ? values()[code - 1] : null;
        }

        public boolean isConfederation() {
            return this == AS_CONFED_SEQUENCE || this == AS_CONFED_SET;
        }
    }

    /** One segment: 1 to 255 ASNs (the count is one octet, and zero is malformed, RFC 7606 §7.2). */
    public record Segment(SegmentType type, int[] asns) {

        public Segment {
            if (type == null) {
                throw new IllegalArgumentException("segment type is required");
            }
            if (asns.length == 0 || asns.length > 255) {
                throw new IllegalArgumentException("a segment holds 1 to 255 ASNs, not " + asns.length);
            }
            asns = asns.clone();
        }

        public static Segment sequence(int... asns) {
            return new Segment(SegmentType.AS_SEQUENCE, asns);
        }

        public static Segment set(int... asns) {
            return new Segment(SegmentType.AS_SET, asns);
        }

        @Override
        public int[] asns() {
            return asns.clone();
        }

        public int size() {
            return asns.length;
        }

        /** ASN i as an unsigned value in an int; no copy. */
        public int asn(int i) {
            return asns[i];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Segment s && s.type == type && Arrays.equals(s.asns, asns);
        }

        @Override
        public int hashCode() {
            return type.hashCode() * 31 + Arrays.hashCode(asns);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            String open = switch (type) {
                case AS_SET -> "{";
                case AS_CONFED_SEQUENCE -> "(";
                case AS_CONFED_SET -> "[";
                default -> "";
            };
            b.append(open);
            for (int i = 0; i < asns.length; i++) {
                b.append(i == 0 ? "" : " ").append(Integer.toUnsignedString(asns[i]));
            }
            return b.append(type == SegmentType.AS_SET ? "}" : type == SegmentType.AS_CONFED_SEQUENCE ? ")"
                    : type == SegmentType.AS_CONFED_SET ? "]" : "").toString();
        }
    }

    public AsPath {
        AttributeType.AS_PATH.checkFlags(flags);
        segments = List.copyOf(segments);
    }

    public AsPath(List<Segment> segments) {
        this(CANONICAL, segments);
    }

    public static AsPath sequence(int... asns) {
        return asns.length == 0 ? EMPTY : new AsPath(List.of(Segment.sequence(asns)));
    }

    static AsPath decode(int flags, ByteBuf buf, int index, int length, WireSettings settings) {
        if (length == 0) {
            return flags == CANONICAL ? EMPTY : new AsPath(flags, List.of());
        }
        return new AsPath(flags, decodeSegments(buf, index, length, settings.fourOctetAs() ? 4 : 2, "AS_PATH"));
    }

    /** Segment parsing shared with AS4_PATH; the malformations are those of RFC 7606 §7.2. */
    static List<Segment> decodeSegments(ByteBuf buf, int index, int length, int asnSize, String name) {
        List<Segment> result = new ArrayList<>(2);
        int end = index + length;
        int i = index;
        while (i < end) {
            if (end - i < 2) {
                throw new MalformedAttributeException(name + ": a single octet after the last segment");
            }
            int code = buf.getUnsignedByte(i);
            int count = buf.getUnsignedByte(i + 1);
            SegmentType type = SegmentType.fromCode(code);
            if (type == null) {
                throw new MalformedAttributeException(name + ": unknown segment type " + code);
            }
            if (count == 0) {
                throw new MalformedAttributeException(name + ": segment of length zero");
            }
            i += 2;
            if (end - i < count * asnSize) {
                throw new MalformedAttributeException(name + ": segment of " + count + " ASNs overruns the attribute");
            }
            int[] asns = new int[count];
            for (int k = 0; k < count; k++, i += asnSize) {
                asns[k] = asnSize == 4 ? buf.getInt(i) : buf.getUnsignedShort(i);
            }
            result.add(new Segment(type, asns));
        }
        return result;
    }

    static int segmentsLength(List<Segment> segments, int asnSize) {
        int total = 0;
        for (int s = 0; s < segments.size(); s++) {
            total += 2 + segments.get(s).asns.length * asnSize;
        }
        return total;
    }

    static void encodeSegments(List<Segment> segments, int asnSize, ByteBuf out) {
        for (int s = 0; s < segments.size(); s++) {
            Segment segment = segments.get(s);
            out.writeByte(segment.type.code);
            out.writeByte(segment.asns.length);
            for (int asn : segment.asns) {
                if (asnSize == 4) {
                    out.writeInt(asn);
                } else {
                    out.writeShort(Integer.compareUnsigned(asn, 0xFFFF) > 0 ? AS_TRANS : asn);
                }
            }
        }
    }

    @Override
    public int typeCode() {
        return AttributeType.AS_PATH.code();
    }

    @Override
    public int valueLength(WireSettings settings) {
        return segmentsLength(segments, settings.fourOctetAs() ? 4 : 2);
    }

    @Override
    public void encodeValue(ByteBuf out, WireSettings settings) {
        encodeSegments(segments, settings.fourOctetAs() ? 4 : 2, out);
    }

    /** The path length for the decision process (RFC 4271 §9.1.2.2 a): a set counts 1, confederation segments 0. */
    public int pathLength() {
        int length = 0;
        for (int s = 0; s < segments.size(); s++) {
            Segment segment = segments.get(s);
            switch (segment.type) {
                case AS_SEQUENCE -> length += segment.asns.length;
                case AS_SET -> length += 1;
                default -> { }
            }
        }
        return length;
    }

    /** True when {@code asn} appears in any segment (loop detection, RFC 4271 §9.1.2). */
    public boolean contains(int asn) {
        return count(asn) > 0;
    }

    /** How many times {@code asn} appears, in every segment. */
    public int count(int asn) {
        int n = 0;
        for (int s = 0; s < segments.size(); s++) {
            for (int a : segments.get(s).asns) {
                if (a == asn) {
                    n++;
                }
            }
        }
        return n;
    }

    /** True when some ASN needs four octets: a 2-octet peer then needs AS4_PATH too (RFC 6793 §4.2.2). */
    public boolean hasFourOctetAsn() {
        for (int s = 0; s < segments.size(); s++) {
            for (int a : segments.get(s).asns) {
                if (Integer.compareUnsigned(a, 0xFFFF) > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return segments.isEmpty();
    }
}
