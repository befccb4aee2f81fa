package io.routereflector.daemon;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The CLI side of the admin endpoint: {@code --admin HOST:PORT} (env ROUTEREFLECTOR_ADMIN, default
 * 127.0.0.1:9180) and {@code --json}. Exit codes: 0 done, 1 not found or not healthy, 2 usage,
 * 3 daemon not reachable (or an answer that is not ours).
 */
public final class AdminClient {

    public static final int NOT_FOUND = 1;
    public static final int UNREACHABLE = 3;
    static final String DEFAULT_ADMIN = "127.0.0.1:9180";

    @Option(names = "--admin", paramLabel = "HOST:PORT",
            description = "The daemon's admin endpoint (env ROUTEREFLECTOR_ADMIN; default " + DEFAULT_ADMIN + ").")
    String admin;

    @Option(names = "--json", description = "Print the endpoint's JSON as it is.")
    boolean json;

    Environment env = Environment.system();

    /** An answer of the admin endpoint. */
    record Answer(int status, String body) {
    }

    /** Thrown when the daemon cannot be reached; the message says where and why. */
    static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    String base() {
        String a = admin != null ? admin : env.get("ROUTEREFLECTOR_ADMIN");
        a = a == null ? DEFAULT_ADMIN : a;
        return a.startsWith("http://") ? a : "http://" + a;
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    Answer get(String path) throws Unreachable, InterruptedException {
        String url = base() + path;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(35)).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(r.statusCode(), r.body());
        } catch (IOException | IllegalArgumentException e) {
            throw new Unreachable("cannot reach the routereflector admin endpoint at " + url + ": "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName())
                    + " (is the daemon running? --admin or ROUTEREFLECTOR_ADMIN point elsewhere)");
        }
    }

    /** {@link #get}, or null after telling {@code err} why the daemon cannot be reached (exit {@link #UNREACHABLE}). */
    Answer getOrReport(String path, java.io.PrintWriter err) throws InterruptedException {
        try {
            return get(path);
        } catch (Unreachable e) {
            err.println("routereflector: " + e.getMessage());
            return null;
        }
    }
}
