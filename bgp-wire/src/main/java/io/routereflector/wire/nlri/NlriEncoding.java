package io.routereflector.wire.nlri;

import io.netty.buffer.ByteBuf;

/**
 * Writes an {@link NlriList} for a session whose ADD-PATH setting (RFC 7911) may differ from the
 * list's: path ids are added (as 0) or dropped as the session requires. Dropping them is only right
 * when the caller picked one path per prefix; that choice belongs to the sender, not to the codec.
 * IPv4 entries are written with one or two wide writes each, since they are most of what we send.
 */
public final class NlriEncoding {

    private NlriEncoding() {
    }

    /** One representation of "no NLRI" per family, so that decoded and built values compare equal. */
    public static NlriList canonical(NlriList list) {
        return list.isEmpty() && list.withPathIds() ? NlriList.empty(list.family()) : list;
    }

    public static int encodedLength(NlriList list, boolean withPathIds) {
        int length = list.encodedLength();
        if (list.withPathIds() == withPathIds) {
            return length;
        }
        return length + (withPathIds ? 4 : -4) * list.size();
    }

    public static void encode(NlriList list, boolean withPathIds, ByteBuf out) {
        boolean v4 = list.family().afi() == AddressFamily.AFI_IPV4;
        if (list.withPathIds() == withPathIds && !v4) {
            list.encode(out);
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            if (withPathIds) {
                out.writeInt(list.pathId(i));
            }
            int length = list.prefixLength(i);
            int octets = (length + 7) >>> 3;
            if (v4) {
                // Length and address in at most two writes: IPv4 NLRI are the bulk of what we send.
                int address = list.ipv4Address(i);
                switch (octets) {
                    case 0 -> out.writeByte(length);
                    case 1 -> out.writeShort((length << 8) | (address >>> 24));
                    case 2 -> out.writeMedium((length << 16) | (address >>> 16));
                    case 3 -> out.writeInt((length << 24) | (address >>> 8));
                    default -> {
                        out.writeByte(length);
                        out.writeInt(address);
                    }
                }
            } else {
                out.writeByte(length);
                Ipv6Prefix p = (Ipv6Prefix) list.prefix(i);
                for (int k = 0; k < octets; k++) {
                    out.writeByte((int) (k < 8 ? p.high() >>> (56 - 8 * k) : p.low() >>> (56 - 8 * (k - 8))));
                }
            }
        }
    }
}
