package io.routereflector.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.message.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** RFC 4271 §6.1 header checks, with exact subcodes and data. */
class MessageHeaderTest {

    /** Just the 19 header octets: the check never looks further. */
    static ByteBuf header(int length, int type) {
        return Unpooled.wrappedBuffer(Hex.message(length, type, new byte[0]));
    }

    static int check(int length, int type, int max) {
        return MessageHeader.check(header(length, type), 0, max);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 7, 8, 15})
    void markerNotAllOnesIsConnectionNotSynchronized(int index) {
        ByteBuf buf = header(19, 4);
        buf.setByte(index, 0xFE);
        Hex.assertNotification(NotificationCode.HEADER_CONNECTION_NOT_SYNCHRONIZED, new byte[0],
                () -> MessageHeader.check(buf, 0, 4096));
    }

    @Test
    void checksAtTheGivenIndex() {
        ByteBuf buf = Unpooled.buffer();
        buf.writeBytes(new byte[] {0, 0, 0});
        buf.writeBytes(Hex.message(23, 5, new byte[0]));
        assertEquals(23, MessageHeader.check(buf, 3, 4096));
    }

    @ParameterizedTest(name = "length {0} type {1} max {2} → 1/2 {3}")
    @CsvSource({
        "0, 4, 4096, 0000",
        "18, 2, 4096, 0012",
        "4097, 2, 4096, 1001",
        "65535, 2, 4096, ffff",
        "28, 1, 4096, 001c",      // OPEN minimum 29
        "22, 2, 4096, 0016",      // UPDATE minimum 23
        "20, 3, 4096, 0014",      // NOTIFICATION minimum 21
        "22, 5, 4096, 0016",      // ROUTE-REFRESH minimum 23
        "20, 4, 4096, 0014",      // KEEPALIVE is exactly 19
        "4096, 4, 65535, 1000",   // ... even with extended messages
        "4097, 1, 65535, 1001",   // OPEN never extended (RFC 8654 §3)
        "18, 99, 4096, 0012",     // the length is checked before the type
    })
    void badLengthCarriesTheLengthField(int length, int type, int max, String data) {
        Hex.assertNotification(NotificationCode.HEADER_BAD_MESSAGE_LENGTH, Hex.bytes(data), () -> check(length, type, max));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 6, 7, 128, 255})
    void unknownTypeCarriesTheTypeOctet(int type) {
        Hex.assertNotification(NotificationCode.HEADER_BAD_MESSAGE_TYPE, new byte[] {(byte) type}, () -> check(19, type, 4096));
    }

    @ParameterizedTest(name = "length {0} type {1} max {2}")
    @CsvSource({
        "29, 1, 4096", "4096, 1, 4096", "4096, 1, 65535",
        "23, 2, 4096", "4096, 2, 4096", "65535, 2, 65535",
        "21, 3, 4096", "65535, 3, 65535",
        "19, 4, 4096", "19, 4, 65535",
        "23, 5, 4096", "5000, 5, 65535",
    })
    void acceptedLengths(int length, int type, int max) {
        assertEquals(length, check(length, type, max));
    }

    @Test
    void startAndFinish() {
        ByteBuf out = Unpooled.buffer();
        out.writeByte(0x42);
        int start = MessageHeader.start(out, MessageType.NOTIFICATION);
        assertEquals(1, start);
        out.writeShort(0x0600);
        MessageHeader.finish(out, start, 4096);
        assertEquals("42" + "ff".repeat(16) + "0015" + "03" + "0600", Hex.hex(out));
        ByteBuf tooLong = Unpooled.buffer();
        int at = MessageHeader.start(tooLong, MessageType.KEEPALIVE);
        tooLong.writeByte(0);
        assertThrows(IllegalArgumentException.class, () -> MessageHeader.finish(tooLong, at, 19));
    }
}
