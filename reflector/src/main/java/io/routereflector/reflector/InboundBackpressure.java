package io.routereflector.reflector;

import io.routereflector.reflector.session.PeerSession;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the UPDATEs handed to the RIB thread and not yet applied. Past the high-water mark, a
 * session that hands one more off stops reading its socket (Netty autoRead off: TCP flow control
 * then holds the peer back); once the RIB thread has brought the backlog down to the low-water
 * mark, every paused session reads again. A paused session can still deliver what its last read
 * already holds, so the backlog stays below the high-water mark plus one read per session.
 */
final class InboundBackpressure {

    /** UPDATEs queued for the RIB thread that stop reading, and where reading resumes (defaults). */
    static final int HIGH_WATER = 10_000;
    static final int LOW_WATER = 2_500;

    private final int highWater;
    private final int lowWater;
    private final AtomicInteger backlog = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicLong pauses = new AtomicLong();
    private final Set<PeerSession> paused = ConcurrentHashMap.newKeySet();

    InboundBackpressure(int highWater, int lowWater) {
        if (lowWater < 0 || highWater <= lowWater) {
            throw new IllegalArgumentException("need 0 <= low-water < high-water, got " + lowWater + " and " + highWater);
        }
        this.highWater = highWater;
        this.lowWater = lowWater;
    }

    /** On the session's thread: one more UPDATE from {@code session} is queued for the RIB thread. */
    void queued(PeerSession session) {
        int n = backlog.incrementAndGet();
        peak.accumulateAndGet(n, Math::max);
        if (n > highWater && !paused.contains(session)) {
            // Paused before it is listed: whoever takes it off the list resumes it after this pause.
            session.readInbound(false);
            paused.add(session);
            pauses.incrementAndGet();
            if (backlog.get() <= lowWater) {
                resumeAll();   // the RIB thread drained the backlog in between and saw nobody paused
            }
        }
    }

    /** On the RIB thread: one queued UPDATE was applied (or dropped). */
    void applied() {
        if (backlog.decrementAndGet() <= lowWater && !paused.isEmpty()) {
            resumeAll();
        }
    }

    private void resumeAll() {
        for (Iterator<PeerSession> it = paused.iterator(); it.hasNext(); ) {
            PeerSession session = it.next();
            it.remove();
            session.readInbound(true);
        }
    }

    int backlog() {
        return backlog.get();
    }

    /** The largest backlog seen. */
    int peak() {
        return peak.get();
    }

    /** How many times a session stopped reading. */
    long pauses() {
        return pauses.get();
    }

    int pausedSessions() {
        return paused.size();
    }
}
