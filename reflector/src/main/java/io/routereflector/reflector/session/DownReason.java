package io.routereflector.reflector.session;

import io.routereflector.wire.message.Notification;

/**
 * Why an Established session went down.
 *
 * @param notification the NOTIFICATION sent or received, null when the connection simply broke
 */
public record DownReason(Kind kind, Notification notification, String detail) {

    public enum Kind {
        /** TCP closed or failed without a NOTIFICATION. */
        CONNECTION_LOST,
        /** We sent a NOTIFICATION (hold timer, decode error, configuration change, shutdown ...). */
        NOTIFICATION_SENT,
        /** The peer sent one. */
        NOTIFICATION_RECEIVED,
        /** A new connection from a graceful-restart peer replaced the session (RFC 4724 §4.2). */
        PEER_RESTARTED
    }

    @Override
    public String toString() {
        return kind + (notification != null ? " " + notification : "") + (detail != null ? " (" + detail + ")" : "");
    }

    /** The words of a socket failure without Netty's trailing {@code : /address:port}. */
    static String socketWords(Throwable cause) {
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        int address = message.indexOf(": /");
        message = address > 0 ? message.substring(0, address) : message;
        // The epoll transport prefixes the errno text with the call that failed: "finishConnect(..) failed: ".
        int failed = message.lastIndexOf("failed: ");
        return failed >= 0 ? message.substring(failed + "failed: ".length()) : message;
    }
}
