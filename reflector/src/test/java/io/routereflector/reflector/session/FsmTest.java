package io.routereflector.reflector.session;

import io.routereflector.reflector.session.FsmAction.HoldKind;
import io.routereflector.reflector.session.FsmAction.SendNotification;
import io.routereflector.reflector.session.FsmAction.StartTimer;
import io.routereflector.reflector.session.FsmAction.StopTimer;
import io.routereflector.reflector.session.FsmAction.Timer;
import io.routereflector.reflector.session.FsmEvent.Type;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.message.Notification;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RFC 4271 §8.2.2 transition table, row by row, without Netty. */
class FsmTest {

    private static Fsm at(SessionState state) {
        return new Fsm(state, 0, false, false);
    }

    private static Fsm.Transition step(Fsm fsm, Type type) {
        return fsm.step(event(type));
    }

    private static FsmEvent event(Type type) {
        return switch (type) {
            case BGP_HEADER_ERR, BGP_OPEN_MSG_ERR, UPDATE_MSG_ERR ->
                    FsmEvent.error(type, new Notification(NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST));
            default -> FsmEvent.of(type);
        };
    }

    private static Notification sent(Fsm.Transition t) {
        return t.actions().stream().filter(a -> a instanceof SendNotification)
                .map(a -> ((SendNotification) a).notification()).findFirst().orElse(null);
    }

    @Test
    void activeOpenReachesEstablished() {
        Fsm fsm = Fsm.idle(false);
        Fsm.Transition t = step(fsm, Type.AUTOMATIC_START);
        assertEquals(SessionState.CONNECT, t.next().state());
        assertEquals(List.of(new StartTimer(Timer.CONNECT_RETRY), FsmAction.INITIATE_CONNECTION), t.actions());

        t = step(t.next(), Type.TCP_CR_ACKED);
        assertEquals(SessionState.OPEN_SENT, t.next().state());
        assertTrue(t.actions().contains(FsmAction.SEND_OPEN));
        assertTrue(t.actions().contains(new StartTimer(Timer.HOLD, HoldKind.LARGE)), "OpenSent holds for the large value (4 min)");

        t = step(t.next(), Type.BGP_OPEN);
        assertEquals(SessionState.OPEN_CONFIRM, t.next().state());
        assertTrue(t.actions().contains(FsmAction.SEND_KEEPALIVE));
        assertTrue(t.actions().contains(new StartTimer(Timer.HOLD, HoldKind.NEGOTIATED)));

        t = step(t.next(), Type.KEEPALIVE_MSG);
        assertEquals(SessionState.ESTABLISHED, t.next().state());
        assertTrue(t.actions().contains(FsmAction.SESSION_ESTABLISHED));

        t = step(t.next(), Type.UPDATE_MSG);
        assertEquals(SessionState.ESTABLISHED, t.next().state());
        assertEquals(List.of(FsmAction.PROCESS_UPDATE, new StartTimer(Timer.HOLD)), t.actions());
    }

    @Test
    void passiveStartWaitsInActiveAndAcceptsTheIncomingConnection() {
        Fsm.Transition t = step(Fsm.idle(false), Type.AUTOMATIC_START_PASSIVE);
        assertEquals(SessionState.ACTIVE, t.next().state());
        assertFalse(t.actions().contains(FsmAction.INITIATE_CONNECTION), "passive: no outgoing connection");
        t = step(t.next(), Type.TCP_CONNECTION_CONFIRMED);
        assertEquals(SessionState.OPEN_SENT, t.next().state());
    }

    /** The connection ends and IdleHold, carried out by PeerSession, starts the next one. */
    @ParameterizedTest(name = "ConnectRetry expires in {0}")
    @CsvSource({"CONNECT", "ACTIVE"})
    void connectRetryExpiryEndsTheAttemptAndStartsIdleHold(SessionState state) {
        Fsm.Transition t = step(at(state), Type.CONNECT_RETRY_TIMER_EXPIRES);
        assertEquals(SessionState.IDLE, t.next().state());
        assertEquals(0, t.next().connectRetryCounter(), "a dial that went unanswered does not count");
        assertEquals(List.of(FsmAction.DROP_CONNECTION, FsmAction.RELEASE_RESOURCES, new StartTimer(Timer.IDLE_HOLD)),
                t.actions().subList(t.actions().size() - 3, t.actions().size()));
        assertFalse(t.actions().contains(FsmAction.INITIATE_CONNECTION));
    }

