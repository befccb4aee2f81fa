package io.routereflector.wire;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.error.WireException;
import io.routereflector.wire.message.MessageType;

/**
 * The 19-octet header (RFC 4271 §4.1) and its checks (§6.1), with the exact subcodes and data:
 * Connection Not Synchronized (no data), Bad Message Length (data: the length field), Bad Message
 * Type (data: the type field).
 */
public final class MessageHeader {

    public static final int LENGTH = 19;
    public static final int MARKER_LENGTH = 16;

    private MessageHeader() {
    }

    /**
     * Checks the header that starts at {@code index} (19 readable octets must be there) and returns
     * the total message length it announces.
     *
     * @param maxLength 4096, or 65535 when RFC 8654 extended messages were negotiated; OPEN and
     *                  KEEPALIVE are never extended (RFC 8654 §3)
     */
    public static int check(ByteBuf buf, int index, int maxLength) {
        // The marker is 16 octets of ones: two longs of -1.
        if (buf.getLong(index) != -1L || buf.getLong(index + 8) != -1L) {
            throw new WireException(NotificationCode.HEADER_CONNECTION_NOT_SYNCHRONIZED, "marker is not all ones");
        }
        int length = buf.getUnsignedShort(index + MARKER_LENGTH);
        int typeCode = buf.getUnsignedByte(index + MARKER_LENGTH + 2);
        if (length < LENGTH || length > maxLength) {
            throw badLength(length, "length " + length + " outside " + LENGTH + ".." + maxLength);
        }
        MessageType type = MessageType.fromCode(typeCode);
        if (type == null) {
            throw new WireException(NotificationCode.HEADER_BAD_MESSAGE_TYPE, new byte[] {(byte) typeCode},
                    "unknown message type " + typeCode);
        }
        if (length < type.minimumLength()) {
            throw badLength(length, type + " of length " + length + " is shorter than " + type.minimumLength());
        }
        if (type == MessageType.KEEPALIVE && length != LENGTH) {
            throw badLength(length, "KEEPALIVE of length " + length + " (must be 19)");
        }
        if (type == MessageType.OPEN && length > WireSettings.MAX_LENGTH) {
            throw badLength(length, "OPEN of length " + length + " exceeds 4096 (never extended)");
        }
        return length;
    }

    private static WireException badLength(int length, String reason) {
        return new WireException(NotificationCode.HEADER_BAD_MESSAGE_LENGTH,
                new byte[] {(byte) (length >>> 8), (byte) length}, reason);
    }

    /** Writes a header with a length placeholder; {@link #finish} fills it in. Returns its index. */
    public static int start(ByteBuf out, MessageType type) {
        int start = out.writerIndex();
        out.writeLong(-1L);
        out.writeLong(-1L);
        out.writeShort(0);
        out.writeByte(type.code());
        return start;
    }

    /** Sets the length field of the message that began at {@code start}. */
    public static void finish(ByteBuf out, int start, int maxLength) {
        int length = out.writerIndex() - start;
        if (length > maxLength) {
            throw new IllegalArgumentException("message of " + length + " octets exceeds the limit of " + maxLength);
        }
        out.setShort(start + MARKER_LENGTH, length);
    }
}
