package io.routereflector.wire.capability;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.nlri.AddressFamily;

import java.util.List;

/**
 * Long-Lived Graceful Restart (RFC 9494 §3, code 71): per family AFI (2), SAFI (1), Flags (1) and a
 * 24-bit Long-Lived Stale Time in seconds. All flag bits are kept for a byte-exact re-encode.
 */
public record LongLivedGracefulRestart(List<Entry> families) implements Capability {

    public static final int CODE = 71;
    public static final int ENTRY_LENGTH = 7;
    /** 255 / 7 entries fit in a one-octet capability length. */
    public static final int MAX_FAMILIES = 36;
    public static final int MAX_STALE_TIME = 0xFF_FFFF;

    /** One family: {@link #FORWARDING_STATE} (F) is the top bit of its flags octet. */
    public record Entry(AddressFamily family, int flags, int staleTime) {

        public static final int FORWARDING_STATE = 0x80;

        public Entry {
            if (family == null) {
                throw new IllegalArgumentException("family is required");
            }
            if (flags < 0 || flags > 0xFF) {
                throw new IllegalArgumentException("family flags are one octet: " + flags);
            }
            if (staleTime < 0 || staleTime > MAX_STALE_TIME) {
                throw new IllegalArgumentException("stale time is 24 bits: " + staleTime);
            }
        }

        public boolean forwardingState() {
            return (flags & FORWARDING_STATE) != 0;
        }
    }

    public LongLivedGracefulRestart {
        families = List.copyOf(families);
        if (families.size() > MAX_FAMILIES) {
            throw new IllegalArgumentException(families.size() + " families exceed " + MAX_FAMILIES);
        }
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int valueLength() {
        return ENTRY_LENGTH * families.size();
    }

    @Override
    public void writeValue(ByteBuf out) {
        for (Entry e : families) {
            out.writeShort(e.family().afi());
            out.writeByte(e.family().safi());
            out.writeByte(e.flags());
            out.writeMedium(e.staleTime());
        }
    }
}