    @Test
    void onlyTheActiveStartsInitiateAConnection() {
        for (SessionState state : SessionState.values()) {
            for (Type type : Type.values()) {
                boolean initiates = step(at(state), type).actions().contains(FsmAction.INITIATE_CONNECTION);
                boolean activeStart = state == SessionState.IDLE && (type == Type.AUTOMATIC_START || type == Type.MANUAL_START);
                assertEquals(activeStart, initiates, state + " " + type);
            }
        }
    }

    @Test
    void manualStopEndsWithoutIdleHold() {
        for (SessionState state : List.of(SessionState.CONNECT, SessionState.ACTIVE, SessionState.OPEN_SENT,
                SessionState.OPEN_CONFIRM, SessionState.ESTABLISHED)) {
            Fsm.Transition t = step(at(state), Type.MANUAL_STOP);
            assertEquals(SessionState.IDLE, t.next().state());
            assertTrue(t.actions().contains(FsmAction.DROP_CONNECTION), state.toString());
            assertFalse(t.actions().contains(new StartTimer(Timer.IDLE_HOLD)), state.toString());
        }
    }

    @Test
    void delayOpenHoldsBackTheOpenUntilTheTimerOrThePeersOpen() {
        Fsm.Transition t = step(Fsm.idle(true), Type.AUTOMATIC_START);
        t = step(t.next(), Type.TCP_CR_ACKED);
        assertEquals(SessionState.CONNECT, t.next().state());
        assertTrue(t.next().delayOpenRunning());
        assertTrue(t.actions().contains(new StartTimer(Timer.DELAY_OPEN)));
        assertFalse(t.actions().contains(FsmAction.SEND_OPEN));

        Fsm.Transition expired = step(t.next(), Type.DELAY_OPEN_TIMER_EXPIRES);
        assertEquals(SessionState.OPEN_SENT, expired.next().state());
        assertTrue(expired.actions().contains(FsmAction.SEND_OPEN));

        Fsm.Transition peerFirst = step(t.next(), Type.BGP_OPEN_WITH_DELAY_OPEN_RUNNING);
        assertEquals(SessionState.OPEN_CONFIRM, peerFirst.next().state());
        assertTrue(peerFirst.actions().containsAll(List.of(FsmAction.SEND_OPEN, FsmAction.SEND_KEEPALIVE)));
    }

    @Test
    void tcpFailureInOpenSentEndsTheConnectionAndCounts() {
        Fsm.Transition t = step(at(SessionState.OPEN_SENT), Type.TCP_CONNECTION_FAILS);
        assertEquals(SessionState.IDLE, t.next().state());
        assertEquals(1, t.next().connectRetryCounter());
        assertTrue(t.actions().containsAll(List.of(FsmAction.RELEASE_RESOURCES, new StartTimer(Timer.IDLE_HOLD))));
    }

