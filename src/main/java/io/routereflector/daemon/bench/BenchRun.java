package io.routereflector.daemon.bench;

import io.netty.channel.EventLoopGroup;
import io.routereflector.reflector.session.Transport;
import io.routereflector.speaker.SimSpeaker;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.NextHop;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Ipv4Prefix;
import io.routereflector.wire.nlri.NlriList;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The simulated cluster of one bench run: one {@link SimSpeaker} per node on a few shared event-loop
 * threads, and what they received, kept as one bit set of held blocks per node (the block index is
 * the prefix, see {@link AddressPlan}). Every UPDATE is decoded by our codec and checked: the next hop
 * must be the announcing node's address (the reflector must not rewrite it, RFC 4456 §10).
 *
 * <p>Events (one block announced or withdrawn by its owner) are stamped when sent; each receiver that
 * was Established before the event records its own delay, and the last one the event's delay.
 * Per-node state is only touched on that node's event loop, shared figures are atomics.
 */
final class BenchRun implements SimSpeaker.Listener, AutoCloseable {

    /** How a node's session should be set up. */
    record SpeakerOptions(long as, boolean addPath, int holdTime, int restartTime, int maxDialAttempts, long redialMillis) { }

    final AddressPlan plan;
    private final Transport transport;
    private final EventLoopGroup group;
    private final InetSocketAddress reflector;
    private final SpeakerOptions options;
    private final BenchNode[] nodes;
    private final long deadlineNanos;

    /** 1 when the owner wants the block announced. */
    private final AtomicIntegerArray wanted;
    /** Blocks events may toggle; the others are static and define convergence. */
    private final BitSet churnable = new BitSet();
    private final int[] ownStatic;
    /** Static blocks of the nodes configured at the reflector: what a converged node holds (but its own). */
    private final AtomicInteger activeStatic = new AtomicInteger();

    private final AtomicLongArray eventStart;
    private final AtomicIntegerArray eventRemaining;
    final LatencyHistogram receiptDelay = new LatencyHistogram();
    final LatencyHistogram eventDelay = new LatencyHistogram();
    final LatencyHistogram joinEstablished = new LatencyHistogram();
    final LatencyHistogram joinConverged = new LatencyHistogram();
    final AtomicLong eventsStarted = new AtomicLong();

    final AtomicInteger established = new AtomicInteger();
    final AtomicInteger resets = new AtomicInteger();
    final AtomicInteger dialFailures = new AtomicInteger();
    final AtomicInteger notifications = new AtomicInteger();
    final LongAdder updates = new LongAdder();
    final LongAdder foreignRoutes = new LongAdder();
    final LongAdder wrongNextHop = new LongAdder();
    final LongAdder attributeProblems = new LongAdder();
    final ConcurrentLinkedQueue<String> resetReasons = new ConcurrentLinkedQueue<>();
    /** Pause window: every UPDATE after this time measures the gap since the one before; 0 = off. */
    private volatile long windowStart;

