package io.routereflector.daemon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code routereflector bench summarize}: the medians over repeated runs of the same scenario, size and
 * reflector, as a markdown table (the README quotes it) and JSON; with the headline figure of each
 * scenario divided by the better of the other reflectors.
 */
@Command(name = "summarize", description = "Median the JSON reports of repeated bench runs into a markdown and a JSON table.")
public final class BenchSummaryCommand implements Callable<Integer> {

    /** The figures shown per scenario; the first is the headline (lower is better). */
    static final Map<String, List<String>> SHOWN = Map.of(
            "A", List.of("convergence_ms", "all_established_ms", "convergence_reflector_cpu_s", "convergence_bench_cpu_s", "reflector_cpu_s", "reflector_start_cpu_s", "reflector_rss_peak_mib", "sessions_reset",
                    "dial_failures", "gc_pause_p99_ms", "stw_pause_p99_ms", "reflector_rss_idle_mib", "bench_cpu_share"),
            "B", List.of("propagation_event_p99_ms", "propagation_event_p50_ms", "propagation_event_max_ms",
                    "churn_unintended_resets", "churn_events_incomplete", "reflector_cpu_s", "reflector_rss_peak_mib", "bench_cpu_share"),
            "C", List.of("update_pause_p50_ms", "update_pause_max_ms", "membership_resets_existing", "join_converged_p50_ms",
                    "removed_closed_by_reflector", "propagation_probe_p99_ms", "reflector_cpu_s"),
            "D", List.of("convergence_ms", "all_established_ms", "reflector_rss_peak_mib", "convergence_reflector_cpu_s", "withdrawal_ms",
                    "withdrawal_reflector_cpu_s", "reflector_cpu_s", "reflector_start_cpu_s", "sessions_reset", "gc_pause_p99_ms",
                    "bench_cpu_share"));

    static final String OURS = "routereflector";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--markdown", paramLabel = "FILE", required = true, description = "The markdown table.")
    Path markdown;

    @Option(names = "--json", paramLabel = "FILE", required = true, description = "The medians as JSON.")
    Path json;

    @Option(names = "--env", paramLabel = "FILE", description = "JSON object with date, machine and versions for the header.")
    Path env;

    @Parameters(paramLabel = "REPORT", description = "JSON reports of `bench --json`.")
    List<Path> reports = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        // (scenario, nodes) → label → figure → values
        Map<String, Map<String, Map<String, List<Double>>>> groups = new TreeMap<>();
        for (Path p : reports) {
            JsonNode r = mapper.readTree(p.toFile());
            String group = r.path("scenario").asText() + " N=" + r.path("nodes").asText() + " K=" + r.path("blocks").asText();
            String label = r.path("label").asText("?");
            Map<String, List<Double>> figures = groups.computeIfAbsent(group, g -> new TreeMap<>())
                    .computeIfAbsent(label, l -> new LinkedHashMap<>());
            for (Iterator<Map.Entry<String, JsonNode>> it = r.path("figures").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getValue().isNumber()) {
                    figures.computeIfAbsent(f.getKey(), k -> new ArrayList<>()).add(f.getValue().asDouble());
                }
            }
            figures.computeIfAbsent("runs", k -> new ArrayList<>()).add(1.0);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        StringBuilder md = new StringBuilder("# Bench results\n\n");
        if (env != null) {
            JsonNode e = mapper.readTree(env.toFile());
            out.put("environment", e);
            for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                md.append("- **").append(f.getKey()).append("**: ").append(f.getValue().asText()).append('\n');
            }
            md.append('\n');
        }
        md.append("Medians over the runs; times in ms, CPU in s, RSS in MiB. `ratio` = our headline figure / the better"
                + " of the others (lower is better; < 1 means we are faster).\n");
        Map<String, Object> medians = new LinkedHashMap<>();
        groups.forEach((group, labels) -> {
            String scenario = group.substring(0, 1);
            List<String> shown = SHOWN.getOrDefault(scenario, List.of());
            md.append("\n## ").append(group).append("\n\n| reflector | runs |");
            shown.forEach(f -> md.append(' ').append(f).append(" |"));
            md.append("\n|---|---|");
            shown.forEach(f -> md.append("---|"));
            md.append('\n');
            Map<String, Map<String, Double>> byLabel = new TreeMap<>();
            labels.forEach((label, figures) -> {
                Map<String, Double> m = new LinkedHashMap<>();
                figures.forEach((k, v) -> m.put(k, k.equals("runs") ? v.size() : median(v)));
                byLabel.put(label, m);
                md.append("| ").append(label).append(" | ").append(m.get("runs").intValue()).append(" |");
                shown.forEach(f -> md.append(' ').append(format(m.get(f))).append(" |"));
                md.append('\n');
            });
            Double ratio = ratio(byLabel, shown.isEmpty() ? null : shown.get(0));
            if (ratio != null) {
                md.append("\nratio of `").append(shown.get(0)).append("`: **").append(format(ratio)).append("**\n");
            }
            Map<String, Object> g = new LinkedHashMap<>(byLabel);
            g.put("headline", shown.isEmpty() ? null : shown.get(0));
            g.put("ratio", ratio);
            medians.put(group, g);
        });
        out.put("medians", medians);
        Files.writeString(markdown, md.toString());
        Files.writeString(json, mapper.writeValueAsString(out));
        spec.commandLine().getOut().print(md);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** Ours divided by the best (lowest, non-negative) of the others; null when either side is missing. */
    static Double ratio(Map<String, Map<String, Double>> byLabel, String figure) {
        if (figure == null) {
            return null;
        }
        Double ours = null;
        Double best = null;
        for (Map.Entry<String, Map<String, Double>> e : byLabel.entrySet()) {
            Double v = e.getValue().get(figure);
            if (v == null || v < 0) {
                continue;
            }
            if (e.getKey().startsWith(OURS)) {
                ours = ours == null ? v : Math.min(ours, v);
            } else {
                best = best == null ? v : Math.min(best, v);
            }
        }
        return ours == null || best == null || best == 0 ? null : Math.round(ours / best * 1000) / 1000.0;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String format(Double v) {
        if (v == null) {
            return "–";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e12 ? String.format("%.0f", v) : String.format("%.2f", v);
    }
}