    @ParameterizedTest(name = "{0} in {1} sends {2}/{3}")
    @CsvSource({
        "HOLD_TIMER_EXPIRES, OPEN_SENT, 4, 0",
        "HOLD_TIMER_EXPIRES, OPEN_CONFIRM, 4, 0",
        "HOLD_TIMER_EXPIRES, ESTABLISHED, 4, 0",
        "UPDATE_MSG, OPEN_SENT, 5, 1",
        "KEEPALIVE_MSG, OPEN_SENT, 5, 1",
        "UPDATE_MSG, OPEN_CONFIRM, 5, 2",
        "BGP_OPEN, OPEN_CONFIRM, 5, 2",
        "BGP_OPEN, ESTABLISHED, 5, 3",
        "CONNECT_RETRY_TIMER_EXPIRES, ESTABLISHED, 5, 3",
        "MANUAL_STOP, ESTABLISHED, 6, 2",
        "MANUAL_STOP, OPEN_SENT, 6, 2",
        "AUTOMATIC_STOP, OPEN_CONFIRM, 6, 0",
        "OPEN_COLLISION_DUMP, OPEN_CONFIRM, 6, 7",
        "OPEN_COLLISION_DUMP, ESTABLISHED, 6, 7",
        "OPEN_COLLISION_DUMP, OPEN_SENT, 6, 7",
        "AUTOMATIC_STOP, ESTABLISHED, 6, 0",
        "DELAY_OPEN_TIMER_EXPIRES, OPEN_SENT, 5, 1",
        "KEEPALIVE_TIMER_EXPIRES, OPEN_SENT, 5, 1",
        "ROUTE_REFRESH_STANDIN, OPEN_CONFIRM, 5, 2",
    })
    void errorsSendTheRightNotificationAndGoIdle(String eventName, SessionState state, int code, int subcode) {
        // The session feeds a ROUTE-REFRESH outside Established to the FSM as an unexpected UPDATE.
        Type event = Type.valueOf(eventName.equals("ROUTE_REFRESH_STANDIN") ? "UPDATE_MSG" : eventName);
        Fsm.Transition t = step(at(state), event);
        assertEquals(SessionState.IDLE, t.next().state());
        Notification n = sent(t);
        assertEquals(code, n.code(), () -> "sent " + n);
        assertEquals(subcode, n.subcode(), () -> "sent " + n);
        assertTrue(t.actions().contains(FsmAction.DROP_CONNECTION));
        assertTrue(t.actions().indexOf(new SendNotification(n)) < t.actions().indexOf(FsmAction.DROP_CONNECTION),
                "the NOTIFICATION goes out before the connection is dropped");
    }

    @Test
    void decoderErrorsSendTheDecodersNotification() {
        Notification malformed = new Notification(NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST);
        Fsm.Transition t = at(SessionState.ESTABLISHED).step(FsmEvent.error(Type.UPDATE_MSG_ERR, malformed));
        assertEquals(malformed, sent(t));
        assertEquals(1, t.next().connectRetryCounter());
    }

    @Test
    void stopCarriesAShutdownCommunication() {
        Notification shutdown = Notification.shutdown(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN, "maintenance");
        Fsm.Transition t = at(SessionState.ESTABLISHED).step(new FsmEvent(Type.MANUAL_STOP, shutdown));
        assertEquals(shutdown, sent(t));
        assertEquals(0, t.next().connectRetryCounter(), "ManualStop resets the counter");
    }

    @Test
    void notificationFromPeerClosesWithoutAnswering() {
        Fsm.Transition t = step(at(SessionState.ESTABLISHED), Type.NOTIF_MSG);
        assertEquals(SessionState.IDLE, t.next().state());
        assertEquals(null, sent(t));
        assertTrue(t.actions().contains(FsmAction.RELEASE_RESOURCES));
    }

    @Test
    void keepaliveTimerSendsKeepalivesWithoutChangingState() {
        for (SessionState state : List.of(SessionState.OPEN_CONFIRM, SessionState.ESTABLISHED)) {
            Fsm.Transition t = step(at(state), Type.KEEPALIVE_TIMER_EXPIRES);
            assertEquals(state, t.next().state());
            assertEquals(List.of(FsmAction.SEND_KEEPALIVE, new StartTimer(Timer.KEEPALIVE)), t.actions());
        }
    }

    @Test
    void idleIgnoresEverythingButStart() {
        for (Type type : Type.values()) {
            Fsm.Transition t = step(Fsm.idle(false), type);
            boolean start = type == Type.MANUAL_START || type == Type.AUTOMATIC_START
                    || type == Type.MANUAL_START_PASSIVE || type == Type.AUTOMATIC_START_PASSIVE;
            assertEquals(start, t.next().state() != SessionState.IDLE, type.toString());
            if (!start) {
                assertTrue(t.actions().isEmpty(), type.toString());
            }
        }
    }

