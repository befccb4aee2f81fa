package io.routereflector.wire.error;

import java.util.HashMap;
import java.util.Map;

/**
 * Every NOTIFICATION (error code, subcode) pair we send or name: RFC 4271 §4.5 and §6, RFC 4486 /
 * RFC 8538 (Cease), RFC 5492 (Unsupported Capability), RFC 6608 (FSM Error subcodes), RFC 7313
 * (ROUTE-REFRESH Message Error), RFC 9234 (Role Mismatch), RFC 9384 (BFD Down). Names are the
 * RFCs' own wording, as BIRD prints them.
 */
public enum NotificationCode {
    MESSAGE_HEADER_ERROR(1, 0, "Message header error"),
    HEADER_CONNECTION_NOT_SYNCHRONIZED(1, 1, "Connection not synchronized"),
    HEADER_BAD_MESSAGE_LENGTH(1, 2, "Bad message length"),
    HEADER_BAD_MESSAGE_TYPE(1, 3, "Bad message type"),

    OPEN_MESSAGE_ERROR(2, 0, "OPEN message error"),
    OPEN_UNSUPPORTED_VERSION(2, 1, "Unsupported version number"),
    OPEN_BAD_PEER_AS(2, 2, "Bad peer AS"),
    OPEN_BAD_BGP_IDENTIFIER(2, 3, "Bad BGP identifier"),
    OPEN_UNSUPPORTED_OPTIONAL_PARAMETER(2, 4, "Unsupported optional parameter"),
    OPEN_UNACCEPTABLE_HOLD_TIME(2, 6, "Unacceptable hold time"),
    OPEN_UNSUPPORTED_CAPABILITY(2, 7, "Unsupported capability"),
    OPEN_ROLE_MISMATCH(2, 11, "Role mismatch"),

    UPDATE_MESSAGE_ERROR(3, 0, "UPDATE message error"),
    UPDATE_MALFORMED_ATTRIBUTE_LIST(3, 1, "Malformed attribute list"),
    UPDATE_UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE(3, 2, "Unrecognized well-known attribute"),
    UPDATE_MISSING_WELL_KNOWN_ATTRIBUTE(3, 3, "Missing mandatory attribute"),
    UPDATE_ATTRIBUTE_FLAGS_ERROR(3, 4, "Invalid attribute flags"),
    UPDATE_ATTRIBUTE_LENGTH_ERROR(3, 5, "Invalid attribute length"),
    UPDATE_INVALID_ORIGIN(3, 6, "Invalid ORIGIN attribute"),
    UPDATE_INVALID_NEXT_HOP(3, 8, "Invalid NEXT_HOP attribute"),
    UPDATE_OPTIONAL_ATTRIBUTE_ERROR(3, 9, "Optional attribute error"),
    UPDATE_INVALID_NETWORK_FIELD(3, 10, "Invalid network field"),
    UPDATE_MALFORMED_AS_PATH(3, 11, "Malformed AS_PATH"),

    HOLD_TIMER_EXPIRED(4, 0, "Hold timer expired"),

    FSM_ERROR(5, 0, "Finite state machine error"),
    FSM_UNEXPECTED_IN_OPEN_SENT(5, 1, "Receive unexpected message in OpenSent state"),
    FSM_UNEXPECTED_IN_OPEN_CONFIRM(5, 2, "Receive unexpected message in OpenConfirm state"),
    FSM_UNEXPECTED_IN_ESTABLISHED(5, 3, "Receive unexpected message in Established state"),

    CEASE(6, 0, "Cease"),
    CEASE_MAX_PREFIXES(6, 1, "Maximum number of prefixes reached"),
    CEASE_ADMINISTRATIVE_SHUTDOWN(6, 2, "Administrative shutdown"),
    CEASE_PEER_DECONFIGURED(6, 3, "Peer de-configured"),
    CEASE_ADMINISTRATIVE_RESET(6, 4, "Administrative reset"),
    CEASE_CONNECTION_REJECTED(6, 5, "Connection rejected"),
    CEASE_OTHER_CONFIGURATION_CHANGE(6, 6, "Other configuration change"),
    CEASE_CONNECTION_COLLISION(6, 7, "Connection collision resolution"),
    CEASE_OUT_OF_RESOURCES(6, 8, "Out of resources"),
    CEASE_HARD_RESET(6, 9, "Hard reset"),
    CEASE_BFD_DOWN(6, 10, "BFD down"),

    ROUTE_REFRESH_MESSAGE_ERROR(7, 0, "ROUTE-REFRESH message error"),
    ROUTE_REFRESH_INVALID_LENGTH(7, 1, "Invalid message length");

    private static final Map<Integer, NotificationCode> BY_PAIR = new HashMap<>();

    static {
        for (NotificationCode c : values()) {
            BY_PAIR.put(key(c.code, c.subcode), c);
        }
    }

    private final int code;
    private final int subcode;
    private final String description;

    NotificationCode(int code, int subcode, String description) {
        this.code = code;
        this.subcode = subcode;
        this.description = description;
    }

    private static int key(int code, int subcode) {
        return (code << 8) | subcode;
    }

    public int code() {
        return code;
    }

    public int subcode() {
        return subcode;
    }

    public String description() {
        return description;
    }

    /** The named pair, or null when the pair is not one we know (it is still carried as numbers). */
    public static NotificationCode lookup(int code, int subcode) {
        return BY_PAIR.get(key(code, subcode));
    }

    /** A human name for any pair, e.g. "Cease / Peer de-configured" or "Cease / subcode 42". */
    public static String describe(int code, int subcode) {
        NotificationCode base = lookup(code, 0);
        String major = base != null ? base.description : "error code " + code;
        if (subcode == 0) {
            return major;
        }
        NotificationCode exact = lookup(code, subcode);
        return major + " / " + (exact != null ? exact.description : "subcode " + subcode);
    }

    @Override
    public String toString() {
        return describe(code, subcode);
    }
}
