package io.routereflector.testbed;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code birdc show protocols all NAME} of a BGP protocol, BIRD 1.6 or 2.
 *
 * @param neighborCapabilities BIRD 1.6: the words of "Neighbor caps"; BIRD 2: the capability names
 *                             listed under "Neighbor capabilities"; empty before the OPEN exchange
 * @param imported             routes imported, -1 when BIRD does not show the line
 */
public record BirdProtocol(String name, String state, String info, String bgpState, String neighborAddress,
                           List<String> neighborCapabilities, String session, String lastError,
                           long imported, long exported) {

    public BirdProtocol {
        neighborCapabilities = List.copyOf(neighborCapabilities);
    }

    public boolean established() {
        return "Established".equals(bgpState);
    }

    /** Parses birdc's answer; the "BIRD … ready." banner may still be in front. */
    public static BirdProtocol parse(String output) {
        List<String> lines = new ArrayList<>(List.of(output.split("\n")));
        lines.removeIf(line -> line.startsWith("BIRD ") && line.trim().endsWith("ready."));
        String name = "";
        String state = "";
        String info = "";
        int headerIndex = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("Name ") || lines.get(i).startsWith("name ")) {
                headerIndex = i;
                break;
            }
        }
        if (headerIndex < 0 || headerIndex + 1 >= lines.size()) {
            throw new IllegalArgumentException("not a `show protocols all` answer:\n" + output);
        }
        String[] head = lines.get(headerIndex + 1).trim().split("\\s+");
        if (head.length >= 4) {
            name = head[0];
            state = head[3];
            info = head.length > 5 ? String.join(" ", List.of(head).subList(5, head.length)) : "";
        }
        String bgpState = "";
        String neighbor = "";
        String session = "";
        String lastError = "";
        long imported = -1;
        long exported = -1;
        List<String> caps = new ArrayList<>();
        for (int i = headerIndex + 2; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.trim();
            if (trimmed.startsWith("BGP state:")) {
                bgpState = valueOf(trimmed);
            } else if (trimmed.startsWith("Neighbor address:")) {
                neighbor = valueOf(trimmed);
            } else if (trimmed.startsWith("Session:")) {
                session = valueOf(trimmed);
            } else if (trimmed.startsWith("Last error:")) {
                lastError = valueOf(trimmed);
            } else if (trimmed.startsWith("Neighbor caps:")) {
                caps.addAll(List.of(valueOf(trimmed).split("\\s+")));
            } else if (trimmed.equals("Neighbor capabilities")) {
                i = childNames(lines, i, caps);
            } else if (trimmed.startsWith("Routes:")) {
                imported = count(valueOf(trimmed), "imported");
                exported = count(valueOf(trimmed), "exported");
            }
        }
        return new BirdProtocol(name, state, info, bgpState, neighbor, caps, session, lastError, imported, exported);
    }

    /** BIRD 2 lists capabilities as an indented tree; the first level names them. Returns the last line used. */
    private static int childNames(List<String> lines, int parent, List<String> names) {
        int parentIndent = indent(lines.get(parent));
        int childIndent = -1;
        int i = parent + 1;
        for (; i < lines.size(); i++) {
            int indent = indent(lines.get(i));
            if (lines.get(i).isBlank() || indent <= parentIndent) {
                break;
            }
            if (childIndent < 0) {
                childIndent = indent;
            }
            if (indent == childIndent) {
                names.add(lines.get(i).trim());
            }
        }
        return i - 1;
    }

    private static int indent(String line) {
        int n = 0;
        while (n < line.length() && (line.charAt(n) == ' ' || line.charAt(n) == '\t')) {
            n++;
        }
        return n;
    }

    private static String valueOf(String line) {
        return line.substring(line.indexOf(':') + 1).trim();
    }

    /** "1 imported, 2 exported, 1 preferred" → the number before {@code word}. */
    private static long count(String text, String word) {
        for (String part : text.split(",")) {
            String[] words = part.trim().split("\\s+");
            if (words.length >= 2 && words[1].equals(word)) {
                return Long.parseLong(words[0]);
            }
        }
        return -1;
    }
}
