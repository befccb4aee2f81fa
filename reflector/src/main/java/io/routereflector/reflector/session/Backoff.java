package io.routereflector.reflector.session;

/**
 * The wait before the next outgoing connection attempt: the ConnectRetry time with the jitter of
 * RFC 4271 §10 (a factor drawn from 0.75..1.0, so that peers restarted together do not dial in
 * lockstep), doubled after each consecutive failure up to {@link #CAP_SECONDS} (or ConnectRetry when
 * that is larger).
 */
public final class Backoff {

    public static final int CAP_SECONDS = 60;
    private static final int MAX_DOUBLINGS = 16;

    private Backoff() {
    }

    /**
     * @param failures consecutive failed attempts since the last Established session
     * @param random   a draw from [0, 1)
     */
    public static long delayMillis(int connectRetrySeconds, int failures, double random) {
        long base = connectRetrySeconds * 1000L;
        long grown = base << Math.min(Math.max(failures, 0), MAX_DOUBLINGS);
        long capped = Math.min(grown, Math.max(base, CAP_SECONDS * 1000L));
        double jitter = 0.75 + 0.25 * Math.min(Math.max(random, 0), 1);
        return (long) (capped * jitter);
    }
}
