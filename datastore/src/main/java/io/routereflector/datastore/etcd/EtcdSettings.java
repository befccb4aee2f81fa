package io.routereflector.datastore.etcd;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How to reach etcd and how patiently: the old image's {@code ETCD_*} environment plus our timings.
 *
 * @param endpoints      http:// or https:// URLs, all of one scheme (one TLS setting serves them all)
 * @param caCert         PEM CA bundle; null = the JVM's trust store (https only)
 * @param cert           PEM client certificate (chain); given together with {@code key}
 * @param key            PEM private key: PKCS#1, PKCS#8 or EC (SEC1)
 * @param username       etcd auth user; null = no auth
 * @param batch          quiet time that ends a burst of changes before one derivation (~100 ms)
 * @param requestTimeout bound on one read (the snapshot, the v2 listing)
 * @param retryInitial   first back-off after a failure, doubled up to {@code retryMax}
 * @param startWait      how long {@code start} waits for the first snapshot; null = until it comes
 * @param readV2         also read (and follow) the legacy layout from the v2 keyspace when the server serves it
 * @param v2PollTimeout  a v2 long-poll is re-issued after this long without an event (a silent connection
 *                       otherwise hangs forever)
 */
public record EtcdSettings(List<URI> endpoints, Path caCert, Path cert, Path key, String username, String password,
                           Duration batch, Duration requestTimeout, Duration retryInitial, Duration retryMax,
                           Duration startWait, boolean readV2, Duration v2PollTimeout) {

    public EtcdSettings {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("at least one etcd endpoint is required");
        }
        String scheme = endpoints.get(0).getScheme();
        for (URI u : endpoints) {
            if (!u.getScheme().equals(scheme)) {
                throw new IllegalArgumentException("etcd endpoints mix http and https: " + endpoints);
            }
        }
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("ETCD_CERT_FILE and ETCD_KEY_FILE are given together (a client certificate and its key)");
        }
        if (username != null && username.isEmpty()) {
            username = null;
        }
        if (username != null && password == null) {
            password = "";
        }
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(retryInitial, "retryInitial");
        Objects.requireNonNull(retryMax, "retryMax");
        Objects.requireNonNull(v2PollTimeout, "v2PollTimeout");
    }

    /** Endpoints and credentials with the default timings; waits for etcd at start until it answers. */
    public static EtcdSettings of(List<URI> endpoints, Path caCert, Path cert, Path key, String username, String password) {
        return new EtcdSettings(endpoints, caCert, cert, key, username, password, Duration.ofMillis(100), Duration.ofSeconds(5),
                Duration.ofMillis(250), Duration.ofSeconds(5), null, true, Duration.ofSeconds(60));
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "etcd " + endpoints + (username != null ? " as " + username : "") + (caCert != null ? ", CA " + caCert : "")
                + (cert != null ? ", client certificate " + cert : "");
    }

    public boolean tls() {
        return endpoints.get(0).getScheme().equals("https");
    }

    public EtcdSettings withBatch(Duration d) {
        return new EtcdSettings(endpoints, caCert, cert, key, username, password, d, requestTimeout, retryInitial, retryMax,
                startWait, readV2, v2PollTimeout);
    }

    public EtcdSettings withStartWait(Duration d) {
        return new EtcdSettings(endpoints, caCert, cert, key, username, password, batch, requestTimeout, retryInitial, retryMax,
                d, readV2, v2PollTimeout);
    }

    public EtcdSettings withRetry(Duration initial, Duration max) {
        return new EtcdSettings(endpoints, caCert, cert, key, username, password, batch, requestTimeout, initial, max,
                startWait, readV2, v2PollTimeout);
    }

    public EtcdSettings withV2(boolean read, Duration pollTimeout) {
        return new EtcdSettings(endpoints, caCert, cert, key, username, password, batch, requestTimeout, retryInitial, retryMax,
                startWait, read, pollTimeout);
    }

    /**
     * The endpoints as the old image took them: {@code ETCD_ENDPOINTS} (comma-separated URLs) or else
     * {@code ETCD_SCHEME} (default http) with {@code ETCD_AUTHORITY} (host:port), else etcd's default
     * {@code http://127.0.0.1:2379}.
     *
     * @throws IllegalArgumentException naming the variable and the bad entry
     */
    public static List<URI> endpoints(String endpoints, String scheme, String authority) {
        List<String> given = new ArrayList<>();
        String from;
        if (endpoints != null && !endpoints.isBlank()) {
            from = "ETCD_ENDPOINTS";
            for (String e : endpoints.split(",")) {
                if (!e.isBlank()) {
                    given.add(e.strip());
                }
            }
        } else if (authority != null && !authority.isBlank()) {
            from = "ETCD_AUTHORITY";
            given.add((scheme == null || scheme.isBlank() ? "http" : scheme.strip()) + "://" + authority.strip());
        } else {
            from = "default";
            given.add("http://127.0.0.1:2379");
        }
        List<URI> out = new ArrayList<>();
        for (String g : given) {
            URI u;
            try {
                u = new URI(g);
            } catch (URISyntaxException e) {
                u = null;
            }
            if (u == null || u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getHost() == null || u.getPort() < 0) {
                throw new IllegalArgumentException(from + ": '" + g + "' is not an http(s)://host:port URL such as http://127.0.0.1:2379");
            }
            out.add(URI.create(u.getScheme() + "://" + u.getRawAuthority()));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(from + " is empty: give http(s)://host:port URLs, comma-separated");
        }
        return out;
    }
}
