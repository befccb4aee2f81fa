package io.routereflector.daemon.bench;

import io.routereflector.daemon.MainAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The histogram, the address plan and the generated configurations. */
class BenchPartsTest {

    @TempDir
    Path dir;

    @Test
    void histogramQuantilesStayWithinTheBucketError() {
        LatencyHistogram h = new LatencyHistogram();
        for (int ms = 1; ms <= 1000; ms++) {
            h.recordNanos(ms * 1_000_000L);
        }
        assertEquals(1000, h.count());
        assertEquals(1_000_000, h.maxMicros());
        assertWithin(500_000, h.quantileMicros(0.5), 0.07);
        assertWithin(990_000, h.quantileMicros(0.99), 0.07);
        assertEquals(-1, new LatencyHistogram().quantileMicros(0.5));
        h.recordNanos(3_000);
        assertTrue(h.quantileMicros(0.0001) <= 3, "exact below 32 µs");
    }

    @Test
    void gcLogPausesOfEveryCollectorAndSafepointTotalsAreRead() throws Exception {
        Path log = dir.resolve("gc.log");
        Files.write(log, List.of(
                "[0.039s][info][gc       ] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 12M->2M(256M) 2.564ms",
                "[0.083s][info][gc] GC(1) Pause Init Mark (unload classes) 0.025ms",
                "[0.099s][info][gc       ] GC(1) Pause Final Mark (unload classes) 0.089ms",
                "[0.149s][info][gc,phases] GC(2) Pause Mark Start 0.012ms",
                "[0.150s][info][gc,phases] GC(2) Concurrent Mark 12.000ms",
                "[0.084s][info][safepoint] Safepoint \"ShenandoahInitMark\", Time since last: 66518839 ns, "
                        + "Reaching safepoint: 113969 ns, Cleanup: 37318 ns, At safepoint: 65712 ns, Total: 216999 ns",
                "[0.084s][info][safepoint] Safepoint \"G1CollectForAllocation\", Time since last: 1 ns, "
                        + "Reaching safepoint: 3592 ns, Cleanup: 5651 ns, At safepoint: 2620910 ns, Total: 7630153 ns"));
        Report report = new Report();
        BenchCommand.gcPauses(log, report);
        assertEquals(4L, report.value("gc_pause_count"), "the concurrent phase is not a pause");
        assertEquals(2.564, (double) report.value("gc_pause_max_ms"), 0.01);
        assertEquals(2L, report.value("stw_pause_count"));
        assertEquals(7.63, (double) report.value("stw_pause_max_ms"), 0.01);

        Path quiet = dir.resolve("quiet.log");
        Files.write(quiet, List.of("[0.005s][info][gc] Using Shenandoah"));
        Report none = new Report();
        BenchCommand.gcPauses(quiet, none);
        assertEquals(0L, none.value("gc_pause_count"));
        assertEquals(0.0, (double) none.value("gc_pause_p99_ms"), "no pause at all is a zero, not -1 (unknown)");
        assertEquals(null, none.value("stw_pause_p99_ms"));
    }

    private static void assertWithin(long expected, long actual, double relative) {
        assertTrue(Math.abs(actual - expected) <= expected * relative, "expected ~" + expected + ", got " + actual);
    }

    @Test
    void histogramBucketsAreMonotone() {
        int last = -1;
        for (long v = 0; v < 5_000_000; v += 997) {
            int i = LatencyHistogram.index(v);
            assertTrue(i >= last, "bucket of " + v);
            assertTrue(LatencyHistogram.upperEdge(i) >= v, "upper edge of the bucket of " + v);
            last = i;
        }
    }

