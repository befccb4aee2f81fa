package io.routereflector.datastore.derive;

import io.routereflector.datastore.calico.BgpConfiguration;

/**
 * Settings of the daemon itself that the datastore carries next to the reflector's configuration: they
 * change the process (its logging), never a session, so they stay out of {@code ReflectorConfig}.
 *
 * @param logSeverityScreen Calico's value as written (Debug, Info, Warning, Error or Fatal), null when unset
 */
public record DaemonSettings(String logSeverityScreen) {

    public static final DaemonSettings NONE = new DaemonSettings(null);

    public DaemonSettings {
        if (logSeverityScreen != null && !BgpConfiguration.LOG_SEVERITIES.contains(logSeverityScreen)) {
            throw new IllegalArgumentException("logSeverityScreen '" + logSeverityScreen + "' is not one of " + BgpConfiguration.LOG_SEVERITIES);
        }
    }

    /**
     * Our node's {@code node.<name>} BGPConfiguration wins over {@code default}, as calico/node's BIRD
     * templates let a node's log level override the global one.
     */
    static DaemonSettings from(BgpConfiguration own, BgpConfiguration global) {
        String level = own != null && own.logSeverityScreen() != null ? own.logSeverityScreen()
                : global != null ? global.logSeverityScreen() : null;
        return new DaemonSettings(level);
    }
}
