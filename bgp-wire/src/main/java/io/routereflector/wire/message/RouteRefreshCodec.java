package io.routereflector.wire.message;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.MessageHeader;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.error.WireException;
import io.routereflector.wire.nlri.AddressFamily;

import java.util.Arrays;

/**
 * ROUTE-REFRESH body to and from bytes. A BoRR or EoRR whose body is not exactly 4 octets is
 * ROUTE-REFRESH Message Error / Invalid Message Length whose data is "the complete ROUTE-REFRESH
 * message" (RFC 7313 §5). Only the body reaches this decoder, but the header it came with is fully
 * determined once MessageHeader has accepted it (16 octets of ones, length = 19 + body, type 5), so
 * the data is that header rebuilt followed by the body: the exact octets received.
 */
public final class RouteRefreshCodec {

    static final int FIXED_LENGTH = 4;

    private RouteRefreshCodec() {
    }

    /** Decodes the body (header stripped) from the readable bytes of {@code body}. */
    public static RouteRefresh decode(ByteBuf body) {
        int start = body.readerIndex();
        int length = body.readableBytes();
        if (length < FIXED_LENGTH) {
            // MessageHeader already refuses a ROUTE-REFRESH under 23 octets; reached only by direct use.
            int total = MessageHeader.LENGTH + length;
            throw new WireException(NotificationCode.HEADER_BAD_MESSAGE_LENGTH,
                    new byte[] {(byte) (total >>> 8), (byte) total}, "ROUTE-REFRESH of " + total + " octets");
        }
        int afi = body.getUnsignedShort(start);
        int subtype = body.getUnsignedByte(start + 2);
        int safi = body.getUnsignedByte(start + 3);
        if ((subtype == RouteRefresh.BEGIN || subtype == RouteRefresh.END) && length != FIXED_LENGTH) {
            throw new WireException(NotificationCode.ROUTE_REFRESH_INVALID_LENGTH, wholeMessage(body, start, length),
                    "ROUTE-REFRESH subtype " + subtype + " with a body of " + length + " octets (must be 4)");
        }
        byte[] orf = new byte[length - FIXED_LENGTH];
        body.getBytes(start + FIXED_LENGTH, orf);
        body.readerIndex(start + length);
        return new RouteRefresh(AddressFamily.of(afi, safi), subtype, orf);
    }

    private static byte[] wholeMessage(ByteBuf body, int start, int length) {
        int total = MessageHeader.LENGTH + length;
        byte[] message = new byte[total];
        Arrays.fill(message, 0, MessageHeader.MARKER_LENGTH, (byte) 0xFF);
        message[16] = (byte) (total >>> 8);
        message[17] = (byte) total;
        message[18] = (byte) MessageType.ROUTE_REFRESH.code();
        body.getBytes(start, message, MessageHeader.LENGTH, length);
        return message;
    }

    /** Encodes the body at the writer index of {@code out}. */
    public static void encode(RouteRefresh refresh, ByteBuf out) {
        out.writeShort(refresh.family().afi());
        out.writeByte(refresh.subtype());
        out.writeByte(refresh.family().safi());
        out.writeBytes(refresh.orfData());
    }
}
