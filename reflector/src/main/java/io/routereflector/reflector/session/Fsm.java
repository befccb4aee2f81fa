package io.routereflector.reflector.session;

import io.routereflector.reflector.session.FsmAction.HoldKind;
import io.routereflector.reflector.session.FsmAction.SendNotification;
import io.routereflector.reflector.session.FsmAction.StartTimer;
import io.routereflector.reflector.session.FsmAction.StopTimer;
import io.routereflector.reflector.session.FsmAction.Timer;
import io.routereflector.reflector.session.FsmEvent.Type;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.message.Notification;

import java.util.ArrayList;
import java.util.List;

/**
 * The RFC 4271 §8.2.2 state machine of one connection as a pure function:
 * {@code step(state, event) → (next state, actions)}. A thin handler performs the actions on the
 * channel's event loop. Collision detection (§6.8) happens outside, between two instances, and feeds
 * back {@link Type#OPEN_COLLISION_DUMP} to the loser.
 *
 * <p>One instance runs one TCP connection, dialed or accepted (a peer has two during a collision),
 * and ends with it. Departures from the RFC text, each deliberate:
 * <ul>
 * <li>Where §8.2.2 keeps the FSM in Active after the TCP connection is lost (in OpenSent, or while
 *     DelayOpen runs) or re-dials in place when ConnectRetry expires, this FSM goes to Idle and
 *     asks for the IdleHold timer: its expiry starts the next attempt as a new instance
 *     (AutomaticStart), which carries the ConnectRetryCounter on. A loss after the TCP connection
 *     was up counts in that counter, so that DampPeerOscillations (§8.1.1, optional) can stretch
 *     IdleHold for a peer that keeps hanging up; a failed dial does not.</li>
 * <li>Every automatic way into Idle starts IdleHold; ManualStop does not (nothing restarts).</li>
 * <li>SendNOTIFICATIONwithoutOPEN is off. The damped start events 6 and 7 and IdleHoldTimer_Expires
 *     (13) do not exist: damping is how long IdleHold runs (decided where the timer is carried out),
 *     and its expiry is the AutomaticStart (3) of the next connection.</li>
 * <li>An error event in Established sends the NOTIFICATION the decoder prescribed rather than a
 *     generic FSM error, since §6 names the exact code for those errors.</li>
 * </ul>
 *
 * @param delayOpen whether the DelayOpen session attribute is set (§8.1.1, optional attribute)
 */
public record Fsm(SessionState state, int connectRetryCounter, boolean delayOpen, boolean delayOpenRunning) {

    public record Transition(Fsm next, List<FsmAction> actions) {
        public Transition {
            actions = List.copyOf(actions);
        }
    }

    public static Fsm idle(boolean delayOpen) {
        return idle(delayOpen, 0);
    }

    /** A new connection's FSM that carries on the peer's ConnectRetryCounter. */
    public static Fsm idle(boolean delayOpen, int connectRetryCounter) {
        return new Fsm(SessionState.IDLE, connectRetryCounter, delayOpen, false);
    }

    public Transition step(FsmEvent event) {
        return switch (state) {
            case IDLE -> idle(event);
            case CONNECT, ACTIVE -> connecting(event);
            case OPEN_SENT -> openSent(event);
            case OPEN_CONFIRM -> openConfirm(event);
            case ESTABLISHED -> established(event);
        };
    }

    private Fsm with(SessionState next, int counter, boolean delayRunning) {
        return new Fsm(next, counter, delayOpen, delayRunning);
    }

    private Transition stay(FsmAction... actions) {
        return new Transition(this, List.of(actions));
    }

    // §8.2.2 Idle: only the start events act; every other event is ignored.
    private Transition idle(FsmEvent event) {
        return switch (event.type()) {
            case MANUAL_START, AUTOMATIC_START -> new Transition(with(SessionState.CONNECT, event.type() == Type.MANUAL_START ? 0 : connectRetryCounter, false),
                    List.of(new StartTimer(Timer.CONNECT_RETRY), FsmAction.INITIATE_CONNECTION));
            case MANUAL_START_PASSIVE, AUTOMATIC_START_PASSIVE -> new Transition(
                    with(SessionState.ACTIVE, event.type() == Type.MANUAL_START_PASSIVE ? 0 : connectRetryCounter, false),
                    List.of(new StartTimer(Timer.CONNECT_RETRY)));
            default -> stay();
        };
    }

