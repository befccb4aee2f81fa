package io.routereflector.datastore.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The legacy layout in etcd's v2 keyspace, over its HTTP API ({@code /v2/keys}): the old image's README
 * wrote its keys there with curl. etcd 3.4 serves it only with {@code --enable-v2}; without it the path
 * answers a plain-text 404, which is how {@link #read} tells "not offered" from "empty" (a JSON
 * {@code errorCode 100 Key not found}). Changes are followed with the v2 long-poll
 * ({@code ?wait=true&recursive=true&waitIndex=N}); etcd keeps only the last 1000 events, so a poll that
 * fell behind is answered with {@code errorCode 401} and the caller reads everything again.
 */
public final class V2Keyspace {

    /** The v2 keyspace directory of the legacy layout, without the trailing slash. */
    public static final String DIR = "/calico/bgp/v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Everything under {@link #DIR} (keys in full) and the etcd index it was read at. */
    public record Listing(Map<String, String> entries, long index) {
        public Listing {
            entries = Map.copyOf(entries);
        }
    }

    /** One change: {@code value} is null for a delete or expiry; {@code dir} when a directory went. */
    public record Event(String key, String value, boolean dir, long index) {
    }

    /** The poll's index fell out of etcd's event window (errorCode 401): read everything again. */
    public static final class IndexCleared extends IOException {
        public IndexCleared(String message) {
            super(message);
        }
    }

    private final List<URI> endpoints;
    private final HttpClient http;
    private final String authorization;
    private final Duration timeout;
    private int current;

    /** @param ssl the TLS context for https endpoints, else null */
    public V2Keyspace(List<URI> endpoints, SSLContext ssl, String username, String password, Duration timeout) {
        this.endpoints = List.copyOf(endpoints);
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (ssl != null) {
            b.sslContext(ssl);
        }
        this.http = b.build();
        this.authorization = username == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((username + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
    }

    /**
     * Reads the whole layout; empty when the server does not serve the v2 API.
     *
     * @throws IOException when no endpoint answers, or one answers with an error
     */
    public Optional<Listing> read() throws IOException {
        HttpResponse<String> r = send("?recursive=true&sorted=true", timeout);
        JsonNode body = parse(r);
        if (r.statusCode() == 404 && body == null) {
            return Optional.empty();
        }
        long index = index(r, body);
        if (body != null && body.path("errorCode").asInt() == 100) {
            return Optional.of(new Listing(Map.of(), index));
        }
        if (r.statusCode() != 200 || body == null) {
            throw failure(r, body);
        }
        Map<String, String> entries = new TreeMap<>();
        flatten(body.path("node"), entries);
        return Optional.of(new Listing(entries, index));
    }

    /**
     * Waits up to {@code poll} for the first change at or after {@code waitIndex}.
     *
     * @return the change, or null when none came in time (poll again with the same index)
     * @throws IndexCleared when {@code waitIndex} is older than etcd's event history
     */
    public Event await(long waitIndex, Duration poll) throws IOException {
        HttpResponse<String> r = send("?wait=true&recursive=true&waitIndex=" + waitIndex, poll);
        if (r == null) {
            return null;
        }
        JsonNode body = parse(r);
        if (body == null) {
            if (r.statusCode() == 200 && r.body().isBlank()) {
                return null; // the server ended the poll without an event
            }
            throw failure(r, null);
        }
        if (body.path("errorCode").asInt() == 401) {
            throw new IndexCleared("v2 event index " + waitIndex + " cleared: " + body.path("cause").asText(body.path("message").asText()));
        }
        if (r.statusCode() != 200 || !body.has("node")) {
            throw failure(r, body);
        }
        JsonNode n = body.path("node");
        String action = body.path("action").asText();
        boolean gone = action.equals("delete") || action.equals("expire") || action.equals("compareAndDelete");
        return new Event(n.path("key").asText(), gone || n.path("dir").asBoolean() ? null : n.path("value").asText(""),
                n.path("dir").asBoolean(), n.path("modifiedIndex").asLong());
    }

    /** GET on the layout directory, trying each endpoint from the one that last answered; null when a poll timed out. */
    private HttpResponse<String> send(String query, Duration wait) throws IOException {
        IOException last = null;
        for (int i = 0; i < endpoints.size(); i++) {
            URI base = endpoints.get((current + i) % endpoints.size());
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/v2/keys" + DIR + query)).GET();
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            CompletableFuture<HttpResponse<String>> f = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
            try {
                // The long-poll's headers come at once and its body only with an event: bound the whole exchange.
                HttpResponse<String> r = f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
                current = (current + i) % endpoints.size();
                return r;
            } catch (TimeoutException e) {
                f.cancel(true);
                if (query.contains("wait=true")) {
                    return null;
                }
                last = new IOException(base + ": no answer within " + wait.toMillis() + " ms");
            } catch (InterruptedException e) {
                f.cancel(true);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                last = new IOException(base + ": " + (c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName()), c);
            }
        }
        throw last;
    }

    private static JsonNode parse(HttpResponse<String> r) {
        String ct = r.headers().firstValue("Content-Type").orElse("");
        if (!ct.contains("json") || r.body().isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            return null;
        }
    }

    private static long index(HttpResponse<String> r, JsonNode body) throws IOException {
        Optional<String> h = r.headers().firstValue("X-Etcd-Index");
        try {
            if (h.isPresent()) {
                return Long.parseLong(h.get().trim());
            }
        } catch (NumberFormatException e) {
            // fall through to the body's index
        }
        if (body != null && body.has("index")) {
            return body.path("index").asLong();
        }
        throw new IOException("v2 answer without X-Etcd-Index (status " + r.statusCode() + ")");
    }

    private static IOException failure(HttpResponse<String> r, JsonNode body) {
        String what = body != null ? body.path("message").asText() + (body.has("cause") ? " (" + body.path("cause").asText() + ")" : "")
                : r.body().strip();
        if (what.length() > 200) {
            what = what.substring(0, 200);
        }
        return new IOException(r.uri().getScheme() + "://" + r.uri().getRawAuthority() + " v2 API: HTTP " + r.statusCode() + ": " + what);
    }

    private static void flatten(JsonNode node, Map<String, String> out) {
        if (node.path("dir").asBoolean()) {
            for (JsonNode child : node.path("nodes")) {
                flatten(child, out);
            }
        } else if (node.has("key")) {
            out.put(node.path("key").asText(), node.path("value").asText(""));
        }
    }
}
