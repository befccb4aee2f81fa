package io.routereflector.wire.capability;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.nlri.AddressFamily;

import java.util.List;
import java.util.Optional;

/**
 * ADD-PATH (RFC 7911 §4, code 69): per family AFI (2), SAFI (1), Send/Receive (1). Modes other than
 * 1..3 are kept as received; RFC 7911 gives no error for them and the session simply finds neither
 * bit it needs (BIRD ignores such a capability too).
 */
public record AddPath(List<Entry> families) implements Capability {

    public static final int CODE = 69;
    public static final int RECEIVE = 1;
    public static final int SEND = 2;
    public static final int BOTH = 3;
    /** 255 / 4 entries fit in a one-octet capability length. */
    public static final int MAX_FAMILIES = 63;

    public record Entry(AddressFamily family, int mode) {

        public Entry {
            if (family == null) {
                throw new IllegalArgumentException("family is required");
            }
            if (mode < 0 || mode > 0xFF) {
                throw new IllegalArgumentException("send/receive is one octet: " + mode);
            }
        }

        /** The sender is able to receive multiple paths (RFC 7911 §4, values 1 and 3). */
        public boolean canReceive() {
            return mode == RECEIVE || mode == BOTH;
        }

        /** The sender is able to send multiple paths (values 2 and 3). */
        public boolean canSend() {
            return mode == SEND || mode == BOTH;
        }
    }

    public AddPath {
        families = List.copyOf(families);
        if (families.size() > MAX_FAMILIES) {
            throw new IllegalArgumentException(families.size() + " families exceed " + MAX_FAMILIES);
        }
    }

    /** The first entry for {@code family}, if any. */
    public Optional<Entry> entry(AddressFamily family) {
        return families.stream().filter(e -> e.family().equals(family)).findFirst();
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int valueLength() {
        return 4 * families.size();
    }

    @Override
    public void writeValue(ByteBuf out) {
        for (Entry e : families) {
            out.writeShort(e.family().afi());
            out.writeByte(e.family().safi());
            out.writeByte(e.mode());
        }
    }
}
