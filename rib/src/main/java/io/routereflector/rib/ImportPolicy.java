package io.routereflector.rib;

import io.routereflector.rib.reflection.Reflection;
import io.routereflector.wire.attribute.As4;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.AttributeInterner;
import io.routereflector.wire.attribute.AttributeType;
import io.routereflector.wire.attribute.MpReachNlri;
import io.routereflector.wire.attribute.NextHop;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.NlriList;

/**
 * What the RIB keeps of a received route's attributes, and whether it keeps the route at all: the
 * loop checks, the cleaning at the AS border, and one interned attribute set per distinct value, so
 * thousands of routes share an instance and the update groups may compare sets by identity.
 */
final class ImportPolicy {

    private final int routerId;
    private final int clusterId;
    private final long localAs;
    private final AttributeInterner interner = new AttributeInterner();

    ImportPolicy(int routerId, int clusterId, long localAs) {
        this.routerId = routerId;
        this.clusterId = clusterId;
        this.localAs = localAs;
    }

    /**
     * The attribute set stored with the paths of one family: interned, without NLRI, with the next
     * hop where the family keeps it. Null when the route must be dropped: a reflection loop (RFC 4456
     * §8) or, from an eBGP peer, our own AS in the AS_PATH (RFC 4271 §9.1.2) more often than that peer
     * is allowed (BGPPeer {@code numAllowedLocalASNumbers}, 0 by default). What only means
     * something inside an AS is cleaned at the border first, so it neither feeds our decision process
     * nor reaches a client.
     */
    PathAttributes attributes(RibPeer peer, AddressFamily family, PathAttributes received) {
        // AS4_* survive decoding only from 2-octet AS speakers (RFC 6793 §6): rebuild the 4-octet path.
        received = As4.merge(received);
        if (peer.isEbgp()) {
            received = Reflection.fromAnotherAs(received);
        }
        if (Reflection.isLooped(received, routerId, clusterId)) {
            return null;
        }
        AsPath asPath = received.asPath();
        if (peer.isEbgp() && asPath != null && asPath.count((int) localAs) > peer.allowedLocalAs()) {
            return null;
        }
        PathAttributes attributes = received.without(AttributeType.MP_UNREACH_NLRI);
        MpReachNlri reach = attributes.mpReach();
        if (family.equals(AddressFamily.IPV4_UNICAST)) {
            attributes = attributes.without(AttributeType.MP_REACH_NLRI);
            if (attributes.nextHop() == null && reach != null && reach.nextHop().length == 4) {
                attributes = attributes.with(new NextHop(reach.ipv4NextHop()));
            }
        } else {
            attributes = attributes.without(AttributeType.NEXT_HOP);
            if (reach != null) {
                attributes = attributes.with(new MpReachNlri(reach.flags(), family, reach.nextHop(), reach.reserved(),
                        NlriList.empty(family), null));
            }
        }
        return interner.intern(attributes);
    }

    /** The shared instance equal to {@code attributes}. */
    PathAttributes intern(PathAttributes attributes) {
        return interner.intern(attributes);
    }

    int internedCount() {
        return interner.size();
    }
}
