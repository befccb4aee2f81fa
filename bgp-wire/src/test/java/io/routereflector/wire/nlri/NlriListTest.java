package io.routereflector.wire.nlri;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.routereflector.wire.Hex;
import io.routereflector.wire.error.NotificationCode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static io.routereflector.wire.nlri.AddressFamily.IPV4_UNICAST;
import static io.routereflector.wire.nlri.AddressFamily.IPV6_UNICAST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NlriListTest {

    static NlriList decode(String hex, AddressFamily family, boolean pathIds) {
        ByteBuf buf = Hex.buf(hex);
        NlriList list = NlriList.decode(buf, buf.writerIndex(), family, pathIds);
        assertEquals(buf.writerIndex(), buf.readerIndex());
        return list;
    }

    static String encode(NlriList list) {
        ByteBuf out = Unpooled.buffer();
        list.encode(out);
        assertEquals(list.encodedLength(), out.readableBytes());
        return Hex.hex(out);
    }

    @Provide
    Arbitrary<Nlri> v4() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 32), Arbitraries.integers())
                .as((a, len, id) -> new Nlri(new Ipv4Prefix(a & Ipv4Prefix.mask(len), len), id));
    }

    @Provide
    Arbitrary<Nlri> v6() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), Arbitraries.integers().between(0, 128),
                Arbitraries.integers()).as((h, l, len, id) ->
                new Nlri(new Ipv6Prefix(h & Ipv6Prefix.highMask(len), l & Ipv6Prefix.lowMask(len), len), id));
    }

    private static void roundTrip(AddressFamily family, List<Nlri> entries, boolean pathIds) {
        List<Nlri> input = pathIds ? entries : entries.stream().map(n -> Nlri.of(n.prefix())).toList();
        NlriList list = NlriList.of(family, pathIds, input);
        ByteBuf out = Unpooled.buffer();
        list.encode(out);
        NlriList decoded = NlriList.decode(out, out.writerIndex(), family, pathIds);
        assertEquals(list, decoded);
        assertEquals(input, decoded);
        assertEquals(list.hashCode(), decoded.hashCode());
    }

    @Property(tries = 300)
    void ipv4RoundTrips(@ForAll List<@From("v4") Nlri> entries, @ForAll boolean pathIds) {
        roundTrip(IPV4_UNICAST, entries, pathIds);
    }

    /** Many entries: array growth past the initial 64 slots, in both families. */
    @Property(tries = 300)
    void ipv6RoundTrips(@ForAll List<@From("v6") Nlri> entries, @ForAll boolean pathIds) {
        List<Nlri> many = new ArrayList<>(entries);
        many.addAll(entries);
        many.addAll(entries);
        roundTrip(IPV6_UNICAST, many, pathIds);
    }

    @Test
    void moreThan32Ipv6Prefixes() {
        // Was an ArrayIndexOutOfBoundsException: the IPv6 array started with room for 32 entries, the others 64.
        NlriList list = decode("00".repeat(40), IPV6_UNICAST, false);
        assertEquals(40, list.size());
        assertEquals(IpPrefix.parse("::/0"), list.prefix(39));
        NlriList many = decode("40 20010db8 00000000".replace(" ", "").repeat(200), IPV6_UNICAST, false);
        assertEquals(200, many.size());
    }

    @Test
    void ipv4WireForm() {
        NlriList list = decode("00 08 0a 10 c0a8 18 c0a801 20 c0a80101 19 c0a80180", IPV4_UNICAST, false);
        assertEquals(List.of(Nlri.of("0.0.0.0/0"), Nlri.of("10.0.0.0/8"), Nlri.of("192.168.0.0/16"),
                Nlri.of("192.168.1.0/24"), Nlri.of("192.168.1.1/32"), Nlri.of("192.168.1.128/25")), list);
        assertEquals(0xc0a80101, list.ipv4Address(4));
        assertEquals(32, list.prefixLength(4));
        assertEquals("0008 0a10 c0a8 18c0a801 20c0a80101 19c0a80180".replace(" ", ""), encode(list));
    }

    @Test
    void ipv6WireForm() {
        NlriList list = decode("00 80 20010db8000000000000000000000001 30 20010db80001 41 20010db800000000 80", IPV6_UNICAST, false);
        assertEquals(List.of(Nlri.of("::/0"), Nlri.of("2001:db8::1/128"), Nlri.of("2001:db8:1::/48"),
                Nlri.of("2001:db8:0:0:8000::/65")), list);
    }

    @Test
    void pathIds() {
        NlriList list = decode("00000001 18 0a0000 ffffffff 20 0a000001", IPV4_UNICAST, true);
        assertTrue(list.withPathIds());
        assertEquals(1, list.pathId(0));
        assertEquals(-1, list.pathId(1));
        assertEquals("10.0.0.1/32#4294967295", list.get(1).toString());
        assertEquals("10.0.0.0/24#1", list.get(0).toString());
        assertEquals(0, NlriList.ofPrefixes(IPV4_UNICAST, List.of(IpPrefix.parse("10.0.0.0/8"))).pathId(0));
        NlriList v6 = decode("00000007 40 20010db800000000", IPV6_UNICAST, true);
        assertEquals(new Nlri(IpPrefix.parse("2001:db8::/64"), 7), v6.get(0));
    }

    @Test
    void trailingBitsAreIgnored() {
        // RFC 4271 §4.3: the value of trailing bits is irrelevant; they are cleared.
        assertEquals(Nlri.of("10.0.0.0/7"), decode("07 0b", IPV4_UNICAST, false).get(0));
        assertEquals(Nlri.of("2001:db8::/31"), decode("1f 20010db9", IPV6_UNICAST, false).get(0));
        assertEquals(Nlri.of("2001:db8::/65"), decode("41 20010db800000000 7f", IPV6_UNICAST, false).get(0));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "IPv4 length 33, 21 0a000000ff, 1, false",
        "IPv4 length 255, ff, 1, false",
        "IPv6 length 129, 81 " + "00000000000000000000000000000000ff, 2, false",
        "IPv4 prefix overruns, 18 0a00, 1, false",
        "IPv4 length without prefix, 08, 1, false",
        "IPv6 prefix overruns, 40 20010db8, 2, false",
        "second entry overruns, 08 0a 10 0a, 1, false",
        "path id cut, 000000, 1, true",
        "path id without length, 00000001, 1, true",
        "path id then overrun, 00000001 20 0a00, 1, true",
    })
    void invalidNetworkField(String name, String hex, int afi, boolean pathIds) {
        AddressFamily family = afi == 1 ? IPV4_UNICAST : IPV6_UNICAST;
        Hex.assertNotification(NotificationCode.UPDATE_INVALID_NETWORK_FIELD, new byte[0],
                () -> decode(hex, family, pathIds));
    }

    @Test
    void decodesOnlyUpToEnd() {
        ByteBuf buf = Hex.buf("08 0a 08 0b ff ff");
        NlriList list = NlriList.decode(buf, 4, IPV4_UNICAST, false);
        assertEquals(2, list.size());
        assertEquals(4, buf.readerIndex());
        assertEquals(0, NlriList.decode(buf, 4, IPV4_UNICAST, false).size());
    }

    @Test
    void equalsAndHashCode() {
        NlriList a = NlriList.ofPrefixes(IPV4_UNICAST, List.of(IpPrefix.parse("10.0.0.0/8"), IpPrefix.parse("10.1.0.0/16")));
        NlriList decoded = decode("08 0a 10 0a01", IPV4_UNICAST, false);
        assertEquals(a, decoded);
        assertEquals(decoded, a);
        assertEquals(a.hashCode(), decoded.hashCode());
        assertEquals(a, List.copyOf(a), "equal to a plain list of the same entries");
        assertEquals(List.copyOf(a), a);
        assertEquals(a, a);
        assertNotEquals(a, decode("08 0a 10 0a02", IPV4_UNICAST, false));
        assertNotEquals(a, decode("08 0a 11 0a0100", IPV4_UNICAST, false), "length differs");
        assertNotEquals(a, decode("08 0a", IPV4_UNICAST, false), "size differs");
        assertNotEquals(a, NlriList.of(IPV4_UNICAST, true, List.copyOf(a)), "path ids carried or not");
        NlriList v6a = NlriList.ofPrefixes(IPV6_UNICAST, List.of(IpPrefix.parse("2001:db8::/32")));
        NlriList v6b = NlriList.ofPrefixes(IPV6_UNICAST, List.of(IpPrefix.parse("2001:db9::/32")));
        assertNotEquals(v6a, v6b);
        assertEquals(v6a, decode("20 20010db8", IPV6_UNICAST, false));
        assertNotEquals(NlriList.empty(IPV4_UNICAST), NlriList.empty(IPV6_UNICAST));
        NlriList withIds = NlriList.of(IPV4_UNICAST, true, List.of(new Nlri(IpPrefix.parse("10.0.0.0/8"), 1)));
        assertNotEquals(withIds, NlriList.of(IPV4_UNICAST, true, List.of(new Nlri(IpPrefix.parse("10.0.0.0/8"), 2))));
        assertEquals(0, NlriList.empty(IPV6_UNICAST).size());
        assertEquals(IPV6_UNICAST, NlriList.empty(IPV6_UNICAST).family());
        assertFalse(NlriList.empty(IPV6_UNICAST).withPathIds());
    }

    @Test
    void misuseIsRefused() {
        AddressFamily vpn = new AddressFamily(1, 128);
        assertThrows(IllegalArgumentException.class, () -> NlriList.empty(vpn));
        assertThrows(IllegalArgumentException.class, () -> NlriList.decode(Hex.buf("00"), 1, vpn, false));
        assertThrows(IllegalArgumentException.class, () -> NlriList.of(IPV4_UNICAST, false, List.of(Nlri.of("::/0"))));
        assertThrows(IllegalArgumentException.class, () -> NlriList.of(IPV4_UNICAST, false,
                List.of(new Nlri(IpPrefix.parse("10.0.0.0/8"), 5))));
        NlriList one = NlriList.ofPrefixes(IPV4_UNICAST, List.of(IpPrefix.parse("10.0.0.0/8")));
        assertThrows(IndexOutOfBoundsException.class, () -> one.get(1));
        assertThrows(IndexOutOfBoundsException.class, () -> one.prefix(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> one.pathId(1));
        assertThrows(IndexOutOfBoundsException.class, () -> one.prefixLength(1));
        assertThrows(IndexOutOfBoundsException.class, () -> one.ipv4Address(1));
        assertThrows(UnsupportedOperationException.class, () -> one.add(Nlri.of("10.0.0.0/8")));
        assertThrows(IllegalArgumentException.class, () -> new Nlri(null, 0));
    }

    @Test
    void encodedLengths() {
        NlriList list = decode("00000001 18 0a0000 00000002 00", IPV4_UNICAST, true);
        assertEquals(8, list.encodedEntryLength(0));
        assertEquals(5, list.encodedEntryLength(1));
        assertEquals(13, list.encodedLength());
        ByteBuf out = Unpooled.buffer();
        list.encodeEntry(1, out);
        assertEquals("0000000200", Hex.hex(out));
    }
}
