package io.routereflector.daemon;

import java.util.Map;

/**
 * The old image's environment contract: every variable is read as is, and {@code CALICO_X}
 * overrides {@code X} (libcalico-go's rule). Empty values count as unset.
 */
public record Environment(Map<String, String> variables) {

    public Environment {
        variables = Map.copyOf(variables);
    }

    public static Environment system() {
        return new Environment(System.getenv());
    }

    public String get(String name) {
        String calico = variables.get("CALICO_" + name);
        if (calico != null && !calico.isBlank()) {
            return calico.strip();
        }
        String plain = variables.get(name);
        return plain == null || plain.isBlank() ? null : plain.strip();
    }
}
