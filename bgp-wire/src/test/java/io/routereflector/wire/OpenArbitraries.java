package io.routereflector.wire;

import io.routereflector.wire.capability.AddPath;
import io.routereflector.wire.capability.Capability;
import io.routereflector.wire.capability.EnhancedRouteRefresh;
import io.routereflector.wire.capability.ExtendedMessage;
import io.routereflector.wire.capability.FourOctetAs;
import io.routereflector.wire.capability.Fqdn;
import io.routereflector.wire.capability.GracefulRestart;
import io.routereflector.wire.capability.LongLivedGracefulRestart;
import io.routereflector.wire.capability.Multiprotocol;
import io.routereflector.wire.capability.RouteRefreshCapability;
import io.routereflector.wire.capability.UnknownCapability;
import io.routereflector.wire.message.Open;
import io.routereflector.wire.message.OptionalParameter;
import io.routereflector.wire.message.RouteRefresh;
import io.routereflector.wire.nlri.AddressFamily;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * jqwik generators for capabilities, OPEN and ROUTE-REFRESH, shared with later modules through the
 * test jar. Everything generated is valid and decodable: an OPEN has version 4, a hold time other
 * than 1 or 2, a nonzero identifier and fits in 4096 octets.
 */
public final class OpenArbitraries {

    /** Codes that decode to a kind of their own; unknown capabilities avoid them. */
    public static final Set<Integer> KNOWN_CODES = Set.of(Multiprotocol.CODE, RouteRefreshCapability.CODE,
            EnhancedRouteRefresh.CODE, ExtendedMessage.CODE, FourOctetAs.CODE, GracefulRestart.CODE,
            LongLivedGracefulRestart.CODE, AddPath.CODE, Fqdn.CODE);

    private OpenArbitraries() {
    }

