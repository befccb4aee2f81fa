package io.routereflector.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.routereflector.datastore.calico.ResourceReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker/kubernetes/kdd: the two-reflector example on Calico's Kubernetes API datastore. Its Kubernetes
 * manifests pass the API schemas as the base ones do; the RBAC grants exactly what the datastore reads,
 * read-only; the Calico objects (not a built-in kind) pass our own decoder.
 */
class KddManifestsIT {

    static final Path KDD = PackagingIT.DOCKER.resolve("kubernetes/kdd");
    static final String CALICO = "calico-bgp.yaml";

    @Test
    void theKddManifestsPassTheApiSchemasAndGrantOnlyWhatIsRead() throws Exception {
        List<String> command = new ArrayList<>(List.of("node", PackagingIT.ROOT.resolve("src/scripts/validate-manifests.cjs").toString()));
        try (Stream<Path> files = Files.list(KDD)) {
            files.filter(f -> f.toString().endsWith(".yaml") && !f.getFileName().toString().equals(CALICO)).sorted()
                    .forEach(f -> command.add(f.toString()));
        }
        PackagingIT.Result r = PackagingIT.exec(command, Map.of("NODE_PATH", PackagingIT.NODE_MODULES.toString()));
        assertEquals(0, r.exit(), r.output());
        for (String kind : List.of("Deployment routereflector ok", "ClusterRole routereflector ok", "ClusterRoleBinding routereflector ok",
                "Role routereflector-bgp-passwords ok", "RoleBinding routereflector-bgp-passwords ok", "ServiceAccount routereflector ok",
                "PodDisruptionBudget routereflector ok")) {
            assertTrue(r.output().contains(kind), r.output());
        }

        List<JsonNode> rbac = documents(KDD.resolve("rbac.yaml"));
        assertEquals("[{\"apiGroups\":[\"\"],\"resources\":[\"nodes\"],\"verbs\":[\"get\",\"list\",\"watch\"]},"
                + "{\"apiGroups\":[\"crd.projectcalico.org\",\"projectcalico.org\"],\"resources\":[\"bgppeers\",\"bgpconfigurations\",\"ippools\",\"bgpfilters\"],"
                + "\"verbs\":[\"get\",\"list\",\"watch\"]}]", rbac.get(0).get("rules").toString());
        assertEquals("[{\"apiGroups\":[\"\"],\"resources\":[\"secrets\"],\"resourceNames\":[\"bgp-passwords\"],"
                + "\"verbs\":[\"get\",\"list\",\"watch\"]}]", rbac.get(2).get("rules").toString());

        JsonNode pod = documents(KDD.resolve("deployment.yaml")).get(0).at("/spec/template/spec");
        assertEquals("routereflector", pod.at("/serviceAccountName").asText());
        assertTrue(pod.at("/automountServiceAccountToken").asBoolean(), "the in-cluster token is the datastore's credential");
        assertEquals("kubernetes.io/hostname",
                pod.at("/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/0/topologyKey").asText());
        String env = pod.at("/containers/0/env").toString();
        assertTrue(env.contains("{\"name\":\"DATASTORE_TYPE\",\"value\":\"kubernetes\"}"), env);
        assertTrue(env.contains("\"fieldPath\":\"spec.nodeName\""), env);
        assertTrue(!env.contains("ETCD_"), env);

        ResourceReader.Result calico = ResourceReader.read(CALICO, Files.readAllBytes(KDD.resolve(CALICO)), false);
        assertEquals(List.of(), calico.problems());
        assertEquals(3, calico.resources().size());
    }

    private static List<JsonNode> documents(Path file) throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<JsonNode> out = new ArrayList<>();
        try (YAMLParser p = new YAMLFactory().createParser(file.toFile())) {
            yaml.readValues(p, JsonNode.class).forEachRemaining(out::add);
        }
        return out;
    }
}
