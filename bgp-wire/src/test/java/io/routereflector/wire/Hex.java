package io.routereflector.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.error.WireException;
import io.routereflector.wire.message.MessageType;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Test helpers: hex with spaces to bytes, whole messages around a body, expected NOTIFICATIONs. */
public final class Hex {

    private Hex() {
    }

    /** "04 fc 00" → bytes; whitespace is ignored. */
    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    public static ByteBuf buf(String hex) {
        return Unpooled.wrappedBuffer(bytes(hex));
    }

    public static String hex(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf);
    }

    /** A whole message: marker, the right length, type, then {@code body}. */
    public static byte[] message(MessageType type, byte[] body) {
        return message(MessageHeader.LENGTH + body.length, type.code(), body);
    }

    /** A whole message with any length field and type octet. */
    public static byte[] message(int lengthField, int type, byte[] body) {
        byte[] message = new byte[MessageHeader.LENGTH + body.length];
        Arrays.fill(message, 0, MessageHeader.MARKER_LENGTH, (byte) 0xFF);
        message[16] = (byte) (lengthField >>> 8);
        message[17] = (byte) lengthField;
        message[18] = (byte) type;
        System.arraycopy(body, 0, message, MessageHeader.LENGTH, body.length);
        return message;
    }

    /** Asserts that {@code action} raises exactly this NOTIFICATION and returns the exception. */
    public static WireException assertNotification(NotificationCode code, byte[] data, Supplier<?> action) {
        WireException e = assertThrows(WireException.class, action::get);
        assertEquals(code, e.code(), e.getMessage());
        assertArrayEquals(data, e.data(), () -> "data of " + e.getMessage() + ": " + HexFormat.of().formatHex(e.data()));
        return e;
    }

    /** Bytes to lower-case hex without separators. */
    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** The readable bytes of {@code buf}, which is released. */
    public static byte[] drain(ByteBuf buf) {
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }
}
