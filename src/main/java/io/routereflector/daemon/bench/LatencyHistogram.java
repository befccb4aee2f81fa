package io.routereflector.daemon.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in microseconds, recorded lock-free from any thread: 16 buckets per power of two
 * (at most 6 % relative error), so millions of samples cost a fixed 8 KiB and percentiles need no sort.
 */
final class LatencyHistogram {

    private static final int SUB_BITS = 5;
    private static final int SUB = 1 << SUB_BITS;
    private static final int BUCKETS = (64 - SUB_BITS) * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong max = new AtomicLong();

    void recordNanos(long nanos) {
        long micros = Math.max(0, nanos / 1000);
        counts.incrementAndGet(index(micros));
        total.incrementAndGet();
        max.accumulateAndGet(micros, Math::max);
    }

    long count() {
        return total.get();
    }

    /** The largest sample, exact, in microseconds. */
    long maxMicros() {
        return max.get();
    }

    /** The {@code q} quantile (0 &lt; q ≤ 1) in microseconds: the upper edge of its bucket, -1 when empty. */
    long quantileMicros(double q) {
        long n = total.get();
        if (n == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(q * n));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.min(upperEdge(i), max.get());
            }
        }
        return max.get();
    }

    /** Exact below 32 µs; above, 16 buckets per power of two (the 4 bits after the leading one). */
    static int index(long micros) {
        if (micros < SUB) {
            return (int) micros;
        }
        int magnitude = 63 - Long.numberOfLeadingZeros(micros); // ≥ SUB_BITS
        int sub = (int) (micros >>> (magnitude - 4)) & 15;
        return Math.min(BUCKETS - 1, SUB + (magnitude - SUB_BITS) * 16 + sub);
    }

    /** The largest value that lands in bucket {@code i}. */
    static long upperEdge(int i) {
        long lo = 0;
        long hi = 1L << 62;
        // Buckets are monotone in the value: binary search for the last value mapping to i.
        while (lo < hi) {
            long mid = lo + (hi - lo + 1) / 2;
            if (index(mid) <= i) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
