package io.routereflector.datastore.derive;

import io.routereflector.datastore.ResourceProblem;
import io.routereflector.reflector.config.ReflectorConfig;

import java.util.List;

/**
 * What a derivation produced: the reflector's desired configuration and every problem met on the way.
 *
 * @param config null when no configuration can be formed at all (e.g. no IPv4 router id); a source then
 *               keeps its last good one
 */
public record Derivation(ReflectorConfig config, List<ResourceProblem> problems) {

    public Derivation {
        problems = List.copyOf(problems);
    }
}
