package io.routereflector.wire.capability;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.error.WireException;
import io.routereflector.wire.nlri.AddressFamily;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the capability list inside a Capabilities optional parameter (RFC 5492 §4).
 *
 * <p>A capability we recognise whose value has the wrong length for its kind (say a 4-octet AS of 2
 * octets, or a Graceful Restart whose entries do not divide evenly) is a recognised but malformed
 * optional parameter: RFC 4271 §6.2 prescribes OPEN Message Error with subcode 0 (Unspecific), and
 * defines no data for it, so none is sent. BIRD does the same; GoBGP answers Unsupported Capability
 * (2/7), but RFC 5492 §5 reserves that subcode for capabilities the speaker will not accept, whose
 * data would list them. Codes we do not recognise are never an error (RFC 5492 §3).
 */
public final class CapabilityCodec {

    private CapabilityCodec() {
    }

    /** Decodes every capability between {@code start} and {@code end} of {@code buf} (absolute indices). */
    public static List<Capability> decodeAll(ByteBuf buf, int start, int end) {
        List<Capability> result = new ArrayList<>();
        int i = start;
        while (i < end) {
            if (end - i < 2) {
                throw malformed("capability header cut short: " + (end - i) + " octet left");
            }
            int code = buf.getUnsignedByte(i);
            int length = buf.getUnsignedByte(i + 1);
            if (end - i - 2 < length) {
                throw malformed("capability " + code + " of length " + length + " overruns its parameter by "
                        + (length - (end - i - 2)) + " octets");
            }
            result.add(decode(code, buf, i + 2, length));
            i += 2 + length;
        }
        return result;
    }

    /** Decodes one capability whose value of {@code length} octets starts at {@code index}. */
    public static Capability decode(int code, ByteBuf buf, int index, int length) {
        switch (code) {
            case Multiprotocol.CODE:
                requireLength(code, length, length == Multiprotocol.LENGTH, "4");
                return new Multiprotocol(AddressFamily.of(buf.getUnsignedShort(index), buf.getUnsignedByte(index + 3)),
                        buf.getUnsignedByte(index + 2));
            case RouteRefreshCapability.CODE:
                requireLength(code, length, length == 0, "0");
                return RouteRefreshCapability.INSTANCE;
            case EnhancedRouteRefresh.CODE:
                requireLength(code, length, length == 0, "0");
                return EnhancedRouteRefresh.INSTANCE;
            case ExtendedMessage.CODE:
                requireLength(code, length, length == 0, "0");
                return ExtendedMessage.INSTANCE;
            case FourOctetAs.CODE:
                requireLength(code, length, length == FourOctetAs.LENGTH, "4");
                return new FourOctetAs(buf.getUnsignedInt(index));
            case GracefulRestart.CODE:
                return decodeGracefulRestart(buf, index, length);
            case LongLivedGracefulRestart.CODE:
                return decodeLongLived(buf, index, length);
            case AddPath.CODE:
                return decodeAddPath(buf, index, length);
            case Fqdn.CODE:
                return decodeFqdn(buf, index, length);
            default:
                return unknown(code, buf, index, length);
        }
    }

    private static GracefulRestart decodeGracefulRestart(ByteBuf buf, int index, int length) {
        requireLength(GracefulRestart.CODE, length, length >= 2 && (length - 2) % 4 == 0, "2 + 4n");
        int head = buf.getUnsignedShort(index);
        List<GracefulRestart.Entry> families = new ArrayList<>();
        for (int i = index + 2; i < index + length; i += 4) {
            families.add(new GracefulRestart.Entry(family(buf, i), buf.getUnsignedByte(i + 3)));
        }
        return new GracefulRestart(head >>> 12, head & GracefulRestart.MAX_RESTART_TIME, families);
    }

    private static LongLivedGracefulRestart decodeLongLived(ByteBuf buf, int index, int length) {
        requireLength(LongLivedGracefulRestart.CODE, length, length % LongLivedGracefulRestart.ENTRY_LENGTH == 0, "7n");
        List<LongLivedGracefulRestart.Entry> families = new ArrayList<>();
        for (int i = index; i < index + length; i += LongLivedGracefulRestart.ENTRY_LENGTH) {
            families.add(new LongLivedGracefulRestart.Entry(family(buf, i), buf.getUnsignedByte(i + 3),
                    buf.getUnsignedMedium(i + 4)));
        }
        return new LongLivedGracefulRestart(families);
    }

    private static AddPath decodeAddPath(ByteBuf buf, int index, int length) {
        requireLength(AddPath.CODE, length, length % 4 == 0, "4n");
        List<AddPath.Entry> families = new ArrayList<>();
        for (int i = index; i < index + length; i += 4) {
            families.add(new AddPath.Entry(family(buf, i), buf.getUnsignedByte(i + 3)));
        }
        return new AddPath(families);
    }

    private static Capability decodeFqdn(ByteBuf buf, int index, int length) {
        int end = index + length;
        if (length < 1) {
            throw malformed("FQDN capability without a hostname length");
        }
        int hostLength = buf.getUnsignedByte(index);
        int domainAt = index + 1 + hostLength;
        if (domainAt >= end) {
            throw malformed("FQDN hostname of " + hostLength + " octets leaves no room for the domain name length");
        }
        int domainLength = buf.getUnsignedByte(domainAt);
        if (domainAt + 1 + domainLength != end) {
            throw malformed("FQDN domain name of " + domainLength + " octets does not end the capability value of "
                    + length + " octets");
        }
        String host = utf8(buf, index + 1, hostLength);
        String domain = utf8(buf, domainAt + 1, domainLength);
        if (host == null || domain == null) {
            return unknown(Fqdn.CODE, buf, index, length);
        }
        return new Fqdn(host, domain);
    }

    /** Strict UTF-8, or null: lenient decoding would replace octets and break the byte-exact re-encode. */
    private static String utf8(ByteBuf buf, int index, int length) {
        byte[] bytes = new byte[length];
        buf.getBytes(index, bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static UnknownCapability unknown(int code, ByteBuf buf, int index, int length) {
        byte[] value = new byte[length];
        buf.getBytes(index, value);
        return new UnknownCapability(code, value);
    }

    private static AddressFamily family(ByteBuf buf, int i) {
        return AddressFamily.of(buf.getUnsignedShort(i), buf.getUnsignedByte(i + 2));
    }

    private static void requireLength(int code, int length, boolean ok, String expected) {
        if (!ok) {
            throw malformed("capability " + code + " has a value of " + length + " octets, expected " + expected);
        }
    }

    private static WireException malformed(String reason) {
        return new WireException(NotificationCode.OPEN_MESSAGE_ERROR, reason);
    }

    /** Code, length and value of one capability; every kind's constructor keeps the value within 255 octets. */
    public static void encode(Capability capability, ByteBuf out) {
        out.writeByte(capability.code());
        out.writeByte(capability.valueLength());
        capability.writeValue(out);
    }

    /** Octets that {@link #encode} writes for {@code capability}. */
    public static int encodedLength(Capability capability) {
        return 2 + capability.valueLength();
    }
}
