package io.routereflector.rib.reflection;

import io.routereflector.rib.Path;
import io.routereflector.rib.PeerRole;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.AttributeType;
import io.routereflector.wire.attribute.ClusterList;
import io.routereflector.wire.attribute.Communities;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.MpReachNlri;
import io.routereflector.wire.attribute.NextHop;
import io.routereflector.wire.attribute.OriginatorId;
import io.routereflector.wire.attribute.PathAttribute;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.attribute.UnknownAttribute;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.NlriList;

import java.util.ArrayList;
import java.util.List;

/**
 * The route reflection rules of RFC 4456 and the plain BGP export rules they sit on, as pure
 * functions. They live beside the RIB because the update groups apply them when they decide what
 * each group is sent; the sessions never see them.
 */
public final class Reflection {

    private Reflection() {
    }

    /**
     * RFC 4456 §6: a route from a non-client iBGP peer goes to clients only; a route from a client
     * goes to every other peer, clients and non-clients; a route from an eBGP peer goes to all iBGP
     * peers (and, as plain BGP, to other eBGP peers). A route is never returned to the peer it came
     * from — the update groups enforce that per member (split horizon).
     */
    public static boolean mayAdvertise(PeerRole from, PeerRole to) {
        return from != PeerRole.NON_CLIENT || to != PeerRole.NON_CLIENT;
    }

    /**
     * RFC 4456 §8: a route whose ORIGINATOR_ID is our router id, or whose CLUSTER_LIST holds our
     * cluster id, has looped; it is dropped on receipt (treated as a withdrawal of what it replaces).
     */
    public static boolean isLooped(PathAttributes attributes, int routerId, int clusterId) {
        OriginatorId originator = attributes.originatorId();
        if (originator != null && originator.routerId() == routerId) {
            return true;
        }
        ClusterList clusters = attributes.clusterList();
        return clusters != null && clusters.contains(clusterId);
    }

    /**
     * Received from an eBGP peer: LOCAL_PREF is discarded (RFC 4271 §5.1.5, RFC 7606 §7.5), and so are
     * ORIGINATOR_ID and CLUSTER_LIST (RFC 7606 §7.9, §7.10), which belong to the sender's own AS.
     */
    public static PathAttributes fromAnotherAs(PathAttributes received) {
        if (received.localPref() == null && received.originatorId() == null && received.clusterList() == null) {
            return received;
        }
        return received.without(AttributeType.LOCAL_PREF).without(AttributeType.ORIGINATOR_ID)
                .without(AttributeType.CLUSTER_LIST);
    }

    /**
     * RFC 1997: NO_ADVERTISE keeps a route from every peer; NO_EXPORT and NO_EXPORT_SUBCONFED keep it
     * inside the AS (no confederations here, so both stop at eBGP peers).
     */
    public static boolean suppressedByCommunity(PathAttributes attributes, PeerRole to) {
        Communities communities = attributes.communities();
        if (communities == null) {
            return false;
        }
        if (communities.contains(Communities.NO_ADVERTISE)) {
            return true;
        }
        return to == PeerRole.EBGP
                && (communities.contains(Communities.NO_EXPORT) || communities.contains(Communities.NO_EXPORT_SUBCONFED));
    }

    /**
     * The attributes sent for {@code path} to a peer of role {@code to}.
     *
     * <p>Toward iBGP: reflection of an iBGP-learned route sets ORIGINATOR_ID to the source's BGP
     * identifier when absent and prepends our cluster id to CLUSTER_LIST (RFC 4456 §8); NEXT_HOP is
     * never changed. An eBGP-learned route gets a LOCAL_PREF (RFC 4271 §5.1.5) and no reflection
     * attributes. Toward eBGP: next hop self, our AS prepended, and LOCAL_PREF, ORIGINATOR_ID,
     * CLUSTER_LIST removed (RFC 4271 §5.1.5, RFC 4456 §8); a MED learned from another AS is not
     * passed on (RFC 4271 §5.1.4). Everywhere: unrecognized optional transitive attributes pass with
     * Partial set, unrecognized non-transitive ones are dropped (RFC 4271 §5).
     *
     * @param nextHopSelf for eBGP targets: our address on that session (IPv4 4 octets, IPv6 16)
     */
    public static PathAttributes export(Path path, PeerRole to, int clusterId, long localAs,
                                        byte[] nextHopSelfV4, byte[] nextHopSelfV6) {
        PathAttributes attributes = passUnknown(path.attributes());
        if (to.isIbgp()) {
            if (path.source().isEbgp()) {
                if (attributes.localPref() == null) {
                    attributes = attributes.with(new LocalPref(Path.DEFAULT_LOCAL_PREF));
                }
                return attributes;
            }
            if (attributes.originatorId() == null) {
                attributes = attributes.with(new OriginatorId(path.source().bgpIdentifier()));
            }
            ClusterList clusters = attributes.clusterList();
            return attributes.with(clusters == null ? new ClusterList(clusterId) : clusters.prepend(clusterId));
        }
        attributes = attributes.without(AttributeType.LOCAL_PREF).without(AttributeType.ORIGINATOR_ID)
                .without(AttributeType.CLUSTER_LIST);
        if (path.source().isEbgp()) {
            attributes = attributes.without(AttributeType.MULTI_EXIT_DISC);
        }
        AsPath asPath = attributes.asPath();
        attributes = attributes.with(prepend(asPath == null ? AsPath.EMPTY : asPath, localAs));
        if (attributes.nextHop() != null && nextHopSelfV4 != null) {
            attributes = attributes.with(new NextHop(toInt(nextHopSelfV4)));
        }
        MpReachNlri reach = attributes.mpReach();
        if (reach != null && reach.family().equals(AddressFamily.IPV6_UNICAST) && nextHopSelfV6 != null) {
            attributes = attributes.with(new MpReachNlri(reach.family(), nextHopSelfV6, NlriList.empty(reach.family())));
        }
        return attributes;
    }

    private static PathAttributes passUnknown(PathAttributes attributes) {
        boolean any = false;
        for (PathAttribute a : attributes) {
            if (a instanceof UnknownAttribute) {
                any = true;
                break;
            }
        }
        if (!any) {
            return attributes;
        }
        List<PathAttribute> kept = new ArrayList<>(attributes.size());
        for (PathAttribute a : attributes) {
            if (a instanceof UnknownAttribute unknown) {
                if (unknown.isPassedOn()) {
                    kept.add(unknown.withPartial());
                }
            } else {
                kept.add(a);
            }
        }
        return PathAttributes.of(kept);
    }

    /** RFC 4271 §5.1.2: prepend our AS to the leading AS_SEQUENCE, or start one. */
    static AsPath prepend(AsPath path, long localAs) {
        int as = (int) localAs;
        List<AsPath.Segment> segments = new ArrayList<>(path.segments());
        if (!segments.isEmpty() && segments.get(0).type() == AsPath.SegmentType.AS_SEQUENCE && segments.get(0).size() < 255) {
            int[] old = segments.get(0).asns();
            int[] grown = new int[old.length + 1];
            grown[0] = as;
            System.arraycopy(old, 0, grown, 1, old.length);
            segments.set(0, AsPath.Segment.sequence(grown));
        } else {
            segments.add(0, AsPath.Segment.sequence(as));
        }
        return new AsPath(segments);
    }

    private static int toInt(byte[] address) {
        return ((address[0] & 0xFF) << 24) | ((address[1] & 0xFF) << 16) | ((address[2] & 0xFF) << 8) | (address[3] & 0xFF);
    }
}
