package io.routereflector.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.routereflector.testbed.BirdPeer;
import io.routereflector.testbed.FrrPeer;
import io.routereflector.testbed.GobgpPeer;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon's sessions as its clients see them — the daemon has no admin endpoint yet, and the
 * clients' view is what matters to a cluster anyway. GoBGP gives the Established time in epoch seconds
 * ({@code timers.state.uptime}) and a flap counter; BIRD gives the "since" column of {@code show
 * protocols} (changes whenever the protocol went down and up). A session that flapped between two
 * snapshots shows a different "since".
 */
final class ClientSessions {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    /**
     * One client's session toward the daemon. {@code since} (for the eye) is empty unless Established;
     * {@code epoch} names the session itself — GoBGP: its Established time and flap counter; BIRD: how
     * many times its log says "BGP session established" (BIRD 1.6 prints "since" with a jitter of a
     * second, as it derives wall-clock time from a coarse monotonic clock, so it cannot tell a flap).
     */
    record Session(String client, String address, String state, String since, long uptimeSeconds, String epoch) {
        boolean established() {
            return state.equalsIgnoreCase("established");
        }

        /** GoBGP: "HH:mm:ss (epoch s)"; BIRD: "#N (since)", N counting establishments. */
        String shown() {
            return epoch.startsWith("established #") ? "#" + epoch.substring("established #".length()) + " (" + since + ")" : since;
        }
    }

    private final Map<String, Supplier<Session>> clients = new LinkedHashMap<>();

    /** A GoBGP client's session to {@code neighbor} (the daemon's address). */
    ClientSessions gobgp(String label, GobgpPeer peer, String neighbor) {
        clients.put(label, () -> gobgpSession(label, peer, neighbor));
        return this;
    }

    /** A BIRD client's BGP protocol {@code protocol}. */
    ClientSessions bird(String label, BirdPeer peer, String protocol) {
        clients.put(label, () -> birdSession(label, peer, protocol));
        return this;
    }

    /** An FRR client's neighbor {@code neighbor} (the daemon's address). */
    ClientSessions frr(String label, FrrPeer peer, String neighbor) {
        clients.put(label, () -> frrSession(label, peer, neighbor));
        return this;
    }

    Session read(String label) {
        return clients.get(label).get();
    }

    /** Polls {@code label} until Established (every 50 ms, so the elapsed time is measured finely). */
    Session awaitEstablished(String label, java.time.Duration timeout, Supplier<String> diagnostics) {
        return await(label, timeout, Session::established, "Established", diagnostics);
    }

    Session awaitDown(String label, java.time.Duration timeout, Supplier<String> diagnostics) {
        return await(label, timeout, s -> !s.established(), "not Established", diagnostics);
    }