    BenchRun(AddressPlan plan, Transport transport, int threads, InetSocketAddress reflector, SpeakerOptions options,
             long deadlineNanos) {
        this.plan = plan;
        this.transport = transport;
        this.group = transport.newGroup(threads, "bench-speaker");
        this.reflector = reflector;
        this.options = options;
        this.deadlineNanos = deadlineNanos;
        this.nodes = new BenchNode[plan.nodes()];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = new BenchNode(i, plan.totalBlocks());
        }
        wanted = new AtomicIntegerArray(plan.totalBlocks());
        eventStart = new AtomicLongArray(plan.totalBlocks());
        eventRemaining = new AtomicIntegerArray(plan.totalBlocks());
        ownStatic = new int[nodes.length];
        for (int b = 0; b < plan.totalBlocks(); b++) {
            wanted.set(b, 1);
        }
        recountStatic();
    }

    /** Marks blocks as toggled by events: they no longer count towards convergence. */
    void setChurnable(List<Integer> blocks) {
        for (int b : blocks) {
            churnable.set(b);
        }
        recountStatic();
    }

    private void recountStatic() {
        java.util.Arrays.fill(ownStatic, 0);
        for (int b = 0; b < plan.totalBlocks(); b++) {
            if (!churnable.get(b)) {
                ownStatic[plan.owner(b)]++;
            }
        }
        int total = 0;
        for (BenchNode n : nodes) {
            total += n.active ? ownStatic[n.index] : 0;
        }
        activeStatic.set(total);
    }

    /** Nodes now configured at the reflector: their blocks count towards convergence. */
    void activate(List<Integer> members) {
        for (int i : members) {
            if (!nodes[i].active) {
                nodes[i].active = true;
                activeStatic.addAndGet(ownStatic[i]);
            }
        }
    }

    void deactivate(List<Integer> members) {
        for (int i : members) {
            if (nodes[i].active) {
                nodes[i].active = false;
                activeStatic.addAndGet(-ownStatic[i]);
            }
        }
    }

    boolean pastDeadline() {
        return System.nanoTime() - deadlineNanos > 0;
    }

    BenchNode node(int i) {
        return nodes[i];
    }

    int size() {
        return nodes.length;
    }

    /** Dials node {@code i}; a failed dial is retried every {@code redialMillis}, at most {@code maxDialAttempts} times. */
    void dial(int i) {
        BenchNode node = nodes[i];
        node.expectClose = false;
        node.attempts = 0;
        node.dialStart = System.nanoTime();
        node.upAt = 0;
        node.converged = false;
        node.convergedAt = 0;
        connect(node);
    }

    private void connect(BenchNode node) {
        if (pastDeadline() || node.expectClose) {
            return;
        }
        node.attempts++;
        int address = plan.address(node.index);
        SimSpeaker.Settings settings = new SimSpeaker.Settings(options.as(), address, AddressFamily.IPV4_UNICAST,
                options.addPath(), options.holdTime(), options.restartTime());
        // Known as the node's speaker before it dials: on a fast loopback the session can be Established
        // (and the callbacks below check node.speaker) before a connect call would have returned. Assigned
        // after, ~1 % of the nodes dialled at a paced rate were never counted up nor announced their blocks.
        SimSpeaker speaker = SimSpeaker.create(settings, plan.inetAddress(node.index), this);
        node.speaker = speaker;
        speaker.connect(transport, group, reflector);
    }

    /** Closes node {@code i}'s session without a NOTIFICATION, as a crashed node would; not a reset. */
    void drop(int i) {
        BenchNode node = nodes[i];
        node.expectClose = true;
        SimSpeaker s = node.speaker;
        if (s != null) {
            s.close();
        }
    }

    /** How many static blocks node {@code i} announces. */
    int ownStatic(int i) {
        return ownStatic[i];
    }

    /** Marks node {@code i} as about to be removed by the reflector: its session ending is no reset. */
    void expectClose(int i) {
        nodes[i].expectClose = true;
    }

    /** How many of nodes [from, to) hold every static block but their own. */
    int convergedCount(int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += nodes[i].converged ? 1 : 0;
        }
        return n;
    }

    /** How many of nodes [from, to) are Established now. */
    int establishedCount(int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += isEstablished(i) ? 1 : 0;
        }
        return n;
    }

    /** The first {@code max} of {@code members} that are not Established, with their speaker's state. */
    String describeDown(List<Integer> members, int max) {
        List<String> down = new ArrayList<>();
        int total = 0;
        for (int i : members) {
            if (!isEstablished(i)) {
                total++;
                if (down.size() < max) {
                    SimSpeaker s = nodes[i].speaker;
                    down.add(AddressPlan.text(plan.address(i)) + " (" + (s == null ? "no speaker" : s.state()
                            + (s.established() ? ", up unseen" : "")) + ", " + nodes[i].attempts + " dials)");
                }
            }
        }
        return total + " nodes, first: " + String.join("; ", down);
    }

    boolean isEstablished(int i) {
        SimSpeaker s = nodes[i].speaker;
        return s != null && s.established() && nodes[i].establishedAt != 0;
    }

    @Override
    public void established(SimSpeaker speaker) {
        BenchNode node = nodeOf(speaker);
        if (node == null || node.speaker != speaker) {
            return;
        }
        long now = System.nanoTime();
        node.held.clear();
        node.heldStatic = 0;
        node.lastUpdate = now;
        node.establishedAt = now;
        if (node.upAt == 0) {
            node.upAt = now;
        }
        established.incrementAndGet();
        if (node.joining) {
            joinEstablished.recordNanos(now - node.dialStart);
        }
        // As a Calico node does once its session is up: announce its blocks, then End-of-RIB.
        List<Ipv4Prefix> own = new ArrayList<>();
        int first = plan.firstBlock(node.index);
        for (int b = first; b < first + plan.blockCount(node.index); b++) {
            if (wanted.get(b) == 1) {
                own.add(AddressPlan.prefix(b));
            }
        }
        if (!own.isEmpty()) {
            speaker.announce(own, calicoAttributes(), bytes(plan.address(node.index)));
        }
        speaker.endOfRibOut();
        checkConverged(node, now);
    }

    @Override
    public void closed(SimSpeaker speaker, String why, boolean byUs) {
        BenchNode node = nodeOf(speaker);
        if (node == null || node.speaker != speaker) {
            return;
        }
        boolean wasUp = node.establishedAt != 0;
        if (wasUp) {
            established.decrementAndGet();
        }
        node.establishedAt = 0;
        if (speaker.notificationReceived() != null) {
            notifications.incrementAndGet();
        }
        if (byUs || node.expectClose) {
            return;
        }
        if (wasUp) {
            resets.incrementAndGet();
            if (resetReasons.size() < 10) {
                resetReasons.add(AddressPlan.text(plan.address(node.index)) + ": " + why);
            }
        } else {
            dialFailures.incrementAndGet();
        }
        if (node.attempts < options.maxDialAttempts() && !pastDeadline()) {
            group.schedule(() -> connect(node), options.redialMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void update(SimSpeaker speaker, Update update, long now) {
        BenchNode node = nodeOf(speaker);
        if (node == null || node.speaker != speaker) {
            return;
        }
        updates.increment();
        long window = windowStart;
        if (window != 0 && now > window) {
            long gap = now - Math.max(node.lastUpdate, window);
            if (gap > node.maxGap) {
                node.maxGap = gap;
            }
        }
        node.lastUpdate = now;
        if (update.isEndOfRib()) {
            return;
        }
        if (update.hasProblems()) {
            attributeProblems.increment();
        }
        AddressFamily v4 = AddressFamily.IPV4_UNICAST;
        NlriList gone = update.unreachable(v4);
        for (int i = 0; i < gone.size(); i++) {
            int b = plan.blockOf(gone.ipv4Address(i), gone.prefixLength(i));
            if (b >= 0 && node.held.get(b)) {
                node.held.clear(b);
                if (!churnable.get(b)) {
                    node.heldStatic--;
                }
                arrived(node, b, 0, now);
            }
        }
        NlriList reach = update.reachable(v4);
        boolean withdraw = update.treatAsWithdraw();
        NextHop hop = withdraw ? null : update.attributes().nextHop();
        for (int i = 0; i < reach.size(); i++) {
            int b = plan.blockOf(reach.ipv4Address(i), reach.prefixLength(i));
            if (b < 0) {
                foreignRoutes.increment();
                continue;
            }
            if (withdraw) {
                if (node.held.get(b)) {
                    node.held.clear(b);
                    node.heldStatic -= churnable.get(b) ? 0 : 1;
                    arrived(node, b, 0, now);
                }
                continue;
            }
            if (hop == null || hop.address() != plan.address(plan.owner(b))) {
                wrongNextHop.increment();
            }
            if (!node.held.get(b)) {
                node.held.set(b);
                if (!churnable.get(b)) {
                    node.heldStatic++;
                }
                arrived(node, b, 1, now);
            }
        }
        checkConverged(node, now);
    }

    /** A change of block {@code b} at a receiver; if it is the pending event's direction, its delay counts. */
    private void arrived(BenchNode node, int b, int announced, long now) {
        long start = eventStart.get(b);
        if (start == 0 || wanted.get(b) != announced) {
            return;
        }
        long up = node.establishedAt;
        if (up == 0 || up > start) {
            return;
        }
        receiptDelay.recordNanos(now - start);
        if (eventRemaining.decrementAndGet(b) == 0 && eventStart.compareAndSet(b, start, 0)) {
            eventDelay.recordNanos(now - start);
        }
    }

    private void checkConverged(BenchNode node, long now) {
        if (!node.converged && node.active && node.heldStatic == activeStatic.get() - ownStatic[node.index]) {
            node.converged = true;
            node.convergedAt = now;
            if (node.joining) {
                joinConverged.recordNanos(now - node.dialStart);
            }
        }
    }

    /**
     * Toggles block {@code b} (announced ↔ withdrawn) at its owner, stamped now. False when it cannot:
     * the owner is not Established, an event on the block is still pending, or nobody would receive it.
     */
    boolean toggle(int b) {
        int owner = plan.owner(b);
        BenchNode node = nodes[owner];
        SimSpeaker s = node.speaker;
        if (!isEstablished(owner) || node.expectClose || eventStart.get(b) != 0) {
            return false;
        }
        long now = System.nanoTime();
        int receivers = 0;
        for (BenchNode n : nodes) {
            if (n.index != owner && !n.expectClose && n.establishedAt != 0 && n.establishedAt < now) {
                receivers++;
            }
        }
        if (receivers == 0) {
            return false;
        }
        int next = 1 - wanted.get(b);
        wanted.set(b, next);
        eventRemaining.set(b, receivers);
        eventStart.set(b, now);
        eventsStarted.incrementAndGet();
        try {
            if (next == 1) {
                s.announce(List.of(AddressPlan.prefix(b)), calicoAttributes(), bytes(plan.address(owner)));
            } else {
                s.withdraw(List.of(AddressPlan.prefix(b)));
            }
        } catch (IllegalStateException closedMeanwhile) {
            eventStart.set(b, 0);
            eventsStarted.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Events sent whose every receiver has not reported yet. */
    int pendingEvents() {
        int n = 0;
        for (int b = 0; b < plan.totalBlocks(); b++) {
            if (eventStart.get(b) != 0) {
                n++;
            }
        }
        return n;
    }

    void openPauseWindow() {
        for (BenchNode n : nodes) {
            n.maxGap = 0;
        }
        windowStart = System.nanoTime();
    }

    /** Closes the window and returns each listed node's longest gap between UPDATEs in it (ns). */
    long[] closePauseWindow(List<Integer> of) {
        long end = System.nanoTime();
        long start = windowStart;
        windowStart = 0;
        long[] out = new long[of.size()];
        for (int i = 0; i < out.length; i++) {
            BenchNode n = nodes[of.get(i)];
            long tail = end - Math.max(n.lastUpdate, start);
            out[i] = Math.max(n.maxGap, tail);
        }
        return out;
    }

    /** Calico's announcement: ORIGIN incomplete (a static route), empty AS_PATH (iBGP), LOCAL_PREF 100. */
    static PathAttributes calicoAttributes() {
        return PathAttributes.of(Origin.INCOMPLETE, AsPath.EMPTY, new LocalPref(100));
    }

    static byte[] bytes(int address) {
        return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    }

    private BenchNode nodeOf(SimSpeaker speaker) {
        byte[] a = speaker.localAddress().getAddress();
        int address = (a[0] & 0xFF) << 24 | (a[1] & 0xFF) << 16 | (a[2] & 0xFF) << 8 | (a[3] & 0xFF);
        int i = address - plan.address(0);
        return i >= 0 && i < nodes.length ? nodes[i] : null;
    }

    @Override
    public void close() {
        for (BenchNode n : nodes) {
            n.expectClose = true;
            SimSpeaker s = n.speaker;
            if (s != null) {
                s.close();
            }
        }
        try {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
