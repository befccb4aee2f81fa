package io.routereflector.daemon.bench;

import io.routereflector.reflector.session.Transport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code routereflector bench}: simulates a Calico cluster against a reflector and reports how fast it
 * converges. Each node is a {@link io.routereflector.speaker.SimSpeaker} with its own source address.
 */
@Command(name = "bench",
        description = {"Simulate N Calico nodes against a reflector and report how it copes.",
                "Each node is one BGP speaker with its own source address. The report gives session set-up,",
                "convergence, propagation under churn, update pauses during membership changes, resets,",
                "and the reflector's CPU, peak and idle RSS (--reflector-pid, --idle)."},
        subcommands = {BenchConfigCommand.class, BenchSummaryCommand.class},
        footer = {"", "Scenarios (sizes default to the issue's presets):",
                "  A  cold start: N nodes (1000) × K blocks (4) dial at once",
                "  B  churn: after A, 20 events/s for 120 s; every 30 s 5 %% of the nodes drop, back after 10 s",
                "  C  membership: after A, 100 nodes join in bursts of 10 every 2 s (--membership), then leave",
                "  D  big table: 2 speakers × 100 000 blocks reflected to 10 clients, then one speaker goes down",
                "", "Examples:",
                "  routereflector bench config --target calico --nodes 250 --reflector 198.18.0.1 --out /tmp/rr/cluster.yaml",
                "  routereflector bench --scenario A --nodes 250 --reflector 198.18.0.1:179 --reflector-pid 1234 --json a.json"})
