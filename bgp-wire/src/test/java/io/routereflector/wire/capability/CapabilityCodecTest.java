package io.routereflector.wire.capability;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.routereflector.wire.Hex;
import io.routereflector.wire.OpenArbitraries;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.nlri.AddressFamily;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapabilityCodecTest {

    private static ByteBuf encode(Capability c) {
        ByteBuf out = Unpooled.buffer();
        CapabilityCodec.encode(c, out);
        return out;
    }

    private static List<Capability> decode(String hex) {
        ByteBuf buf = Hex.buf(hex);
        return CapabilityCodec.decodeAll(buf, buf.readerIndex(), buf.writerIndex());
    }

    private static Capability decodeOne(String hex) {
        List<Capability> all = decode(hex);
        assertEquals(1, all.size(), all::toString);
        return all.get(0);
    }

    @Provide
    Arbitrary<Capability> anyCapability() {
        return OpenArbitraries.capabilities();
    }

    @Property(tries = 2000)
    void everyKindRoundTrips(@ForAll("anyCapability") Capability capability) {
        ByteBuf bytes = encode(capability);
        assertEquals(CapabilityCodec.encodedLength(capability), bytes.readableBytes());
        assertEquals(capability.code(), bytes.getUnsignedByte(0));
        assertEquals(capability.valueLength(), bytes.getUnsignedByte(1));
        assertEquals(List.of(capability), CapabilityCodec.decodeAll(bytes, 0, bytes.writerIndex()));
    }

    @Property(tries = 300)
    void listsRoundTripInOrder(@ForAll("anyCapability") Capability a, @ForAll("anyCapability") Capability b) {
        ByteBuf bytes = encode(a);
        CapabilityCodec.encode(b, bytes);
        assertEquals(List.of(a, b), CapabilityCodec.decodeAll(bytes, 0, bytes.writerIndex()));
    }

    @Test
    void multiprotocolKeepsTheReservedOctet() {
        assertEquals(new Multiprotocol(AddressFamily.IPV6_UNICAST), decodeOne("01 04 0002 00 01"));
        Capability odd = decodeOne("01 04 0001 7f 01");
        assertEquals(new Multiprotocol(AddressFamily.IPV4_UNICAST, 0x7f), odd);
        assertEquals("0104 00017f01".replace(" ", ""), Hex.hex(encode(odd)));
        assertEquals(new AddressFamily(25, 70), ((Multiprotocol) decodeOne("01 04 0019 00 46")).family());
    }

    @Test
    void emptyCapabilities() {
        assertEquals(RouteRefreshCapability.INSTANCE, decodeOne("02 00"));
        assertEquals(EnhancedRouteRefresh.INSTANCE, decodeOne("46 00"));
        assertEquals(ExtendedMessage.INSTANCE, decodeOne("06 00"));
        assertEquals(new UnknownCapability(128, new byte[0]), decodeOne("80 00"), "Cisco's pre-standard route refresh");
    }

    @Test
    void fourOctetAsIsUnsigned() {
        assertEquals(4_200_000_001L, ((FourOctetAs) decodeOne("41 04 fa56ea01")).asn());
        assertEquals(0xFFFF_FFFFL, ((FourOctetAs) decodeOne("41 04 ffffffff")).asn());
    }

    @Test
    void gracefulRestartFlagsAndFamilies() {
        GracefulRestart gr = (GracefulRestart) decodeOne("40 0a c0 78 0001 01 80 0002 01 00");
        assertTrue(gr.restartState());
        assertTrue(gr.notification());
        assertEquals(120, gr.restartTime());
        assertEquals(2, gr.families().size());
        assertEquals(AddressFamily.IPV4_UNICAST, gr.families().get(0).family());
        assertTrue(gr.families().get(0).forwardingState());
        assertFalse(gr.families().get(1).forwardingState());

        GracefulRestart aware = (GracefulRestart) decodeOne("40 02 0fff");
        assertFalse(aware.restartState());
        assertFalse(aware.notification());
        assertEquals(4095, aware.restartTime());
        assertEquals(List.of(), aware.families());

        // Reserved bits survive: flags 0x3 and family flags 0x7f.
        GracefulRestart reserved = (GracefulRestart) decodeOne("40 06 3001 0001 01 7f");
        assertEquals(0x3, reserved.flags());
        assertEquals("4006 3001 0001017f".replace(" ", ""), Hex.hex(encode(reserved)));

        assertEquals(GracefulRestart.of(true, false, 90, List.of(new GracefulRestart.Entry(AddressFamily.IPV6_UNICAST, true))),
                decodeOne("40 06 805a 0002 01 80"));
    }

    @Test
    void longLivedGracefulRestart() {
        LongLivedGracefulRestart llgr = (LongLivedGracefulRestart) decodeOne("47 0e 0001 01 80 000e10 0002 01 00 ffffff");
        assertEquals(2, llgr.families().size());
        assertTrue(llgr.families().get(0).forwardingState());
        assertEquals(3600, llgr.families().get(0).staleTime());
        assertFalse(llgr.families().get(1).forwardingState());
        assertEquals(LongLivedGracefulRestart.MAX_STALE_TIME, llgr.families().get(1).staleTime());
        assertEquals(List.of(), ((LongLivedGracefulRestart) decodeOne("47 00")).families());
    }

    @Test
    void addPathModes() {
        AddPath ap = (AddPath) decodeOne("45 10 0001 01 01 0002 01 02 0001 02 03 0001 80 07");
        AddPath.Entry receive = ap.families().get(0);
        assertTrue(receive.canReceive());
        assertFalse(receive.canSend());
        AddPath.Entry send = ap.families().get(1);
        assertTrue(send.canSend());
        assertFalse(send.canReceive());
        AddPath.Entry both = ap.families().get(2);
        assertTrue(both.canSend() && both.canReceive());
        AddPath.Entry odd = ap.families().get(3);
        assertEquals(7, odd.mode(), "unknown modes are kept");
        assertFalse(odd.canSend() || odd.canReceive());
        assertEquals(send, ap.entry(AddressFamily.IPV6_UNICAST).orElseThrow());
        assertEquals(receive, ap.entry(AddressFamily.IPV4_UNICAST).orElseThrow(), "the first entry of a family");
        assertTrue(ap.entry(new AddressFamily(3, 1)).isEmpty());
    }

    @Test
    void fqdn() {
        Fqdn f = (Fqdn) decodeOne("49 0f 06 6e6f64652d31 07 6578616d706c65");
        assertEquals("node-1", f.hostname());
        assertEquals("example", f.domainName());
        assertEquals(new Fqdn("", ""), decodeOne("49 02 00 00"));
        Fqdn utf8 = new Fqdn("r\u00e9flecteur", "\u4e00");
        assertEquals(utf8, decodeOne(Hex.hex(encode(utf8))));
        assertEquals(2 + 11 + 3, utf8.valueLength());
    }

    @Test
    void fqdnThatIsNotUtf8StaysUnknownAndByteExact() {
        Capability c = decodeOne("49 04 02 c328 00");
        assertEquals(new UnknownCapability(Fqdn.CODE, Hex.bytes("02c32800")), c);
        assertEquals("490402c32800", Hex.hex(encode(c)));
        assertEquals(new UnknownCapability(Fqdn.CODE, Hex.bytes("0001ff")), decodeOne("49 03 00 01 ff"), "bad domain name");
    }

    /** Every recognised capability of a wrong length is OPEN Message Error / 0, no data (RFC 4271 §6.2). */
    @ParameterizedTest
    @ValueSource(strings = {
        "01 03 000100", "01 05 0001000100",          // multiprotocol must be 4
        "02 01 00", "46 01 00", "06 02 0000",          // empty kinds
        "41 02 fde8", "41 05 0000fde800",              // 4-octet AS must be 4
        "40 00", "40 01 00", "40 03 007800", "40 05 0078000101",   // GR: 2 + 4n
        "47 06 000101800000", "47 08 0001018000000000",             // LLGR: 7n
        "45 03 000101", "45 05 0001010300",            // ADD-PATH: 4n
        "49 00", "49 01 00", "49 02 05 00", "49 03 00 02 00", "49 04 00 00 00 00",   // FQDN framing
        "41 04 0000", "02", "4104 00000001 46",        // cut inside a value or a header
    })
    void malformedIsOpenMessageErrorWithoutData(String hex) {
        Hex.assertNotification(NotificationCode.OPEN_MESSAGE_ERROR, new byte[0], () -> decode(hex));
    }

    @Test
    void decodesOnlyBetweenTheGivenIndices() {
        ByteBuf buf = Hex.buf("ff ff 02 00 46 00 ff");
        assertEquals(List.of(RouteRefreshCapability.INSTANCE, EnhancedRouteRefresh.INSTANCE),
                CapabilityCodec.decodeAll(buf, 2, 6));
    }

    @Test
    void unknownCapabilityCopiesItsValue() {
        byte[] value = {1, 2, 3};
        UnknownCapability u = new UnknownCapability(200, value);
        value[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, u.value());
        u.value()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, u.value());
        assertEquals(new UnknownCapability(200, new byte[] {1, 2, 3}), u);
        assertEquals(new UnknownCapability(200, new byte[] {1, 2, 3}).hashCode(), u.hashCode());
        assertNotEquals(new UnknownCapability(201, new byte[] {1, 2, 3}), u);
        assertNotEquals(new UnknownCapability(200, new byte[] {1, 2}), u);
        assertEquals("UnknownCapability[code=200, value=010203]", u.toString());
        assertArrayEquals(new byte[0], new UnknownCapability(5, null).value());
    }

    @Test
    void constructorsRefuseWhatCannotBeEncoded() {
        AddressFamily v4 = AddressFamily.IPV4_UNICAST;
        List<Executable> invalid = List.of(
            () -> new Multiprotocol(null),
            () -> new Multiprotocol(v4, 256),
            () -> new Multiprotocol(v4, -1),
            () -> new FourOctetAs(-1),
            () -> new FourOctetAs(0x1_0000_0000L),
            () -> new GracefulRestart(16, 0, List.of()),
            () -> new GracefulRestart(-1, 0, List.of()),
            () -> new GracefulRestart(0, 4096, List.of()),
            () -> new GracefulRestart(0, -1, List.of()),
            () -> new GracefulRestart(0, 0, Collections.nCopies(64, new GracefulRestart.Entry(v4, 0))),
            () -> new GracefulRestart.Entry(null, 0),
            () -> new GracefulRestart.Entry(v4, 256),
            () -> new GracefulRestart.Entry(v4, -1),
            () -> new LongLivedGracefulRestart(Collections.nCopies(37, new LongLivedGracefulRestart.Entry(v4, 0, 0))),
            () -> new LongLivedGracefulRestart.Entry(null, 0, 0),
            () -> new LongLivedGracefulRestart.Entry(v4, 256, 0),
            () -> new LongLivedGracefulRestart.Entry(v4, -1, 0),
            () -> new LongLivedGracefulRestart.Entry(v4, 0, 1 << 24),
            () -> new LongLivedGracefulRestart.Entry(v4, 0, -1),
            () -> new AddPath(Collections.nCopies(64, new AddPath.Entry(v4, 3))),
            () -> new AddPath.Entry(null, 3),
            () -> new AddPath.Entry(v4, 256),
            () -> new AddPath.Entry(v4, -1),
            () -> new Fqdn(null, ""),
            () -> new Fqdn("", null),
            () -> new Fqdn("a".repeat(200), "b".repeat(54)),
            () -> new Fqdn("\u00e9".repeat(127), ""),
            () -> new UnknownCapability(256, new byte[0]),
            () -> new UnknownCapability(-1, new byte[0]),
            () -> new UnknownCapability(1, new byte[256]));
        for (Executable e : invalid) {
            assertThrows(IllegalArgumentException.class, e);
        }
        // The limits themselves are fine.
        assertEquals(255, new Fqdn("a".repeat(200), "b".repeat(53)).valueLength());
        assertEquals(254, new GracefulRestart(0, 0, Collections.nCopies(63, new GracefulRestart.Entry(v4, 0))).valueLength());
        assertEquals(252, new LongLivedGracefulRestart(Collections.nCopies(36, new LongLivedGracefulRestart.Entry(v4, 0, 0))).valueLength());
        assertEquals(252, new AddPath(Collections.nCopies(63, new AddPath.Entry(v4, 3))).valueLength());
        assertEquals(255, new UnknownCapability(1, new byte[255]).valueLength());
    }

    @Test
    void listsAreCopied() {
        ArrayList<AddPath.Entry> entries = new ArrayList<>();
        entries.add(new AddPath.Entry(AddressFamily.IPV4_UNICAST, 1));
        AddPath ap = new AddPath(entries);
        entries.clear();
        assertEquals(1, ap.families().size());
        assertThrows(UnsupportedOperationException.class, () -> ap.families().clear());
    }
}
