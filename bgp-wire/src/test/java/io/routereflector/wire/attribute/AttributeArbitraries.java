package io.routereflector.wire.attribute;

import io.routereflector.wire.WireSettings;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;
import io.routereflector.wire.nlri.Ipv4Prefix;
import io.routereflector.wire.nlri.Ipv6Prefix;
import io.routereflector.wire.nlri.Nlri;
import io.routereflector.wire.nlri.NlriList;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * jqwik generators for path attributes, NLRI and attribute sets, shared with later modules through
 * the test jar. Values stay under 256 octets unless a generator says otherwise, so the flags a
 * generator picks are the flags the decoder will see (the encoder forces Extended Length beyond).
 */
public final class AttributeArbitraries {

    private AttributeArbitraries() {
    }

    /** Settings worth covering: 2- and 4-octet AS, extended messages, ADD-PATH on none, one or both families. */
    public static Arbitrary<WireSettings> settings() {
        Arbitrary<Set<AddressFamily>> addPath = Arbitraries.of(Set.of(), Set.of(AddressFamily.IPV4_UNICAST),
                Set.of(AddressFamily.IPV6_UNICAST), Set.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST));
        return Combinators.combine(Arbitraries.of(true, false), addPath)
                .as((as4, families) -> new WireSettings(true, as4, families));
    }

    /** Any unsigned 32-bit ASN (held in an int), 0 excluded (RFC 7607). */
    public static Arbitrary<Integer> asn() {
        return Arbitraries.integers().filter(a -> a != 0).edgeCases(e -> e.add(-1).add(65535).add(65536).add(AsPath.AS_TRANS));
    }

    public static Arbitrary<Integer> asn(boolean fourOctet) {
        return fourOctet ? asn() : Arbitraries.integers().between(1, 65535);
    }

    /** The flags octet of {@code type}: its Optional/Transitive bits, plus any of Partial, Extended Length, low bits. */
    public static Arbitrary<Integer> flags(AttributeType type) {
        return Arbitraries.integers().between(0, 0x3F).map(extra -> type.canonicalFlags() | extra);
    }

    public static Arbitrary<AsPath.Segment> segment(boolean fourOctet, boolean confederations) {
        Arbitrary<AsPath.SegmentType> types = confederations ? Arbitraries.of(AsPath.SegmentType.class)
                : Arbitraries.of(AsPath.SegmentType.AS_SEQUENCE, AsPath.SegmentType.AS_SET);
        Arbitrary<int[]> asns = asn(fourOctet).array(int[].class).ofMinSize(1).ofMaxSize(10);
        return Combinators.combine(types, asns).as(AsPath.Segment::new);
    }

    /** AS_PATH with 0 to 4 segments (empty included, as Calico sends it). */
    public static Arbitrary<AsPath> asPath(boolean fourOctet) {
        return Combinators.combine(flags(AttributeType.AS_PATH), segment(fourOctet, true).list().ofMaxSize(4))
                .as(AsPath::new);
    }

    public static Arbitrary<As4Path> as4Path() {
        return Combinators.combine(flags(AttributeType.AS4_PATH), segment(true, false).list().ofMinSize(1).ofMaxSize(4))
                .as(As4Path::new);
    }

    public static Arbitrary<Origin> origin() {
        return Combinators.combine(flags(AttributeType.ORIGIN), Arbitraries.of(Origin.Kind.class)).as(Origin::new);
    }

    public static Arbitrary<NextHop> nextHop() {
        return Combinators.combine(flags(AttributeType.NEXT_HOP), Arbitraries.integers()).as(NextHop::new);
    }

    public static Arbitrary<MultiExitDisc> multiExitDisc() {
        return Combinators.combine(flags(AttributeType.MULTI_EXIT_DISC), Arbitraries.longs().between(0, 0xFFFF_FFFFL))
                .as(MultiExitDisc::new);
    }

    public static Arbitrary<LocalPref> localPref() {
        return Combinators.combine(flags(AttributeType.LOCAL_PREF), Arbitraries.longs().between(0, 0xFFFF_FFFFL))
                .as(LocalPref::new);
    }

    public static Arbitrary<AtomicAggregate> atomicAggregate() {
        return flags(AttributeType.ATOMIC_AGGREGATE).map(AtomicAggregate::new);
    }

    public static Arbitrary<Aggregator> aggregator(boolean fourOctet) {
        return Combinators.combine(flags(AttributeType.AGGREGATOR), asn(fourOctet), Arbitraries.integers())
                .as(Aggregator::new);
    }

    public static Arbitrary<As4Aggregator> as4Aggregator() {
        return Combinators.combine(flags(AttributeType.AS4_AGGREGATOR), asn(), Arbitraries.integers()).as(As4Aggregator::new);
    }

    public static Arbitrary<Communities> communities() {
        Arbitrary<Integer> value = Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.of(Communities.NO_EXPORT,
                Communities.NO_ADVERTISE, Communities.NO_EXPORT_SUBCONFED, Communities.NO_PEER));
        return Combinators.combine(flags(AttributeType.COMMUNITIES), value.array(int[].class).ofMinSize(1).ofMaxSize(60))
                .as(Communities::new);
    }

    public static Arbitrary<OriginatorId> originatorId() {
        return Combinators.combine(flags(AttributeType.ORIGINATOR_ID), Arbitraries.integers()).as(OriginatorId::new);
    }

    public static Arbitrary<ClusterList> clusterList() {
        return Combinators.combine(flags(AttributeType.CLUSTER_LIST),
                Arbitraries.integers().array(int[].class).ofMinSize(1).ofMaxSize(20)).as(ClusterList::new);
    }

    public static Arbitrary<ExtendedCommunities> extendedCommunities() {
        return Combinators.combine(flags(AttributeType.EXTENDED_COMMUNITIES),
                Arbitraries.longs().array(long[].class).ofMinSize(1).ofMaxSize(30)).as(ExtendedCommunities::new);
    }

    public static Arbitrary<LargeCommunities> largeCommunities() {
        return Combinators.combine(flags(AttributeType.LARGE_COMMUNITY), Arbitraries.integers().array(int[].class)
                        .ofMinSize(1).ofMaxSize(20).map(a -> java.util.Arrays.copyOf(a, a.length * 3)))
                .as(LargeCommunities::new);
    }

    /** Unrecognized optional attributes with every other flag bit free; Extended Length set when the value needs it. */
    public static Arbitrary<UnknownAttribute> unknownAttribute() {
        Arbitrary<Integer> code = Arbitraries.integers().between(0, 255).filter(c -> AttributeType.fromCode(c) == null);
        Arbitrary<byte[]> value = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Combinators.combine(Arbitraries.integers().between(0, 0x7F), code, value)
                .as((extra, c, v) -> new UnknownAttribute(PathAttribute.OPTIONAL | extra
                        | (v.length > 255 ? PathAttribute.EXTENDED_LENGTH : 0), c, v));
    }

    public static Arbitrary<Ipv4Prefix> ipv4Prefix() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 32))
                .as((a, l) -> new Ipv4Prefix(l == 0 ? 0 : a & (-1 << (32 - l)), l));
    }

    public static Arbitrary<Ipv6Prefix> ipv6Prefix() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), Arbitraries.integers().between(0, 128))
                .as((h, lo, l) -> new Ipv6Prefix(h & mask(l), lo & mask(l - 64), l));
    }

    private static long mask(int bits) {
        return bits <= 0 ? 0L : bits >= 64 ? -1L : -1L << (64 - bits);
    }

    public static Arbitrary<NlriList> nlriList(AddressFamily family, boolean withPathIds, int maxSize) {
        Arbitrary<? extends IpPrefix> prefix = family.afi() == AddressFamily.AFI_IPV4 ? ipv4Prefix() : ipv6Prefix();
        Arbitrary<Integer> pathId = withPathIds ? Arbitraries.integers() : Arbitraries.just(0);
        Arbitrary<Nlri> nlri = Combinators.combine(prefix, pathId).as(Nlri::new);
        return nlri.list().ofMaxSize(maxSize)
                .map(list -> list.isEmpty() ? NlriList.empty(family) : NlriList.of(family, withPathIds, list));
    }

    private static Arbitrary<byte[]> nextHop(AddressFamily family) {
        Arbitrary<Integer> length = family.afi() == AddressFamily.AFI_IPV4 ? Arbitraries.just(4) : Arbitraries.of(16, 32);
        return length.flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n));
    }

    /** IPv4/IPv6 unicast (16- and 32-octet IPv6 next hops) or a family we keep raw. */
    public static Arbitrary<MpReachNlri> mpReach(WireSettings settings) {
        Arbitrary<Integer> flags = flags(AttributeType.MP_REACH_NLRI);
        Arbitrary<Integer> reserved = Arbitraries.integers().between(0, 255).edgeCases(e -> e.add(0));
        Arbitrary<MpReachNlri> decoded = Arbitraries.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST)
                .flatMap(f -> Combinators.combine(flags, nextHop(f), reserved, nlriList(f, settings.addPath(f), 8))
                        .as((fl, nh, r, n) -> new MpReachNlri(fl, f, nh, r, n, null)));
        Arbitrary<MpReachNlri> raw = Combinators.combine(flags, otherFamily(),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(40), reserved,
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(100))
                .as((fl, f, nh, r, n) -> new MpReachNlri(fl, f, nh, r, null, n));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, decoded), net.jqwik.api.Tuple.of(1, raw));
    }

    public static Arbitrary<MpUnreachNlri> mpUnreach(WireSettings settings) {
        Arbitrary<Integer> flags = flags(AttributeType.MP_UNREACH_NLRI);
        Arbitrary<MpUnreachNlri> decoded = Arbitraries.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST)
                .flatMap(f -> Combinators.combine(flags, nlriList(f, settings.addPath(f), 10))
                        .as((fl, n) -> new MpUnreachNlri(fl, f, n, null)));
        Arbitrary<MpUnreachNlri> raw = Combinators.combine(flags, otherFamily(), Arbitraries.bytes().array(byte[].class).ofMaxSize(100))
                .as((fl, f, n) -> new MpUnreachNlri(fl, f, null, n));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, decoded), net.jqwik.api.Tuple.of(1, raw));
    }

    private static Arbitrary<AddressFamily> otherFamily() {
        return Combinators.combine(Arbitraries.integers().between(0, 0xFFFF), Arbitraries.integers().between(0, 0xFF))
                .as(AddressFamily::of).filter(f -> !f.isSupported());
    }

    /** One attribute of {@code type}, valid on its own under {@code settings}. */
    public static Arbitrary<? extends PathAttribute> attribute(AttributeType type, WireSettings settings) {
        boolean as4 = settings.fourOctetAs();
        return switch (type) {
            case ORIGIN -> origin();
            case AS_PATH -> asPath(as4);
            case NEXT_HOP -> nextHop();
            case MULTI_EXIT_DISC -> multiExitDisc();
            case LOCAL_PREF -> localPref();
            case ATOMIC_AGGREGATE -> atomicAggregate();
            case AGGREGATOR -> aggregator(as4);
            case COMMUNITIES -> communities();
            case ORIGINATOR_ID -> originatorId();
            case CLUSTER_LIST -> clusterList();
            case MP_REACH_NLRI -> mpReach(settings);
            case MP_UNREACH_NLRI -> mpUnreach(settings);
            case EXTENDED_COMMUNITIES -> extendedCommunities();
            case AS4_PATH -> as4Path();
            case AS4_AGGREGATOR -> as4Aggregator();
            case LARGE_COMMUNITY -> largeCommunities();
        };
    }

    /** Any single attribute, unknown ones included. */
    public static Arbitrary<PathAttribute> anyAttribute(WireSettings settings) {
        List<Arbitrary<? extends PathAttribute>> all = new ArrayList<>();
        for (AttributeType type : AttributeType.values()) {
            all.add(attribute(type, settings));
        }
        all.add(unknownAttribute());
        return Arbitraries.oneOf(all);
    }

    /**
     * A set that decodes back to itself under {@code settings}: distinct types in a random wire
     * order, AS4_* only on 2-octet sessions and with an AS_PATH, and the well-known mandatory
     * attributes whenever MP_REACH_NLRI is present (RFC 4760 §3). NEXT_HOP is left to the caller,
     * which knows whether the NLRI field is used.
     */
    public static Arbitrary<PathAttributes> pathAttributes(WireSettings settings) {
        List<AttributeType> types = new ArrayList<>(List.of(AttributeType.values()));
        if (settings.fourOctetAs()) {
            types.remove(AttributeType.AS4_PATH);
            types.remove(AttributeType.AS4_AGGREGATOR);
        }
        Arbitrary<List<PathAttribute>> known = Arbitraries.subsetOf(types).flatMap(chosen -> {
            Set<AttributeType> set = new java.util.HashSet<>(chosen);
            if (set.contains(AttributeType.AS4_PATH) || set.contains(AttributeType.MP_REACH_NLRI)) {
                set.add(AttributeType.AS_PATH);
            }
            if (set.contains(AttributeType.MP_REACH_NLRI)) {
                set.add(AttributeType.ORIGIN);
            }
            List<Arbitrary<PathAttribute>> parts = new ArrayList<>();
            for (AttributeType t : set) {
                parts.add(attribute(t, settings).map(a -> (PathAttribute) a));
            }
            return Combinators.combine(parts).as(ArrayList::new);
        });
        Arbitrary<List<UnknownAttribute>> unknown = unknownAttribute().list().ofMaxSize(2).uniqueElements(UnknownAttribute::typeCode);
        return Combinators.combine(known, unknown).as((k, u) -> {
            List<PathAttribute> all = new ArrayList<>(k);
            all.addAll(u);
            return all;
        }).flatMap(Arbitraries::shuffle).map(PathAttributes::of);
    }

    /**
     * An UPDATE that decodes back to itself under {@code settings}: IPv4 fields with path ids as
     * settings say, and ORIGIN, AS_PATH and NEXT_HOP added whenever the NLRI field is used.
     */
    public static Arbitrary<io.routereflector.wire.message.Update> update(WireSettings settings) {
        boolean pathIds = settings.addPath(AddressFamily.IPV4_UNICAST);
        return Combinators.combine(nlriList(AddressFamily.IPV4_UNICAST, pathIds, 20), pathAttributes(settings),
                nlriList(AddressFamily.IPV4_UNICAST, pathIds, 20)).as((withdrawn, attributes, nlri) -> {
                    PathAttributes a = attributes;
                    if (!nlri.isEmpty()) {
                        a = a.contains(AttributeType.ORIGIN) ? a : a.with(Origin.IGP);
                        a = a.contains(AttributeType.AS_PATH) ? a : a.with(AsPath.EMPTY);
                        a = a.contains(AttributeType.NEXT_HOP) ? a : a.with(new NextHop(0x0A000001));
                    }
                    return new io.routereflector.wire.message.Update(withdrawn, a, nlri);
                });
    }
}