public final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    PlanOptions plan = new PlanOptions();

    @Option(names = "--threads", description = "Event-loop threads of the simulated nodes (default ${DEFAULT-VALUE}).", defaultValue = "2")
    int threads = 2;

    @Option(names = "--connect-rate", paramLabel = "PER_S", description = "Dials per second; 0 = all at once, as after a reflector restart (default 0).")
    int connectRate;

    @Option(names = "--hold-time", description = "Hold time the nodes offer (default ${DEFAULT-VALUE}, as Calico's BIRD).", defaultValue = "240")
    int holdTime = 240;

    @Option(names = "--graceful-restart", paramLabel = "SECONDS", description = "Restart time the nodes advertise; 0 = no GR capability (default 0).")
    int gracefulRestart;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Longest wait for Established / convergence (default ${DEFAULT-VALUE}).", defaultValue = "300")
    long timeout = 300;

    @Option(names = "--max-duration", paramLabel = "SECONDS", description = "Hard bound of the whole run: every loop stops at it (default ${DEFAULT-VALUE}).", defaultValue = "900")
    long maxDuration = 900;

    @Option(names = "--churn-rate", paramLabel = "PER_S", defaultValue = "20", description = "B: events per second (default ${DEFAULT-VALUE}).")
    int churnRate = 20;

    @Option(names = "--churn-duration", paramLabel = "SECONDS", defaultValue = "120", description = "B: how long (default ${DEFAULT-VALUE}).")
    int churnDuration = 120;

    @Option(names = "--drop-every", paramLabel = "SECONDS", defaultValue = "30", description = "B: period of the drops (default ${DEFAULT-VALUE}).")
    int dropEvery = 30;

    @Option(names = "--drop-fraction", defaultValue = "0.05", description = "B: share of the nodes dropped each time (default ${DEFAULT-VALUE}).")
    double dropFraction = 0.05;

    @Option(names = "--drop-for", paramLabel = "SECONDS", defaultValue = "10", description = "B: how long a dropped node stays away (default ${DEFAULT-VALUE}).")
    int dropFor = 10;

    @Option(names = "--membership", paramLabel = "SPEC",
            description = "C: how nodes are added/removed: file:PATH (our daemon's watched YAML), etcd:URL, bird:CONF,SOCKET, gobgp:API_PORT.")
    String membership;

    @Option(names = "--exec-prefix", paramLabel = "CMD", split = " ",
            description = "C: command prefix for birdc/gobgp, e.g. \"ip netns exec rrt-bench\".")
    List<String> execPrefix = new ArrayList<>();

    @Option(names = "--burst", defaultValue = "10", description = "C: nodes per burst (default ${DEFAULT-VALUE}).")
    int burst = 10;

    @Option(names = "--burst-every", paramLabel = "SECONDS", defaultValue = "2", description = "C: seconds between bursts (default ${DEFAULT-VALUE}).")
    int burstEvery = 2;

    @Option(names = "--probe-rate", paramLabel = "PER_S", defaultValue = "50", description = "C: probe events per second that time update pauses (default ${DEFAULT-VALUE}).")
    int probeRate = 50;

    @Option(names = "--idle", paramLabel = "SECONDS",
            description = "A, D: after convergence keep every session up this long, then report the reflector's RSS and its CPU over that time (default 0: no idle phase).")
    int idle;

    @Option(names = "--reflector-pid", paramLabel = "PID", description = "The reflector's process: its CPU seconds and peak RSS are reported.")
    Long reflectorPid;

    @Option(names = "--label", description = "Name of the reflector under test, for the report (default ${DEFAULT-VALUE}).", defaultValue = "reflector")
    String label = "reflector";

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON here.")
    Path json;

    @Option(names = "--gc-log", paramLabel = "FILE",
            description = "The reflector's -Xlog:gc file (a JVM reflector): its pause times are reported.")
    Path gcLog;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random choices (default ${DEFAULT-VALUE}).")
    long seed = 1;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AddressPlan addresses;
        try {
            addresses = plan.plan();
            check();
        } catch (IllegalArgumentException e) {
            err.println("routereflector bench: " + e.getMessage());
            return 2;
        }
        Report report = new Report();
        report.context("date", Instant.now().toString());
        report.context("label", label);
        report.context("reflector", plan.reflector);
        report.context("scenario", plan.scenario.name());
        report.context("nodes", plan.nodeCount());
        report.context("blocks", plan.scenario == PlanOptions.Scenario.D ? plan.speakers + "×" + plan.table : Integer.toString(plan.prefixes));
        report.context("add_path", plan.addPath);
        report.context("cpus", Runtime.getRuntime().availableProcessors());

        Transport transport = Transport.detect();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxDuration);
        // A node re-dials as long as the run lasts (a real node never gives up): every 100 ms while joining
        // in C (the reflector learns of it from its datastore just then), else every second.
        BenchRun.SpeakerOptions speakerOptions = new BenchRun.SpeakerOptions(plan.as, plan.addPath, holdTime, gracefulRestart,
                100_000, plan.scenario == PlanOptions.Scenario.C ? 100 : 1000);
        Sampler sampler = new Sampler(reflectorPid);
        long wallStart = System.nanoTime();
        ProcessStats selfBefore = ProcessStats.self();
        try (BenchRun run = new BenchRun(addresses, transport, threads, plan.reflectorAddress(), speakerOptions, deadline);
             Membership changes = plan.scenario == PlanOptions.Scenario.C
                     ? Membership.parse(membership, plan.configs("b0"), execPrefix) : null) {
            Scenarios scenarios = new Scenarios(run, this, report);
            List<Integer> members = plan.initialMembers();
            switch (plan.scenario) {
                case A:
                case D:
                    if (scenarios.coldStart(members, "")) {
                        if (idle > 0) {
                            sampler.idle(report, Math.min(TimeUnit.SECONDS.toNanos(idle), deadline - System.nanoTime()));
                        }
                        if (plan.scenario == PlanOptions.Scenario.D) {
                            scenarios.speakerDown(members);
                        }
                    }
                    break;
                case B:
                    scenarios.churn(members);
                    break;
                case C:
                    List<Integer> joiners = new ArrayList<>();
                    for (int i = plan.nodeCount(); i < plan.totalNodes(); i++) {
                        joiners.add(i);
                    }
                    scenarios.membership(members, joiners, changes);
                    break;
                default:
                    throw new IllegalStateException();
            }
            report.add("sessions_reset", run.resets.get(), "", "Established sessions the reflector ended (none were asked for)");
            report.add("notifications_received", run.notifications.get(), "", "NOTIFICATIONs the nodes received");
            report.add("dial_failures", run.dialFailures.get(), "", "dials that did not reach Established (retried)");
            report.add("updates_received", run.updates.sum(), "", "UPDATE messages decoded by the nodes");
            report.add("wrong_next_hop", run.wrongNextHop.sum(), "", "routes whose NEXT_HOP was not the announcing node's");
            report.add("foreign_routes", run.foreignRoutes.sum(), "", "received routes that no node announced");
            report.add("attribute_problems", run.attributeProblems.sum(), "", "UPDATEs with RFC 7606 problems");
            if (!run.resetReasons.isEmpty()) {
                report.note("resets, first ones: " + String.join("; ", run.resetReasons));
            }
            if (run.pastDeadline()) {
                report.note("stopped at --max-duration " + maxDuration + " s");
            }
        } finally {
            sampler.stop();
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;
        ProcessStats selfAfter = ProcessStats.self();
        if (selfBefore != null && selfAfter != null) {
            double cpu = (selfAfter.cpuMillis() - selfBefore.cpuMillis()) / 1000.0;
            report.add("bench_cpu_s", round(cpu), "s", "CPU time of this generator");
            report.add("bench_cpu_share", round(cpu / wall / Runtime.getRuntime().availableProcessors()), "",
                    "generator CPU / (wall × cores): above ~0.5 it may be the bottleneck");
        }
        report.add("wall_s", round(wall), "s", "duration of the run");
        sampler.report(report);
        if (gcLog != null) {
            gcPauses(gcLog, report);
        }
        out.print(report.table());
        out.flush();
        if (json != null) {
            Files.writeString(json, report.json());
        }
        return 0;
    }

    private void check() {
        int total = plan.totalNodes();
        if (total < 2 || total > 15_000) {
            throw new IllegalArgumentException(total + " nodes: between 2 and 15000 (one socket each; the open-file limit is 20000)");
        }
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("--threads " + threads + ": 1..64");
        }
        if (churnRate < 1 || churnRate > 10_000 || probeRate < 1 || probeRate > 10_000) {
            throw new IllegalArgumentException("--churn-rate and --probe-rate: 1..10000 per second");
        }
        if (churnDuration < 0 || churnDuration > 3600 || maxDuration < 1 || maxDuration > 6 * 3600) {
            throw new IllegalArgumentException("--churn-duration 0..3600 s, --max-duration 1..21600 s");
        }
        if (plan.scenario == PlanOptions.Scenario.C && membership == null) {
            throw new IllegalArgumentException("scenario C needs --membership (file:PATH, etcd:URL, bird:CONF,SOCKET or gobgp:PORT)");
        }
        if (burst < 1 || burstEvery < 0 || dropFraction < 0 || dropFraction > 1) {
            throw new IllegalArgumentException("--burst ≥ 1, --burst-every ≥ 0, --drop-fraction 0..1");
        }
    }

    /**
     * Pauses from a unified JVM log. "... Pause ... 1.234ms" lines are the collector's own pauses (G1 and
     * Shenandoah log them under {@code gc}, ZGC under {@code gc+phases}); "Safepoint ..., Total: N ns"
     * lines ({@code safepoint}) are every stop of the application threads, time to reach the safepoint
     * included, whatever caused it. Log with {@code -Xlog:gc,gc+phases,safepoint:file=F} to get both.
     */
    static void gcPauses(Path log, Report report) throws java.io.IOException {
        if (!Files.isReadable(log)) {
            report.note("GC log " + log + " not readable");
            return;
        }
        LatencyHistogram pauses = new LatencyHistogram();
        LatencyHistogram stops = new LatencyHistogram();
        java.util.regex.Pattern pause = java.util.regex.Pattern.compile("\\bPause\\b.*?([0-9]+(?:\\.[0-9]+)?)ms\\s*$");
        java.util.regex.Pattern safepoint = java.util.regex.Pattern.compile("\\bSafepoint \".*\\bTotal: ([0-9]+) ns");
        for (String line : Files.readAllLines(log)) {
            java.util.regex.Matcher m = pause.matcher(line);
            if (m.find()) {
                pauses.recordNanos((long) (Double.parseDouble(m.group(1)) * 1_000_000));
            }
            m = safepoint.matcher(line);
            if (m.find()) {
                stops.recordNanos(Long.parseLong(m.group(1)));
            }
        }
        if (pauses.count() == 0) {
            // A log without a single pause: the longest pause was zero (not "unknown", which -1 means).
            for (String q : new String[] {"count", "p50_ms", "p99_ms", "max_ms"}) {
                Object zero = q.equals("count") ? (Object) 0L : (Object) 0.0; // no numeric promotion of 0L
                report.add("gc_pause_" + q, zero, q.equals("count") ? "" : "ms",
                        "reflector GC pauses since it started: none in the log");
            }
        } else {
            report.latency("gc_pause", pauses, "reflector GC pauses since it started");
        }
        if (stops.count() > 0) {
            report.latency("stw_pause", stops, "every stop of the reflector's threads (safepoints), reaching it included");
        }
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** Samples the reflector's RSS every 100 ms (its CPU at the start and the end). */
    static final class Sampler {
        private final Long pid;
        private final ProcessStats before;
        private final AtomicLong peakRss = new AtomicLong();
        private final ScheduledExecutorService timer;
        private volatile ProcessStats after;

        Sampler(Long pid) {
            this.pid = pid;
            this.before = pid == null ? null : ProcessStats.read(pid);
            if (before == null) {
                timer = null;
                return;
            }
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bench-sampler");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(() -> {
                ProcessStats s = ProcessStats.read(pid);
                if (s != null) {
                    peakRss.accumulateAndGet(s.rssKib(), Math::max);
                    after = s;
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
        }

        void stop() throws InterruptedException {
            if (timer != null) {
                timer.shutdownNow();
                timer.awaitTermination(5, TimeUnit.SECONDS);
                ProcessStats s = ProcessStats.read(pid);
                if (s != null) {
                    after = s;
                }
            }
        }

        /** Holds every session up for {@code nanos}, then reports the RSS at its end and the CPU it took. */
        void idle(Report report, long nanos) throws InterruptedException {
            if (before == null) {
                return;
            }
            ProcessStats start = ProcessStats.read(pid);
            TimeUnit.NANOSECONDS.sleep(Math.max(0, nanos));
            ProcessStats end = ProcessStats.read(pid);
            if (start == null || end == null) {
                report.note("reflector pid " + pid + " gone during the idle phase");
                return;
            }
            report.add("reflector_idle_cpu_s", round((end.cpuMillis() - start.cpuMillis()) / 1000.0), "s",
                    "CPU the reflector used while idle (--idle: every session up, no route changing)");
            report.add("reflector_rss_idle_mib", round(end.rssKib() / 1024.0), "MiB", "RSS at the end of the idle phase");
        }

        void report(Report report) {
            if (pid == null) {
                return;
            }
            if (before == null || after == null) {
                report.note("reflector pid " + pid + ": /proc/" + pid + " not readable, no CPU/RSS figures");
                return;
            }
            report.add("reflector_start_cpu_s", round(before.cpuMillis() / 1000.0), "s",
                    "CPU the reflector used from its start until this run began: starting and reading its configuration");
            report.add("reflector_cpu_s", round((after.cpuMillis() - before.cpuMillis()) / 1000.0), "s",
                    "CPU time the reflector used during the run (utime+stime)");
            report.add("reflector_rss_peak_mib", round(Math.max(peakRss.get(), after.rssKib()) / 1024.0), "MiB",
                    "largest RSS sampled during the run (every 100 ms)");
            report.add("reflector_hwm_mib", round(after.peakRssKib() / 1024.0), "MiB", "VmHWM: peak RSS of the process' life");
        }
    }
}
