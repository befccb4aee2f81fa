package io.routereflector.wire.attribute;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6793 between a 4-octet AS speaker (us) and an OLD 2-octet one: the 4-octet path travels beside
 * the 2-octet AS_PATH in AS4_PATH (and AS4_AGGREGATOR), with AS_TRANS where an ASN did not fit.
 */
public final class As4 {

    private As4() {
    }

    /**
     * RFC 6793 §4.2.3: received from an OLD speaker (the decoder discards AS4_* elsewhere), the true
     * AS_PATH is AS4_PATH with the ASNs that OLD speakers prepended since in front; AGGREGATOR is
     * AS4_AGGREGATOR's when AGGREGATOR carries AS_TRANS. Neither AS4_* attribute is kept.
     */
    public static PathAttributes merge(PathAttributes received) {
        As4Path as4Path = received.as4Path();
        As4Aggregator as4Aggregator = received.as4Aggregator();
        if (as4Path == null && as4Aggregator == null) {
            return received;
        }
        PathAttributes merged = received.without(AttributeType.AS4_PATH).without(AttributeType.AS4_AGGREGATOR);
        Aggregator aggregator = received.aggregator();
        if (as4Aggregator != null && aggregator != null) {
            if (aggregator.asn() != AsPath.AS_TRANS) {
                // An OLD speaker aggregated after the NEW one: both AS4 attributes are stale (§4.2.3).
                return merged;
            }
            merged = merged.with(new Aggregator(aggregator.flags(), as4Aggregator.asn(), as4Aggregator.address()));
        }
        AsPath asPath = received.asPath();
        if (as4Path == null || asPath == null) {
            return merged;
        }
        AsPath tail = new AsPath(as4Path.segments());
        int extra = asPath.pathLength() - tail.pathLength();
        if (extra < 0) {
            return merged; // AS4_PATH longer than AS_PATH: ignore it (§4.2.3)
        }
        List<AsPath.Segment> segments = new ArrayList<>();
        for (AsPath.Segment s : asPath.segments()) {
            if (extra <= 0) {
                break;
            }
            if (s.type() == AsPath.SegmentType.AS_SEQUENCE && s.size() > extra) {
                int[] lead = new int[extra];
                for (int i = 0; i < extra; i++) {
                    lead[i] = s.asn(i);
                }
                segments.add(AsPath.Segment.sequence(lead));
                extra = 0;
            } else {
                segments.add(s);
                extra -= s.type() == AsPath.SegmentType.AS_SEQUENCE ? s.size() : s.type() == AsPath.SegmentType.AS_SET ? 1 : 0;
            }
        }
        segments.addAll(tail.segments());
        return merged.with(new AsPath(asPath.flags(), joinSequences(segments)));
    }

    /**
     * RFC 6793 §4.2.2: toward an OLD speaker, an AS_PATH with an ASN above 65535 (written as AS_TRANS)
     * travels with AS4_PATH, and an AGGREGATOR with such an ASN with AS4_AGGREGATOR.
     */
    public static PathAttributes forOldSpeaker(PathAttributes attributes) {
        PathAttributes out = attributes;
        AsPath asPath = attributes.asPath();
        if (asPath != null && asPath.hasFourOctetAsn()) {
            List<AsPath.Segment> noConfed = new ArrayList<>();
            for (AsPath.Segment s : asPath.segments()) {
                if (!s.type().isConfederation()) {
                    noConfed.add(s);
                }
            }
            if (!noConfed.isEmpty()) {
                out = out.with(new As4Path(noConfed));
            }
        }
        Aggregator aggregator = attributes.aggregator();
        if (aggregator != null && Integer.compareUnsigned(aggregator.asn(), 0xFFFF) > 0) {
            out = out.with(new As4Aggregator(aggregator.asn(), aggregator.address()));
        }
        return out;
    }

    /** Adjacent AS_SEQUENCEs become one while they fit in a segment (255 ASNs). */
    private static List<AsPath.Segment> joinSequences(List<AsPath.Segment> segments) {
        List<AsPath.Segment> out = new ArrayList<>(segments.size());
        for (AsPath.Segment s : segments) {
            AsPath.Segment last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.type() == AsPath.SegmentType.AS_SEQUENCE && s.type() == AsPath.SegmentType.AS_SEQUENCE
                    && last.size() + s.size() <= 255) {
                int[] joined = new int[last.size() + s.size()];
                System.arraycopy(last.asns(), 0, joined, 0, last.size());
                System.arraycopy(s.asns(), 0, joined, last.size(), s.size());
                out.set(out.size() - 1, AsPath.Segment.sequence(joined));
            } else {
                out.add(s);
            }
        }
        return out;
    }
}
