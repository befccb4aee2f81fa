package io.routereflector.reflector.session;

import io.routereflector.wire.message.Notification;

/** What the Netty handler must do after a step. The FSM itself performs no I/O. */
public sealed interface FsmAction {

    /** The timers of RFC 4271 §8 (IdleHold is our back-off between automatic restarts). */
    enum Timer { CONNECT_RETRY, HOLD, KEEPALIVE, DELAY_OPEN, IDLE_HOLD }

    /** How long a started hold timer runs: the "large value" (4 min) of OpenSent, or the negotiated one. */
    enum HoldKind { LARGE, NEGOTIATED }

    record InitiateConnection() implements FsmAction { }

    record SendOpen() implements FsmAction { }

    record SendKeepalive() implements FsmAction { }

    record SendNotification(Notification notification) implements FsmAction { }

    record StartTimer(Timer timer, HoldKind hold) implements FsmAction {
        public StartTimer(Timer timer) {
            this(timer, HoldKind.NEGOTIATED);
        }
    }

    record StopTimer(Timer timer) implements FsmAction { }

    /** Close the TCP connection. */
    record DropConnection() implements FsmAction { }

    /** The session is up: announce the Adj-RIB-Out, start counting uptime. */
    record SessionEstablished() implements FsmAction { }

    /** Release routes and state of the session (or keep them stale, when graceful restart applies). */
    record ReleaseResources() implements FsmAction { }

    /** Hand the UPDATE to the RIB. */
    record ProcessUpdate() implements FsmAction { }

    InitiateConnection INITIATE_CONNECTION = new InitiateConnection();
    SendOpen SEND_OPEN = new SendOpen();
    SendKeepalive SEND_KEEPALIVE = new SendKeepalive();
    DropConnection DROP_CONNECTION = new DropConnection();
    SessionEstablished SESSION_ESTABLISHED = new SessionEstablished();
    ReleaseResources RELEASE_RESOURCES = new ReleaseResources();
    ProcessUpdate PROCESS_UPDATE = new ProcessUpdate();
}
