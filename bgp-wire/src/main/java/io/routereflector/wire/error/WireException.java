package io.routereflector.wire.error;

import io.routereflector.wire.message.Notification;

/**
 * The one error the codec raises: whatever goes wrong while decoding ends here, carrying the
 * NOTIFICATION (code, subcode, data) that the session must send before it closes. Softer RFC 7606
 * outcomes are not exceptions; they are values on the decoded UPDATE.
 */
public final class WireException extends RuntimeException {

    private final NotificationCode code;
    private final byte[] data;

    public WireException(NotificationCode code, String reason) {
        this(code, new byte[0], reason);
    }

    public WireException(NotificationCode code, byte[] data, String reason) {
        super(code + ": " + reason, null, false, false);
        this.code = code;
        this.data = data.clone();
    }

    public NotificationCode code() {
        return code;
    }

    /** The NOTIFICATION data field, as RFC 4271 §6 prescribes for this error. */
    public byte[] data() {
        return data.clone();
    }

    /** The NOTIFICATION to send for this error. */
    public Notification toNotification() {
        return new Notification(code.code(), code.subcode(), data);
    }
}
