package io.routereflector.rib.out;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.MessageHeader;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.attribute.AttributeType;
import io.routereflector.wire.attribute.MpReachNlri;
import io.routereflector.wire.attribute.MpUnreachNlri;
import io.routereflector.wire.attribute.PathAttribute;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Nlri;
import io.routereflector.wire.nlri.NlriList;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Packs announcements (grouped by attribute set) and withdrawals of one family into as few UPDATEs
 * as the negotiated message size allows. IPv4 uses the UPDATE's own fields; IPv6 uses MP_REACH_NLRI
 * (first in the attribute list, RFC 7606 §5.1) and MP_UNREACH_NLRI.
 */
public final class UpdatePacker {

    /** Fixed part of an UPDATE: header, withdrawn routes length, total path attribute length. */
    private static final int UPDATE_OVERHEAD = MessageHeader.LENGTH + 4;
    /** An MP attribute's header with a 2-octet length, plus AFI and SAFI. */
    private static final int MP_OVERHEAD = 4 + 3;

    private UpdatePacker() {
    }

    /** Appends the encoded UPDATEs to {@code out}; the caller owns (and must release) them. */
    public static void pack(AddressFamily family, Map<PathAttributes, List<Nlri>> announce, List<Nlri> withdraw,
                            WireSettings settings, ByteBufAllocator allocator, List<ByteBuf> out) {
        boolean ipv4 = family.equals(AddressFamily.IPV4_UNICAST);
        boolean ids = settings.addPath(family);
        int max = settings.maxMessageLength();
        if (!withdraw.isEmpty()) {
            int room = max - UPDATE_OVERHEAD - (ipv4 ? 0 : MP_OVERHEAD);
            for (List<Nlri> chunk : chunks(withdraw, room, ids)) {
                NlriList list = NlriList.of(family, ids, chunk);
                Update update = ipv4
                        ? Update.withdraw(list)
                        : Update.announce(PathAttributes.of(new MpUnreachNlri(list)), NlriList.empty(AddressFamily.IPV4_UNICAST));
                out.add(encode(update, settings, allocator));
            }
        }
        for (Map.Entry<PathAttributes, List<Nlri>> e : announce.entrySet()) {
            PathAttributes attributes = e.getValue().isEmpty() ? null : e.getKey();
            if (attributes == null) {
                continue;
            }
            if (ipv4) {
                PathAttributes plain = attributes.without(AttributeType.MP_REACH_NLRI);
                int room = room(plain, null, settings);
                for (List<Nlri> chunk : chunks(e.getValue(), room, ids)) {
                    out.add(encode(Update.announce(plain, NlriList.of(family, ids, chunk)), settings, allocator));
                }
            } else {
                MpReachNlri carrier = attributes.mpReach();
                if (carrier == null) {
                    throw new IllegalArgumentException("IPv6 announcement without a next hop (MP_REACH_NLRI carrier)");
                }
                byte[] nextHop = carrier.nextHop();
                PathAttributes rest = attributes.without(AttributeType.MP_REACH_NLRI);
                int room = room(rest, nextHop, settings);
                for (List<Nlri> chunk : chunks(e.getValue(), room, ids)) {
                    List<PathAttribute> all = new ArrayList<>(rest.size() + 1);
                    all.add(new MpReachNlri(family, nextHop, NlriList.of(family, ids, chunk)));
                    all.addAll(rest.asList());
                    out.add(encode(Update.announce(PathAttributes.of(all), NlriList.empty(AddressFamily.IPV4_UNICAST)), settings, allocator));
                }
            }
        }
    }

    /**
     * True when an UPDATE carrying {@code attributes} (as exported) still has room for one NLRI of
     * {@code family} within the negotiated message size; {@link #pack} never throws for such a set.
     */
    public static boolean fits(AddressFamily family, PathAttributes attributes, WireSettings settings) {
        boolean ids = settings.addPath(family);
        if (family.equals(AddressFamily.IPV4_UNICAST)) {
            return room(attributes.without(AttributeType.MP_REACH_NLRI), null, settings) >= maxEntry(ids);
        }
        MpReachNlri carrier = attributes.mpReach();
        return carrier != null
                && room(attributes.without(AttributeType.MP_REACH_NLRI), carrier.nextHop(), settings) >= maxEntry(ids);
    }

    /** Octets left for NLRI in one UPDATE next to {@code rest} (and an MP_REACH_NLRI with {@code nextHop}). */
    private static int room(PathAttributes rest, byte[] nextHop, WireSettings settings) {
        int room = settings.maxMessageLength() - UPDATE_OVERHEAD - rest.encodedLength(settings);
        return nextHop == null ? room : room - MP_OVERHEAD - 2 - nextHop.length;
    }

    /** The longest NLRI entry: a /128 with a path id (RFC 7911 §3). */
    private static int maxEntry(boolean ids) {
        return (ids ? 5 : 1) + 16;
    }

    /** An End-of-RIB marker (RFC 4724 §2). */
    public static ByteBuf endOfRib(AddressFamily family, WireSettings settings, ByteBufAllocator allocator) {
        return encode(Update.endOfRib(family), settings, allocator);
    }

    private static ByteBuf encode(Update update, WireSettings settings, ByteBufAllocator allocator) {
        return MessageCodec.encode(update, settings, allocator);
    }

    static int entryLength(Nlri nlri, boolean ids) {
        return (ids ? 5 : 1) + ((nlri.prefix().length() + 7) >>> 3);
    }

    /** Splits {@code all} into runs whose encoded NLRI fit {@code room} octets. */
    static List<List<Nlri>> chunks(List<Nlri> all, int room, boolean ids) {
        if (room < maxEntry(ids)) {
            throw new IllegalArgumentException("attributes leave no room for NLRI in one message");
        }
        List<List<Nlri>> chunks = new ArrayList<>();
        int start = 0;
        int used = 0;
        for (int i = 0; i < all.size(); i++) {
            int length = entryLength(all.get(i), ids);
            if (used + length > room) {
                chunks.add(all.subList(start, i));
                start = i;
                used = 0;
            }
            used += length;
        }
        if (start < all.size()) {
            chunks.add(all.subList(start, all.size()));
        }
        return chunks;
    }
}
