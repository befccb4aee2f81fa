package io.routereflector.wire.attribute;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.WireSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * AS4_PATH (RFC 6793 §3): the 4-octet path an OLD (2-octet) speaker carries along; always 4-octet
 * ASNs. Only meaningful on 2-octet sessions; the decoder discards it elsewhere (RFC 6793 §6).
 */
public record As4Path(int flags, List<AsPath.Segment> segments) implements PathAttribute {

    public As4Path {
        AttributeType.AS4_PATH.checkFlags(flags);
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("AS4_PATH carries at least one ASN");
        }
    }

    public As4Path(List<AsPath.Segment> segments) {
        this(AttributeType.AS4_PATH.canonicalFlags(), segments);
    }

    static As4Path decode(int flags, ByteBuf buf, int index, int length, WireSettings settings) {
        // RFC 6793 §6: odd or shorter than one segment of one ASN is malformed.
        if (length < 6 || length % 2 != 0) {
            throw MalformedAttributeException.length("AS4_PATH", length, "an even number >= 6");
        }
        return new As4Path(flags, AsPath.decodeSegments(buf, index, length, 4, "AS4_PATH"));
    }

    /** True when a confederation segment is present: those MUST NOT be in AS4_PATH (RFC 6793 §6). */
    public boolean hasConfederationSegments() {
        for (AsPath.Segment s : segments) {
            if (s.type().isConfederation()) {
                return true;
            }
        }
        return false;
    }

    /** The same path without confederation segments, or null when nothing would remain. */
    public As4Path withoutConfederationSegments() {
        List<AsPath.Segment> kept = new ArrayList<>(segments.size());
        for (AsPath.Segment s : segments) {
            if (!s.type().isConfederation()) {
                kept.add(s);
            }
        }
        return kept.isEmpty() ? null : new As4Path(flags, kept);
    }

    @Override
    public int typeCode() {
        return AttributeType.AS4_PATH.code();
    }

    @Override
    public int valueLength(WireSettings settings) {
        return AsPath.segmentsLength(segments, 4);
    }

    @Override
    public void encodeValue(ByteBuf out, WireSettings settings) {
        AsPath.encodeSegments(segments, 4, out);
    }
}
