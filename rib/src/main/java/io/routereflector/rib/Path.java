package io.routereflector.rib;

import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.ClusterList;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.MultiExitDisc;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.OriginatorId;
import io.routereflector.wire.attribute.PathAttributes;

import java.util.Objects;

/**
 * One path to a prefix as learned from one peer: an entry of that peer's Adj-RIB-In and a candidate
 * in the Loc-RIB. {@code attributes} is interned (thousands of paths share one instance) and carries
 * no NLRI: MP_UNREACH is gone and an IPv6 MP_REACH is kept with an empty NLRI list, only as the
 * carrier of the next hop.
 *
 * @param receivedPathId the peer's RFC 7911 path id (0 without ADD-PATH receive)
 * @param localPathId    the id we send for this path under ADD-PATH; stable while the path is replaced
 * @param stale          retained across the peer's graceful restart (RFC 4724 §4.2)
 * @param llgrStale      retained under long-lived graceful restart: least preferred (RFC 9494 §4.3)
 */
public record Path(RibPeer source, int receivedPathId, int localPathId, PathAttributes attributes,
                   boolean stale, boolean llgrStale) {

    /** RFC 4271 §5.1.5: the degree of preference of a route without LOCAL_PREF (BIRD's default too). */
    public static final long DEFAULT_LOCAL_PREF = 100;

    public Path {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(attributes, "attributes");
    }

    public Path withLocalPathId(int id) {
        return new Path(source, receivedPathId, id, attributes, stale, llgrStale);
    }

    public Path asStale(boolean longLived) {
        return new Path(source, receivedPathId, localPathId, attributes, true, longLived);
    }

    /** LOCAL_PREF, or the default for routes that carry none (eBGP-learned). */
    public long localPref() {
        LocalPref lp = attributes.localPref();
        return lp == null || source.isEbgp() ? DEFAULT_LOCAL_PREF : lp.value();
    }

    /** RFC 4271 §9.1.2.2 (a): AS_SET counts 1, confederation segments count 0. */
    public int asPathLength() {
        AsPath path = attributes.asPath();
        return path == null ? 0 : path.pathLength();
    }

    /** IGP (0) &lt; EGP (1) &lt; INCOMPLETE (2); a missing ORIGIN ranks last. */
    public int originRank() {
        Origin origin = attributes.origin();
        return origin == null ? 3 : origin.kind().ordinal();
    }

    /** RFC 4271 §9.1.2.2 (c): a route without MED is treated as MED 0. */
    public long med() {
        MultiExitDisc med = attributes.multiExitDisc();
        return med == null ? 0 : med.value();
    }

    /**
     * The neighbouring AS for MED comparison: the first AS of the AS_PATH's leading AS_SEQUENCE, or -1
     * for routes originated inside our AS (empty path), which all compare with each other.
     */
    public long neighborAs() {
        AsPath path = attributes.asPath();
        if (path == null || path.segments().isEmpty()) {
            return -1;
        }
        AsPath.Segment first = path.segments().get(0);
        if (first.type() != AsPath.SegmentType.AS_SEQUENCE || first.size() == 0) {
            return -1;
        }
        return Integer.toUnsignedLong(first.asn(0));
    }

    /** RFC 4456 §9: ORIGINATOR_ID stands in for the BGP identifier when present. */
    public int routerId() {
        OriginatorId originator = attributes.originatorId();
        return originator == null ? source.bgpIdentifier() : originator.routerId();
    }

    public int clusterListLength() {
        ClusterList list = attributes.clusterList();
        return list == null ? 0 : list.size();
    }

    @Override
    public String toString() {
        return "from " + source + (receivedPathId != 0 ? " id " + Integer.toUnsignedString(receivedPathId) : "")
                + (stale ? (llgrStale ? " (llgr-stale)" : " (stale)") : "") + " " + attributes;
    }
}
