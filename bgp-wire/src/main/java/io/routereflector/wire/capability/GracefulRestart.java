package io.routereflector.wire.capability;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.nlri.AddressFamily;

import java.util.List;

/**
 * Graceful Restart (RFC 4724 §3, code 64): Restart Flags (4 bits), Restart Time (12 bits, seconds),
 * then per AFI/SAFI an entry of AFI (2), SAFI (1), Flags for Address Family (1). All flag bits are
 * kept, not only the defined ones, so the value re-encodes byte-exact.
 *
 * @param flags       the 4 Restart Flags bits: {@link #RESTART_STATE} (R, RFC 4724) and
 *                    {@link #NOTIFICATION} (N, RFC 8538 §2)
 * @param restartTime 0..4095 seconds
 */
public record GracefulRestart(int flags, int restartTime, List<Entry> families) implements Capability {

    public static final int CODE = 64;
    public static final int RESTART_STATE = 0x8;
    public static final int NOTIFICATION = 0x4;
    public static final int MAX_RESTART_TIME = 0xFFF;
    /** (255 - 2) / 4 entries fit in a one-octet capability length. */
    public static final int MAX_FAMILIES = 63;

    /** One family: {@link #FORWARDING_STATE} (F) is the top bit of its flags octet. */
    public record Entry(AddressFamily family, int flags) {

        public static final int FORWARDING_STATE = 0x80;

        public Entry {
            if (family == null) {
                throw new IllegalArgumentException("family is required");
            }
            if (flags < 0 || flags > 0xFF) {
                throw new IllegalArgumentException("family flags are one octet: " + flags);
            }
        }

        public Entry(AddressFamily family, boolean forwardingState) {
            this(family, forwardingState ? FORWARDING_STATE : 0);
        }

        public boolean forwardingState() {
            return (flags & FORWARDING_STATE) != 0;
        }
    }

    public GracefulRestart {
        if (flags < 0 || flags > 0xF) {
            throw new IllegalArgumentException("restart flags are 4 bits: " + flags);
        }
        if (restartTime < 0 || restartTime > MAX_RESTART_TIME) {
            throw new IllegalArgumentException("restart time is 12 bits: " + restartTime);
        }
        families = List.copyOf(families);
        if (families.size() > MAX_FAMILIES) {
            throw new IllegalArgumentException(families.size() + " families exceed " + MAX_FAMILIES);
        }
    }

    public static GracefulRestart of(boolean restartState, boolean notification, int restartTime, List<Entry> families) {
        return new GracefulRestart((restartState ? RESTART_STATE : 0) | (notification ? NOTIFICATION : 0),
                restartTime, families);
    }

    /** R: the sender has restarted (RFC 4724 §3). */
    public boolean restartState() {
        return (flags & RESTART_STATE) != 0;
    }

    /** N: the sender supports Graceful Restart for BGP NOTIFICATION messages (RFC 8538 §2). */
    public boolean notification() {
        return (flags & NOTIFICATION) != 0;
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int valueLength() {
        return 2 + 4 * families.size();
    }

    @Override
    public void writeValue(ByteBuf out) {
        out.writeShort(flags << 12 | restartTime);
        for (Entry e : families) {
            out.writeShort(e.family().afi());
            out.writeByte(e.family().safi());
            out.writeByte(e.flags());
        }
    }
}
