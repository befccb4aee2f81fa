package io.routereflector.wire.message;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.MessageHeader;
import io.routereflector.wire.capability.CapabilityCodec;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.error.WireException;

import java.util.ArrayList;
import java.util.List;

/**
 * OPEN body (RFC 4271 §4.2, RFC 9072 §2) to and from bytes, with the checks of RFC 4271 §6.2 that
 * need no local configuration, in this order:
 * <ol>
 *   <li>version &ne; 4: Unsupported Version Number, data = 2-octet 4 (the only version we speak is
 *       both the largest below any higher bid and the smallest above any lower one);</li>
 *   <li>hold time 1 or 2: Unacceptable Hold Time;</li>
 *   <li>BGP Identifier 0: Bad BGP Identifier (RFC 6286 §2.2 makes a zero identifier an error
 *       whatever the local configuration; the comparison with our own identifier is the session's);</li>
 *   <li>optional parameter lengths that overrun, or leave octets after the parameters: OPEN Message
 *       Error / subcode 0 (Unspecific), which RFC 4271 §6.2 prescribes for a recognised but malformed
 *       optional parameter and which BIRD also sends; the same for malformed capabilities
 *       ({@link CapabilityCodec});</li>
 *   <li>an optional parameter other than Capabilities: Unsupported Optional Parameter.</li>
 * </ol>
 * RFC 4271 defines a data field only for the version error; the others carry none.
 */
public final class OpenCodec {

    /** Version, My AS, Hold Time, BGP Identifier, Opt Parm Len. */
    static final int FIXED_LENGTH = 10;

    private OpenCodec() {
    }

    /** Decodes the body (header stripped) from the readable bytes of {@code body}. */
    public static Open decode(ByteBuf body) {
        int start = body.readerIndex();
        int end = body.writerIndex();
        if (end - start < FIXED_LENGTH) {
            // MessageHeader already refuses an OPEN shorter than 29 octets; reached only by direct use.
            int length = MessageHeader.LENGTH + end - start;
            throw new WireException(NotificationCode.HEADER_BAD_MESSAGE_LENGTH,
                    new byte[] {(byte) (length >>> 8), (byte) length}, "OPEN of " + length + " octets");
        }
        int version = body.getUnsignedByte(start);
        if (version != Open.VERSION) {
            throw new WireException(NotificationCode.OPEN_UNSUPPORTED_VERSION, new byte[] {0, Open.VERSION},
                    "peer bids version " + version);
        }
        int myAs = body.getUnsignedShort(start + 1);
        int holdTime = body.getUnsignedShort(start + 3);
        int identifier = body.getInt(start + 5);
        if (holdTime == 1 || holdTime == 2) {
            throw new WireException(NotificationCode.OPEN_UNACCEPTABLE_HOLD_TIME, "hold time " + holdTime + " s");
        }
        if (identifier == 0) {
            throw new WireException(NotificationCode.OPEN_BAD_BGP_IDENTIFIER, "BGP identifier 0.0.0.0");
        }
        int length = body.getUnsignedByte(start + 9);
        int i = start + FIXED_LENGTH;
        boolean extended = false;
        // RFC 9072 §2: a nonzero length followed by type 255 announces the extended encoding; the
        // one-octet length is then ignored.
        if (length != 0 && i < end && body.getUnsignedByte(i) == OptionalParameter.EXTENDED_LENGTH) {
            if (end - i < 3) {
                throw malformed("extended optional parameters length cut short");
            }
            length = body.getUnsignedShort(i + 1);
            i += 3;
            extended = true;
        }
        if (length != end - i) {
            throw malformed("optional parameters length " + length + " but " + (end - i) + " octets follow");
        }
        int headerLength = extended ? 3 : 2;
        List<OptionalParameter> parameters = new ArrayList<>();
        while (i < end) {
            if (end - i < headerLength) {
                throw malformed("optional parameter header cut short: " + (end - i) + " octets left");
            }
            int type = body.getUnsignedByte(i);
            int valueLength = extended ? body.getUnsignedShort(i + 1) : body.getUnsignedByte(i + 1);
            int value = i + headerLength;
            if (end - value < valueLength) {
                throw malformed("optional parameter " + type + " of length " + valueLength + " overruns the OPEN by "
                        + (valueLength - (end - value)) + " octets");
            }
            if (type != OptionalParameter.CAPABILITIES) {
                throw new WireException(NotificationCode.OPEN_UNSUPPORTED_OPTIONAL_PARAMETER,
                        "optional parameter type " + type);
            }
            parameters.add(new OptionalParameter.Capabilities(
                    CapabilityCodec.decodeAll(body, value, value + valueLength)));
            i = value + valueLength;
        }
        body.readerIndex(end);
        return new Open(version, myAs, holdTime, identifier, parameters, extended);
    }

    private static WireException malformed(String reason) {
        return new WireException(NotificationCode.OPEN_MESSAGE_ERROR, reason);
    }

    /** Encodes the body at the writer index of {@code out}. */
    public static void encode(Open open, ByteBuf out) {
        out.writeByte(open.version());
        out.writeShort(open.myAs());
        out.writeShort(open.holdTime());
        out.writeInt(open.bgpIdentifier());
        if (open.extendedParameters()) {
            // RFC 9072 §2: Non-Ext OP Len 255 (SHOULD), Non-Ext OP Type 255 (MUST), 2-octet lengths.
            out.writeByte(Open.MAX_PARAMETERS_LENGTH);
            out.writeByte(OptionalParameter.EXTENDED_LENGTH);
            int total = 0;
            for (OptionalParameter p : open.parameters()) {
                total += 3 + p.valueLength();
            }
            out.writeShort(total);
            for (OptionalParameter p : open.parameters()) {
                out.writeByte(p.type());
                out.writeShort(p.valueLength());
                p.writeValue(out);
            }
        } else {
            // The Open constructor switched to the extended form if these lengths did not fit an octet.
            out.writeByte(Open.standardLength(open.parameters()));
            for (OptionalParameter p : open.parameters()) {
                out.writeByte(p.type());
                out.writeByte(p.valueLength());
                p.writeValue(out);
            }
        }
    }
}
