package io.routereflector.daemon;

import io.routereflector.daemon.log.LineLogging;
import io.routereflector.datastore.derive.DaemonSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Where the log level comes from: {@code --log-level} / {@code LOG_LEVEL} when given, which then always
 * wins (an operator debugging one reflector must not be overruled by the cluster's setting); else the
 * datastore's BGPConfiguration {@code logSeverityScreen}, followed live; else info.
 */
final class LogLevelSetting {

    private static final Logger LOG = LoggerFactory.getLogger(LogLevelSetting.class);

    private final Level fixed;
    private String severity;

    /** @param fixed the level given on the command line or in the environment, null when none was */
    LogLevelSetting(Level fixed) {
        this.fixed = fixed;
    }

    Level initial() {
        return fixed != null ? fixed : Level.INFO;
    }

    /** The datastore's settings changed (its thread, or the control thread on a reload). */
    synchronized void apply(DaemonSettings settings) {
        String next = settings.logSeverityScreen();
        if (next == null ? severity == null : next.equals(severity)) {
            return;
        }
        severity = next;
        if (fixed != null) {
            LOG.info("BGPConfiguration logSeverityScreen is {}: ignored, the level given by --log-level/LOG_LEVEL ({}) applies",
                    next == null ? "unset" : next, fixed.toString().toLowerCase(java.util.Locale.ROOT));
            return;
        }
        Level level = next == null ? Level.INFO : LineLogging.fromCalico(next);
        Level before = LineLogging.level();
        if (level == before) {
            return;
        }
        String line = "log level {} (BGPConfiguration logSeverityScreen {}), was {}";
        Object[] args = {level.toString().toLowerCase(java.util.Locale.ROOT), next == null ? "unset" : next,
                before.toString().toLowerCase(java.util.Locale.ROOT)};
        // Said at info under whichever of the two levels shows it: before a quieter level, after a louder one.
        if (level.toInt() > Level.INFO.toInt()) {
            LOG.info(line, args);
            LineLogging.setLevel(level);
        } else {
            LineLogging.setLevel(level);
            LOG.info(line, args);
        }
    }
}
