package io.routereflector.daemon;

import io.routereflector.testbed.Await;
import io.routereflector.testbed.Binaries;
import io.routereflector.testbed.BirdPeer;
import io.routereflector.testbed.EtcdServer;
import io.routereflector.testbed.GobgpPeer;
import io.routereflector.testbed.Host;
import io.routereflector.testbed.PeerConfig;
import io.routereflector.testbed.PeerRoute;
import io.routereflector.testbed.Shell;
import io.routereflector.testbed.StaticRoute;
import io.routereflector.testbed.TestCertificates;
import io.routereflector.testbed.Testbed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container image, built from docker/Dockerfile with podman (the file docker build uses) on local
 * bases made from Debian packages (src/scripts/image-bases.sh: no registry is reachable here), taking
 * the jar Maven built; then run the way operators run the old image, with real peers in namespaces:
 * {@code --net=host}, the old environment (IP, ETCD_ENDPOINTS, TLS files mounted read-only), and the
 * Kubernetes Deployment's security settings (read-only root, tmpfs /tmp, every capability dropped but
 * NET_BIND_SERVICE, the image's non-root user, port 179).
 */
@Timeout(900)
class ImageIT {

    static final Path ROOT = Binaries.repoRoot();
    /** Tagged per test JVM: two runs on one machine (worktrees) never retag or remove each other's image. */
    static final String IMAGE = "localhost/routereflector:it-" + ProcessHandle.current().pid();
    static final String BUILD_BASE = "localhost/routereflector-build-base:bookworm";
    static final String RUNTIME_BASE = "localhost/routereflector-runtime-base:bookworm";
    static final long SIZE_GOAL = 120_000_000;
    static final String RR = Testbed.REFLECTOR_IPV4;
    static final Duration UP = Duration.ofSeconds(45);
    static final String BIRD16 = "BIRD 1.6";
    static final String GOBGP = "GoBGP";

    static Podman podman;

    @BeforeAll
    static void buildTheImage() {
        podman = new Podman(ROOT.resolve(".testbed"));
        Path jar = DaemonProcess.jar();
        assertEquals(ROOT.resolve("src/target/routereflector.jar"), jar, "the image takes the jar Maven built");
        long t0 = System.nanoTime();
        Shell.Result bases = Shell.run(List.of(ROOT.resolve("src/scripts/image-bases.sh").toString()), podman.environment(),
                Duration.ofMinutes(10));
        assertEquals(0, bases.exitCode(), bases.output());
        long t1 = System.nanoTime();
        // No layer cache: the build leaves no intermediate images behind (it costs the cached rebuild's minute).
        Shell.Result build = podman.run(Duration.ofMinutes(10), "build", "--layers=false", "-f", ROOT.resolve("docker/Dockerfile").toString(),
                "--build-arg", "JAR=prebuilt", "--build-arg", "JDK_IMAGE=" + BUILD_BASE,
                "--build-arg", "RUNTIME_IMAGE=" + RUNTIME_BASE, "--build-arg", "REVISION=" + revision(),
                // buildah 1.28 reuses a cached LABEL layer whatever the build argument's value: say it again.
                "--label", "org.opencontainers.image.revision=" + revision(),
                "-t", IMAGE, ROOT.toString());
        assertEquals(0, build.exitCode(), build.output());
        System.out.printf("image: bases %d s, build %d s%n", (t1 - t0) / 1_000_000_000, (System.nanoTime() - t1) / 1_000_000_000);
    }

    @AfterAll
    static void removeTheImage() {
        if (podman != null) {
            podman.run("rmi", "-f", IMAGE);
        }
    }

