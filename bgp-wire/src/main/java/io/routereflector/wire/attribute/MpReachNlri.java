package io.routereflector.wire.attribute;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.error.WireException;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.NlriEncoding;
import io.routereflector.wire.nlri.NlriList;

import java.util.Arrays;
import java.util.Objects;

/**
 * MP_REACH_NLRI (RFC 4760 §3): AFI, SAFI, next hop, one reserved octet (formerly the SNPA count;
 * kept for byte-exact re-encoding), NLRI. For IPv4/IPv6 unicast the NLRI are decoded ({@link #nlri()},
 * path ids per the session's ADD-PATH setting) and the next hop must be 4 octets (IPv4) or 16/32
 * (IPv6 global, then link-local, RFC 2545 §3); for other families the NLRI stay raw
 * ({@link #rawNlri()}) so the attribute re-encodes byte-exact and the session can ignore it.
 */
public record MpReachNlri(int flags, AddressFamily family, byte[] nextHop, int reserved, NlriList nlri, byte[] rawNlri)
        implements PathAttribute {

    public MpReachNlri {
        AttributeType.MP_REACH_NLRI.checkFlags(flags);
        Objects.requireNonNull(family, "family");
        if (nextHop.length > 0xFF) {
            throw new IllegalArgumentException("next hop of " + nextHop.length + " octets");
        }
        if (family.isSupported() && !nextHopLengthFits(family, nextHop.length)) {
            throw new IllegalArgumentException("next hop of " + nextHop.length + " octets for " + family);
        }
        if (reserved < 0 || reserved > 0xFF) {
            throw new IllegalArgumentException("reserved octet out of range: " + reserved);
        }
        if (family.isSupported() != (nlri != null) || (nlri == null) == (rawNlri == null)) {
            throw new IllegalArgumentException("decoded NLRI exactly for supported families, raw NLRI otherwise");
        }
        if (nlri != null && !nlri.family().equals(family)) {
            throw new IllegalArgumentException("NLRI of " + nlri.family() + " in MP_REACH_NLRI of " + family);
        }
        nextHop = nextHop.clone();
        nlri = nlri == null ? null : NlriEncoding.canonical(nlri);
        rawNlri = rawNlri == null ? null : rawNlri.clone();
    }

    /** Reachable NLRI of a decoded family, canonical flags, reserved octet 0. */
    public MpReachNlri(AddressFamily family, byte[] nextHop, NlriList nlri) {
        this(AttributeType.MP_REACH_NLRI.canonicalFlags(), family, nextHop, 0, nlri, null);
    }

    /** IPv6 unicast with a global next hop and, when {@code linkLocal} is not null, a link-local one. */
    public static MpReachNlri ipv6(byte[] global, byte[] linkLocal, NlriList nlri) {
        if (global.length != 16 || (linkLocal != null && linkLocal.length != 16)) {
            throw new IllegalArgumentException("IPv6 next hops are 16 octets each");
        }
        byte[] nextHop = Arrays.copyOf(global, linkLocal == null ? 16 : 32);
        if (linkLocal != null) {
            System.arraycopy(linkLocal, 0, nextHop, 16, 16);
        }
        return new MpReachNlri(AddressFamily.IPV6_UNICAST, nextHop, nlri);
    }

    static boolean nextHopLengthFits(AddressFamily family, int length) {
        return family.afi() == AddressFamily.AFI_IPV4 ? length == 4 : length == 16 || length == 32;
    }

    static MpReachNlri decode(int flags, ByteBuf buf, int index, int length, WireSettings settings) {
        if (length < 3) {
            throw new MalformedAttributeException("MP_REACH_NLRI of length " + length + ": no AFI/SAFI to locate");
        }
        AddressFamily family = AddressFamily.of(buf.getUnsignedShort(index), buf.getUnsignedByte(index + 2));
        if (length < 5) {   // RFC 7606 §5.3
            throw new MalformedAttributeException("MP_REACH_NLRI of length " + length + " (< 5)", family);
        }
        int nextHopLength = buf.getUnsignedByte(index + 3);
        if (5 + nextHopLength > length) {
            throw new MalformedAttributeException("MP_REACH_NLRI next hop of " + nextHopLength + " octets overruns", family);
        }
        if (family.isSupported() && !nextHopLengthFits(family, nextHopLength)) {   // RFC 7606 §7.11
            throw new MalformedAttributeException("MP_REACH_NLRI next hop of " + nextHopLength + " octets for " + family, family);
        }
        byte[] nextHop = new byte[nextHopLength];
        buf.getBytes(index + 4, nextHop);
        int reserved = buf.getUnsignedByte(index + 4 + nextHopLength);
        int start = index + 5 + nextHopLength;
        int end = index + length;
        if (!family.isSupported()) {
            byte[] raw = new byte[end - start];
            buf.getBytes(start, raw);
            return new MpReachNlri(flags, family, nextHop, reserved, null, raw);
        }
        buf.readerIndex(start);
        try {
            NlriList nlri = NlriList.decode(buf, end, family, settings.addPath(family));
            return new MpReachNlri(flags, family, nextHop, reserved, nlri, null);
        } catch (WireException e) {
            throw new MalformedAttributeException("MP_REACH_NLRI: " + e.getMessage(), family);   // RFC 7606 §5.3
        }
    }

    public boolean isDecoded() {
        return nlri != null;
    }

    @Override
    public byte[] nextHop() {
        return nextHop.clone();
    }

    @Override
    public byte[] rawNlri() {
        return rawNlri == null ? null : rawNlri.clone();
    }

    public int nextHopLength() {
        return nextHop.length;
    }

    /** The IPv4 next hop as a big-endian int; only for a 4-octet next hop. */
    public int ipv4NextHop() {
        if (nextHop.length != 4) {
            throw new IllegalStateException("next hop of " + nextHop.length + " octets is not IPv4");
        }
        return ((nextHop[0] & 0xFF) << 24) | ((nextHop[1] & 0xFF) << 16) | ((nextHop[2] & 0xFF) << 8) | (nextHop[3] & 0xFF);
    }

    /** The global IPv6 next hop (the first 16 octets); only for a 16- or 32-octet next hop. */
    public byte[] globalNextHop() {
        if (nextHop.length != 16 && nextHop.length != 32) {
            throw new IllegalStateException("next hop of " + nextHop.length + " octets is not IPv6");
        }
        return Arrays.copyOf(nextHop, 16);
    }

    /** The link-local IPv6 next hop (octets 16..31), or null when only a global one is present. */
    public byte[] linkLocalNextHop() {
        return nextHop.length == 32 ? Arrays.copyOfRange(nextHop, 16, 32) : null;
    }

    @Override
    public int typeCode() {
        return AttributeType.MP_REACH_NLRI.code();
    }

    @Override
    public int valueLength(WireSettings settings) {
        int nlriLength = nlri != null ? NlriEncoding.encodedLength(nlri, settings.addPath(family)) : rawNlri.length;
        return 5 + nextHop.length + nlriLength;
    }

    @Override
    public void encodeValue(ByteBuf out, WireSettings settings) {
        out.writeShort(family.afi());
        out.writeByte(family.safi());
        out.writeByte(nextHop.length);
        out.writeBytes(nextHop);
        out.writeByte(reserved);
        if (nlri != null) {
            NlriEncoding.encode(nlri, settings.addPath(family), out);
        } else {
            out.writeBytes(rawNlri);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MpReachNlri m && m.flags == flags && m.family.equals(family) && m.reserved == reserved
                && Arrays.equals(m.nextHop, nextHop) && Objects.equals(m.nlri, nlri) && Arrays.equals(m.rawNlri, rawNlri);
    }

    @Override
    public int hashCode() {
        int h = (flags * 31 + family.hashCode()) * 31 + reserved;
        h = h * 31 + Arrays.hashCode(nextHop);
        return h * 31 + (nlri != null ? nlri.hashCode() : Arrays.hashCode(rawNlri));
    }

    @Override
    public String toString() {
        return "MpReachNlri[" + family + " next hop " + ByteBufUtil.hexDump(nextHop)
                + (nlri != null ? " nlri " + nlri : " raw " + ByteBufUtil.hexDump(rawNlri))
                + (reserved != 0 ? ", reserved=" + reserved : "") + ", flags=0x" + Integer.toHexString(flags) + "]";
    }
}
