package io.routereflector.daemon.bench;

import io.routereflector.speaker.SimSpeaker;

import java.util.BitSet;

/** One simulated node. Fields other than the volatile ones belong to its speaker's event loop. */
final class BenchNode {
    final int index;
    final BitSet held;
    /** Written on the node's event loop, read by the scenario's waits. */
    volatile int heldStatic;
    volatile long maxGap;
    /** When the current dial's session first came up, 0 before. */
    volatile long upAt;
    volatile SimSpeaker speaker;
    volatile long establishedAt;
    volatile long lastUpdate;
    volatile long dialStart;
    volatile long convergedAt;
    volatile boolean converged;
    volatile boolean expectClose;
    /** Added while the others run (membership scenario): its join latencies are recorded. */
    volatile boolean joining;
    volatile boolean active;
    volatile int attempts;

    BenchNode(int index, int blocks) {
        this.index = index;
        this.held = new BitSet(blocks);
    }
}
