package io.routereflector.datastore.derive;

import io.routereflector.datastore.ResourceProblem;
import io.routereflector.reflector.config.ReflectorConfig;

import java.util.List;
import java.util.Objects;

/**
 * What a derivation produced: the reflector's desired configuration, the daemon's own settings and every
 * problem met on the way.
 *
 * @param config   null when no configuration can be formed at all (e.g. no IPv4 router id); a source then
 *                 keeps its last good one
 * @param settings never null ({@link DaemonSettings#NONE} when the data sets nothing)
 */
public record Derivation(ReflectorConfig config, List<ResourceProblem> problems, DaemonSettings settings) {

    public Derivation {
        problems = List.copyOf(problems);
        Objects.requireNonNull(settings, "settings");
    }

    public Derivation(ReflectorConfig config, List<ResourceProblem> problems) {
        this(config, problems, DaemonSettings.NONE);
    }
}