    @Test
    void theImageIsSmallRunsAsNonRootWithoutAShellAndMapsItsClassDataArchive() {
        long size = Long.parseLong(podman.run("image", "inspect", "--format", "{{.Size}}", IMAGE).orThrow().trim());
        System.out.printf("image size: %.1f MB%n", size / 1e6);
        assertTrue(size <= SIZE_GOAL, "image is " + size + " bytes, goal " + SIZE_GOAL);
        assertEquals("65532:65532", inspect("{{.Config.User}}"));
        assertEquals("[/opt/routereflector/bin/routereflector]", inspect("{{.Config.Entrypoint}}"));
        assertEquals("[run]", inspect("{{.Config.Cmd}}"));
        String labels = inspect("{{json .Config.Labels}}");
        assertTrue(labels.contains("\"org.opencontainers.image.version\":\"0.1.0\""), labels);
        assertTrue(labels.contains("\"org.opencontainers.image.revision\":\"" + revision() + "\""), labels);
        assertTrue(labels.contains("\"org.opencontainers.image.source\""), labels);

        Shell.Result shell = podman.run("run", "--rm", "--entrypoint", "/bin/sh", IMAGE, "-c", "true");
        assertNotEquals(0, shell.exitCode(), "the image has a shell: " + shell.output());

        // The archive holds the JDK's classes, Netty's and ours that a start loads (the Dockerfile says why
        // not the libraries': the image's size): of those, `version` maps them rather than loading them.
        Shell.Result version = podman.run("run", "--rm", "-e", "JDK_JAVA_OPTIONS=-Xlog:class+load=info", IMAGE, "version");
        assertEquals(0, version.exitCode(), version.output());
        List<String> loads = version.output().lines().filter(l -> l.contains("source: ")).toList();
        long jdkShared = loads.stream().filter(l -> jdk(l) && l.contains("source: shared objects file")).count();
        long jdkRead = loads.stream().filter(l -> jdk(l) && l.contains("source: jrt:/")).count();
        long oursShared = loads.stream().filter(l -> ours(l) && l.contains("source: shared objects file")).count();
        List<String> oursRead = loads.stream().filter(l -> ours(l) && l.contains("source: file:")).toList();
        System.out.printf("class-data sharing: JDK %d of %d classes, ours and Netty's %d of %d, from the archive%n",
                jdkShared, jdkShared + jdkRead, oursShared, oursShared + oursRead.size());
        assertTrue(jdkShared >= (jdkShared + jdkRead) * 95 / 100, jdkShared + " of " + (jdkShared + jdkRead) + " JDK classes shared");
        assertTrue(oursShared > 0 && oursRead.isEmpty(), "read from the jar, not the archive: " + oursRead);
    }

    private static boolean jdk(String classLoad) {
        return classLoad.matches("\\[[^]]*]\\[info]\\[class,load] (java|javax|jdk|sun|com\\.sun)\\..*");
    }

    private static boolean ours(String classLoad) {
        return classLoad.matches("\\[[^]]*]\\[info]\\[class,load] io\\.(routereflector|netty)\\..*");
    }

    /**
     * Port 179 as the image's non-root user: with the engine's default capabilities (as a plain
     * {@code docker run}) the launcher's file capability hands NET_BIND_SERVICE to the JVM; with every
     * capability dropped the start fails and says what is missing.
     */
    @Test
    void theNonRootUserBindsPort179AndSaysWhatIsMissingWhenItCannot() throws Exception {
        try (Testbed testbed = Testbed.start()) { // the lock: nothing else binds 179 meanwhile
            Path cluster = Files.createDirectories(testbed.workDir().resolve("cluster-179"));
            for (String name : List.of("nodes.yaml", "bgppeers.yaml", "bgpconfiguration.yaml")) {
                Files.copy(ROOT.resolve("src/examples/cluster").resolve(name), cluster.resolve(name));
            }
            Path config = cluster.resolve("bgpconfiguration.yaml");
            Files.writeString(config, Files.readString(config).replace("listenPort: 1179", "listenPort: 179"));
            String name = "rrt-" + ProcessHandle.current().pid() + "-179";
            List<String> run = List.of("--net=host", "--read-only", "--tmpfs", "/tmp:rw,exec,nosuid,nodev,size=64m",
                    "-v", cluster + ":/data:ro", IMAGE, "run", "--datastore-path", "/data", "--node", "rr1");
            List<String> plain = new ArrayList<>(List.of("run", "-d", "--name", name));
            plain.addAll(run);
            try {
                assertEquals(0, podman.run(plain.toArray(String[]::new)).exitCode());
                Await.until("the daemon to listen on 127.0.0.1:179", UP,
                        () -> podman.run("logs", name).output().contains("listening on /127.0.0.1:179"),
                        () -> podman.run("logs", name).output());
            } finally {
                podman.run("rm", "-f", "-v", "-t", "0", name);
            }
            List<String> none = new ArrayList<>(List.of("run", "--rm", "--cap-drop", "ALL"));
            none.addAll(run);
            Shell.Result refused = podman.run(none.toArray(String[]::new));
            assertNotEquals(0, refused.exitCode(), refused.output());
            assertTrue(refused.output().contains("cannot listen on 127.0.0.1 port 179")
                    && refused.output().contains("CAP_NET_BIND_SERVICE"), refused.output());
        }
    }

