package io.routereflector.reflector.session;

import io.routereflector.wire.message.Notification;

/**
 * An input to the FSM, tagged by its RFC 4271 §8.1 number. Error events (21, 22, 28) carry the
 * NOTIFICATION the decoder prescribed; other events carry none.
 */
public record FsmEvent(Type type, Notification notification) {

    /** RFC 4271 §8.1 events; the numbers are the RFC's. */
    public enum Type {
        MANUAL_START(1),
        MANUAL_STOP(2),
        AUTOMATIC_START(3),
        MANUAL_START_PASSIVE(4),
        AUTOMATIC_START_PASSIVE(5),
        AUTOMATIC_STOP(8),
        CONNECT_RETRY_TIMER_EXPIRES(9),
        HOLD_TIMER_EXPIRES(10),
        KEEPALIVE_TIMER_EXPIRES(11),
        DELAY_OPEN_TIMER_EXPIRES(12),
        TCP_CONNECTION_VALID(14),
        TCP_CR_INVALID(15),
        TCP_CR_ACKED(16),
        TCP_CONNECTION_CONFIRMED(17),
        TCP_CONNECTION_FAILS(18),
        BGP_OPEN(19),
        BGP_OPEN_WITH_DELAY_OPEN_RUNNING(20),
        BGP_HEADER_ERR(21),
        BGP_OPEN_MSG_ERR(22),
        OPEN_COLLISION_DUMP(23),
        NOTIF_MSG_VER_ERR(24),
        NOTIF_MSG(25),
        KEEPALIVE_MSG(26),
        UPDATE_MSG(27),
        UPDATE_MSG_ERR(28);

        private final int number;

        Type(int number) {
            this.number = number;
        }

        public int number() {
            return number;
        }

        @Override
        public String toString() {
            return "Event " + number + " " + name();
        }
    }

    public FsmEvent {
        boolean carries = type == Type.BGP_HEADER_ERR || type == Type.BGP_OPEN_MSG_ERR || type == Type.UPDATE_MSG_ERR
                || type == Type.OPEN_COLLISION_DUMP || type == Type.MANUAL_STOP || type == Type.AUTOMATIC_STOP;
        if (notification != null && !carries) {
            throw new IllegalArgumentException(type + " carries no NOTIFICATION");
        }
        if (notification == null && (type == Type.BGP_HEADER_ERR || type == Type.BGP_OPEN_MSG_ERR || type == Type.UPDATE_MSG_ERR)) {
            throw new IllegalArgumentException(type + " needs the NOTIFICATION to send");
        }
    }

    public static FsmEvent of(Type type) {
        return new FsmEvent(type, null);
    }

    public static FsmEvent error(Type type, Notification notification) {
        return new FsmEvent(type, notification);
    }

    @Override
    public String toString() {
        return notification == null ? type.toString() : type + " (" + notification + ")";
    }
}
