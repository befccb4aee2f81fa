package io.routereflector.testbed;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded polling. A condition that is not met in time fails with what was awaited, the last error
 * the probe raised, and the diagnostics of the peer concerned (its own log).
 */
public final class Await {

    private static final long POLL_MILLIS = 200;

    private Await() {
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> diagnostics) {
        value(what, timeout, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(),
                diagnostics);
    }

    /** Polls {@code probe} until it yields a value; a probe that throws counts as "not yet". */
    public static <T> T value(String what, Duration timeout, Supplier<Optional<T>> probe,
                              Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException lastError = null;
        while (true) {
            try {
                Optional<T> result = probe.get();
                if (result.isPresent()) {
                    return result.get();
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            if (System.nanoTime() - deadline > 0) {
                break;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
        StringBuilder message = new StringBuilder("timed out after ").append(timeout.toSeconds())
                .append(" s waiting for ").append(what);
        if (lastError != null) {
            message.append("\nlast probe error: ").append(lastError);
        }
        message.append("\n").append(safely(diagnostics));
        AssertionError error = new AssertionError(message.toString());
        if (lastError != null) {
            error.addSuppressed(lastError);
        }
        throw error;
    }

    private static String safely(Supplier<String> diagnostics) {
        try {
            return diagnostics.get();
        } catch (RuntimeException e) {
            return "(diagnostics unavailable: " + e + ")";
        }
    }
}