    /**
     * Run with etcd over TLS as the old image ran; podman stop is the graceful-restart stop; run again
     * on the same state volume (now with the file datastore mounted) is recognised as a restart, and the
     * clients lose nothing across it. Meanwhile: /metrics on 9324, /readyz, {@code podman exec … status}
     * and {@code routes}, and an unchanged bird_exporter in a sidecar container reading /sockets.
     */
    @Test
    void runsAsOperatorsRunItWithRealPeers() throws Exception {
        try (Testbed testbed = Testbed.start()) {
            Host h16 = testbed.host(71);
            Host hg = testbed.host(72);
            Path work = testbed.workDir();
            String tag = "rrt-" + ProcessHandle.current().pid();
            String volume = tag + "-state";
            String sockets = tag + "-sockets";
            List<String> containers = new ArrayList<>();
            List<DaemonProcess> processes = new ArrayList<>();
            BirdPeer bird16 = BirdPeer.start(h16, BirdPeer.Version.BIRD16, PeerConfig.calicoNode(h16, false, StaticRoute.of("10.71.0.0/26")));
            GobgpPeer gobgp = GobgpPeer.start(hg, PeerConfig.calicoNode(hg, false, StaticRoute.of("10.72.0.0/26")));
            ClientSessions sessions = new ClientSessions().bird(BIRD16, bird16, "reflector").gobgp(GOBGP, gobgp, RR);
            Map<String, Supplier<Set<String>>> learned = Map.of(
                    BIRD16, () -> prefixes(bird16.routes().stream().filter(r -> r.from().equals("reflector")).toList()),
                    GOBGP, () -> prefixes(gobgp.routes().stream().filter(r -> r.from().equals(RR)).toList()));
            Map<String, Set<String>> expected = Map.of(BIRD16, Set.of("10.72.0.0/26"), GOBGP, Set.of("10.71.0.0/26"));
            Supplier<String> diag = () -> {
                StringBuilder text = new StringBuilder();
                processes.forEach(p -> text.append(p.diagnostics()));
                return text + bird16.diagnostics() + gobgp.diagnostics();
            };
            TestCertificates certs = TestCertificates.create(Files.createDirectories(work.resolve("pki")));
            TestCertificates.Issued server = certs.issue("etcd-server", true, TestCertificates.KeyForm.PKCS1);
            TestCertificates.Issued client = certs.issue("routereflector", false, TestCertificates.KeyForm.PKCS8);
            Path mounted = readableCopies(work.resolve("certs"), Map.of("ca.pem", certs.ca(), "rr.pem", client.cert(),
                    "rr-key.pem", client.key()));
            try (EtcdServer etcd = EtcdServer.start(false, new EtcdServer.Tls(certs.ca(), server.cert(), server.key(),
                    client.cert(), client.key()))) {
                String r = EtcdDatastoreIT.R;
                etcd.put(r + "bgpconfigurations/default", EtcdDatastoreIT.DEFAULT_CONFIG);
                etcd.put(r + "nodes/rr1", EtcdDatastoreIT.node("rr1", RR, "224.0.0.1", "\"route-reflector\":\"true\""));
                etcd.put(r + "nodes/w71", EtcdDatastoreIT.node("w71", h16.ipv4(), null, ""));
                etcd.put(r + "nodes/w72", EtcdDatastoreIT.node("w72", hg.ipv4(), null, ""));
                etcd.put(r + "bgppeers/peer-with-route-reflectors", EtcdDatastoreIT.PEER_WITH_RRS);

                // 1. The old image's `docker run`, with the Deployment's security settings.
                DaemonProcess first = container(tag + "-1", volume, sockets, List.of("-v", mounted + ":/certs:ro",
                        "-e", "IP=" + RR, "-e", "NODENAME=rr1", "-e", "ETCD_ENDPOINTS=" + etcd.endpoint(),
                        "-e", "ETCD_CA_CERT_FILE=/certs/ca.pem", "-e", "ETCD_CERT_FILE=/certs/rr.pem",
                        "-e", "ETCD_KEY_FILE=/certs/rr-key.pem"), work, containers, processes);
                String started = first.awaitStarted();
                assertTrue(started.contains("2 peers") && started.contains("transport epoll"), started + "\n" + diag.get());
                for (String label : List.of(BIRD16, GOBGP)) {
                    sessions.awaitEstablished(label, UP, diag);
                }
                Await.until("each client to learn the other's route", UP, () -> held(learned, expected), diag);
                assertTrue(first.lines("restart: found").isEmpty(), "a new state volume is a fresh start");

                HttpClient http = HttpClient.newHttpClient();
                Await.until("/readyz ready", UP, () -> get(http, "/readyz").statusCode() == 200, diag);
                String metrics = get(http, "/metrics").body();
                assertTrue(metrics.contains("bird_protocol_up{"), metrics);
                assertTrue(metrics.contains("routereflector_"), metrics);

                Shell.Result status = podman.run("exec", tag + "-1", "routereflector", "status");
                assertEquals(0, status.exitCode(), status.output());
                assertTrue(status.output().contains(h16.ipv4()) && status.output().contains(hg.ipv4())
                        && status.output().contains("Established"), status.output());
                Shell.Result routes = podman.run("exec", tag + "-1", "routereflector", "routes");
                assertEquals(0, routes.exitCode(), routes.output());
                assertTrue(routes.output().contains("10.71.0.0/26") && routes.output().contains("10.72.0.0/26"), routes.output());

                // The old image's bird_exporter sidecar, unchanged (Debian's 1.4.1), in its own container on /sockets.
                int exporterPort = freePort();
                containers.add(tag + "-exporter");
                Shell.Result exporter = podman.run("run", "-d", "--name", tag + "-exporter", "--net=host", "--user", "0",
                        "-v", sockets + ":/sockets", "-v", Binaries.BIRD_EXPORTER + ":/bird_exporter:ro", RUNTIME_BASE,
                        "/bird_exporter", "-format.new=true", "-bird.socket=/sockets/bird.ctl",
                        "-bird.socket6=/sockets/bird6.ctl", "-web.listen-address=127.0.0.1:" + exporterPort);
                assertEquals(0, exporter.exitCode(), exporter.output());
                Await.until("the sidecar to report our sessions", UP, () -> {
                    String scraped = scrape(http, exporterPort);
                    return scraped.contains("bird_protocol_up{") && scraped.contains("Established");
                }, () -> podman.run("logs", tag + "-exporter").output());

                // 2. podman stop: the graceful-restart stop, no NOTIFICATION, the clients keep our routes.
                long t0 = System.nanoTime();
                Shell.Result stopped = podman.run("stop", "-t", "10", tag + "-1");
                double stopSeconds = (System.nanoTime() - t0) / 1e9;
                assertEquals(0, stopped.exitCode(), stopped.output());
                first.awaitExit(Duration.ofSeconds(15));
                System.out.printf("podman stop: %.1f s%n", stopSeconds);
                assertTrue(stopSeconds < 10, "stopped after " + stopSeconds + " s: SIGKILL at the stop timeout?");
                assertEquals(1, first.lines("stopping for a restart").size(), first.log());
                for (String label : List.of(BIRD16, GOBGP)) {
                    sessions.awaitDown(label, Duration.ofSeconds(10), diag);
                }
                assertFalse(bird16.protocol("reflector").lastError().contains("Received"), bird16.diagnostics());
                long heldUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (System.nanoTime() - heldUntil < 0) {
                    assertTrue(held(learned, expected), "a client lost routes after podman stop\n" + diag.get());
                    DaemonProcess.sleep(250);
                }

                // 3. Run again on the same state volume, now with the file datastore mounted: a restart
                //    (R bit, table held for the clients' End-of-RIBs), and no client loses a route.
                Path calico = Files.createDirectories(work.resolve("calico"));
                DaemonFileIT.write(calico.resolve("cluster.yaml"), DaemonFileIT.CLUSTER);
                DaemonFileIT.write(calico.resolve("nodes.yaml"), DaemonFileIT.RR1 + DaemonFileIT.node("w71", h16.ipv4(), "")
                        + DaemonFileIT.node("w72", hg.ipv4(), ""));
                DaemonProcess second = container(tag + "-2", volume, sockets, List.of("-v", calico + ":/calico:ro",
                        "-e", "DATASTORE_TYPE=file", "-e", "DATASTORE_PATH=/calico", "-e", "NODENAME=rr1"),
                        work, containers, processes);
                long restart = System.nanoTime();
                while (second.lines("restart complete, R bit cleared").isEmpty()
                        || !sessions.snapshot().values().stream().allMatch(ClientSessions.Session::established)) {
                    assertTrue(held(learned, expected), "a client lost routes during the restart\n" + diag.get());
                    assertTrue(System.nanoTime() - restart < UP.toNanos(), "restart not complete\n" + diag.get());
                    DaemonProcess.sleep(200);
                }
                assertTrue(second.log().contains("restart: found"), second.log());
                assertTrue(held(learned, expected), diag.get());
                System.out.printf("restart in the container: complete after %d ms, nothing lost%n",
                        (System.nanoTime() - restart) / 1_000_000);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- testbed:\n" + testbed.diagnostics(), e);
            } finally {
                for (String c : containers) {
                    podman.run("rm", "-f", "-v", "-t", "0", c);
                }
                processes.forEach(DaemonProcess::close);
                podman.run("volume", "rm", "-f", volume, sockets);
            }
        }
    }

