package io.routereflector.wire.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.routereflector.wire.Hex;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.OpenArbitraries;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.capability.AddPath;
import io.routereflector.wire.capability.Capability;
import io.routereflector.wire.capability.EnhancedRouteRefresh;
import io.routereflector.wire.capability.FourOctetAs;
import io.routereflector.wire.capability.Fqdn;
import io.routereflector.wire.capability.GracefulRestart;
import io.routereflector.wire.capability.LongLivedGracefulRestart;
import io.routereflector.wire.capability.Multiprotocol;
import io.routereflector.wire.capability.RouteRefreshCapability;
import io.routereflector.wire.capability.UnknownCapability;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.nlri.AddressFamily;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.routereflector.wire.nlri.AddressFamily.IPV4_UNICAST;
import static io.routereflector.wire.nlri.AddressFamily.IPV6_UNICAST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenCodecTest {

    /** BIRD 2 style: every capability in one Capabilities parameter. AS 64512, hold 240, id 10.0.0.1. */
    static final String BIRD_OPEN = "ffffffffffffffffffffffffffffffff 003b 01"
            + "04 fc00 00f0 0a000001 1e"
            + "02 1c 01040001 0001 01040002 0001 0200 4002 0078 4104 0000fc00 4600 4700";

    /** GoBGP style: one parameter per capability. AS 4200000001 (AS_TRANS in My AS), hold 90, id 10.0.0.2. */
    static final String GOBGP_OPEN = "ffffffffffffffffffffffffffffffff 006a 01"
            + "04 5ba0 005a 0a000002 4d"
            + "0206 0104 0001 0001"
            + "0206 0104 0002 0001"
            + "0202 8000"
            + "0202 0200"
            + "0206 4104 fa56ea01"
            + "0206 4504 0001 01 03"
            + "020c 400a 4078 0001 01 80 0002 01 80"
            + "0209 4707 0001 01 80 000e10"
            + "020a 4908 06 6e6f64652d31 00";

    static Open decode(byte[] message) {
        return (Open) MessageCodec.decode(Unpooled.wrappedBuffer(message), WireSettings.INITIAL);
    }

    static byte[] encode(BgpMessage message) {
        ByteBuf out = Unpooled.buffer();
        MessageCodec.encode(message, WireSettings.INITIAL, out);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    @Test
    void birdOpen() {
        byte[] bytes = Hex.bytes(BIRD_OPEN);
        Open open = decode(bytes);
        assertEquals(4, open.version());
        assertEquals(64512, open.myAs());
        assertEquals(64512, open.asNumber());
        assertEquals(240, open.holdTime());
        assertEquals(0x0a000001, open.bgpIdentifier());
        assertFalse(open.extendedParameters());
        assertEquals(1, open.parameters().size());
        assertEquals(List.of(new Multiprotocol(IPV4_UNICAST), new Multiprotocol(IPV6_UNICAST),
                RouteRefreshCapability.INSTANCE, new GracefulRestart(0, 120, List.of()), new FourOctetAs(64512),
                EnhancedRouteRefresh.INSTANCE, new LongLivedGracefulRestart(List.of())), open.capabilities());
        assertEquals(Hex.hex(Unpooled.wrappedBuffer(bytes)), Hex.hex(Unpooled.wrappedBuffer(encode(open))));
        // Our own factory builds exactly what BIRD sends.
        assertEquals(open, Open.of(64512, 240, 0x0a000001, open.capabilities()));
    }

    @Test
    void gobgpOpen() {
        byte[] bytes = Hex.bytes(GOBGP_OPEN);
        Open open = decode(bytes);
        assertEquals(Open.AS_TRANS, open.myAs());
        assertEquals(4_200_000_001L, open.asNumber());
        assertEquals(90, open.holdTime());
        assertEquals(0x0a000002, open.bgpIdentifier());
        assertEquals(9, open.parameters().size());
        for (OptionalParameter p : open.parameters()) {
            assertEquals(1, ((OptionalParameter.Capabilities) p).capabilities().size());
        }
        List<Capability> caps = open.capabilities();
        assertEquals(new UnknownCapability(128, new byte[0]), caps.get(2));
        assertEquals(new AddPath(List.of(new AddPath.Entry(IPV4_UNICAST, AddPath.BOTH))), caps.get(5));
        GracefulRestart gr = open.capability(GracefulRestart.class).orElseThrow();
        assertTrue(gr.notification());
        assertFalse(gr.restartState());
        assertEquals(120, gr.restartTime());
        assertTrue(gr.families().get(1).forwardingState());
        assertEquals(3600, open.capability(LongLivedGracefulRestart.class).orElseThrow().families().get(0).staleTime());
        assertEquals(new Fqdn("node-1", ""), open.capability(Fqdn.class).orElseThrow());
        assertEquals(Hex.hex(Unpooled.wrappedBuffer(bytes)), Hex.hex(Unpooled.wrappedBuffer(encode(open))));
    }

    @Provide
    Arbitrary<Open> opens() {
        return OpenArbitraries.opens();
    }

    @Provide
    Arbitrary<Open> sentOpens() {
        return OpenArbitraries.sentOpens();
    }

    @Property(tries = 1000)
    void receivedFormsRoundTrip(@ForAll("opens") Open open) {
        Statistics.label("extended").collect(open.extendedParameters());
        Statistics.label("parameters").collect(Math.min(open.parameters().size(), 3));
        byte[] bytes = encode(open);
        Open decoded = decode(bytes);
        assertEquals(open, decoded);
        assertEquals(Hex.hex(Unpooled.wrappedBuffer(bytes)), Hex.hex(Unpooled.wrappedBuffer(encode(decoded))));
    }

    @Property(tries = 500)
    void sentFormCarriesTheAsAndOneParameter(@ForAll("sentOpens") Open open) {
        long asn = open.capability(FourOctetAs.class).orElseThrow().asn();
        assertEquals(asn, open.asNumber());
        assertEquals(asn > 0xFFFF ? Open.AS_TRANS : asn, open.myAs());
        assertEquals(1, open.parameters().size());
        assertEquals(Open.standardLength(open.parameters()) > 255, open.extendedParameters());
        assertEquals(open, decode(encode(open)));
    }

    @Test
    void factoryWithoutCapabilitiesSendsNoParameters() {
        Open open = Open.of(65001, 180, 0x01020304, List.of());
        assertEquals(List.of(), open.parameters());
        assertEquals(65001, open.asNumber(), "My AS when no 4-octet AS capability is present");
        assertEquals("04 fde9 00b4 01020304 00".replace(" ", ""),
                Hex.hex(Unpooled.wrappedBuffer(encode(open)).skipBytes(19)));
        assertThrows(IllegalArgumentException.class, () -> Open.of(-1, 90, 1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> Open.of(1L << 32, 90, 1, List.of()));
    }

    @Test
    void extendedEncodingWhenParametersExceed255() {
        // 64 multiprotocol capabilities: 384 octets in one parameter.
        List<Capability> caps = new ArrayList<>();
        for (int safi = 0; safi < 64; safi++) {
            caps.add(new Multiprotocol(new AddressFamily(1, safi)));
        }
        Open open = Open.of(65000, 90, 1, caps);
        assertTrue(open.extendedParameters());
        byte[] bytes = encode(open);
        // Non-Ext OP Len 255, Non-Ext OP Type 255, extended length 3 + 384, then type 2 with a 2-octet length.
        assertEquals("ffff0183020180", Hex.hex(Unpooled.wrappedBuffer(bytes, 28, 7)));
        assertEquals(open, decode(bytes));
        // 255 octets of parameters still fit the one-octet length: 41 × 6 + 7 = 253 octets of capabilities.
        List<Capability> exactly = new ArrayList<>(caps.subList(0, 41));
        exactly.add(new UnknownCapability(200, new byte[5]));
        assertEquals(255, Open.standardLength(Open.of(65000, 90, 1, exactly).parameters()));
        assertFalse(Open.of(65000, 90, 1, exactly).extendedParameters());
        assertEquals(255, encode(Open.of(65000, 90, 1, exactly))[28] & 0xFF);
        exactly.add(RouteRefreshCapability.INSTANCE);
        assertTrue(Open.of(65000, 90, 1, exactly).extendedParameters());
    }

    @Test
    void extendedEncodingMayBeChosenForShortParameters() {
        Open open = new Open(4, 65000, 90, 1, List.of(OptionalParameter.Capabilities.of(new FourOctetAs(65000))), true);
        String body = "04 fde8 005a 00000001 ff ff 0009 02 0006 4104 0000fde8".replace(" ", "");
        assertEquals(body, Hex.hex(Unpooled.wrappedBuffer(encode(open)).skipBytes(19)));
        assertEquals(open, decode(encode(open)));
        // Empty and extended: 255 255 0000.
        Open empty = new Open(4, 65000, 90, 1, List.of(), true);
        assertEquals("ffff0000", Hex.hex(Unpooled.wrappedBuffer(encode(empty)).skipBytes(28)));
        assertEquals(empty, decode(encode(empty)));
    }

    @Test
    void nonExtendedLengthIsIgnoredOnceTheMarkerIsSeen() {
        // RFC 9072 §2: Non-Ext OP Len must be ignored after type 255 is seen; 0x10 here instead of 255.
        byte[] body = Hex.bytes("04 fde8 005a 00000001 10 ff 0009 02 0006 4104 0000fde8");
        Open open = decode(Hex.message(MessageType.OPEN, body));
        assertTrue(open.extendedParameters());
        assertEquals(65000, open.asNumber());
    }

    @Test
    void emptyCapabilitiesParameterIsKept() {
        Open open = decode(Hex.message(MessageType.OPEN, Hex.bytes("04 fde8 005a 00000001 04 0200 0200")));
        assertEquals(List.of(OptionalParameter.Capabilities.of(), OptionalParameter.Capabilities.of()), open.parameters());
        assertEquals(List.of(), open.capabilities());
        assertTrue(open.capability(FourOctetAs.class).isEmpty());
    }

    @Test
    void holdTimesZeroAndThreeAreAccepted() {
        assertEquals(0, decode(Hex.message(MessageType.OPEN, Hex.bytes("04 fde8 0000 00000001 00"))).holdTime());
        assertEquals(3, decode(Hex.message(MessageType.OPEN, Hex.bytes("04 fde8 0003 00000001 00"))).holdTime());
    }

    @Test
    void unknownParametersAreEncodedButNeverDecoded() {
        OptionalParameter.Unknown auth = new OptionalParameter.Unknown(1, new byte[] {(byte) 0xab});
        Open open = new Open(4, 65000, 90, 1, List.of(auth, OptionalParameter.Capabilities.of(RouteRefreshCapability.INSTANCE)), false);
        byte[] bytes = encode(open);
        assertEquals("04 fde8 005a 00000001 07 01 01 ab 02 02 0200".replace(" ", ""),
                Hex.hex(Unpooled.wrappedBuffer(bytes).skipBytes(19)));
        Hex.assertNotification(NotificationCode.OPEN_UNSUPPORTED_OPTIONAL_PARAMETER, new byte[0], () -> decode(bytes));
        assertEquals(List.of(RouteRefreshCapability.INSTANCE), open.capabilities());
    }

    @Test
    void recordValidation() {
        List<OptionalParameter> none = List.of();
        assertThrows(IllegalArgumentException.class, () -> new Open(256, 1, 90, 1, none, false));
        assertThrows(IllegalArgumentException.class, () -> new Open(-1, 1, 90, 1, none, false));
        assertThrows(IllegalArgumentException.class, () -> new Open(4, 65536, 90, 1, none, false));
        assertThrows(IllegalArgumentException.class, () -> new Open(4, -1, 90, 1, none, false));
        assertThrows(IllegalArgumentException.class, () -> new Open(4, 1, 65536, 1, none, false));
        assertThrows(IllegalArgumentException.class, () -> new Open(4, 1, -1, 1, none, false));
        assertThrows(IllegalArgumentException.class, () -> new OptionalParameter.Unknown(2, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new OptionalParameter.Unknown(255, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new OptionalParameter.Unknown(256, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new OptionalParameter.Unknown(-1, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new OptionalParameter.Unknown(1, new byte[65536]));
        // Values are copied in and out; equality is by content.
        byte[] value = {1, 2};
        OptionalParameter.Unknown u = new OptionalParameter.Unknown(9, value);
        value[0] = 7;
        u.value()[1] = 7;
        assertEquals(new OptionalParameter.Unknown(9, new byte[] {1, 2}), u);
        assertEquals(new OptionalParameter.Unknown(9, new byte[] {1, 2}).hashCode(), u.hashCode());
        assertFalse(u.equals(new OptionalParameter.Unknown(8, new byte[] {1, 2})));
        assertEquals("Unknown[type=9, value=0102]", u.toString());
        assertEquals(0, new OptionalParameter.Unknown(9, null).valueLength());
        assertEquals(MessageType.OPEN, Open.of(1, 0, 1, List.of()).type());
    }
}
