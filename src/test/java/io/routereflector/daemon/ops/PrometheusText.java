package io.routereflector.daemon.ops;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests (the Java client library
 * writes this format but ships no parser). It rejects what Prometheus would reject — bad names, bad
 * escapes, a TYPE after its samples, a family split in two, duplicate series, histogram buckets that
 * are not cumulative or whose +Inf bucket differs from _count — so that a scrape the tests accept
 * is one Prometheus accepts.
 */
public final class PrometheusText {

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public record Family(String name, String type, String help, List<Sample> samples) {
    }

    public static final class ParseException extends RuntimeException {
        ParseException(int line, String message) {
            super("line " + line + ": " + message);
        }
    }

    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private PrometheusText() {
    }

    public static Map<String, Family> parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        Set<String> series = new HashSet<>();
        String current = null;
        Set<String> finished = new HashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int n = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && (parts[1].equals("TYPE") || parts[1].equals("HELP"))) {
                    String family = parts[2];
                    checkName(n, family);
                    if (samples.containsKey(family)) {
                        throw new ParseException(n, parts[1] + " for " + family + " after its samples");
                    }
                    if (parts[1].equals("TYPE")) {
                        String type = parts.length == 4 ? parts[3] : "";
                        if (!TYPES.contains(type)) {
                            throw new ParseException(n, "unknown type '" + type + "'");
                        }
                        if (types.put(family, type) != null) {
                            throw new ParseException(n, "second TYPE for " + family);
                        }
                    } else if (helps.put(family, parts.length == 4 ? unescapeHelp(n, parts[3]) : "") != null) {
                        throw new ParseException(n, "second HELP for " + family);
                    }
                }
                continue;
            }
            Sample s = sample(n, line);
            String family = familyOf(s.name(), types);
            if (!family.equals(current)) {
                if (finished.contains(family)) {
                    throw new ParseException(n, "samples of " + family + " are not together");
                }
                if (current != null) {
                    finished.add(current);
                }
                current = family;
            }
            if (!series.add(s.name() + new TreeMap<>(s.labels()))) {
                throw new ParseException(n, "duplicate series " + s.name() + s.labels());
            }
            samples.computeIfAbsent(family, f -> new ArrayList<>()).add(s);
        }
        Map<String, Family> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Sample>> e : samples.entrySet()) {
            String type = types.getOrDefault(e.getKey(), "untyped");
            if (type.equals("histogram")) {
                checkHistogram(e.getKey(), e.getValue());
            }
            out.put(e.getKey(), new Family(e.getKey(), type, helps.get(e.getKey()), List.copyOf(e.getValue())));
        }
        return out;
    }

    private static String familyOf(String name, Map<String, String> types) {
        for (String suffix : List.of("_bucket", "_count", "_sum")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || "summary".equals(type) && !suffix.equals("_bucket")) {
                    return base;
                }
            }
        }
        return name;
    }

    private static void checkHistogram(String family, List<Sample> samples) {
        Map<Map<String, String>, List<Sample>> byLabels = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        for (Sample s : samples) {
            Map<String, String> rest = new TreeMap<>(s.labels());
            if (s.name().endsWith("_bucket")) {
                if (rest.remove("le") == null) {
                    throw new IllegalArgumentException(family + ": a bucket without le");
                }
                byLabels.computeIfAbsent(rest, k -> new ArrayList<>()).add(s);
            } else if (s.name().endsWith("_count")) {
                counts.put(rest, s.value());
            }
        }
        for (Map.Entry<Map<String, String>, List<Sample>> e : byLabels.entrySet()) {
            double last = -1;
            double previousLe = Double.NEGATIVE_INFINITY;
            for (Sample b : e.getValue()) {
                double le = number(0, b.labels().get("le"));
                if (le <= previousLe || b.value() < last) {
                    throw new IllegalArgumentException(family + e.getKey() + ": buckets not increasing at le=" + b.labels().get("le"));
                }
                previousLe = le;
                last = b.value();
            }
            if (previousLe != Double.POSITIVE_INFINITY || !counts.containsKey(e.getKey()) || counts.get(e.getKey()) != last) {
                throw new IllegalArgumentException(family + e.getKey() + ": +Inf bucket missing or different from _count");
            }
        }
    }

    private static void checkName(int n, String name) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new ParseException(n, "bad metric name '" + name + "'");
        }
    }

    private static Sample sample(int n, String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        checkName(n, name);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                if (eq < 0) {
                    throw new ParseException(n, "label without '='");
                }
                String label = line.substring(i, eq);
                if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*") || label.startsWith("__")) {
                    throw new ParseException(n, "bad label name '" + label + "'");
                }
                if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                    throw new ParseException(n, "label value not quoted");
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; j < line.length() && line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char e = j + 1 < line.length() ? line.charAt(++j) : 0;
                        value.append(switch (e) {
                            case '\\' -> '\\';
                            case '"' -> '"';
                            case 'n' -> '\n';
                            default -> throw new ParseException(n, "bad escape \\" + e);
                        });
                    } else {
                        value.append(c);
                    }
                }
                if (j >= line.length()) {
                    throw new ParseException(n, "unterminated label value");
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new ParseException(n, "label " + label + " twice");
                }
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                } else if (line.charAt(i) != '}') {
                    throw new ParseException(n, "expected ',' or '}' after a label");
                }
            }
            i++;
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new ParseException(n, "expected a space before the value");
        }
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length < 1 || rest.length > 2) {
            throw new ParseException(n, "expected a value and an optional timestamp");
        }
        if (rest.length == 2) {
            try {
                Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new ParseException(n, "bad timestamp '" + rest[1] + "'");
            }
        }
        return new Sample(name, labels, number(n, rest[0]));
    }

    private static double number(int n, String text) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                if (!text.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
                    throw new ParseException(n, "bad value '" + text + "'");
                }
                return Double.parseDouble(text);
        }
    }

    private static String unescapeHelp(int n, String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char e = text.charAt(++i);
                b.append(e == 'n' ? '\n' : e == '\\' ? '\\' : e);
                if (e != 'n' && e != '\\') {
                    throw new ParseException(n, "bad escape in HELP \\" + e);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The value of the one sample of {@code name} whose labels include {@code labels}; fails when there is not exactly one. */
    public static double value(Map<String, Family> families, String name, Map<String, String> labels) {
        List<Sample> found = new ArrayList<>();
        for (Family f : families.values()) {
            for (Sample s : f.samples()) {
                if (s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())) {
                    found.add(s);
                }
            }
        }
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples of " + name + labels + ": " + found);
        }
        return found.get(0).value();
    }
}