    /** {@code podman run --name NAME …} in the foreground (its output is the daemon's log). */
    private static DaemonProcess container(String name, String volume, String sockets, List<String> extra, Path work,
                                           List<String> containers, List<DaemonProcess> processes) {
        List<String> command = podman.command("run", "--rm", "--name", name, "--net=host", "--read-only",
                "--tmpfs", "/tmp:rw,exec,nosuid,nodev,size=64m", "--cap-drop", "ALL", "--cap-add", "NET_BIND_SERVICE",
                "-v", volume + ":/var/lib/routereflector", "-v", sockets + ":/sockets");
        command.addAll(extra);
        command.add(IMAGE);
        containers.add(name);
        DaemonProcess process = DaemonProcess.start(name, command, podman.environment(), work.resolve(name + ".log"), null);
        processes.add(process);
        return process;
    }

    private static boolean held(Map<String, Supplier<Set<String>>> learned, Map<String, Set<String>> expected) {
        return expected.entrySet().stream().allMatch(e -> learned.get(e.getKey()).get().equals(e.getValue()));
    }

    private static Set<String> prefixes(List<PeerRoute> routes) {
        Set<String> out = new TreeSet<>();
        routes.forEach(r -> out.add(r.prefix()));
        return out;
    }

    /** Copies the files world-readable: the image's user (65532) reads them as a Secret volume's 0644. */
    private static Path readableCopies(Path dir, Map<String, Path> files) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, Path> e : files.entrySet()) {
            Path copy = dir.resolve(e.getKey());
            Files.copy(e.getValue(), copy);
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
        }
        return dir;
    }

    private static HttpResponse<String> get(HttpClient http, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://" + RR + ":9324" + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String scrape(HttpClient http, int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String inspect(String format) {
        return podman.run("image", "inspect", "--format", format, IMAGE).orThrow().trim();
    }

    private static String revision() {
        Shell.Result rev = Shell.run("git", "-C", ROOT.toString(), "rev-parse", "--short", "HEAD");
        return rev.ok() ? rev.output().trim() : "unknown";
    }
}
