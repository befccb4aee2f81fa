package io.routereflector.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.routereflector.testbed.Binaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * docker/: the Dockerfile passes a real linter (ImageIT builds the image and runs it);
 * the Kubernetes manifests pass the API's schemas; the systemd unit passes {@code systemd-analyze
 * verify} and keeps a low {@code systemd-analyze security} exposure. Linters and validators are
 * installed by src/scripts/install-test-deps.sh; a missing one fails the test.
 */
@Timeout(120)
class PackagingIT {

    static final Path ROOT = Binaries.repoRoot();
    static final Path DOCKER = ROOT.resolve("docker");
    static final Path NODE_MODULES = ROOT.resolve(".testbed/node/node_modules");

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
        Result good = exec(List.of(lint, "-c", DOCKER.toString(), DOCKER.resolve("Dockerfile").toString()), Map.of());
        assertEquals(0, good.exit(), good.output());
        assertTrue(good.output().contains("Issues: None found"), good.output());
        // The rule docker/.dockerfilelintrc turns off, checked here: every base image's default has a tag.
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        Matcher bases = Pattern.compile("(?m)^ARG (\\w+_IMAGE)=(\\S+)$").matcher(dockerfile);
        int count = 0;
        while (bases.find()) {
            count++;
            assertTrue(bases.group(2).matches("[^:@]+(:[\\w.-]+)?(@sha256:[0-9a-f]{64})?") && bases.group(2).matches(".*[:@].*"),
                    bases.group(1) + " has no tag: " + bases.group(2));
        }
        assertEquals(3, count, "BUILD_IMAGE, JDK_IMAGE, RUNTIME_IMAGE");

        Path bad = dir.resolve("Dockerfile");
        Files.writeString(bad, "FROM debian\nRUN apt-get install curl\nRUN sudo rm -rf /\nEXPOSE 99999\n");
        Result caught = exec(List.of(lint, bad.toString()), Map.of());
        assertNotEquals(0, caught.exit(), "the linter must reject a bad Dockerfile: " + caught.output());
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
        // The image's user (ImageIT checks the image says 65532); file capabilities need no no_new_privs.
        assertEquals(65532, security.at("/runAsUser").asInt());
        assertTrue(security.at("/runAsNonRoot").asBoolean());
        assertTrue(security.at("/allowPrivilegeEscalation").asBoolean());
        assertEquals(65532, pod.at("/securityContext/fsGroup").asInt(), "the secret and the sockets readable by the daemon's group");
        assertEquals("[\"chown\",\"65532:65532\",\"/var/lib/routereflector\"]", pod.at("/initContainers/0/command").toString());
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
}
