package io.routereflector.daemon.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The figures of one bench run, in the order they were measured: printed as a table and as JSON. */
final class Report {

    record Row(String key, Object value, String unit, String what) { }

    private final Map<String, Object> context = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void context(String key, Object value) {
        context.put(key, value);
    }

    void add(String key, Object value, String unit, String what) {
        rows.add(new Row(key, value, unit, what));
    }

    /** p50, p99 and max of a histogram in milliseconds (-1 when it holds no sample). */
    void latency(String key, LatencyHistogram h, String what) {
        add(key + "_count", h.count(), "", what + ": samples");
        add(key + "_p50_ms", millis(h.quantileMicros(0.5)), "ms", what + ": median");
        add(key + "_p99_ms", millis(h.quantileMicros(0.99)), "ms", what + ": 99th percentile");
        add(key + "_max_ms", millis(h.count() == 0 ? -1 : h.maxMicros()), "ms", what + ": maximum");
    }

    void note(String text) {
        notes.add(text);
    }

    Object value(String key) {
        for (Row r : rows) {
            if (r.key().equals(key)) {
                return r.value();
            }
        }
        return null;
    }

    static double millis(long micros) {
        return micros < 0 ? -1 : Math.round(micros / 10.0) / 100.0;
    }

    static double millisFromNanos(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    String table() {
        StringBuilder out = new StringBuilder();
        context.forEach((k, v) -> out.append(String.format("%-22s %s%n", k, v)));
        out.append(String.format("%n%-34s %14s  %-4s %s%n", "figure", "value", "unit", "meaning"));
        for (Row r : rows) {
            out.append(String.format("%-34s %14s  %-4s %s%n", r.key(), format(r.value()), r.unit(), r.what()));
        }
        for (String n : notes) {
            out.append("note: ").append(n).append('\n');
        }
        return out.toString();
    }

    private static String format(Object v) {
        if (v instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format("%.0f", d) : String.format("%.2f", d);
        }
        return String.valueOf(v);
    }

    String json() {
        Map<String, Object> out = new LinkedHashMap<>(context);
        Map<String, Object> figures = new LinkedHashMap<>();
        for (Row r : rows) {
            figures.put(r.key(), r.value());
        }
        out.put("figures", figures);
        out.put("notes", notes);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
