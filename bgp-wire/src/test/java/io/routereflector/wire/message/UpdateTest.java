package io.routereflector.wire.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.routereflector.wire.Hex;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.AttributeProblem;
import io.routereflector.wire.attribute.Communities;
import io.routereflector.wire.attribute.MpReachNlri;
import io.routereflector.wire.attribute.MpUnreachNlri;
import io.routereflector.wire.attribute.NextHop;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.attribute.Rfc7606Action;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Ipv6Prefix;
import io.routereflector.wire.nlri.Nlri;
import io.routereflector.wire.nlri.NlriList;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpdateTest {

    static final AddressFamily V4 = AddressFamily.IPV4_UNICAST;
    static final AddressFamily V6 = AddressFamily.IPV6_UNICAST;

    static NlriList v4(String... prefixes) {
        return NlriList.of(V4, false, List.of(prefixes).stream().map(Nlri::of).toList());
    }

    static NlriList v6(String... prefixes) {
        return NlriList.of(V6, false, List.of(prefixes).stream().map(Nlri::of).toList());
    }

    static byte[] encode(Update update, WireSettings settings) {
        return Hex.drain(MessageCodec.encode(update, settings, ByteBufAllocator.DEFAULT));
    }

    static Update decode(byte[] bytes, WireSettings settings) {
        return (Update) MessageCodec.decode(Unpooled.wrappedBuffer(bytes), settings);
    }

    @Test
    void endOfRibForIpv4IsTheEmptyUpdate() {
        Update eor = Update.endOfRib(V4);
        assertEquals("ffffffffffffffffffffffffffffffff001702" + "00000000", Hex.of(encode(eor, WireSettings.AS4)));
        Update decoded = decode(encode(eor, WireSettings.AS4), WireSettings.AS4);
        assertEquals(eor, decoded);
        assertEquals(V4, decoded.endOfRibFamily());
    }

    @Test
    void endOfRibForMpFamiliesIsALoneEmptyMpUnreach() {
        for (AddressFamily family : List.of(V6, new AddressFamily(1, 128))) {
            Update eor = Update.endOfRib(family);
            assertTrue(eor.isEndOfRib());
            // Path ids or not, an empty MP_UNREACH_NLRI is the same bytes and decodes to the same value.
            WireSettings addPath = WireSettings.AS4.withAddPath(Set.of(V6));
            Update decoded = decode(encode(eor, addPath), addPath);
            assertEquals(eor, decoded);
            assertEquals(family, decoded.endOfRibFamily());
        }
        assertEquals("ffffffffffffffffffffffffffffffff001d02" + "0000" + "0006" + "800f03000201",
                Hex.of(encode(Update.endOfRib(V6), WireSettings.AS4)));
    }

    @Test
    void notEndOfRib() {
        assertNull(Update.withdraw(v4("10.0.0.0/8")).endOfRibFamily());
        assertNull(new Update(v4(), PathAttributes.of(new MpUnreachNlri(v6("2001:db8::/32"))), v4()).endOfRibFamily());
        assertNull(new Update(v4(), PathAttributes.of(Origin.IGP), v4()).endOfRibFamily());
        assertNull(new Update(v4(), PathAttributes.of(MpUnreachNlri.endOfRib(V6), Origin.IGP), v4()).endOfRibFamily());
    }

    @Test
    void reachableAndUnreachableSpanTheFieldsAndTheMpAttributes() {
        byte[] nh = Ipv6Prefix.parseAddress("2001:db8::1");
        byte[] ll = Ipv6Prefix.parseAddress("fe80::1");
        PathAttributes attributes = PathAttributes.of(MpReachNlri.ipv6(nh, ll, v6("2001:db8:1::/48")),
                new MpUnreachNlri(v6("2001:db8:2::/48")), Origin.IGP, AsPath.EMPTY, new NextHop(1));
        Update update = new Update(v4("10.9.0.0/16"), attributes, v4("10.1.0.0/16"));
        assertEquals(v4("10.1.0.0/16"), update.reachable(V4));
        assertEquals(v4("10.9.0.0/16"), update.unreachable(V4));
        assertEquals(v6("2001:db8:1::/48"), update.reachable(V6));
        assertEquals(v6("2001:db8:2::/48"), update.unreachable(V6));
        assertArrayEquals(ll, update.attributes().mpReach().linkLocalNextHop());
        assertArrayEquals(nh, update.attributes().mpReach().globalNextHop());

        // IPv4 in both the NLRI field and MP_REACH_NLRI: legal, merged.
        MpReachNlri v4Reach = new MpReachNlri(V4, new byte[] {10, 0, 0, 1}, v4("10.2.0.0/16"));
        Update both = new Update(v4(), PathAttributes.of(v4Reach, Origin.IGP, AsPath.EMPTY, new NextHop(1)), v4("10.1.0.0/16"));
        assertEquals(v4("10.1.0.0/16", "10.2.0.0/16"), both.reachable(V4));
        assertEquals(0x0A000001, both.attributes().mpReach().ipv4NextHop());
        assertEquals(v4(), both.unreachable(V4));
        assertEquals(NlriList.empty(V6), both.reachable(V6));
        assertThrows(IllegalArgumentException.class, () -> both.reachable(new AddressFamily(25, 70)));
        assertThrows(IllegalStateException.class, () -> update.attributes().mpReach().ipv4NextHop());
    }

    @Test
    void problemsSummarize() {
        List<AttributeProblem> problems = List.of(AttributeProblem.discard(6, "a"), AttributeProblem.treatAsWithdraw(2, "b"),
                AttributeProblem.disable(14, V6, "c"));
        Update update = new Update(v4(), PathAttributes.EMPTY, v4(), problems);
        assertTrue(update.treatAsWithdraw());
        assertTrue(update.hasProblems());
        assertEquals(Rfc7606Action.AFI_SAFI_DISABLE, update.strongestAction());
        assertEquals(Set.of(V6), update.disabledFamilies());
        assertNull(Update.endOfRib(V4).strongestAction());
        assertFalse(Update.endOfRib(V4).treatAsWithdraw());
        assertTrue(problems.get(2).toString().contains("MP_REACH_NLRI"));
    }

    @Test
    void pathIdsFollowTheSession() {
        WireSettings addPath = WireSettings.AS4.withAddPath(Set.of(V4, V6));
        PathAttributes attributes = PathAttributes.of(Origin.IGP, AsPath.EMPTY, new NextHop(1),
                new MpReachNlri(V6, Ipv6Prefix.parseAddress("2001:db8::1"), v6("2001:db8::/32")));
        Update plain = new Update(v4("10.0.0.0/8"), attributes, v4("10.1.0.0/16"));
        // A list without ids goes to an ADD-PATH session with path id 0 ...
        Update withIds = decode(encode(plain, addPath), addPath);
        assertTrue(withIds.nlri().withPathIds());
        assertEquals(0, withIds.nlri().pathId(0));
        assertEquals(0, withIds.reachable(V6).pathId(0));
        // ... and a list with ids goes to a plain session without them.
        Update back = decode(encode(withIds, WireSettings.AS4), WireSettings.AS4);
        assertEquals(plain, back);
    }

    @Test
    void prefixLengthEdgesRoundTripInBothFamilies() {
        WireSettings addPath = WireSettings.AS4.withAddPath(Set.of(V4, V6));
        NlriList v4 = NlriList.of(V4, true, List.of(new Nlri(io.routereflector.wire.nlri.IpPrefix.parse("0.0.0.0/0"), 1),
                new Nlri(io.routereflector.wire.nlri.IpPrefix.parse("10.0.0.1/32"), -1),
                new Nlri(io.routereflector.wire.nlri.IpPrefix.parse("10.0.0.0/25"), 7)));
        NlriList v6 = NlriList.of(V6, true, List.of(new Nlri(io.routereflector.wire.nlri.IpPrefix.parse("::/0"), 2),
                new Nlri(io.routereflector.wire.nlri.IpPrefix.parse("2001:db8::1/128"), 3)));
        PathAttributes attributes = PathAttributes.of(MpReachNlri.ipv6(Ipv6Prefix.parseAddress("2001:db8::1"),
                Ipv6Prefix.parseAddress("fe80::1"), v6), Origin.IGP, AsPath.sequence((int) 4200000000L),
                new NextHop(1));
        Update update = Update.announce(attributes, v4);
        byte[] bytes = encode(update, addPath);
        Update decoded = decode(bytes, addPath);
        assertEquals(update, decoded);
        assertEquals(-1, decoded.nlri().pathId(1));
        assertEquals(32, decoded.attributes().mpReach().nextHopLength());
        assertEquals(4200000000L, Integer.toUnsignedLong(decoded.attributes().asPath().segments().get(0).asn(0)));
        assertArrayEquals(bytes, encode(decoded, addPath));
    }

    @Test
    void encodingRefusesToExceedTheMessageLimit() {
        int[] values = new int[1100];
        Update big = Update.announce(PathAttributes.of(Origin.IGP, AsPath.EMPTY, new NextHop(1), new Communities(values)), v4("10.0.0.0/8"));
        ByteBuf out = Unpooled.buffer();
        out.writeByte(7);
        assertThrows(IllegalArgumentException.class, () -> UpdateCodec.encode(big, WireSettings.AS4, out));
        assertEquals(1, out.writerIndex(), "nothing is left behind");
        UpdateCodec.encode(big, WireSettings.AS4.withExtendedMessages(true), out);
        assertTrue(out.writerIndex() > 4096);
    }

    @Test
    void updateValidates() {
        assertThrows(IllegalArgumentException.class, () -> new Update(v6(), PathAttributes.EMPTY, v4()));
        assertThrows(IllegalArgumentException.class, () -> new Update(v4(), null, v4()));
        assertEquals(MessageType.UPDATE, Update.endOfRib(V4).type());
    }
}
