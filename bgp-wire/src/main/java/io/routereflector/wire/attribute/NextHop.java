package io.routereflector.wire.attribute;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.nlri.Ipv4Prefix;

/** NEXT_HOP (RFC 4271 §5.1.3): an IPv4 address, big-endian in an int; exactly 4 octets (RFC 7606 §7.3). */
public record NextHop(int flags, int address) implements PathAttribute {

    public NextHop {
        AttributeType.NEXT_HOP.checkFlags(flags);
    }

    public NextHop(int address) {
        this(AttributeType.NEXT_HOP.canonicalFlags(), address);
    }

    public static NextHop of(String dotted) {
        return new NextHop(Ipv4Prefix.parseAddress(dotted));
    }

    static NextHop decode(int flags, ByteBuf buf, int index, int length, WireSettings settings) {
        if (length != 4) {
            throw MalformedAttributeException.length("NEXT_HOP", length, "4");
        }
        return new NextHop(flags, buf.getInt(index));
    }

    @Override
    public int typeCode() {
        return AttributeType.NEXT_HOP.code();
    }

    @Override
    public int valueLength(WireSettings settings) {
        return 4;
    }

    @Override
    public void encodeValue(ByteBuf out, WireSettings settings) {
        out.writeInt(address);
    }

    @Override
    public String toString() {
        return "NextHop[" + Ipv4Prefix.format(address) + ", flags=0x" + Integer.toHexString(flags) + "]";
    }
}
