package io.routereflector.reflector.session;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rate limit for "connection refused" log lines: one per source per interval, with the number of
 * refusals kept quiet since, so that a misconfigured node retrying every few seconds (or a scan) does
 * not flood the log. Called from any accepting loop.
 */
final class RefusalLog {

    private static final int MAX_SOURCES = 10_000;

    private record Entry(long lastLogged, AtomicLong suppressed) {
    }

    private final long intervalNanos;
    private final ConcurrentHashMap<InetAddress, Entry> sources = new ConcurrentHashMap<>();

    RefusalLog(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** -1 when this refusal stays quiet; else how many were kept quiet before it (log it now). */
    long record(InetAddress source, long nowNanos) {
        if (sources.size() > MAX_SOURCES) {
            sources.values().removeIf(e -> nowNanos - e.lastLogged() > intervalNanos);
        }
        long[] result = {-1};
        sources.compute(source, (k, e) -> {
            if (e == null || nowNanos - e.lastLogged() >= intervalNanos) {
                result[0] = e == null ? 0 : e.suppressed().get();
                return new Entry(nowNanos, new AtomicLong());
            }
            e.suppressed().incrementAndGet();
            return e;
        });
        return result[0];
    }
}
