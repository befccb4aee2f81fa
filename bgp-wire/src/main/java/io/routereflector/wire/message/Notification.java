package io.routereflector.wire.message;

import io.routereflector.wire.error.NotificationCode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * NOTIFICATION (RFC 4271 §4.5). Code and subcode are kept as numbers so that pairs we do not know
 * survive; {@link #named()} gives the enum when we do. The data is copied in and out.
 */
public record Notification(int code, int subcode, byte[] data) implements BgpMessage {

    /** RFC 9003 §2: the shutdown communication is at most 255 octets of UTF-8. */
    public static final int MAX_SHUTDOWN_COMMUNICATION = 255;

    public Notification {
        if (code < 0 || code > 255 || subcode < 0 || subcode > 255) {
            throw new IllegalArgumentException("code and subcode are octets: " + code + "/" + subcode);
        }
        data = data == null ? new byte[0] : data.clone();
    }

    public Notification(NotificationCode code) {
        this(code.code(), code.subcode(), new byte[0]);
    }

    public Notification(NotificationCode code, byte[] data) {
        this(code.code(), code.subcode(), data);
    }

    /**
     * Cease / Administrative Shutdown or Administrative Reset with an RFC 9003 shutdown
     * communication. Messages longer than 255 octets of UTF-8 are cut at a character boundary.
     */
    public static Notification shutdown(NotificationCode code, String message) {
        if (code != NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN && code != NotificationCode.CEASE_ADMINISTRATIVE_RESET) {
            throw new IllegalArgumentException("a shutdown communication belongs to Cease/2 or Cease/4, not " + code);
        }
        byte[] text = truncateUtf8(message, MAX_SHUTDOWN_COMMUNICATION);
        byte[] data = new byte[1 + text.length];
        data[0] = (byte) text.length;
        System.arraycopy(text, 0, data, 1, text.length);
        return new Notification(code, data);
    }

    /** RFC 8538 §3: Cease / Hard Reset carries the code, subcode and data of its cause. */
    public static Notification hardReset(Notification cause) {
        byte[] data = new byte[2 + cause.data.length];
        data[0] = (byte) cause.code;
        data[1] = (byte) cause.subcode;
        System.arraycopy(cause.data, 0, data, 2, cause.data.length);
        return new Notification(NotificationCode.CEASE_HARD_RESET, data);
    }

    private static byte[] truncateUtf8(String message, int max) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= max) {
            return bytes;
        }
        int end = max;
        // Step back over continuation bytes (10xxxxxx) so that no character is split.
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return Arrays.copyOf(bytes, end);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public NotificationCode named() {
        return NotificationCode.lookup(code, subcode);
    }

    /**
     * The RFC 9003 shutdown communication of a Cease/2 or Cease/4, when present and well-formed:
     * a length octet within the data and valid UTF-8. Malformed ones are empty (RFC 9003 §4: log, do
     * not act on them).
     */
    public Optional<String> shutdownCommunication() {
        if (code != 6 || (subcode != 2 && subcode != 4) || data.length == 0) {
            return Optional.empty();
        }
        int length = data[0] & 0xFF;
        if (length == 0 || 1 + length > data.length) {
            return Optional.empty();
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, 1, length)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** The cause inside an RFC 8538 Hard Reset, if this is one and it carries a cause. */
    public Optional<Notification> hardResetCause() {
        if (code != 6 || subcode != 9 || data.length < 2) {
            return Optional.empty();
        }
        return Optional.of(new Notification(data[0] & 0xFF, data[1] & 0xFF, Arrays.copyOfRange(data, 2, data.length)));
    }

    @Override
    public MessageType type() {
        return MessageType.NOTIFICATION;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Notification n && n.code == code && n.subcode == subcode && Arrays.equals(n.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * code + subcode) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(NotificationCode.describe(code, subcode));
        shutdownCommunication().ifPresent(m -> text.append(" \"").append(m).append('"'));
        if (data.length > 0 && shutdownCommunication().isEmpty()) {
            text.append(" data=").append(HexFormat.of().formatHex(data));
        }
        return text.toString();
    }
}