    /** Mostly the two unicast families, sometimes any AFI/SAFI. */
    public static Arbitrary<AddressFamily> families() {
        Arbitrary<AddressFamily> any = Combinators.combine(Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.integers().between(0, 0xFF)).as(AddressFamily::of);
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST)),
                Tuple.of(1, any));
    }

    private static Arbitrary<Integer> octets() {
        return Arbitraries.integers().between(0, 0xFF);
    }

    public static Arbitrary<Multiprotocol> multiprotocol() {
        return Combinators.combine(families(), Arbitraries.frequency(
                Tuple.of(4, 0), Tuple.of(1, 0x5A))).as(Multiprotocol::new);
    }

    public static Arbitrary<FourOctetAs> fourOctetAs() {
        return Arbitraries.longs().between(0, 0xFFFF_FFFFL).map(FourOctetAs::new);
    }

    public static Arbitrary<GracefulRestart> gracefulRestart() {
        Arbitrary<GracefulRestart.Entry> entry = Combinators.combine(families(), octets()).as(GracefulRestart.Entry::new);
        return Combinators.combine(Arbitraries.integers().between(0, 0xF),
                Arbitraries.integers().between(0, GracefulRestart.MAX_RESTART_TIME),
                entry.list().ofMaxSize(GracefulRestart.MAX_FAMILIES)).as(GracefulRestart::new);
    }

    public static Arbitrary<LongLivedGracefulRestart> longLivedGracefulRestart() {
        Arbitrary<LongLivedGracefulRestart.Entry> entry = Combinators.combine(families(), octets(),
                Arbitraries.integers().between(0, LongLivedGracefulRestart.MAX_STALE_TIME))
                .as(LongLivedGracefulRestart.Entry::new);
        return entry.list().ofMaxSize(LongLivedGracefulRestart.MAX_FAMILIES).map(LongLivedGracefulRestart::new);
    }

    public static Arbitrary<AddPath> addPath() {
        Arbitrary<AddPath.Entry> entry = Combinators.combine(families(),
                Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.integers().between(1, 3)),
                        Tuple.of(1, octets()))).as(AddPath.Entry::new);
        return entry.list().ofMaxSize(AddPath.MAX_FAMILIES).map(AddPath::new);
    }

    /** Host and domain names of ASCII and a few non-ASCII letters, never lone surrogates. */
    public static Arbitrary<Fqdn> fqdn() {
        Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9')
                .withChars('-', '.').withCharRange('\u00e0', '\u00ff').withCharRange('\u4e00', '\u4e20')
                .ofMaxLength(120);
        return Combinators.combine(label, label)
                .filter((h, d) -> 2 + h.getBytes(StandardCharsets.UTF_8).length
                        + d.getBytes(StandardCharsets.UTF_8).length <= Capability.MAX_VALUE_LENGTH)
                .as(Fqdn::new);
    }

    public static Arbitrary<UnknownCapability> unknownCapability() {
        return Combinators.combine(octets().filter(c -> !KNOWN_CODES.contains(c)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(Capability.MAX_VALUE_LENGTH))
                .as(UnknownCapability::new);
    }

    /** Any capability, every kind equally likely. */
    public static Arbitrary<Capability> capabilities() {
        return Arbitraries.oneOf(multiprotocol(), fourOctetAs(), gracefulRestart(), longLivedGracefulRestart(),
                addPath(), fqdn(), unknownCapability(),
                Arbitraries.of(RouteRefreshCapability.INSTANCE, EnhancedRouteRefresh.INSTANCE, ExtendedMessage.INSTANCE));
    }

    public static Arbitrary<OptionalParameter> capabilityParameters() {
        return capabilities().list().ofMaxSize(6).map(OptionalParameter.Capabilities::new);
    }

    /** A hold time a decoder accepts: 0 or at least 3 (RFC 4271 §4.2). */
    public static Arbitrary<Integer> holdTimes() {
        return Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.of(3, 9, 90, 180, 240, 65535),
                Arbitraries.integers().between(3, 0xFFFF));
    }

    public static Arbitrary<Integer> identifiers() {
        return Arbitraries.integers().filter(id -> id != 0);
    }

    public static Arbitrary<Long> asNumbers() {
        return Arbitraries.oneOf(Arbitraries.longs().between(1, 0xFFFF), Arbitraries.longs().between(0x10000, 0xFFFF_FFFFL),
                Arbitraries.of(64512L, 65000L, 4_200_000_000L, 4_294_967_295L));
    }

    /**
     * OPENs as received: any grouping of capabilities into parameters, sometimes the RFC 9072
     * encoding by choice, sometimes by necessity (over 255 octets of parameters).
     */
    public static Arbitrary<Open> opens() {
        return Combinators.combine(Arbitraries.integers().between(0, 0xFFFF), holdTimes(), identifiers(),
                capabilityParameters().list().ofMaxSize(8), Arbitraries.of(false, true))
                .as((myAs, hold, id, params, extended) -> new Open(Open.VERSION, myAs, hold, id, params, extended))
                .filter(OpenArbitraries::fits);
    }

    /** OPENs as we build them to send ({@link Open#of}). */
    public static Arbitrary<Open> sentOpens() {
        return Combinators.combine(asNumbers(), holdTimes(), identifiers(), capabilities().list().ofMaxSize(12))
                .as((asn, hold, id, caps) -> {
                    List<Capability> all = new ArrayList<>(caps);
                    all.removeIf(c -> c instanceof FourOctetAs);
                    all.add(new FourOctetAs(asn));
                    return Open.of(asn, hold, id, all);
                })
                .filter(OpenArbitraries::fits);
    }

    /** Whether the OPEN fits in 4096 octets (RFC 8654 §3: never extended). */
    public static boolean fits(Open open) {
        int params = 0;
        for (OptionalParameter p : open.parameters()) {
            params += (open.extendedParameters() ? 3 : 2) + p.valueLength();
        }
        return MessageHeader.LENGTH + 10 + (open.extendedParameters() ? 3 : 0) + params <= WireSettings.MAX_LENGTH;
    }

    /** Any ROUTE-REFRESH a decoder accepts: ORF octets only on subtype 0 or unknown subtypes. */
    public static Arbitrary<RouteRefresh> routeRefreshes() {
        Arbitrary<RouteRefresh> markers = Combinators.combine(families(), Arbitraries.of(RouteRefresh.NORMAL,
                RouteRefresh.BEGIN, RouteRefresh.END)).as(RouteRefresh::new);
        Arbitrary<RouteRefresh> withOrf = Combinators.combine(families(),
                Arbitraries.integers().between(0, 0xFF).filter(s -> s != RouteRefresh.BEGIN && s != RouteRefresh.END),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64)).as(RouteRefresh::new);
        return Arbitraries.oneOf(markers, withOrf);
    }
}
