package io.routereflector.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.routereflector.daemon.birdctl.BirdSocketClient;
import io.routereflector.testbed.Await;
import io.routereflector.testbed.Binaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker/: the Dockerfile passes a real linter and its exact ENTRYPOINT + CMD runs the built jar;
 * the Kubernetes manifests pass the API's schemas; the systemd unit passes {@code systemd-analyze
 * verify} and keeps a low {@code systemd-analyze security} exposure. Linters and validators are
 * installed by src/scripts/install-test-deps.sh; a missing one fails the test.
 */
@Timeout(120)
class PackagingIT {

    static final Path ROOT = Binaries.repoRoot();
    static final Path DOCKER = ROOT.resolve("docker");
    static final Path NODE_MODULES = ROOT.resolve(".testbed/node/node_modules");
    static final String JAR_IN_IMAGE = "/opt/routereflector/routereflector.jar";

    record Result(int exit, String output) { }

    static Result exec(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command + " did not finish");
        return new Result(p.exitValue(), out);
    }

    @Test
    void theDockerfilePassesTheLinterWhichDoesCatchABadOne(@TempDir Path dir) throws Exception {
        String lint = Binaries.require(NODE_MODULES.resolve(".bin/dockerfilelint")).toString();
        Result good = exec(List.of(lint, DOCKER.resolve("Dockerfile").toString()), Map.of());
        assertEquals(0, good.exit(), good.output());
        assertTrue(good.output().contains("Issues: None found"), good.output());

        Path bad = dir.resolve("Dockerfile");
        Files.writeString(bad, "FROM debian\nRUN apt-get install curl\nRUN sudo rm -rf /\nEXPOSE 99999\n");
        Result caught = exec(List.of(lint, bad.toString()), Map.of());
        assertNotEquals(0, caught.exit(), "the linter must reject a bad Dockerfile: " + caught.output());
    }

    @Test
    void theImagesExactEntrypointRunsTheJarUnderTheOldEnvironmentAndStopsOnSigterm(@TempDir Path dir) throws Exception {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        List<String> command = new ArrayList<>(execForm(dockerfile, "ENTRYPOINT"));
        command.addAll(execForm(dockerfile, "CMD"));
        assertEquals("java", command.get(0), "exec form, the JVM itself is PID 1");
        assertTrue(command.contains("-Dio.netty.native.workdir=/tmp"), command.toString());
        assertTrue(command.contains(JAR_IN_IMAGE), command.toString());
        Path jar = ROOT.resolve("src/target/routereflector.jar");
        command.replaceAll(arg -> arg.equals(JAR_IN_IMAGE) ? jar.toString() : arg);

        Path data = Files.createDirectories(dir.resolve("resources"));
        for (String name : new String[] {"nodes.yaml", "bgppeers.yaml", "bgpconfiguration.yaml"}) {
            Files.copy(ROOT.resolve("src/examples/cluster").resolve(name), data.resolve(name));
        }
        int port = freePort();
        Path config = data.resolve("bgpconfiguration.yaml");
        Files.writeString(config, Files.readString(config).replace("listenPort: 1179", "listenPort: " + port));
        Path log = dir.resolve("entrypoint.log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // The old image's environment contract, with the state directory the image sets.
        pb.environment().putAll(Map.of("DATASTORE_TYPE", "file", "DATASTORE_PATH", data.toString(),
                "CALICO_NODENAME", "rr1", "STATE_DIRECTORY", dir.resolve("state").toString()));
        // The image's BIRD control sockets under its /sockets volume, moved into this test's directory.
        Matcher sockets = Pattern.compile("(?m)^ENV BIRD_SOCKET=(/sockets/\\S+) BIRD6_SOCKET=(/sockets/\\S+)$").matcher(dockerfile);
        assertTrue(sockets.find(), "the image sets BIRD_SOCKET and BIRD6_SOCKET under /sockets");
        assertTrue(dockerfile.matches("(?s).*\nVOLUME \\[[^]]*\"/sockets\"[^]]*].*"), "the image declares the /sockets volume");
        Path v4 = Path.of(sockets.group(1).replace("/sockets", dir.resolve("sockets").toString()));
        Path v6 = Path.of(sockets.group(2).replace("/sockets", dir.resolve("sockets").toString()));
        pb.environment().put("BIRD_SOCKET", v4.toString());
        pb.environment().put("BIRD6_SOCKET", v6.toString());
        Process p = pb.start();
        try {
            Await.until("started", Duration.ofSeconds(30), () -> read(log).contains("started:"), () -> read(log));
            String out = read(log);
            assertTrue(out.contains("port " + port) || out.contains(":" + port), out);
            assertTrue(out.contains("transport epoll"), "Netty's native transport loads from the work dir: " + out);
            for (Path socket : List.of(v4, v6)) {
                try (BirdSocketClient c = BirdSocketClient.connect(socket)) {
                    assertTrue(c.greeting().startsWith("0001 BIRD 1.6.8-routereflector-"), socket.toString());
                    assertTrue(c.query("show protocols").startsWith("2002-name     proto    table    state  since       info\n"));
                }
            }
            p.destroy();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "exits on SIGTERM within the stop bound");
            assertTrue(read(log).contains("stopping for a restart"), read(log));
        } finally {
            p.destroyForcibly();
        }
    }

    /** The JSON array of the last {@code instruction} (exec form), parsed as JSON. */
    static List<String> execForm(String dockerfile, String instruction) throws IOException {
        Matcher m = Pattern.compile("(?m)^" + instruction + "\\s+(\\[.*])\\s*$").matcher(dockerfile);
        String json = null;
        while (m.find()) {
            json = m.group(1);
        }
        assertTrue(json != null, instruction + " in exec form (a JSON array) is missing");
        List<String> out = new ArrayList<>();
        for (JsonNode n : new ObjectMapper().readTree(json)) {
            out.add(n.asText());
        }
        return out;
    }

    @Test
    void theKubernetesManifestsPassTheApiSchemas() throws Exception {
        List<String> command = new ArrayList<>(List.of("node", ROOT.resolve("src/scripts/validate-manifests.cjs").toString()));
        try (Stream<Path> files = Files.list(DOCKER.resolve("kubernetes"))) {
            files.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(f -> command.add(f.toString()));
        }
        assertTrue(Files.isDirectory(NODE_MODULES.resolve("kubernetes-models")),
                "kubernetes-models missing: run src/scripts/install-test-deps.sh");
        Result r = exec(command, Map.of("NODE_PATH", NODE_MODULES.toString()));
        assertEquals(0, r.exit(), r.output());
        for (String kind : List.of("Deployment routereflector ok", "PodDisruptionBudget routereflector ok", "ServiceAccount routereflector ok")) {
            assertTrue(r.output().contains(kind), r.output());
        }

        JsonNode deployment = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(DOCKER.resolve("kubernetes/deployment.yaml").toFile());
        JsonNode pod = deployment.at("/spec/template/spec");
        assertTrue(pod.at("/hostNetwork").asBoolean());
        assertEquals("ClusterFirstWithHostNet", pod.at("/dnsPolicy").asText());
        assertEquals("system-cluster-critical", pod.at("/priorityClassName").asText());
        assertEquals("kubernetes.io/hostname",
                pod.at("/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/0/topologyKey").asText());
        assertEquals(1, pod.at("/containers").size(), "no sidecar: metrics come from the daemon");
        JsonNode security = pod.at("/containers/0/securityContext");
        assertTrue(security.at("/readOnlyRootFilesystem").asBoolean());
        assertEquals("[\"ALL\"]", security.at("/capabilities/drop").toString());
        assertEquals("[\"NET_BIND_SERVICE\"]", security.at("/capabilities/add").toString());
        assertEquals("/livez", pod.at("/containers/0/livenessProbe/httpGet/path").asText());
        assertEquals("/readyz", pod.at("/containers/0/readinessProbe/httpGet/path").asText());
        assertEquals("9324", deployment.at("/spec/template/metadata/annotations/prometheus.io~1port").asText());
    }

    /**
     * The overlay that keeps an unchanged bird_exporter sidecar: rendered (its JSON patches on the base) and
     * validated against the API schemas like the base; the sidecar reads the daemon's sockets on a shared
     * emptyDir at /sockets with bird_exporter's own flags and keeps port 9324, the daemon moves to 9325.
     */
    @Test
    void theOverlayKeepingTheBirdExporterSidecarPassesTheApiSchemas(@TempDir Path dir) throws Exception {
        JsonNode deployment = JsonPatchOverlay.render(DOCKER.resolve("kubernetes/deployment.yaml"),
                DOCKER.resolve("kubernetes/overlays/from-calico-routereflector-keep-bird-exporter"));
        Path rendered = dir.resolve("rendered.yaml");
        JsonPatchOverlay.YAML.writeValue(rendered.toFile(), deployment);
        Result r = exec(List.of("node", ROOT.resolve("src/scripts/validate-manifests.cjs").toString(), rendered.toString()),
                Map.of("NODE_PATH", NODE_MODULES.toString()));
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("Deployment calico-routereflector ok"), r.output());
        JsonNode pod = deployment.at("/spec/template/spec");
        assertEquals(2, pod.at("/containers").size());
        JsonNode daemon = pod.at("/containers/0");
        JsonNode sidecar = pod.at("/containers/1");
        assertEquals("bird-exporter", sidecar.at("/name").asText());
        assertEquals("[\"-format.new=true\",\"-bird.socket=/sockets/bird.ctl\",\"-bird.socket6=/sockets/bird6.ctl\"]",
                sidecar.at("/args").toString());
        assertEquals("[\"run\",\"--metrics-listen\",\"0.0.0.0:9325\"]", daemon.at("/args").toString());
        assertEquals(9325, daemon.at("/ports/1/containerPort").asInt());
        assertEquals("metrics", daemon.at("/livenessProbe/httpGet/port").asText(), "the probes follow the daemon's port by name");
        assertEquals(9324, sidecar.at("/ports/0/containerPort").asInt());
        assertEquals("9324", deployment.at("/spec/template/metadata/annotations/prometheus.io~1port").asText());
        for (JsonNode c : List.of(daemon, sidecar)) {
            boolean mounted = false;
            for (JsonNode m : c.at("/volumeMounts")) {
                mounted |= m.at("/name").asText().equals("sockets") && m.at("/mountPath").asText().equals("/sockets");
            }
            assertTrue(mounted, c.at("/name").asText() + " mounts the sockets at /sockets");
        }
        boolean emptyDir = false;
        for (JsonNode v : pod.at("/volumes")) {
            emptyDir |= v.at("/name").asText().equals("sockets") && v.has("emptyDir");
        }
        assertTrue(emptyDir, "the sockets volume is an emptyDir");
    }

    @Test
    void theKubernetesValidatorRejectsABrokenManifest(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  replicas: two\n"
                + "  selector: {matchLabels: {a: b}}\n  template:\n    spec:\n      containers: [{image: x}]\n");
        Result r = exec(List.of("node", ROOT.resolve("src/scripts/validate-manifests.cjs").toString(), bad.toString()),
                Map.of("NODE_PATH", NODE_MODULES.toString()));
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("replicas must be integer"), r.output());
        assertTrue(r.output().contains("must have required property name"), r.output());
    }

    @Test
    void theSystemdUnitVerifiesAndIsWellConfined(@TempDir Path dir) throws Exception {
        String unit = Files.readString(DOCKER.resolve("systemd/routereflector.service"));
        for (String line : List.of("AmbientCapabilities=CAP_NET_BIND_SERVICE", "NoNewPrivileges=yes", "ProtectSystem=strict",
                "PrivateTmp=yes", "StateDirectory=routereflector", "RuntimeDirectory=routereflector", "RestrictAddressFamilies=",
                "SystemCallFilter=@system-service", "Restart=on-failure", "ExecReload=/bin/kill -HUP $MAINPID", "Type=exec")) {
            assertTrue(unit.contains("\n" + line), "missing " + line);
        }
        assertFalse(unit.contains("\nMemoryDenyWriteExecute"), "MemoryDenyWriteExecute breaks the JIT");
        // verify checks that ExecStart exists: point it at the launcher of this tree.
        Path copy = dir.resolve("routereflector.service");
        Files.writeString(copy, unit.replace("ExecStart=/usr/bin/routereflector", "ExecStart=" + ROOT.resolve("src/bin/routereflector")));
        String analyze = Binaries.require(Path.of("/usr/bin/systemd-analyze")).toString();
        Result verify = exec(List.of(analyze, "verify", copy.toString()), Map.of("SYSTEMD_LOG_COLOR", "0"));
        assertEquals(0, verify.exit(), verify.output());
        assertEquals("", verify.output().strip(), "verify is silent on a clean unit");

        Result security = exec(List.of(analyze, "security", "--offline=yes", "--no-pager", copy.toString()), Map.of("SYSTEMD_COLORS", "0"));
        Matcher m = Pattern.compile("Overall exposure level for routereflector\\.service: (\\d+\\.\\d)").matcher(security.output());
        assertTrue(m.find(), security.output());
        double exposure = Double.parseDouble(m.group(1));
        System.out.println("systemd-analyze security: overall exposure " + exposure);
        assertTrue(exposure <= 2.0, "exposure " + exposure + " (10 = unconfined):\n" + security.output());
    }

    static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
