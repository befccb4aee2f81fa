package io.routereflector.datastore;

import java.util.Objects;

/**
 * Bad data that was skipped while the rest applied: one line of the log and one count in the metrics.
 *
 * @param source where it came from: {@code file:line} for the file datastore, the key for etcd
 * @param field  the dotted field path inside the resource ({@code spec.peerIP}), or "" for the whole item
 */
public record ResourceProblem(String source, String field, String message) {

    public ResourceProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return source + (field.isEmpty() ? "" : ": " + field) + ": " + message;
    }
}
