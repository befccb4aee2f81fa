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
 * MP_UNREACH_NLRI (RFC 4760 §4): AFI, SAFI and withdrawn NLRI, decoded for IPv4/IPv6 unicast and
 * kept raw for other families. With no withdrawn routes it is the End-of-RIB marker of its family
 * (RFC 4724 §2).
 */
public record MpUnreachNlri(int flags, AddressFamily family, NlriList withdrawn, byte[] rawWithdrawn)
        implements PathAttribute {

    public MpUnreachNlri {
        AttributeType.MP_UNREACH_NLRI.checkFlags(flags);
        Objects.requireNonNull(family, "family");
        if (family.isSupported() != (withdrawn != null) || (withdrawn == null) == (rawWithdrawn == null)) {
            throw new IllegalArgumentException("decoded NLRI exactly for supported families, raw NLRI otherwise");
        }
        if (withdrawn != null && !withdrawn.family().equals(family)) {
            throw new IllegalArgumentException("NLRI of " + withdrawn.family() + " in MP_UNREACH_NLRI of " + family);
        }
        withdrawn = withdrawn == null ? null : NlriEncoding.canonical(withdrawn);
        rawWithdrawn = rawWithdrawn == null ? null : rawWithdrawn.clone();
    }

    public MpUnreachNlri(NlriList withdrawn) {
        this(AttributeType.MP_UNREACH_NLRI.canonicalFlags(), withdrawn.family(), withdrawn, null);
    }

    /** The End-of-RIB marker's only attribute for {@code family} (RFC 4724 §2). */
    public static MpUnreachNlri endOfRib(AddressFamily family) {
        int flags = AttributeType.MP_UNREACH_NLRI.canonicalFlags();
        return family.isSupported() ? new MpUnreachNlri(flags, family, NlriList.empty(family), null)
                : new MpUnreachNlri(flags, family, null, new byte[0]);
    }

    static MpUnreachNlri decode(int flags, ByteBuf buf, int index, int length, WireSettings settings) {
        if (length < 3) {   // RFC 7606 §5.3
            throw new MalformedAttributeException("MP_UNREACH_NLRI of length " + length + ": no AFI/SAFI to locate");
        }
        AddressFamily family = AddressFamily.of(buf.getUnsignedShort(index), buf.getUnsignedByte(index + 2));
        int start = index + 3;
        int end = index + length;
        if (!family.isSupported()) {
            byte[] raw = new byte[end - start];
            buf.getBytes(start, raw);
            return new MpUnreachNlri(flags, family, null, raw);
        }
        buf.readerIndex(start);
        try {
            return new MpUnreachNlri(flags, family, NlriList.decode(buf, end, family, settings.addPath(family)), null);
        } catch (WireException e) {
            throw new MalformedAttributeException("MP_UNREACH_NLRI: " + e.getMessage(), family);
        }
    }

    public boolean isDecoded() {
        return withdrawn != null;
    }

    /** True when no routes are withdrawn: alone in an UPDATE, this is End-of-RIB. */
    public boolean isEmpty() {
        return withdrawn != null ? withdrawn.isEmpty() : rawWithdrawn.length == 0;
    }

    @Override
    public byte[] rawWithdrawn() {
        return rawWithdrawn == null ? null : rawWithdrawn.clone();
    }

    @Override
    public int typeCode() {
        return AttributeType.MP_UNREACH_NLRI.code();
    }

    @Override
    public int valueLength(WireSettings settings) {
        return 3 + (withdrawn != null ? NlriEncoding.encodedLength(withdrawn, settings.addPath(family)) : rawWithdrawn.length);
    }

    @Override
    public void encodeValue(ByteBuf out, WireSettings settings) {
        out.writeShort(family.afi());
        out.writeByte(family.safi());
        if (withdrawn != null) {
            NlriEncoding.encode(withdrawn, settings.addPath(family), out);
        } else {
            out.writeBytes(rawWithdrawn);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MpUnreachNlri m && m.flags == flags && m.family.equals(family)
                && Objects.equals(m.withdrawn, withdrawn) && Arrays.equals(m.rawWithdrawn, rawWithdrawn);
    }

    @Override
    public int hashCode() {
        return (flags * 31 + family.hashCode()) * 31 + (withdrawn != null ? withdrawn.hashCode() : Arrays.hashCode(rawWithdrawn));
    }

    @Override
    public String toString() {
        return "MpUnreachNlri[" + family + (withdrawn != null ? " withdrawn " + withdrawn : " raw " + ByteBufUtil.hexDump(rawWithdrawn))
                + ", flags=0x" + Integer.toHexString(flags) + "]";
    }
}
