package io.routereflector.rib.out;

import io.routereflector.rib.Path;
import io.routereflector.rib.reflection.Reflection;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.attribute.As4;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;

/**
 * What a path's attributes become toward one update group (RFC 4456 reflection, next hop self and our
 * AS toward eBGP), cached per attribute set, with the verdict whether the result can be sent at all:
 * a route legal to receive can be too big once reflected (ORIGINATOR_ID, CLUSTER_LIST, our AS, AS4).
 */
final class Exporter {

    private static final Logger LOG = LoggerFactory.getLogger(Exporter.class);
    private static final int CACHE_LIMIT = 100_000;

    // Attribute sets are interned, so the key's equals() is nearly always settled by identity.
    private record Key(AddressFamily family, PathAttributes attributes, int sourceBgpId, boolean sourceEbgp, long tags) { }

    /** The exported attributes (null when they could not be made) and whether one NLRI still fits beside them. */
    record Export(PathAttributes attributes, boolean fits) { }

    private final GroupKey key;
    private final WireSettings settings;
    private final int clusterId;
    private final long localAs;
    private final HashMap<Key, Export> cache = new HashMap<>();
    // The last answer, asked first without building a key: a batch's changes come in runs of one
    // attribute set (a node's blocks, a speaker's table), and these lookups run twice per change.
    private Key lastKey;
    private Export lastExport;

    Exporter(GroupKey key, int clusterId, long localAs) {
        this.key = key;
        this.settings = key.sendSettings();
        this.clusterId = clusterId;
        this.localAs = localAs;
    }

    /** The path as sent for {@code prefix}: the export policy's communities depend on the prefix. */
    Export export(AddressFamily family, IpPrefix prefix, Path path) {
        long tags = key.exportPolicy().tagsFor(prefix);
        Key l = lastKey;
        if (l != null && l.attributes() == path.attributes() && l.family() == family && l.tags() == tags
                && l.sourceBgpId() == path.source().bgpIdentifier() && l.sourceEbgp() == path.source().isEbgp()) {
            return lastExport;
        }
        Key cacheKey = new Key(family, path.attributes(), path.source().bgpIdentifier(), path.source().isEbgp(), tags);
        Export out = cache.get(cacheKey);
        if (out == null) {
            if (cache.size() > CACHE_LIMIT) {
                cache.clear();
            }
            out = make(family, path, tags);
            cache.put(cacheKey, out);
        }
        lastKey = cacheKey;
        lastExport = out;
        return out;
    }

    /** Logs once per attribute set (while cached) when the path cannot be sent to this group. */
    private Export make(AddressFamily family, Path path, long tags) {
        byte[] v4 = key.nextHopSelfV4() == null ? null : key.nextHopSelfV4().getAddress();
        byte[] v6 = key.nextHopSelfV6() == null ? null : key.nextHopSelfV6().getAddress();
        PathAttributes attributes;
        try {
            attributes = Reflection.export(path, key.role(), clusterId, localAs, v4, v6);
            if (tags != 0) {
                attributes = CommunityTags.add(attributes, key.exportPolicy().communities(), tags);
            }
            if (!key.fourOctetAs()) {
                attributes = As4.forOldSpeaker(attributes);
            }
        } catch (RuntimeException e) {
            LOG.error("{} group: a {} path from {} cannot be exported: withheld from the group", key.role(), family,
                    path.source(), e);
            return new Export(null, false);
        }
        boolean fits = UpdatePacker.fits(family, attributes, settings);
        if (!fits) {
            LOG.warn("{} group: a {} path from {} does not fit a {}-octet UPDATE once exported ({} octets of attributes):"
                            + " withheld from the group, as if withdrawn there", key.role(), family, path.source(),
                    settings.maxMessageLength(), attributes.encodedLength(settings));
        }
        return new Export(attributes, fits);
    }
}
