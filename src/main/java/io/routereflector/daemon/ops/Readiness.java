package io.routereflector.daemon.ops;

import java.time.Duration;

/**
 * calico/node's readiness rule for BGP, applied to our sessions: no peers configured → ready (nothing
 * to wait for); during the first {@link #GRACE} after start → ready only once every peer is
 * Established and no graceful restart is in progress; afterwards → ready while at least one peer is
 * Established (a reflector that reaches some clients is useful; one that reaches none is not).
 */
public final class Readiness {

    public static final Duration GRACE = Duration.ofSeconds(30);

    public record Verdict(boolean ready, String reason) {
    }

    private Readiness() {
    }

    public static Verdict evaluate(int configured, int established, boolean gracefulRestartInProgress, Duration sinceStart) {
        if (configured == 0) {
            return new Verdict(true, "no peers configured");
        }
        if (sinceStart.compareTo(GRACE) < 0) {
            if (gracefulRestartInProgress) {
                return new Verdict(false, "graceful restart in progress (" + established + "/" + configured + " peers Established)");
            }
            if (established < configured) {
                return new Verdict(false, "starting: " + established + "/" + configured + " peers Established");
            }
            return new Verdict(true, "all " + configured + " peers Established");
        }
        if (established == 0) {
            return new Verdict(false, "no peer Established (0/" + configured + ")");
        }
        return new Verdict(true, established + "/" + configured + " peers Established");
    }
}
