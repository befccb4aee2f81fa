package io.routereflector.wire.message;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.capability.Capability;
import io.routereflector.wire.capability.CapabilityCodec;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * An OPEN optional parameter (RFC 4271 §4.2) as it was on the wire: BIRD puts every capability in
 * one Capabilities parameter, GoBGP sends one parameter per capability, and both forms must
 * re-encode byte-exact.
 */
public sealed interface OptionalParameter {

    /** Type 2, Capabilities (RFC 5492 §4). */
    int CAPABILITIES = 2;
    /** Type 255, reserved by RFC 9072 §2 as the marker of the extended encoding. */
    int EXTENDED_LENGTH = 255;

    int type();

    int valueLength();

    void writeValue(ByteBuf out);

    /** A Capabilities parameter holding its capabilities in order; it may be empty. */
    record Capabilities(List<Capability> capabilities) implements OptionalParameter {

        public Capabilities {
            capabilities = List.copyOf(capabilities);
        }

        public static Capabilities of(Capability... capabilities) {
            return new Capabilities(List.of(capabilities));
        }

        @Override
        public int type() {
            return CAPABILITIES;
        }

        @Override
        public int valueLength() {
            int total = 0;
            for (Capability c : capabilities) {
                total += CapabilityCodec.encodedLength(c);
            }
            return total;
        }

        @Override
        public void writeValue(ByteBuf out) {
            for (Capability c : capabilities) {
                CapabilityCodec.encode(c, out);
            }
        }
    }

    /**
     * A parameter of another type. The decoder refuses these (RFC 4271 §6.2, Unsupported Optional
     * Parameter), so they exist only to be sent, e.g. to test a peer.
     */
    record Unknown(int type, byte[] value) implements OptionalParameter {

        public Unknown {
            if (type < 0 || type > 0xFF || type == CAPABILITIES || type == EXTENDED_LENGTH) {
                throw new IllegalArgumentException("not a type for an unknown parameter: " + type);
            }
            value = value == null ? new byte[0] : value.clone();
            if (value.length > 0xFFFF) {
                throw new IllegalArgumentException("parameter value of " + value.length + " octets");
            }
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public int valueLength() {
            return value.length;
        }

        @Override
        public void writeValue(ByteBuf out) {
            out.writeBytes(value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown u && u.type == type && Arrays.equals(u.value, value);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Unknown[type=" + type + ", value=" + HexFormat.of().formatHex(value) + "]";
        }
    }
}