    Session await(String label, java.time.Duration timeout, java.util.function.Predicate<Session> condition, String what,
                  Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Session last = null;
        RuntimeException error = null;
        while (true) {
            try {
                last = read(label);
                if (condition.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                error = e;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(label + " not " + what + " within " + timeout.toMillis() + " ms; last seen " + last
                        + (error != null ? "; last error " + error : "") + "\n" + diagnostics.get());
            }
            DaemonProcess.sleep(50);
        }
    }

    Map<String, Session> snapshot() {
        Map<String, Session> out = new LinkedHashMap<>();
        clients.forEach((label, probe) -> out.put(label, probe.get()));
        return out;
    }

    static Session gobgpSession(String label, GobgpPeer peer, String neighbor) {
        JsonNode root;
        try {
            root = JSON.readTree(peer.gobgp("neighbor", "-j").orThrow());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (JsonNode n : root) {
            if (!neighbor.equals(n.path("conf").path("neighbor_address").asText())) {
                continue;
            }
            int code = n.path("state").path("session_state").asInt(0);
            String[] names = {"unknown", "idle", "connect", "active", "opensent", "openconfirm", "established"};
            String state = code >= 0 && code < names.length ? names[code] : String.valueOf(code);
            long up = n.path("timers").path("state").path("uptime").path("seconds").asLong(0);
            boolean established = code == 6;
            long flops = n.path("state").path("flops").asLong(0);
            return new Session(label, peer.host().ipv4(), state,
                    established && up > 0 ? TIME.format(Instant.ofEpochSecond(up)) + " (" + up + ")" : "",
                    established && up > 0 ? Instant.now().getEpochSecond() - up : -1,
                    established ? "up " + up + ", flops " + flops : "");
        }
        throw new IllegalStateException("GoBGP on " + peer.host() + " has no neighbor " + neighbor);
    }

    /** FRR counts its neighbor's establishments ({@code connectionsEstablished}): a flap raises it. */
    static Session frrSession(String label, FrrPeer peer, String neighbor) {
        FrrPeer.FrrNeighbor n = peer.neighbor(neighbor)
                .orElseThrow(() -> new IllegalStateException("FRR on " + peer.host() + " has no neighbor " + neighbor));
        boolean established = n.established();
        return new Session(label, peer.host().ipv4(), established ? "established" : n.state(), "", -1,
                established ? "established #" + n.connectionsEstablished() : "");
    }

    /** {@code show protocols NAME}: "name proto table state since info"; since is one or two words. */
    static Session birdSession(String label, BirdPeer peer, String protocol) {
        String out = peer.birdc("show", "protocols", protocol).orThrow();
        for (String line : out.split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 5 && words[0].equals(protocol)) {
                String since = words[4];
                int info = 5;
                if (words.length > 5 && words[5].matches("\\d\\d:\\d\\d:\\d\\d.*")) {
                    since += " " + words[5];
                    info = 6;
                }
                String state = words.length > info ? String.join(" ", List.of(words).subList(info, words.length)) : words[3];
                boolean established = state.startsWith("Established");
                String epoch = "";
                if (established) {
                    long ups = establishments(peer, protocol);
                    if (ups < 1) {
                        throw new IllegalStateException(protocol + " is Established but BIRD's log never said so: is `debug { states, events }` gone?");
                    }
                    epoch = "established #" + ups;
                }
                return new Session(label, peer.host().ipv4(), established ? "established" : state, established ? since : "", -1, epoch);
            }
        }
        throw new IllegalStateException("birdc shows no protocol " + protocol + ":\n" + out);
    }

    /** BIRD logs each establishment with {@code debug { events }} (the testbed's BirdConfig sets it). */
    static long establishments(BirdPeer peer, String protocol) {
        try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(peer.process().logFile())) {
            return lines.filter(l -> l.contains(protocol + ": BGP session established")).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A printable before/after table for the test output (the closing note quotes it). */
    static String table(String title, Map<String, Session> before, Map<String, Session> after) {
        StringBuilder text = new StringBuilder("=== session uptimes (as the clients see them): ").append(title).append('\n');
        text.append(String.format("%-22s %-15s | %-12s %-30s | %-12s %-30s %s%n", "client", "address",
                "state before", "session (Established since)", "state after", "session (Established since)", "uptime after"));
        List<String> labels = new ArrayList<>(before.keySet());
        after.keySet().stream().filter(k -> !labels.contains(k)).forEach(labels::add);
        for (String label : labels) {
            Session b = before.get(label);
            Session a = after.get(label);
            Session any = a != null ? a : b;
            text.append(String.format("%-22s %-15s | %-12s %-30s | %-12s %-30s %s%n", label, any.address(),
                    b == null ? "-" : b.state(), b == null ? "" : b.shown(), a == null ? "-" : a.state(),
                    a == null ? "" : a.shown(), a == null || a.uptimeSeconds() < 0 ? "" : a.uptimeSeconds() + " s"));
        }
        return text.toString();
    }

    /** The sessions at one moment. */
    static String table(String title, Map<String, Session> now) {
        StringBuilder text = new StringBuilder("=== sessions (as the clients see them): ").append(title).append('\n');
        text.append(String.format("%-22s %-15s | %-12s %-30s %s%n", "client", "address", "state", "session (Established since)", "uptime"));
        now.forEach((label, s) -> text.append(String.format("%-22s %-15s | %-12s %-30s %s%n", label, s.address(), s.state(),
                s.shown(), s.uptimeSeconds() < 0 ? "" : s.uptimeSeconds() + " s")));
        return text.toString();
    }

    /** Every client but {@code changed} is still Established with the very session it had before. */
    static void assertUntouched(Map<String, Session> before, Map<String, Session> after, String context, String... changed) {
        List<String> skip = List.of(changed);
        for (Map.Entry<String, Session> e : before.entrySet()) {
            if (skip.contains(e.getKey()) || !e.getValue().established()) {
                continue;
            }
            Session a = after.get(e.getKey());
            assertTrue(a.established(), e.getKey() + " dropped its session: " + context);
            assertEquals(e.getValue().epoch(), a.epoch(), e.getKey() + " flapped (a new session): " + context);
        }
    }
}
