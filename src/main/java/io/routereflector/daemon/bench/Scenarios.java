package io.routereflector.daemon.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The four scenarios over one {@link BenchRun}. Every loop that sends is bounded by a count (events,
 * drops, bursts) and by time (its own duration and the run's deadline); waits poll every few
 * milliseconds until their timeout.
 */
final class Scenarios {

    private final BenchRun run;
    private final BenchCommand options;
    private final Report report;
    private final Random random;

    Scenarios(BenchRun run, BenchCommand options, Report report) {
        this.run = run;
        this.options = options;
        this.report = report;
        this.random = new Random(options.seed);
    }

    /**
     * Dials {@code members} (all at once, or {@code --connect-rate} per second) and waits until all are
     * Established and hold every static block but their own. Returns whether they converged.
     */
    boolean coldStart(List<Integer> members, String prefix) throws InterruptedException {
        run.activate(members);
        ProcessStats benchAtStart = ProcessStats.self();
        ProcessStats reflectorAtStart = reflectorStats();
        long t0 = System.nanoTime();
        long gap = options.connectRate > 0 ? 1_000_000_000L / options.connectRate : 0;
        for (int k = 0; k < members.size() && !run.pastDeadline(); k++) {
            if (gap > 0) {
                sleepUntil(t0 + k * gap);
            }
            run.dial(members.get(k));
        }
        boolean reached = waitFor(() -> count(members, true) == members.size() || nobodyAnswers(members.size(), t0), options.timeout);
        boolean nobody = nobodyAnswers(members.size(), t0);
        boolean up = reached && !nobody;
        if (nobody) {
            // Nothing listens (or everything is refused): say so now instead of waiting out --timeout twice.
            report.note("no session came up within " + NOBODY_ANSWERS_SECONDS + " s and all " + run.dialFailures.get()
                    + " dials failed: is a reflector listening at " + options.plan.reflector + "?");
        }
        long upAt = t0;
        LatencyHistogram upTimes = new LatencyHistogram();
        for (int i : members) {
            long at = run.node(i).upAt;
            upAt = Math.max(upAt, at);
            if (at != 0) {
                upTimes.recordNanos(at - t0);
            }
        }
        report.add(prefix + "established", up ? members.size() : count(members, true), "", "sessions Established");
        if (!up && !nobody) {
            report.note(prefix + "not Established: " + run.describeDown(members, 5));
        }
        report.add(prefix + "all_established_ms", up ? Report.millisFromNanos(upAt - t0) : -1, "ms",
                "from the first dial until every session was Established (-1: not all within --timeout)");
        report.latency(prefix + "established_at", upTimes, "from the first dial until a session was Established");
        boolean converged = !nobody && waitFor(() -> count(members, false) == members.size(), options.timeout);
        long convergedAt = t0;
        for (int i : members) {
            convergedAt = Math.max(convergedAt, run.node(i).convergedAt);
        }
        report.add(prefix + "converged", count(members, false), "", "nodes holding every other node's blocks");
        report.add(prefix + "convergence_ms", converged ? Report.millisFromNanos(convergedAt - t0) : -1, "ms",
                "from the first dial until every node held all N×K−K routes (-1: not within --timeout)");
        if (converged) {
            cpuUntilConverged(prefix, benchAtStart, ProcessStats.self(), reflectorAtStart, reflectorStats());
        }
        return converged;
    }

    /** B: churn events at a fixed rate while a fraction of the nodes drops and reconnects periodically. */
    void churn(List<Integer> members) throws InterruptedException {
        if (!coldStart(members, "start_")) {
            report.note("churn skipped: the cold start did not converge");
            return;
        }
        int resetsBefore = run.resets.get();
        long interval = 1_000_000_000L / Math.max(1, options.churnRate);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(options.churnDuration);
        long maxEvents = (long) options.churnRate * options.churnDuration;
        long nextEvent = start;
        long dropEvery = TimeUnit.SECONDS.toNanos(options.dropEvery);
        long nextDrop = options.dropFraction > 0 && dropEvery > 0 ? start + dropEvery : Long.MAX_VALUE;
        List<long[]> reconnects = new ArrayList<>(); // {due, node}
        long events = 0;
        long skipped = 0;
        int drops = 0;
        while (System.nanoTime() - end < 0 && !run.pastDeadline() && events < maxEvents) {
            long now = System.nanoTime();
            if (now - nextEvent >= 0) {
                if (toggleRandom(members)) {
                    events++;
                } else {
                    skipped++;
                }
                nextEvent += interval;
            }
            if (now - nextDrop >= 0) {
                int count = (int) Math.round(members.size() * options.dropFraction);
                List<Integer> up = new ArrayList<>();
                for (int i : members) {
                    if (run.isEstablished(i)) {
                        up.add(i);
                    }
                }
                java.util.Collections.shuffle(up, random);
                for (int i : up.subList(0, Math.min(count, up.size()))) {
                    run.drop(i);
                    reconnects.add(new long[] {now + TimeUnit.SECONDS.toNanos(options.dropFor), i});
                    drops++;
                }
                nextDrop += dropEvery;
            }
            reconnects.removeIf(r -> {
                if (System.nanoTime() - r[0] >= 0) {
                    run.dial((int) r[1]);
                    return true;
                }
                return false;
            });
            LockSupport.parkNanos(Math.max(100_000, Math.min(nextEvent - System.nanoTime(), 5_000_000)));
        }
        for (long[] r : reconnects) {
            sleepUntil(r[0]);
            run.dial((int) r[1]);
        }
        waitFor(() -> run.pendingEvents() == 0, 10);
        boolean back = waitFor(() -> count(members, true) == members.size(), options.timeout);
        report.add("churn_events", events, "", "announce/withdraw events sent (rate " + options.churnRate + "/s for "
                + options.churnDuration + " s)");
        report.add("churn_events_skipped", skipped, "", "ticks where no eligible block was found");
        report.add("churn_events_incomplete", run.pendingEvents(), "", "events some receiver never reported (it dropped meanwhile)");
        report.latency("propagation_event", run.eventDelay, "event sent until its last receiver had it");
        report.latency("propagation_receipt", run.receiptDelay, "event sent until one receiver had it");
        report.add("churn_drops", drops, "", "sessions closed on purpose (" + options.dropFraction * 100 + " % every "
                + options.dropEvery + " s, back after " + options.dropFor + " s)");
        report.add("churn_all_back", back ? 1 : 0, "", "1 when every dropped node was Established again at the end");
        report.add("churn_unintended_resets", run.resets.get() - resetsBefore, "", "sessions the reflector ended during churn");
    }

    private boolean toggleRandom(List<Integer> members) {
        for (int attempt = 0; attempt < 20; attempt++) {
            int owner = members.get(random.nextInt(members.size()));
            int count = run.plan.blockCount(owner);
            if (count > 0 && run.toggle(run.plan.firstBlock(owner) + random.nextInt(count))) {
                return true;
            }
        }
        return false;
    }

    /** C: joiners added in bursts through {@code membership}, then removed, while probes measure pauses. */
    void membership(List<Integer> members, List<Integer> joiners, Membership membership) throws InterruptedException, IOException {
        // Probe blocks: the first block of up to 200 existing nodes; they toggle, so they do not count for convergence.
        List<Integer> probes = new ArrayList<>();
        for (int k = 0; k < Math.min(200, members.size()); k++) {
            if (run.plan.blockCount(members.get(k)) > 0) {
                probes.add(run.plan.firstBlock(members.get(k)));
            }
        }
        run.setChurnable(probes);
        if (!coldStart(members, "start_")) {
            report.note("membership skipped: the cold start did not converge");
            return;
        }
        int resetsBefore = run.resets.get();
        Thread prober = new Thread(() -> probe(probes), "bench-probe");
        prober.setDaemon(true);
        LatencyHistogram applyTime = new LatencyHistogram();
        List<Integer> configured = new ArrayList<>(members);
        long every = TimeUnit.SECONDS.toNanos(options.burstEvery);
        run.openPauseWindow();
        probing = true;
        prober.start();
        try {
            long t = System.nanoTime();
            for (int from = 0; from < joiners.size() && !run.pastDeadline(); from += options.burst) {
                List<Integer> burst = joiners.subList(from, Math.min(joiners.size(), from + options.burst));
                configured.addAll(burst);
                run.activate(burst);
                long a = System.nanoTime();
                membership.apply(List.copyOf(configured), burst, List.of());
                applyTime.recordNanos(System.nanoTime() - a);
                for (int i : burst) {
                    run.node(i).joining = true;
                    run.dial(i);
                }
                t += every;
                sleepUntil(t);
            }
            boolean joined = waitFor(() -> count(joiners, false) == joiners.size(), options.timeout);
            report.add("joined_converged", count(joiners, false), "", "added nodes holding the full table"
                    + (joined ? "" : " (not all within --timeout)"));
            t = System.nanoTime();
            for (int from = 0; from < joiners.size() && !run.pastDeadline(); from += options.burst) {
                List<Integer> burst = joiners.subList(from, Math.min(joiners.size(), from + options.burst));
                for (int i : burst) {
                    run.expectClose(i);
                }
                configured.removeAll(burst);
                run.deactivate(burst);
                long a = System.nanoTime();
                membership.apply(List.copyOf(configured), List.of(), burst);
                applyTime.recordNanos(System.nanoTime() - a);
                t += every;
                sleepUntil(t);
            }
            boolean removed = waitFor(() -> count(joiners, true) == 0, 10);
            report.add("removed_closed_by_reflector", joiners.size() - count(joiners, true), "",
                    "removed nodes whose session the reflector ended" + (removed ? "" : " (the rest closed by the bench)"));
        } finally {
            probing = false;
            prober.join(5000);
            for (int i : joiners) {
                run.drop(i);
            }
        }
        long[] pauses = run.closePauseWindow(members);
        Arrays.sort(pauses);
        report.add("membership_resets_existing", run.resets.get() - resetsBefore, "", "existing sessions the reflector ended");
        report.latency("join_established", run.joinEstablished, "datastore write until the added node was Established");
        report.latency("join_converged", run.joinConverged, "datastore write until the added node held the full table");
        report.latency("membership_apply", applyTime, "one membership change (file write, etcd put, birdc configure, gobgp CLI)");
        report.add("update_pause_p50_ms", Report.millisFromNanos(pauses[pauses.length / 2]), "ms",
                "median over existing nodes of their longest gap between UPDATEs (probes every "
                        + 1000 / Math.max(1, options.probeRate) + " ms)");
        report.add("update_pause_max_ms", Report.millisFromNanos(pauses[pauses.length - 1]), "ms", "longest gap at any existing node");
        report.latency("propagation_probe", run.eventDelay, "probe event sent until its last receiver had it");
    }

    private volatile boolean probing;

    /** Toggles the probe blocks round-robin at {@code --probe-rate}, bounded by the run's deadline. */
    private void probe(List<Integer> probes) {
        long interval = 1_000_000_000L / Math.max(1, options.probeRate);
        long next = System.nanoTime();
        int k = 0;
        while (probing && !run.pastDeadline() && !probes.isEmpty()) {
            for (int tries = 0; tries < probes.size() && !run.toggle(probes.get(k++ % probes.size())); tries++) {
                // an owner that is not up, or a block still pending: take the next one
            }
            next += interval;
            sleepUntil(next);
        }
    }

    /**
     * D, once converged: the session of the speaker with the biggest table closes without a NOTIFICATION, as
     * when a ToR or a node with many routes goes down, and the wait is until every other node has withdrawn
     * all of its blocks. The reflector's CPU over that time is reported beside it.
     */
    void speakerDown(List<Integer> members) throws InterruptedException {
        int speaker = members.get(0);
        for (int i : members) {
            if (run.ownStatic(i) > run.ownStatic(speaker)) {
                speaker = i;
            }
        }
        List<Integer> others = new ArrayList<>(members);
        others.remove(Integer.valueOf(speaker));
        Map<Integer, Integer> target = new HashMap<>();
        for (int i : others) {
            target.put(i, run.node(i).heldStatic - run.ownStatic(speaker));
        }
        ProcessStats reflectorBefore = reflectorStats();
        long t0 = System.nanoTime();
        run.drop(speaker);
        boolean done = waitFor(() -> others.stream().allMatch(i -> run.node(i).heldStatic <= target.get(i)), options.timeout);
        long took = System.nanoTime() - t0;
        ProcessStats reflectorAfter = reflectorStats();
        report.add("withdrawal_ms", done ? Report.millisFromNanos(took) : -1, "ms",
                "the biggest speaker's session closed until every other node had withdrawn its "
                        + run.ownStatic(speaker) + " routes (-1: not within --timeout)");
        if (reflectorBefore != null && reflectorAfter != null) {
            report.add("withdrawal_reflector_cpu_s", (reflectorAfter.cpuMillis() - reflectorBefore.cpuMillis()) / 1000.0, "s",
                    "the reflector's CPU over that time");
        }
    }

    private int count(List<Integer> nodes, boolean established) {
        int n = 0;
        for (int i : nodes) {
            n += (established ? run.isEstablished(i) : run.node(i).converged) ? 1 : 0;
        }
        return n;
    }

    static final int NOBODY_ANSWERS_SECONDS = 10;

    /**
     * Where the machine's time went until convergence: the generator's and the reflector's CPU from the
     * first dial until the wait saw every node converged (polled every 2 ms). Beside
     * {@code convergence_ms × cores} they say which side a cold start waited for.
     */
    private void cpuUntilConverged(String prefix, ProcessStats benchBefore, ProcessStats benchAfter,
            ProcessStats reflectorBefore, ProcessStats reflectorAfter) {
        if (benchBefore != null && benchAfter != null) {
            report.add(prefix + "convergence_bench_cpu_s", (benchAfter.cpuMillis() - benchBefore.cpuMillis()) / 1000.0, "s",
                    "the generator's CPU from the first dial until convergence");
        }
        if (reflectorBefore != null && reflectorAfter != null) {
            report.add(prefix + "convergence_reflector_cpu_s", (reflectorAfter.cpuMillis() - reflectorBefore.cpuMillis()) / 1000.0,
                    "s", "the reflector's CPU from the first dial until convergence (with --reflector-pid)");
        }
    }

    private ProcessStats reflectorStats() {
        return options.reflectorPid == null ? null : ProcessStats.read(options.reflectorPid);
    }

    /** No session is up, every node's dial has failed at least once, and that has lasted 10 s. */
    private boolean nobodyAnswers(int nodes, long t0) {
        return run.established.get() == 0 && run.dialFailures.get() >= nodes
                && System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(NOBODY_ANSWERS_SECONDS);
    }

    private boolean waitFor(java.util.function.BooleanSupplier condition, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0 || run.pastDeadline()) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    private void sleepUntil(long nanos) {
        for (long left = nanos - System.nanoTime(); left > 0 && !run.pastDeadline(); left = nanos - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
