package io.routereflector.wire.attribute;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.WireSettings;

/** ORIGIN (RFC 4271 §5.1.1): well-known mandatory, one octet. */
public record Origin(int flags, Kind kind) implements PathAttribute {

    /** The ORIGIN values, in the order RFC 4271 §9.1.2.2 c prefers them. */
    public enum Kind { IGP, EGP, INCOMPLETE }

    private static final Kind[] KINDS = Kind.values();
    private static final int CANONICAL = AttributeType.ORIGIN.canonicalFlags();

    public static final Origin IGP = new Origin(Kind.IGP);
    public static final Origin EGP = new Origin(Kind.EGP);
    public static final Origin INCOMPLETE = new Origin(Kind.INCOMPLETE);


    public Origin {
        AttributeType.ORIGIN.checkFlags(flags);
        if (kind == null) {
            throw new IllegalArgumentException("ORIGIN kind is required");
        }
    }

    public Origin(Kind kind) {
        this(CANONICAL, kind);
    }

    public static Origin of(Kind kind) {
        return kind == Kind.IGP ? IGP : kind == Kind.EGP ? EGP : INCOMPLETE;
    }

    static Origin decode(int flags, ByteBuf buf, int index, int length, WireSettings settings) {
        if (length != 1) {
            throw MalformedAttributeException.length("ORIGIN", length, "1");
        }
        int value = buf.getUnsignedByte(index);
        if (value >= KINDS.length) {
            throw new MalformedAttributeException("undefined ORIGIN value " + value);   // RFC 7606 §7.1
        }
        // The common case shares the constants: no allocation per UPDATE.
        return flags == CANONICAL ? of(KINDS[value]) : new Origin(flags, KINDS[value]);
    }

    @Override
    public int typeCode() {
        return AttributeType.ORIGIN.code();
    }

    @Override
    public int valueLength(WireSettings settings) {
        return 1;
    }

    @Override
    public void encodeValue(ByteBuf out, WireSettings settings) {
        out.writeByte(kind.ordinal());
    }
}