    // §8.2.2 Connect and Active share most rows; where they differ the state is tested.
    private Transition connecting(FsmEvent event) {
        boolean connect = state == SessionState.CONNECT;
        switch (event.type()) {
            case MANUAL_START, AUTOMATIC_START, MANUAL_START_PASSIVE, AUTOMATIC_START_PASSIVE, TCP_CONNECTION_VALID, TCP_CR_INVALID:
                return stay();
            case MANUAL_STOP:
                return toIdle(0, true, null, false);
            case CONNECT_RETRY_TIMER_EXPIRES:
                // The dial (Connect) or the wait for the peer (Active) took too long: this connection
                // ends; IdleHold starts the next attempt (§8.2.2 would re-dial in place).
                return toIdle(connectRetryCounter, true, null, true);
            case DELAY_OPEN_TIMER_EXPIRES:
                if (!delayOpenRunning) {
                    return toIdleOther();
                }
                return new Transition(with(SessionState.OPEN_SENT, connectRetryCounter, false),
                        List.of(FsmAction.SEND_OPEN, new StartTimer(Timer.HOLD, HoldKind.LARGE)));
            case TCP_CR_ACKED, TCP_CONNECTION_CONFIRMED:
                if (delayOpen) {
                    return new Transition(with(state, connectRetryCounter, true),
                            List.of(new StopTimer(Timer.CONNECT_RETRY), new StartTimer(Timer.DELAY_OPEN)));
                }
                return new Transition(with(SessionState.OPEN_SENT, connectRetryCounter, false),
                        List.of(new StopTimer(Timer.CONNECT_RETRY), FsmAction.SEND_OPEN, new StartTimer(Timer.HOLD, HoldKind.LARGE)));
            case TCP_CONNECTION_FAILS:
                if (delayOpenRunning) {
                    // Lost while our OPEN was held back: the connection was up, so it counts.
                    return toIdle(connectRetryCounter + 1, true, null, true);
                }
                return connect ? toIdle(connectRetryCounter, true, null, true) : toIdle(connectRetryCounter + 1, true, null, true);
            case BGP_OPEN_WITH_DELAY_OPEN_RUNNING:
                // The peer spoke first while we delayed our OPEN: answer with OPEN and KEEPALIVE.
                return new Transition(with(SessionState.OPEN_CONFIRM, connectRetryCounter, false),
                        List.of(new StopTimer(Timer.CONNECT_RETRY), new StopTimer(Timer.DELAY_OPEN), FsmAction.SEND_OPEN,
                                FsmAction.SEND_KEEPALIVE, new StartTimer(Timer.KEEPALIVE), new StartTimer(Timer.HOLD)));
            case BGP_HEADER_ERR, BGP_OPEN_MSG_ERR:
                return toIdle(connectRetryCounter + 1, true, event.notification(), true);
            case NOTIF_MSG_VER_ERR:
                return toIdle(delayOpenRunning ? connectRetryCounter : connectRetryCounter + 1, true, null, true);
            default:
                return toIdleOther();
        }
    }

    /** Any other event in Connect/Active: release, drop, count, Idle — no NOTIFICATION (no OPEN was sent). */
    private Transition toIdleOther() {
        return toIdle(connectRetryCounter + 1, true, null, true);
    }

    private Transition openSent(FsmEvent event) {
        Transition common = connectedCommon(event);
        if (common != null) {
            return common;
        }
        switch (event.type()) {
            case TCP_CONNECTION_FAILS:
                // §8.2.2 would listen on in Active; the listener keeps accepting anyway, and IdleHold
                // brings the next dial.
                return toIdle(connectRetryCounter + 1, true, null, true);
            case BGP_OPEN:
                return new Transition(with(SessionState.OPEN_CONFIRM, connectRetryCounter, false),
                        List.of(new StopTimer(Timer.DELAY_OPEN), new StopTimer(Timer.CONNECT_RETRY), FsmAction.SEND_KEEPALIVE,
                                new StartTimer(Timer.KEEPALIVE), new StartTimer(Timer.HOLD)));
            case BGP_HEADER_ERR, BGP_OPEN_MSG_ERR:
                return toIdle(connectRetryCounter + 1, true, event.notification(), true);
            case NOTIF_MSG_VER_ERR:
                return toIdle(connectRetryCounter, true, null, true);
            default:
                // RFC 6608: the FSM error names the state the unexpected message arrived in.
                return toIdle(connectRetryCounter + 1, true, new Notification(NotificationCode.FSM_UNEXPECTED_IN_OPEN_SENT), true);
        }
    }