    @Test
    void theCounterIsCarriedFromConnectionToConnection() {
        Fsm fsm = step(Fsm.idle(false, 3), Type.AUTOMATIC_START).next();
        Fsm.Transition refused = step(fsm, Type.TCP_CONNECTION_FAILS);
        assertEquals(SessionState.IDLE, refused.next().state());
        assertEquals(3, refused.next().connectRetryCounter(), "a refused dial does not count (§8.2.2 Connect)");
        Fsm.Transition t = step(at(SessionState.ACTIVE), Type.TCP_CONNECTION_FAILS);
        assertEquals(SessionState.IDLE, t.next().state());
        assertEquals(1, t.next().connectRetryCounter());
    }

    @Test
    void collisionDumpBeforeAnyOpenClosesSilently() {
        // A connection still in Connect/Active sent no OPEN, so it gets no NOTIFICATION (§8.2.2).
        for (SessionState state : List.of(SessionState.CONNECT, SessionState.ACTIVE)) {
            Fsm.Transition t = step(at(state), Type.OPEN_COLLISION_DUMP);
            assertEquals(SessionState.IDLE, t.next().state());
            assertEquals(null, sent(t));
            assertTrue(t.actions().contains(FsmAction.DROP_CONNECTION));
        }
    }

    @Test
    void versionErrorFromThePeerDoesNotCountAgainstIt() {
        Fsm.Transition t = step(new Fsm(SessionState.OPEN_SENT, 2, false, false), Type.NOTIF_MSG_VER_ERR);
        assertEquals(SessionState.IDLE, t.next().state());
        assertEquals(2, t.next().connectRetryCounter());
        assertEquals(null, sent(t));
    }

    @Test
    void tcpFailureWhileDelayingTheOpenEndsTheConnectionAndCounts() {
        Fsm delaying = new Fsm(SessionState.CONNECT, 0, true, true);
        Fsm.Transition t = step(delaying, Type.TCP_CONNECTION_FAILS);
        assertEquals(SessionState.IDLE, t.next().state());
        assertFalse(t.next().delayOpenRunning());
        assertEquals(1, t.next().connectRetryCounter());
        assertTrue(t.actions().containsAll(List.of(new StopTimer(Timer.DELAY_OPEN), FsmAction.RELEASE_RESOURCES,
                new StartTimer(Timer.IDLE_HOLD))));
    }

    @Provide
    Arbitrary<List<Type>> events() {
        return Arbitraries.of(Type.class).list().ofMaxSize(40);
    }

    /** Whatever arrives, the FSM never throws, every way to Idle drops the connection and stops the timers. */
    @Property
    void anySequenceIsHandled(@ForAll("events") List<Type> events) {
        Fsm fsm = Fsm.idle(false);
        for (Type type : events) {
            Fsm.Transition t = fsm.step(event(type));
            if (t.next().state() == SessionState.IDLE && fsm.state() != SessionState.IDLE) {
                assertTrue(t.actions().contains(new StopTimer(Timer.HOLD)));
                assertTrue(t.actions().contains(FsmAction.RELEASE_RESOURCES));
            }
            if (t.next().state().progress() <= SessionState.CONNECT.progress() && t.next().state() != fsm.state()) {
                // One FSM, one TCP connection: Connect/Active only at the start, never as a fallback
                // that would keep a dead connection (and the peer's next dial) waiting.
                assertTrue(fsm.state() == SessionState.IDLE || t.next().state() == SessionState.IDLE, fsm.state() + " -> " + t.next().state());
            }
            if (t.next().state() == SessionState.ESTABLISHED && fsm.state() != SessionState.ESTABLISHED) {
                assertEquals(SessionState.OPEN_CONFIRM, fsm.state(), "Established only from OpenConfirm");
                assertEquals(Type.KEEPALIVE_MSG, type);
            }
            fsm = t.next();
        }
    }
}
