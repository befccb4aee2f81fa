package io.routereflector.datastore;

import io.routereflector.datastore.derive.DaemonSettings;
import io.routereflector.reflector.config.ReflectorConfig;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * A source of the reflector's desired configuration (the file datastore; etcd's legacy keys and v3
 * resources later): one full snapshot at start, then a new configuration each time it changes, and its
 * health. Bad data never stops a source: it is reported in the snapshot's problems and the rest applies.
 */
public interface DesiredState extends AutoCloseable {

    /** Called on the source's own thread, each only when its value differs from the last one delivered. */
    @FunctionalInterface
    interface Listener {
        void changed(ReflectorConfig config);

        /** The daemon's own settings; delivered before a configuration derived from the same data. */
        default void settingsChanged(DaemonSettings settings) {
        }
    }

    /**
     * @param config   the configuration in force; null only before the first good one
     * @param problems everything skipped in the current data
     * @param settings the daemon's settings from the current data ({@link DaemonSettings#NONE} before any)
     */
    record Snapshot(ReflectorConfig config, List<ResourceProblem> problems, DaemonSettings settings) {
        public Snapshot {
            problems = List.copyOf(problems);
            Objects.requireNonNull(settings, "settings");
        }

        public Snapshot(ReflectorConfig config, List<ResourceProblem> problems) {
            this(config, problems, DaemonSettings.NONE);
        }
    }

    enum Status {
        /** Nothing loaded yet. */
        STARTING,
        /** Loaded, no problems. */
        HEALTHY,
        /** Loaded with problems: some data was skipped, or the last good state is kept. */
        DEGRADED,
        /** No configuration can be formed (no data, or nothing usable yet). */
        FAILED
    }

    record Health(Status status, String detail) {
        public Health {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** Loads the data once (before returning; the first good configuration goes to the listener), then follows changes. */
    void start(Listener listener) throws IOException;

    Snapshot snapshot();

    Health health();

    @Override
    void close();
}
