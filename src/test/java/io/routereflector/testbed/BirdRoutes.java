package io.routereflector.testbed;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code birdc show route all} of BIRD 1.6 and BIRD 2 into {@link PeerRoute}s. A route
 * starts on an unindented line (a line that starts with spaces is another route for the prefix
 * above, as with ADD-PATH); its attributes follow on tab-indented lines.
 */
public final class BirdRoutes {

    private static final Pattern PROTOCOL = Pattern.compile("\\[(\\S+)");
    private static final Pattern VIA = Pattern.compile("\\bvia (\\S+)");
    private static final Pattern PAREN = Pattern.compile("\\(([^)]*)\\)");

    private BirdRoutes() {
    }

    public static List<PeerRoute> parse(String output) {
        List<PeerRoute> routes = new ArrayList<>();
        Builder current = null;
        String prefix = null;
        for (String line : output.split("\n")) {
            if (line.isBlank() || line.startsWith("Table ") || line.startsWith("BIRD ")
                    || line.startsWith("Network ")) {
                continue;
            }
            if (line.startsWith("\t")) {
                if (current != null) {
                    current.attribute(line.trim());
                }
                continue;
            }
            if (current != null) {
                routes.add(current.build());
            }
            if (!line.startsWith(" ")) {
                prefix = line.trim().split("\\s+")[0];
            }
            if (prefix == null) {
                throw new IllegalArgumentException("route line without a prefix: " + line);
            }
            current = new Builder(prefix, line);
        }
        if (current != null) {
            routes.add(current.build());
        }
        return List.copyOf(routes);
    }

    private static final class Builder {
        private final String prefix;
        private final String from;
        private final boolean best;
        private String nextHop = "";
        private String origin = "";
        private final List<Long> asPath = new ArrayList<>();
        private long med = -1;
        private long localPref = -1;
        private final List<String> communities = new ArrayList<>();
        private final List<String> large = new ArrayList<>();
        private final List<String> ext = new ArrayList<>();
        private String originatorId = "";
        private final List<String> clusterList = new ArrayList<>();

        Builder(String prefix, String head) {
            this.prefix = prefix;
            Matcher protocol = PROTOCOL.matcher(head);
            this.from = protocol.find() ? protocol.group(1) : "";
            int bracket = head.indexOf(']');
            this.best = bracket >= 0 && head.substring(bracket).contains(" * ");
            Matcher via = VIA.matcher(head); // BIRD 1.6 puts the gateway on the head line
            if (via.find()) {
                nextHop = via.group(1);
            }
        }

        void attribute(String line) {
            if (line.startsWith("via ")) {
                Matcher via = VIA.matcher(line);
                if (via.find() && nextHop.isEmpty()) {
                    nextHop = via.group(1);
                }
                return;
            }
            int colon = line.indexOf(':');
            if (!line.startsWith("BGP.") || colon < 0) {
                return;
            }
            String key = line.substring(4, colon);
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "origin" -> origin = value.toLowerCase(java.util.Locale.ROOT);
                case "as_path" -> {
                    for (String word : value.split("[\\s{}]+")) {
                        if (word.matches("\\d+")) {
                            asPath.add(Long.parseLong(word));
                        }
                    }
                }
                // BGP.next_hop is the attribute itself, which wins over the resolved gateway.
                case "next_hop" -> nextHop = value.split("\\s+")[0];
                case "med" -> med = Long.parseLong(value);
                case "local_pref" -> localPref = Long.parseLong(value);
                case "originator_id" -> originatorId = value;
                case "cluster_list" -> clusterList.addAll(words(value));
                case "community" -> tuples(value, communities);
                case "large_community" -> tuples(value, large);
                case "ext_community" -> tuples(value, ext);
                default -> {
                    // other attributes are not compared by tests
                }
            }
        }

        private static List<String> words(String value) {
            return value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
        }

        /** "(64512,200) (65535, 1, 2)" → ["64512:200", "65535:1:2"]. */
        private static void tuples(String value, List<String> into) {
            Matcher m = PAREN.matcher(value);
            while (m.find()) {
                List<String> parts = new ArrayList<>();
                for (String part : m.group(1).split(",")) {
                    parts.add(part.trim());
                }
                into.add(String.join(":", parts));
            }
        }

        PeerRoute build() {
            return new PeerRoute(prefix, from, best, nextHop, origin, asPath, med, localPref, communities, large,
                    ext, originatorId, clusterList);
        }
    }
}
