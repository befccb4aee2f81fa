package io.routereflector.wire.message;

/** Message types (RFC 4271 §4.1, RFC 2918) with the length bounds the header check enforces. */
public enum MessageType {
    OPEN(1, 29),
    UPDATE(2, 23),
    NOTIFICATION(3, 21),
    KEEPALIVE(4, 19),
    ROUTE_REFRESH(5, 23);

    private final int code;
    private final int minimumLength;

    MessageType(int code, int minimumLength) {
        this.code = code;
        this.minimumLength = minimumLength;
    }

    public int code() {
        return code;
    }

    /** Smallest legal total length, header included (RFC 4271 §6.1). */
    public int minimumLength() {
        return minimumLength;
    }

    /** Null for an unknown type. */
    public static MessageType fromCode(int code) {
        return switch (code) {
            case 1 -> OPEN;
            case 2 -> UPDATE;
            case 3 -> NOTIFICATION;
            case 4 -> KEEPALIVE;
            case 5 -> ROUTE_REFRESH;
            default -> null;
        };
    }
}
