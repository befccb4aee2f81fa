package io.routereflector.wire.attribute;

import io.routereflector.wire.WireSettings;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathAttributesTest {

    @Provide
    Arbitrary<PathAttributes> sets() {
        return AttributeArbitraries.pathAttributes(WireSettings.INITIAL);
    }

    /** Lookup by type code agrees with a linear scan of the wire order, for every code. */
    @Property(tries = 500)
    void lookupMatchesTheWireOrder(@ForAll("sets") PathAttributes set) {
        for (int code = 0; code < 256; code++) {
            PathAttribute expected = null;
            for (PathAttribute a : set) {
                if (a.typeCode() == code) {
                    expected = a;
                }
            }
            assertSame(expected, set.get(code), "code " + code);
            assertEquals(expected != null, set.contains(code));
        }
    }

    @Property(tries = 300)
    void withAndWithoutKeepTheOthersInOrder(@ForAll("sets") PathAttributes set) {
        LocalPref pref = new LocalPref(42);
        PathAttributes with = set.with(pref);
        assertEquals(pref, with.localPref());
        assertEquals(set.contains(5) ? set.size() : set.size() + 1, with.size());
        PathAttributes without = with.without(AttributeType.LOCAL_PREF);
        assertNull(without.localPref());
        List<PathAttribute> expected = new ArrayList<>(set.asList());
        expected.removeIf(a -> a.typeCode() == 5);
        assertEquals(expected, without.asList());
    }

    @Test
    void builderSortsByTypeCodeAndWithInsertsInOrder() {
        PathAttributes set = PathAttributes.builder().add(new LocalPref(100)).add(Origin.IGP).add(new NextHop(1)).build();
        assertEquals(List.of(1, 3, 5), set.asList().stream().map(PathAttribute::typeCode).toList());
        PathAttributes more = set.with(AsPath.sequence(65000));
        assertEquals(List.of(1, 2, 3, 5), more.asList().stream().map(PathAttribute::typeCode).toList());
        assertEquals(List.of(1, 2, 3, 5, 10), more.with(new ClusterList(7)).asList().stream().map(PathAttribute::typeCode).toList());
        assertSame(set, set.without(9));
        assertSame(PathAttributes.EMPTY, PathAttributes.of(Origin.IGP).without(1));
        assertSame(PathAttributes.EMPTY, PathAttributes.builder().build());
    }

    @Test
    void duplicatesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> PathAttributes.of(Origin.IGP, Origin.EGP));
        assertThrows(IllegalArgumentException.class, () -> PathAttributes.builder().add(Origin.IGP).add(Origin.EGP).build());
    }

    @Test
    void typedGettersFindEveryType() {
        WireSettings s = WireSettings.INITIAL;
        PathAttributes set = PathAttributes.builder().add(Origin.EGP).add(AsPath.sequence(1, 2)).add(new NextHop(1))
                .add(new MultiExitDisc(5)).add(new LocalPref(100)).add(AtomicAggregate.INSTANCE).add(new Aggregator(1, 2))
                .add(new Communities(Communities.NO_EXPORT)).add(new OriginatorId(3)).add(new ClusterList(4))
                .add(MpUnreachNlri.endOfRib(io.routereflector.wire.nlri.AddressFamily.IPV6_UNICAST))
                .add(new ExtendedCommunities(9L)).add(new As4Path(List.of(AsPath.Segment.sequence(70000))))
                .add(new As4Aggregator(70000, 2)).add(new LargeCommunities(1, 2, 3)).build();
        assertEquals(Origin.EGP, set.origin());
        assertEquals(2, set.asPath().pathLength());
        assertEquals(1, set.nextHop().address());
        assertEquals(5, set.multiExitDisc().value());
        assertEquals(100, set.localPref().value());
        assertSame(AtomicAggregate.INSTANCE, set.atomicAggregate());
        assertEquals(1, set.aggregator().asn());
        assertTrue(set.communities().contains(Communities.NO_EXPORT));
        assertEquals(3, set.originatorId().routerId());
        assertTrue(set.clusterList().contains(4));
        assertNull(set.mpReach());
        assertTrue(set.mpUnreach().isEmpty());
        assertTrue(set.extendedCommunities().contains(9L));
        assertTrue(set.as4Path().segments().get(0).asn(0) == 70000);
        assertEquals(70000, set.as4Aggregator().asn());
        assertTrue(set.largeCommunities().contains(1, 2, 3));
        assertEquals(set.encodedLength(s), encodedSize(set, s));
    }

    private static int encodedSize(PathAttributes set, WireSettings s) {
        io.netty.buffer.ByteBuf out = io.netty.buffer.Unpooled.buffer();
        set.encode(out, s);
        int n = out.readableBytes();
        out.release();
        return n;
    }

    @Test
    void equalityFollowsTheWireOrder() {
        PathAttributes a = PathAttributes.of(Origin.IGP, new NextHop(1));
        PathAttributes b = PathAttributes.of(new NextHop(1), Origin.IGP);
        assertNotEquals(a, b);
        assertEquals(a, PathAttributes.of(Origin.IGP, new NextHop(1)));
        assertEquals(a.hashCode(), PathAttributes.of(Origin.IGP, new NextHop(1)).hashCode());
    }

    @Test
    void internerSharesEqualSetsAcrossThreads() throws Exception {
        AttributeInterner interner = new AttributeInterner();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<PathAttributes>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                // A fresh but equal set every time: the interner must hand back one instance.
                results.add(pool.submit(() -> interner.intern(PathAttributes.of(Origin.INCOMPLETE, AsPath.EMPTY,
                        new NextHop(0x0A000005), new LocalPref(100)))));
            }
            PathAttributes first = results.get(0).get();
            for (Future<PathAttributes> f : results) {
                assertSame(first, f.get());
            }
        } finally {
            pool.shutdown();
        }
        PathAttributes other = PathAttributes.of(Origin.IGP);
        assertSame(other, interner.intern(other));
        assertEquals(2, interner.size());
    }

    @Test
    void internedSetsAreCollectedWhenUnused() throws InterruptedException {
        AttributeInterner interner = new AttributeInterner();
        for (int i = 0; i < 1000; i++) {
            interner.intern(PathAttributes.of(new LocalPref(i)));
        }
        for (int round = 0; round < 50 && interner.size() > 0; round++) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(interner.size() < 1000, "weak entries were never collected: " + interner.size());
    }

    @Test
    void recordsValidate() {
        assertThrows(IllegalArgumentException.class, () -> new Origin(0xC0, Origin.Kind.IGP));
        assertThrows(IllegalArgumentException.class, () -> new Origin(0x100, Origin.Kind.IGP));
        assertThrows(IllegalArgumentException.class, () -> new MultiExitDisc(-1));
        assertThrows(IllegalArgumentException.class, () -> new LocalPref(1L << 32));
        assertThrows(IllegalArgumentException.class, () -> new Communities());
        assertThrows(IllegalArgumentException.class, () -> new ClusterList());
        assertThrows(IllegalArgumentException.class, () -> new ExtendedCommunities());
        assertThrows(IllegalArgumentException.class, () -> new LargeCommunities(1, 2));
        assertThrows(IllegalArgumentException.class, () -> new As4Path(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new AsPath.Segment(AsPath.SegmentType.AS_SET, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> new AsPath.Segment(AsPath.SegmentType.AS_SET, new int[256]));
        assertThrows(IllegalArgumentException.class, () -> new UnknownAttribute(0x80, 1, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new UnknownAttribute(0x80, 300, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new AttributeProblem(1, Rfc7606Action.SESSION_RESET, null, "x"));
        assertThrows(IllegalArgumentException.class, () -> new AttributeProblem(1, Rfc7606Action.AFI_SAFI_DISABLE, null, "x"));
        assertThrows(IllegalArgumentException.class, () -> MpReachNlri.ipv6(new byte[4], null,
                io.routereflector.wire.nlri.NlriList.empty(io.routereflector.wire.nlri.AddressFamily.IPV6_UNICAST)));
    }

    @Test
    void arraysAreCopiedInAndOut() {
        int[] ids = {1, 2};
        ClusterList list = new ClusterList(ids);
        ids[0] = 9;
        assertEquals(1, list.get(0));
        list.ids()[1] = 9;
        assertEquals(2, list.get(1));
        assertEquals(List.of(3, 1, 2), java.util.Arrays.stream(list.prepend(3).ids()).boxed().toList());
        assertFalse(list.contains(3));
    }

    @Test
    void unknownAttributesGetPartialOnlyWhenOptionalTransitive() {
        UnknownAttribute transitive = new UnknownAttribute(0xC0, 200, new byte[] {1});
        assertEquals(0xE0, transitive.withPartial().flags());
        UnknownAttribute nonTransitive = new UnknownAttribute(0x80, 200, new byte[] {1});
        assertSame(nonTransitive, nonTransitive.withPartial());
        assertFalse(nonTransitive.isPassedOn());
        UnknownAttribute partial = transitive.withPartial();
        assertSame(partial, partial.withPartial());
    }

    @Test
    void asPathHelpers() {
        AsPath path = new AsPath(List.of(AsPath.Segment.sequence(65000, 70000), AsPath.Segment.set(1, 2),
                new AsPath.Segment(AsPath.SegmentType.AS_CONFED_SEQUENCE, new int[] {9})));
        assertEquals(3, path.pathLength());
        assertTrue(path.contains(70000));
        assertFalse(path.contains(3));
        assertTrue(path.hasFourOctetAsn());
        assertFalse(AsPath.sequence(65000).hasFourOctetAsn());
        assertSame(AsPath.EMPTY, AsPath.sequence());
        assertEquals("65000 70000", path.segments().get(0).toString());
        assertEquals("{1 2}", path.segments().get(1).toString());
        assertEquals("(9)", path.segments().get(2).toString());
        // 2-octet encoding writes AS_TRANS for the ASN that does not fit.
        io.netty.buffer.ByteBuf out = io.netty.buffer.Unpooled.buffer();
        AsPath.sequence(65000, 70000).encode(out, WireSettings.INITIAL);
        assertEquals("40020602" + "02fde85ba0", io.netty.buffer.ByteBufUtil.hexDump(out));
        out.clear();
        new Aggregator(70000, 1).encode(out, WireSettings.INITIAL);
        assertEquals("c007065ba000000001", io.netty.buffer.ByteBufUtil.hexDump(out));
    }
}
