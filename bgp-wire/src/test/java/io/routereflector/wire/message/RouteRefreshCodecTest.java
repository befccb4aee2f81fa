package io.routereflector.wire.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.routereflector.wire.Hex;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.OpenArbitraries;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.nlri.AddressFamily;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.routereflector.wire.nlri.AddressFamily.IPV4_UNICAST;
import static io.routereflector.wire.nlri.AddressFamily.IPV6_UNICAST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteRefreshCodecTest {

    static BgpMessage decode(byte[] message, WireSettings settings) {
        return MessageCodec.decode(Unpooled.wrappedBuffer(message), settings);
    }

    static byte[] encode(RouteRefresh refresh) {
        ByteBuf out = Unpooled.buffer();
        MessageCodec.encode(refresh, WireSettings.INITIAL, out);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    @Provide
    Arbitrary<RouteRefresh> refreshes() {
        return OpenArbitraries.routeRefreshes();
    }

    @Property(tries = 1000)
    void roundTrips(@ForAll("refreshes") RouteRefresh refresh) {
        byte[] bytes = encode(refresh);
        assertEquals(19 + 4 + refresh.orfData().length, bytes.length);
        assertEquals(refresh, decode(bytes, WireSettings.INITIAL));
    }

    @Test
    void wireForm() {
        assertEquals("ffffffffffffffffffffffffffffffff001705" + "0002 00 01".replace(" ", ""),
                Hex.hex(Unpooled.wrappedBuffer(encode(RouteRefresh.request(IPV6_UNICAST)))));
        assertEquals(RouteRefresh.beginOfRefresh(IPV4_UNICAST),
                decode(Hex.message(MessageType.ROUTE_REFRESH, Hex.bytes("0001 01 01")), WireSettings.INITIAL));
        assertEquals(RouteRefresh.endOfRefresh(IPV6_UNICAST),
                decode(Hex.message(MessageType.ROUTE_REFRESH, Hex.bytes("0002 02 01")), WireSettings.INITIAL));
    }

    @Test
    void orfOctetsOfANormalRequestAreKeptByteExact() {
        byte[] message = Hex.message(MessageType.ROUTE_REFRESH, Hex.bytes("0001 00 01 01 40 0005 00"));
        RouteRefresh refresh = (RouteRefresh) decode(message, WireSettings.INITIAL);
        assertEquals(RouteRefresh.NORMAL, refresh.subtype());
        assertArrayEquals(Hex.bytes("0140000500"), refresh.orfData());
        assertArrayEquals(message, encode(refresh));
    }

    @Test
    void unknownSubtypesAreKeptForTheSessionToIgnore() {
        RouteRefresh refresh = (RouteRefresh) decode(
                Hex.message(MessageType.ROUTE_REFRESH, Hex.bytes("0001 03 01 aabb")), WireSettings.INITIAL);
        assertEquals(3, refresh.subtype());
        assertFalse(refresh.knownSubtype());
        assertArrayEquals(Hex.bytes("aabb"), refresh.orfData());
        assertTrue(RouteRefresh.endOfRefresh(IPV4_UNICAST).knownSubtype());
        assertEquals(new AddressFamily(25, 70), ((RouteRefresh) decode(
                Hex.message(MessageType.ROUTE_REFRESH, Hex.bytes("0019 ff 46")), WireSettings.INITIAL)).family());
    }

    /** RFC 7313 §5: BoRR/EoRR not of 4 octets → 7/1 with the complete ROUTE-REFRESH message as data. */
    @ParameterizedTest
    @ValueSource(strings = {"0001 01 01 00", "0002 02 01 0000", "0001 01 01 " + "00000000000000000000"})
    void markerOfTheWrongLength(String body) {
        byte[] message = Hex.message(MessageType.ROUTE_REFRESH, Hex.bytes(body));
        Hex.assertNotification(NotificationCode.ROUTE_REFRESH_INVALID_LENGTH, message,
                () -> decode(message, WireSettings.INITIAL));
        Hex.assertNotification(NotificationCode.ROUTE_REFRESH_INVALID_LENGTH, message,
                () -> RouteRefreshCodec.decode(Hex.buf(body)));
    }

    @Test
    void markerOfTheWrongLengthInAnExtendedMessage() {
        byte[] body = new byte[5000];
        body[1] = 1;
        body[2] = RouteRefresh.END;
        body[3] = 1;
        byte[] message = Hex.message(MessageType.ROUTE_REFRESH, body);
        Hex.assertNotification(NotificationCode.ROUTE_REFRESH_INVALID_LENGTH, message,
                () -> decode(message, WireSettings.INITIAL.withExtendedMessages(true)));
    }

    @Test
    void tooShort() {
        // 22 octets: the header check answers 1/2 with the length field.
        byte[] message = Hex.message(MessageType.ROUTE_REFRESH, Hex.bytes("0001 00"));
        Hex.assertNotification(NotificationCode.HEADER_BAD_MESSAGE_LENGTH, Hex.bytes("0016"),
                () -> decode(message, WireSettings.INITIAL));
        Hex.assertNotification(NotificationCode.HEADER_BAD_MESSAGE_LENGTH, Hex.bytes("0016"),
                () -> RouteRefreshCodec.decode(Hex.buf("0001 00")));
    }

    @Test
    void recordRules() {
        assertThrows(IllegalArgumentException.class, () -> new RouteRefresh(null, 0));
        assertThrows(IllegalArgumentException.class, () -> new RouteRefresh(IPV4_UNICAST, 256));
        assertThrows(IllegalArgumentException.class, () -> new RouteRefresh(IPV4_UNICAST, -1));
        assertThrows(IllegalArgumentException.class, () -> new RouteRefresh(IPV4_UNICAST, 1, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> new RouteRefresh(IPV4_UNICAST, 2, new byte[1]));
        byte[] orf = {1, 2};
        RouteRefresh r = new RouteRefresh(IPV4_UNICAST, 0, orf);
        orf[0] = 9;
        r.orfData()[1] = 9;
        assertEquals(new RouteRefresh(IPV4_UNICAST, 0, new byte[] {1, 2}), r);
        assertEquals(new RouteRefresh(IPV4_UNICAST, 0, new byte[] {1, 2}).hashCode(), r.hashCode());
        assertNotEquals(RouteRefresh.request(IPV4_UNICAST), r);
        assertNotEquals(RouteRefresh.request(IPV6_UNICAST), RouteRefresh.request(IPV4_UNICAST));
        assertNotEquals(RouteRefresh.beginOfRefresh(IPV4_UNICAST), RouteRefresh.request(IPV4_UNICAST));
        assertEquals(RouteRefresh.request(IPV4_UNICAST), new RouteRefresh(IPV4_UNICAST, 0, null));
        assertEquals("RouteRefresh[ipv4-unicast request orf=0102]", r.toString());
        assertEquals("RouteRefresh[ipv6-unicast BoRR]", RouteRefresh.beginOfRefresh(IPV6_UNICAST).toString());
        assertEquals("RouteRefresh[ipv4-unicast EoRR]", RouteRefresh.endOfRefresh(IPV4_UNICAST).toString());
        assertEquals("RouteRefresh[ipv4-unicast subtype 9]", new RouteRefresh(IPV4_UNICAST, 9).toString());
        assertEquals(MessageType.ROUTE_REFRESH, r.type());
    }
}
