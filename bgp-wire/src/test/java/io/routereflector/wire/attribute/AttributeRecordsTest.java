package io.routereflector.wire.attribute;

import io.routereflector.wire.WireSettings;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Ipv6Prefix;
import io.routereflector.wire.nlri.Nlri;
import io.routereflector.wire.nlri.NlriList;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Constructor checks, accessors and the log text of the attribute records. */
class AttributeRecordsTest {

    static final AddressFamily V6 = AddressFamily.IPV6_UNICAST;
    static final NlriList V6_NLRI = NlriList.of(V6, false, List.of(Nlri.of("2001:db8::/32")));

    @Test
    void mpReachChecksItsParts() {
        byte[] nh = Ipv6Prefix.parseAddress("2001:db8::1");
        int flags = AttributeType.MP_REACH_NLRI.canonicalFlags();
        assertThrows(IllegalArgumentException.class, () -> new MpReachNlri(flags, new AddressFamily(25, 70), new byte[256], 0, null, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new MpReachNlri(V6, new byte[4], V6_NLRI));
        assertThrows(IllegalArgumentException.class, () -> new MpReachNlri(flags, V6, nh, 256, V6_NLRI, null));
        assertThrows(IllegalArgumentException.class, () -> new MpReachNlri(flags, V6, nh, 0, V6_NLRI, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new MpReachNlri(flags, V6, nh, 0, null, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new MpReachNlri(AddressFamily.IPV4_UNICAST, new byte[4], V6_NLRI));
        assertThrows(IllegalArgumentException.class, () -> new MpUnreachNlri(flags, V6, null, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new MpUnreachNlri(flags, AddressFamily.IPV4_UNICAST, V6_NLRI, null));

        MpReachNlri reach = new MpReachNlri(V6, nh, V6_NLRI);
        assertEquals(16, reach.nextHopLength());
        assertTrue(reach.isDecoded());
        assertNull(reach.linkLocalNextHop());
        assertNull(reach.rawNlri());
        reach.nextHop()[0] = 0;
        assertEquals(0x20, reach.nextHop()[0] & 0xFF, "next hop copied out");
        assertTrue(reach.toString().contains("2001:db8::/32"), reach.toString());

        MpReachNlri raw = new MpReachNlri(flags, new AddressFamily(25, 70), new byte[] {1}, 0, null, new byte[] {2});
        assertFalse(raw.isDecoded());
        assertEquals(2, raw.rawNlri()[0]);
        assertThrows(IllegalStateException.class, raw::globalNextHop);
        assertTrue(raw.toString().contains("raw 02"), raw.toString());
        assertNotEquals(raw, reach);
        assertEquals(raw.hashCode(), new MpReachNlri(flags, new AddressFamily(25, 70), new byte[] {1}, 0, null, new byte[] {2}).hashCode());

        MpUnreachNlri unreach = new MpUnreachNlri(flags, new AddressFamily(25, 70), null, new byte[] {3});
        assertFalse(unreach.isDecoded());
        assertFalse(unreach.isEmpty());
        assertEquals(3, unreach.rawWithdrawn()[0]);
        assertTrue(unreach.toString().contains("raw 03"), unreach.toString());
        assertNull(new MpUnreachNlri(V6_NLRI).rawWithdrawn());
        assertTrue(new MpUnreachNlri(V6_NLRI).toString().contains("2001:db8::/32"));
    }

    @Test
    void logTextNamesTheValues() {
        assertEquals("Communities[65000:100 65535:65281, flags=0xc0]",
                new Communities(Communities.of(65000, 100), Communities.NO_EXPORT).toString());
        assertEquals("ClusterList[10.0.0.254, flags=0x80]", new ClusterList(0x0A0000FE).toString());
        assertEquals("ExtendedCommunities[0002fde800000064, flags=0xc0]", new ExtendedCommunities(0x0002FDE800000064L).toString());
        assertEquals("LargeCommunities[4200000000:1:2, flags=0xc0]", new LargeCommunities((int) 4200000000L, 1, 2).toString());
        assertEquals("NextHop[10.0.0.1, flags=0x40]", new NextHop(0x0A000001).toString());
        assertEquals("OriginatorId[10.0.0.5, flags=0x80]", new OriginatorId(0x0A000005).toString());
        assertEquals("Aggregator[4200000000 10.0.0.1, flags=0xc0]", new Aggregator((int) 4200000000L, 0x0A000001).toString());
        assertEquals("As4Aggregator[70000 10.0.0.1, flags=0xc0]", new As4Aggregator(70000, 0x0A000001).toString());
        assertEquals("UnknownAttribute[type=200, flags=0xc0, value=abcd]",
                new UnknownAttribute(0xC0, 200, new byte[] {(byte) 0xAB, (byte) 0xCD}).toString());
        assertEquals("[1 2]", new AsPath.Segment(AsPath.SegmentType.AS_CONFED_SET, new int[] {1, 2}).toString());
        assertEquals("[Origin[flags=64, kind=IGP]]", PathAttributes.of(Origin.IGP).toString());
        assertEquals("TREAT_AS_WITHDRAW (attribute 200): x", AttributeProblem.treatAsWithdraw(200, "x").toString());
    }

    @Test
    void accessorsOfArrayRecords() {
        LargeCommunities large = new LargeCommunities(1, 2, 3, 4, 5, 6);
        assertEquals(2, large.size());
        assertEquals(4, large.globalAdministrator(1));
        assertEquals(5, large.localData1(1));
        assertEquals(6, large.localData2(1));
        assertFalse(large.contains(1, 2, 4));
        assertEquals(6, large.values().length);
        assertEquals(large.hashCode(), new LargeCommunities(1, 2, 3, 4, 5, 6).hashCode());

        ExtendedCommunities ext = new ExtendedCommunities(0x0102030405060708L);
        assertEquals(1, ext.size());
        assertEquals(0x01, ext.typeOf(0));
        assertEquals(0x0102030405060708L, ext.get(0));
        assertFalse(ext.contains(1L));
        assertEquals(1, ext.values().length);
        assertEquals(ext.hashCode(), new ExtendedCommunities(0x0102030405060708L).hashCode());

        Communities c = new Communities(Communities.NO_PEER);
        assertEquals(1, c.size());
        assertEquals(Communities.NO_PEER, c.get(0));
        assertFalse(c.contains(Communities.NO_ADVERTISE));
        assertEquals(Communities.NO_PEER, c.values()[0]);
        assertEquals(c.hashCode(), new Communities(Communities.NO_PEER).hashCode());

        ClusterList list = new ClusterList(1);
        assertEquals(1, list.size());
        assertEquals(list.hashCode(), new ClusterList(1).hashCode());

        UnknownAttribute unknown = new UnknownAttribute(0x80, 200, new byte[] {1, 2});
        assertEquals(2, unknown.length());
        assertEquals(2, unknown.value().length);
        assertEquals(unknown.hashCode(), new UnknownAttribute(0x80, 200, new byte[] {1, 2}).hashCode());
        assertThrows(IllegalArgumentException.class, () -> new UnknownAttribute(0x100, 200, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new UnknownAttribute(0x80, 200, new byte[0x10000]));

        AsPath.Segment s = AsPath.Segment.sequence(1, 2);
        assertEquals(2, s.size());
        assertEquals(2, s.asns()[1]);
        assertNotEquals(s, AsPath.Segment.set(1, 2));
        assertEquals(s.hashCode(), AsPath.Segment.sequence(1, 2).hashCode());
        assertNull(AsPath.SegmentType.fromCode(0));
        assertThrows(IllegalArgumentException.class, () -> new AsPath.Segment(null, new int[] {1}));
    }

    @Test
    void tableAndHeaderDetails() {
        assertTrue(AttributeType.AGGREGATOR.optional());
        assertTrue(AttributeType.AGGREGATOR.transitive());
        assertFalse(AttributeType.CLUSTER_LIST.transitive());
        assertEquals(Rfc7606Action.AFI_SAFI_DISABLE, AttributeType.MP_UNREACH_NLRI.flagsErrorAction());
        assertEquals(Rfc7606Action.TREAT_AS_WITHDRAW, AttributeType.ATOMIC_AGGREGATE.flagsErrorAction());
        assertEquals(Rfc7606Action.ATTRIBUTE_DISCARD, AttributeType.ATOMIC_AGGREGATE.malformedAction());
        assertNull(AttributeType.fromCode(-1));
        assertNull(AttributeType.fromCode(256));
        assertTrue(Rfc7606Action.SESSION_RESET.isStrongerThan(Rfc7606Action.AFI_SAFI_DISABLE));
        assertEquals(AttributeType.ORIGIN, Origin.IGP.type());
        assertNull(new UnknownAttribute(0x80, 200, new byte[0]).type());
        assertTrue(Origin.of(Origin.Kind.EGP) == Origin.EGP);
        assertTrue(Origin.of(Origin.Kind.IGP) == Origin.IGP);
        assertThrows(IllegalArgumentException.class, () -> new Origin(0x40, null));
        assertThrows(IllegalArgumentException.class, () -> new AttributeProblem(-1, Rfc7606Action.ATTRIBUTE_DISCARD, null, "x"));
        assertThrows(IllegalArgumentException.class, () -> new AttributeProblem(1, Rfc7606Action.ATTRIBUTE_DISCARD, null, null));
        PathAttributes set = PathAttributes.of(List.of(Origin.IGP, new NextHop(1)));
        assertEquals(Origin.IGP, set.get(AttributeType.ORIGIN));
        assertEquals(new NextHop(1), set.attribute(1));
        assertTrue(set.contains(AttributeType.NEXT_HOP));
        assertThrows(IllegalArgumentException.class, () -> PathAttributes.of(Origin.IGP, null));
        assertTrue(PathAttributes.of(List.of()).isEmpty());
        // 2-octet AGGREGATOR of an ASN that fits is written as it is.
        io.netty.buffer.ByteBuf out = io.netty.buffer.Unpooled.buffer();
        new Aggregator(65000, 1).encodeValue(out, WireSettings.INITIAL);
        assertEquals("fde800000001", io.netty.buffer.ByteBufUtil.hexDump(out));
    }
}
