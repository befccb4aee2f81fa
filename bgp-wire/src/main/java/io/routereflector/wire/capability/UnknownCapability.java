package io.routereflector.wire.capability;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A capability we do not interpret (RFC 5492 §3: unknown capabilities are ignored, not refused),
 * kept byte-exact so that the OPEN can be logged and re-encoded as received. Cisco's pre-standard
 * route refresh (code 128) lands here.
 */
public record UnknownCapability(int code, byte[] value) implements Capability {

    public UnknownCapability {
        if (code < 0 || code > 0xFF) {
            throw new IllegalArgumentException("capability code is one octet: " + code);
        }
        value = value == null ? new byte[0] : value.clone();
        if (value.length > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("capability value of " + value.length + " octets exceeds " + MAX_VALUE_LENGTH);
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
        return o instanceof UnknownCapability u && u.code == code && Arrays.equals(u.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * code + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "UnknownCapability[code=" + code + ", value=" + HexFormat.of().formatHex(value) + "]";
    }
}
