package io.routereflector.daemon.birdctl;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One request line of BIRD's control protocol, parsed as BIRD 1.6 parses the subset we serve. BIRD's
 * lexer is case-sensitive and takes no abbreviations (birdc expands them before sending); anything
 * else is BIRD's {@code 9001 syntax error}, an empty line included.
 */
public sealed interface BirdCommand {

    /** {@code show status}. */
    record ShowStatus() implements BirdCommand {
    }

    /** {@code show memory}. */
    record ShowMemory() implements BirdCommand {
    }

    /** {@code show route count}. */
    record ShowRouteCount() implements BirdCommand {
    }

    /**
     * {@code show protocols [all] [NAME | "PATTERN"]}.
     *
     * @param name    a protocol name (a BIRD symbol), or null
     * @param pattern a shell pattern with {@code *} and {@code ?} (BIRD's {@code patmatch}), or null
     */
    record ShowProtocols(boolean all, String name, String pattern) implements BirdCommand {
    }

    /** A request BIRD answers with an error line. */
    record Refused(int code, String message) implements BirdCommand {
    }

    Refused SYNTAX_ERROR = new Refused(9001, "syntax error");
    /** BIRD's lexer refuses longer symbols. */
    int SYMBOL_MAX = 64;
    Pattern SYMBOL = Pattern.compile("[A-Za-z_][A-Za-z_0-9]*");

    static BirdCommand parse(String line) {
        List<String> words = words(line);
        if (words == null) {
            return SYNTAX_ERROR;
        }
        if (words.equals(List.of("show", "status"))) {
            return new ShowStatus();
        }
        if (words.equals(List.of("show", "memory"))) {
            return new ShowMemory();
        }
        if (words.equals(List.of("show", "route", "count"))) {
            return new ShowRouteCount();
        }
        if (words.size() < 2 || !words.get(0).equals("show") || !words.get(1).equals("protocols") || words.size() > 4) {
            return SYNTAX_ERROR;
        }
        List<String> rest = words.subList(2, words.size());
        boolean all = !rest.isEmpty() && rest.get(0).equals("all");
        if (all) {
            rest = rest.subList(1, rest.size());
        }
        if (rest.isEmpty()) {
            return new ShowProtocols(all, null, null);
        }
        if (rest.size() > 1) {
            return SYNTAX_ERROR;
        }
        String target = rest.get(0);
        if (target.startsWith("\"")) {
            return new ShowProtocols(all, null, target.substring(1, target.length() - 1));
        }
        if (!SYMBOL.matcher(target).matches()) {
            return SYNTAX_ERROR;
        }
        if (target.length() > SYMBOL_MAX) {
            return new Refused(9001, "Symbol too long");
        }
        return new ShowProtocols(all, target, null);
    }

    /** Blank-separated words, a {@code "…"} string kept whole with its quotes; null for an unterminated string. */
    private static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
            } else if (c == '"') {
                int end = line.indexOf('"', i + 1);
                if (end < 0) {
                    return null;
                }
                out.add(line.substring(i, end + 1));
                i = end + 1;
            } else {
                int end = i;
                while (end < line.length() && line.charAt(end) != ' ' && line.charAt(end) != '\t' && line.charAt(end) != '"') {
                    end++;
                }
                out.add(line.substring(i, end));
                i = end;
            }
        }
        return out;
    }

    /** BIRD's {@code patmatch}: {@code *} any run of characters, {@code ?} one character. */
    static boolean matches(String pattern, String name) {
        return matches(pattern, 0, name, 0);
    }

    private static boolean matches(String p, int i, String s, int j) {
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '*') {
                for (int k = j; k <= s.length(); k++) {
                    if (matches(p, i + 1, s, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (j >= s.length() || (c != '?' && c != s.charAt(j))) {
                return false;
            }
            i++;
            j++;
        }
        return j == s.length();
    }
}
