package io.routereflector.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/** The JSON a peer's command-line tool prints (gobgp, vtysh), read with Jackson, and its family words. */
final class CliJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CliJson() {
    }

    /** Parses {@code text}; fails naming {@code program} when it printed no JSON (an error message instead). */
    static JsonNode read(String program, String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(program + " printed no JSON: " + text, e);
        }
    }

    /** "ipv4" or "ipv6", as both tools name the unicast families. */
    static String family(boolean ipv6) {
        return ipv6 ? "ipv6" : "ipv4";
    }
}
