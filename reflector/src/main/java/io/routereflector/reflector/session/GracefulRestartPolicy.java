package io.routereflector.reflector.session;

import io.routereflector.wire.error.NotificationCode;

/**
 * Whether a peer's routes are kept as stale when its session drops (the helper side of RFC 4724).
 * RFC 4724 §4.2 covers a TCP failure and a new connection while Established; we also count our own
 * Hold Timer Expired, since a peer that died silently (power loss, network partition) is exactly the
 * case graceful restart is for. A NOTIFICATION otherwise ends the session for good: we do not
 * advertise the RFC 8538 N bit.
 */
final class GracefulRestartPolicy {

    private GracefulRestartPolicy() {
    }

    static boolean keepRoutes(Negotiated negotiated, DownReason reason) {
        if (negotiated == null || negotiated.gracefulRestartFamilies().isEmpty()) {
            return false;
        }
        return switch (reason.kind()) {
            case CONNECTION_LOST, PEER_RESTARTED -> true;
            case NOTIFICATION_SENT -> reason.notification().named() == NotificationCode.HOLD_TIMER_EXPIRED;
            case NOTIFICATION_RECEIVED -> false;
        };
    }
}