    @Test
    void planMapsBlocksBackToTheirOwners() {
        AddressPlan plan = new AddressPlan(io.routereflector.wire.nlri.Ipv4Prefix.parseAddress("198.18.1.1"), new int[] {3, 0, 5});
        assertEquals(8, plan.totalBlocks());
        assertEquals(2, plan.owner(3));
        assertEquals("198.18.1.3", AddressPlan.text(plan.address(2)));
        for (int b = 0; b < plan.totalBlocks(); b++) {
            var p = AddressPlan.prefix(b);
            assertEquals(b, plan.blockOf(p.address(), p.length()));
        }
        assertEquals("10.0.0.64/26", AddressPlan.prefix(1).toString());
        assertEquals(-1, plan.blockOf(AddressPlan.blockAddress(8), 26), "beyond the plan");
        assertEquals(-1, plan.blockOf(AddressPlan.blockAddress(0), 24), "another length");
        assertThrows(IllegalArgumentException.class, () -> AddressPlan.uniform(0x7F000001, 100_000, 3));
    }

    @Test
    void theCalicoConfigDerivesOneClientPerNode() throws Exception {
        Path yaml = dir.resolve("cluster.yaml");
        assertEquals(0, run("bench", "config", "--target", "calico", "--nodes", "7", "--reflector", "198.18.0.1:179",
                "--out", yaml.toString()).exit);
        Run check = run("check-config", "--datastore-path", yaml.toString(), "--node", BenchConfigs.REFLECTOR_NODE);
        assertEquals(0, check.exit, check.out + check.err);
        assertTrue(check.out.contains("router id 198.18.0.1, cluster id 224.0.0.1, AS 64512"), check.out);
        assertTrue(check.out.contains("7 peers:"), check.out);
        assertTrue(check.out.contains("198.18.1.7 "), check.out);
        assertTrue(check.out.contains("rr client  ipv4-unicast  both"), check.out);
    }

    @Test
    void birdAndGobgpConfigsListEveryNode() throws Exception {
        Run bird = run("bench", "config", "--target", "bird", "--nodes", "3", "--reflector", "198.18.0.1");
        assertEquals(0, bird.exit, bird.err);
        assertTrue(bird.out.contains("strict bind yes;"), bird.out);
        assertTrue(bird.out.contains("rr client;"), bird.out);
        assertTrue(bird.out.contains("add paths on;"), bird.out);
        assertTrue(bird.out.contains("protocol direct { ipv4; interface \"b0\"; }"), bird.out);
        assertEquals(3, bird.out.split("from bench_node \\{ neighbor ", -1).length - 1, bird.out);
        Run gobgp = run("bench", "config", "--target", "gobgp", "--scenario", "D", "--reflector", "198.18.0.1", "--no-add-path");
        assertEquals(0, gobgp.exit, gobgp.err);
        assertEquals(12, gobgp.out.split("neighbor-address = ", -1).length - 1, "2 speakers + 10 clients");
        assertTrue(!gobgp.out.contains("add-paths"), gobgp.out);
        assertTrue(gobgp.out.contains("route-reflector-cluster-id = \"224.0.0.1\""), gobgp.out);
    }

    @Test
    void fileMembershipRewritesTheWholeCluster() throws Exception {
        PlanOptions options = new PlanOptions();
        options.nodes = 3;
        options.reflector = "198.18.0.1";
        Path yaml = dir.resolve("m.yaml");
        try (Membership m = Membership.parse("file:" + yaml, options.configs("b0"), List.of())) {
            m.apply(List.of(0, 2), List.of(2), List.of());
        }
        String text = Files.readString(yaml);
        assertTrue(text.contains("bench-node-2") && !text.contains("bench-node-1"), text);
        assertThrows(IllegalArgumentException.class, () -> Membership.parse("ftp:x", options.configs("b0"), List.of()));
    }

    @Test
    void badSizesAreRefused() {
        Run r = run("bench", "--nodes", "1", "--reflector", "127.0.0.1:1");
        assertEquals(2, r.exit);
        assertTrue(r.err.contains("between 2 and 15000"), r.err);
        Run c = run("bench", "--scenario", "C", "--nodes", "5", "--reflector", "127.0.0.1:1");
        assertEquals(2, c.exit);
        assertTrue(c.err.contains("--membership"), c.err);
    }

    record Run(int exit, String out, String err) { }

    static Run run(String... args) {
        CommandLine cli = MainAccess.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
