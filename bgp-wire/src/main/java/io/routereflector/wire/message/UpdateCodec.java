package io.routereflector.wire.message;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.MessageHeader;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.attribute.AttributeDecoder;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.error.WireException;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.NlriEncoding;
import io.routereflector.wire.nlri.NlriList;

/**
 * UPDATE bodies (header stripped) to and from {@link Update}, with RFC 7606 error handling: the
 * field lengths and the IPv4 NLRI fields are checked strictly (a session reset), attribute errors
 * mostly become problems on the Update ({@link AttributeDecoder}).
 */
public final class UpdateCodec {

    private static final AddressFamily IPV4 = AddressFamily.IPV4_UNICAST;

    private UpdateCodec() {
    }

    public static Update decode(ByteBuf body, WireSettings settings) {
        int start = body.readerIndex();
        int end = body.writerIndex();
        if (end - start < 4) {
            throw malformed("UPDATE body of " + (end - start) + " octets has no room for its two length fields");
        }
        int withdrawnEnd = start + 2 + body.getUnsignedShort(start);
        // RFC 4271 §6.3, kept by RFC 7606 §3 b: lengths that overrun the message reset the session.
        if (withdrawnEnd + 2 > end) {
            throw malformed("Withdrawn Routes Length " + (withdrawnEnd - start - 2) + " overruns the message");
        }
        int attributesStart = withdrawnEnd + 2;
        int attributesEnd = attributesStart + body.getUnsignedShort(withdrawnEnd);
        if (attributesEnd > end) {
            throw malformed("Total Path Attribute Length " + (attributesEnd - attributesStart) + " overruns the message");
        }
        boolean pathIds = settings.addPath(IPV4);
        // Both IPv4 fields are parsed before the attributes: a bad one is a session reset
        // (RFC 7606 §3 i, §5.3), and NEXT_HOP is mandatory only when the NLRI field is not empty.
        body.readerIndex(start + 2);
        NlriList withdrawn = NlriList.decode(body, withdrawnEnd, IPV4, pathIds);
        body.readerIndex(attributesEnd);
        NlriList nlri = NlriList.decode(body, end, IPV4, pathIds);
        AttributeDecoder.Decoded attributes = AttributeDecoder.decode(body, attributesStart, attributesEnd, settings,
                !nlri.isEmpty());
        body.readerIndex(end);
        return new Update(withdrawn, attributes.attributes(), nlri, attributes.problems());
    }

    private static WireException malformed(String reason) {
        return new WireException(NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST, reason);
    }

    /**
     * Writes the body: the attributes in the set's order, the IPv4 fields with path ids as
     * {@code settings} says. Throws IllegalArgumentException, writing nothing, when the message would
     * exceed {@code settings.maxMessageLength()}: splitting is the packer's job.
     */
    public static void encode(Update update, WireSettings settings, ByteBuf out) {
        int start = out.writerIndex();
        boolean pathIds = settings.addPath(IPV4);
        out.writeShort(0);
        NlriEncoding.encode(update.withdrawn(), pathIds, out);
        int attributesAt = out.writerIndex();
        out.writeShort(0);
        update.attributes().encode(out, settings);
        int attributesEnd = out.writerIndex();
        NlriEncoding.encode(update.nlri(), pathIds, out);
        int length = MessageHeader.LENGTH + out.writerIndex() - start;
        if (length > settings.maxMessageLength()) {
            out.writerIndex(start);
            throw new IllegalArgumentException("UPDATE of " + length + " octets exceeds " + settings.maxMessageLength());
        }
        out.setShort(start, attributesAt - start - 2);
        out.setShort(attributesAt, attributesEnd - attributesAt - 2);
    }
}