    private Transition openConfirm(FsmEvent event) {
        Transition common = connectedCommon(event);
        if (common != null) {
            return common;
        }
        switch (event.type()) {
            case KEEPALIVE_TIMER_EXPIRES:
                return stay(FsmAction.SEND_KEEPALIVE, new StartTimer(Timer.KEEPALIVE));
            case TCP_CONNECTION_FAILS, NOTIF_MSG:
                return toIdle(connectRetryCounter + 1, true, null, true);
            case NOTIF_MSG_VER_ERR:
                return toIdle(connectRetryCounter, true, null, true);
            case BGP_HEADER_ERR, BGP_OPEN_MSG_ERR:
                return toIdle(connectRetryCounter + 1, true, event.notification(), true);
            case KEEPALIVE_MSG:
                return new Transition(with(SessionState.ESTABLISHED, connectRetryCounter, false),
                        List.of(new StartTimer(Timer.HOLD), FsmAction.SESSION_ESTABLISHED));
            default:
                return toIdle(connectRetryCounter + 1, true, new Notification(NotificationCode.FSM_UNEXPECTED_IN_OPEN_CONFIRM), true);
        }
    }

    private Transition established(FsmEvent event) {
        Transition common = connectedCommon(event);
        if (common != null) {
            return common;
        }
        switch (event.type()) {
            case KEEPALIVE_TIMER_EXPIRES:
                return stay(FsmAction.SEND_KEEPALIVE, new StartTimer(Timer.KEEPALIVE));
            case NOTIF_MSG_VER_ERR, NOTIF_MSG, TCP_CONNECTION_FAILS:
                return toIdle(connectRetryCounter + 1, true, null, true);
            case KEEPALIVE_MSG:
                return stay(new StartTimer(Timer.HOLD));
            case UPDATE_MSG:
                return stay(FsmAction.PROCESS_UPDATE, new StartTimer(Timer.HOLD));
            case UPDATE_MSG_ERR, BGP_HEADER_ERR, BGP_OPEN_MSG_ERR:
                return toIdle(connectRetryCounter + 1, true, event.notification(), true);
            default:
                return toIdle(connectRetryCounter + 1, true, new Notification(NotificationCode.FSM_UNEXPECTED_IN_ESTABLISHED), true);
        }
    }

    /**
     * The rows OpenSent, OpenConfirm and Established share (§8.2.2): start and TCP events for a second
     * connection are the collision logic's business; stops, hold-timer expiry and a lost collision end
     * the session with their NOTIFICATION. Null for every other event.
     */
    private Transition connectedCommon(FsmEvent event) {
        switch (event.type()) {
            case MANUAL_START, AUTOMATIC_START, MANUAL_START_PASSIVE, AUTOMATIC_START_PASSIVE, TCP_CONNECTION_VALID, TCP_CR_INVALID,
                    TCP_CR_ACKED, TCP_CONNECTION_CONFIRMED:
                return stay();
            case MANUAL_STOP:
                return toIdle(0, true, cease(event, NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN), false);
            case AUTOMATIC_STOP:
                return toIdle(connectRetryCounter + 1, true, cease(event, NotificationCode.CEASE), true);
            case HOLD_TIMER_EXPIRES:
                return toIdle(connectRetryCounter + 1, true, new Notification(NotificationCode.HOLD_TIMER_EXPIRED), true);
            case OPEN_COLLISION_DUMP:
                return toIdle(connectRetryCounter + 1, true, cease(event, NotificationCode.CEASE_CONNECTION_COLLISION), true);
            default:
                return null;
        }
    }

    /** A stop event may carry its own Cease (e.g. a shutdown communication); else the default one. */
    private static Notification cease(FsmEvent event, NotificationCode fallback) {
        return event.notification() != null ? event.notification() : new Notification(fallback);
    }

    /**
     * The common exit to Idle: optional NOTIFICATION first, then stop every timer, drop the
     * connection, release resources, and (unless a ManualStop) start IdleHold for the next attempt.
     */
    private Transition toIdle(int counter, boolean drop, Notification notification, boolean restart) {
        List<FsmAction> actions = new ArrayList<>();
        if (notification != null) {
            actions.add(new SendNotification(notification));
        }
        for (Timer timer : List.of(Timer.CONNECT_RETRY, Timer.HOLD, Timer.KEEPALIVE, Timer.DELAY_OPEN)) {
            actions.add(new StopTimer(timer));
        }
        if (drop) {
            actions.add(FsmAction.DROP_CONNECTION);
        }
        actions.add(FsmAction.RELEASE_RESOURCES);
        if (restart) {
            actions.add(new StartTimer(Timer.IDLE_HOLD));
        }
        return new Transition(with(SessionState.IDLE, counter, false), actions);
    }
}
