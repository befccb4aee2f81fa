package io.routereflector.daemon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and memory of a process from /proc (Linux): {@code stat} fields 14 and 15 (utime, stime,
 * in clock ticks, 100 per second on Linux' user ABI) and {@code status} VmRSS/VmHWM in KiB.
 * Reading a process of another network namespace works: only the PID namespace matters.
 */
record ProcessStats(long cpuMillis, long rssKib, long peakRssKib) {

    static final long TICKS_PER_SECOND = 100;

    /** The stats of {@code pid}, or null when it cannot be read (gone, or no /proc). */
    static ProcessStats read(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
            long rss = 0;
            long hwm = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kib(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kib(line);
                }
            }
            return new ProcessStats(ticks * 1000 / TICKS_PER_SECOND, rss, hwm);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static ProcessStats self() {
        return read(ProcessHandle.current().pid());
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
