package io.routereflector.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.error.WireException;
import io.routereflector.wire.message.BgpMessage;
import io.routereflector.wire.message.Keepalive;
import io.routereflector.wire.message.MessageType;
import io.routereflector.wire.message.Notification;
import io.routereflector.wire.message.Open;
import io.routereflector.wire.message.OpenCodec;
import io.routereflector.wire.message.RouteRefresh;
import io.routereflector.wire.message.RouteRefreshCodec;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.message.UpdateCodec;

/**
 * Whole messages to and from bytes. {@link #decode} accepts any bytes and raises nothing but
 * {@link WireException}; that is a tested property, and the fuzz target's contract.
 */
public final class MessageCodec {

    private MessageCodec() {
    }

    /**
     * Decodes one whole message (header included) from the readable bytes of {@code message}.
     * Trailing bytes after the announced length are an error of the length field.
     */
    public static BgpMessage decode(ByteBuf message, WireSettings settings) {
        int start = message.readerIndex();
        int readable = message.readableBytes();
        if (readable < MessageHeader.LENGTH) {
            throw new WireException(NotificationCode.HEADER_BAD_MESSAGE_LENGTH,
                    new byte[] {(byte) (readable >>> 8), (byte) readable}, "only " + readable + " octets");
        }
        int length = MessageHeader.check(message, start, settings.maxMessageLength());
        if (length != readable) {
            throw new WireException(NotificationCode.HEADER_BAD_MESSAGE_LENGTH,
                    new byte[] {(byte) (length >>> 8), (byte) length},
                    "length field says " + length + " but " + readable + " octets are present");
        }
        MessageType type = MessageType.fromCode(message.getUnsignedByte(start + 18));
        ByteBuf body = message.slice(start + MessageHeader.LENGTH, length - MessageHeader.LENGTH);
        try {
            BgpMessage result = switch (type) {
                case OPEN -> OpenCodec.decode(body);
                case UPDATE -> UpdateCodec.decode(body, settings);
                case NOTIFICATION -> decodeNotification(body);
                case KEEPALIVE -> Keepalive.INSTANCE;
                case ROUTE_REFRESH -> RouteRefreshCodec.decode(body);
            };
            message.readerIndex(start + length);
            return result;
        } catch (IndexOutOfBoundsException e) {
            // A decoder read past its own bounds checks: still the peer's malformed message, never a crash.
            throw new WireException(errorFor(type), type + " ends early: " + e.getMessage());
        }
    }

    private static NotificationCode errorFor(MessageType type) {
        return switch (type) {
            case OPEN -> NotificationCode.OPEN_MESSAGE_ERROR;
            case UPDATE -> NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST;
            case ROUTE_REFRESH -> NotificationCode.ROUTE_REFRESH_INVALID_LENGTH;
            default -> NotificationCode.HEADER_BAD_MESSAGE_LENGTH;
        };
    }

    private static Notification decodeNotification(ByteBuf body) {
        int code = body.readUnsignedByte();
        int subcode = body.readUnsignedByte();
        byte[] data = new byte[body.readableBytes()];
        body.readBytes(data);
        return new Notification(code, subcode, data);
    }

    /** Encodes {@code message} at the writer index of {@code out}. */
    public static void encode(BgpMessage message, WireSettings settings, ByteBuf out) {
        int start = MessageHeader.start(out, message.type());
        int max = settings.maxMessageLength();
        // Java 17: no pattern switch, so an instanceof chain over the sealed hierarchy.
        if (message instanceof Open open) {
            OpenCodec.encode(open, out);
            max = WireSettings.MAX_LENGTH;
        } else if (message instanceof Update update) {
            UpdateCodec.encode(update, settings, out);
        } else if (message instanceof Notification notification) {
            out.writeByte(notification.code());
            out.writeByte(notification.subcode());
            out.writeBytes(notification.data());
        } else if (message instanceof RouteRefresh refresh) {
            RouteRefreshCodec.encode(refresh, out);
        } else {
            max = MessageHeader.LENGTH;
        }
        MessageHeader.finish(out, start, max);
    }

    public static ByteBuf encode(BgpMessage message, WireSettings settings, ByteBufAllocator allocator) {
        ByteBuf out = allocator.buffer();
        try {
            encode(message, settings, out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }
}
