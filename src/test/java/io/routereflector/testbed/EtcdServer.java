package io.routereflector.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A private etcd 3.4 on loopback: free ports, a temporary data dir, optionally the v2 API (the
 * legacy Calico keys were written through it) and optionally TLS with client certificates.
 * {@link #stop()} and {@link #start()} keep the data for outage tests; {@link #close()} kills it by
 * pid and deletes the data dir.
 */
public final class EtcdServer implements AutoCloseable {

    private static final Duration START_WAIT = Duration.ofSeconds(30);

    /** PEM files for an https etcd that demands client certificates; the client pair is what etcdctl uses. */
    public record Tls(Path ca, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {
    }

    private final boolean enableV2;
    private final Tls tls;
    private final Path dataDir;
    private final Path log;
    private final int clientPort;
    private final int peerPort;
    private ManagedProcess process;

    private EtcdServer(boolean enableV2, Tls tls, Path dataDir, int clientPort, int peerPort) {
        this.enableV2 = enableV2;
        this.tls = tls;
        this.dataDir = dataDir;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        this.clientPort = clientPort;
        this.peerPort = peerPort;
    }

    public static EtcdServer start(boolean enableV2) {
        return start(enableV2, null);
    }

    /** @param tls null = plain http */
    public static EtcdServer start(boolean enableV2, Tls tls) {
        Binaries.require(Binaries.ETCD);
        Binaries.require(Binaries.ETCDCTL);
        try {
            Path dir = Files.createTempDirectory(Testbed.PREFIX + "etcd-");
            EtcdServer server = new EtcdServer(enableV2, tls, dir.resolve("data"), freePort(), freePort());
            try {
                server.start();
            } catch (RuntimeException | Error e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts (again) on the same ports and data dir, and waits until {@code /health} says true. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        String client = endpoint();
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> command = new ArrayList<>(List.of(Binaries.ETCD.toString(),
                "--name", "rrt", "--data-dir", dataDir.toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "rrt=" + peer));
        if (enableV2) {
            command.add("--enable-v2");
        }
        if (tls != null) {
            command.addAll(List.of("--cert-file", tls.serverCert().toString(), "--key-file", tls.serverKey().toString(),
                    "--client-cert-auth", "--trusted-ca-file", tls.ca().toString()));
        }
        process = ManagedProcess.start("etcd", command, log);
        Await.until("etcd on " + client + " to be healthy", START_WAIT, () -> {
            process.requireAlive();
            return healthy();
        }, process::diagnostics);
    }

    /** Stops the server (SIGTERM); the data stays for {@link #start()}. */
    public synchronized void stop() {
        if (process != null) {
            process.stop();
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public String endpoint() {
        return (tls != null ? "https" : "http") + "://127.0.0.1:" + clientPort;
    }

    public int clientPort() {
        return clientPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** {@code etcdctl} (API v3) against this server. */
    public Shell.Result etcdctl(String... args) {
        List<String> command = new ArrayList<>(List.of(Binaries.ETCDCTL.toString(), "--endpoints", endpoint()));
        if (tls != null) {
            command.addAll(List.of("--cacert", tls.ca().toString(), "--cert", tls.clientCert().toString(),
                    "--key", tls.clientKey().toString()));
        }
        command.addAll(List.of(args));
        return Shell.run(command, Map.of("ETCDCTL_API", "3"), Shell.DEFAULT_TIMEOUT);
    }

    public void put(String key, String value) {
        etcdctl("put", key, value).orThrow();
    }

    /** The value under {@code key}, or null when absent. */
    public String get(String key) {
        String out = etcdctl("get", key, "--print-value-only").orThrow();
        return out.isEmpty() ? null : out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
    }

    public String diagnostics() {
        return process == null ? "(etcd never started)" : process.diagnostics();
    }

    private boolean healthy() {
        if (tls != null) {
            // /health needs a client certificate here: etcdctl has one.
            return etcdctl("--command-timeout=2s", "endpoint", "health").ok();
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"true\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public synchronized void close() {
        stop();
        Path dir = dataDir.getParent();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
