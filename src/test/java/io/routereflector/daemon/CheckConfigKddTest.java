package io.routereflector.daemon;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.routereflector.datastore.kdd.ApiServerStandIn;
import io.routereflector.datastore.kdd.KddObjects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code check-config} with {@code DATASTORE_TYPE=kubernetes}: a broken kubeconfig is one line naming the
 * file; a good one reads the cluster from fabric8's mock API server on loopback, which stands in for a
 * real Kubernetes API server (none can be installed here).
 */
class CheckConfigKddTest {

    @Test
    void aMissingOrBrokenKubeconfigIsOneLineNamingTheFile(@TempDir Path dir) throws Exception {
        CheckConfigCommandTest.Run missing = CheckConfigCommandTest.run(Map.of("DATASTORE_TYPE", "kubernetes", "KUBECONFIG", "/nonexistent/kubeconfig",
                "NODENAME", "rr1"));
        assertEquals(2, missing.exit());
        assertEquals("routereflector: KUBECONFIG /nonexistent/kubeconfig: no such file (mount the kubeconfig there, or unset KUBECONFIG"
                + " to use the in-cluster service account)", missing.err().strip());

        Path broken = dir.resolve("kubeconfig");
        Files.writeString(broken, "apiVersion: v1\nclusters: [ {\n");
        CheckConfigCommandTest.Run bad = CheckConfigCommandTest.run(Map.of("DATASTORE_TYPE", "kubernetes", "KUBECONFIG", broken.toString(),
                "NODENAME", "rr1"));
        assertEquals(2, bad.exit());
        assertTrue(bad.err().strip().startsWith("routereflector: KUBECONFIG " + broken + ": not a usable kubeconfig: "), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());

        Files.writeString(broken, "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\n");
        CheckConfigCommandTest.Run empty = CheckConfigCommandTest.run(Map.of("DATASTORE_TYPE", "kubernetes", "KUBECONFIG", broken.toString(),
                "NODENAME", "rr1"));
        assertEquals(2, empty.exit());
        assertEquals("routereflector: KUBECONFIG " + broken + ": no current context with a cluster server URL", empty.err().strip());
    }

    /** calico/node's K8S_API_ENDPOINT and K8S_API_TOKEN, without a kubeconfig; an unauthorised server is one clear error. */
    @Test
    void theK8sVariablesReachTheServerWithoutAKubeconfig() {
        try (ApiServerStandIn api = new ApiServerStandIn().start(); KubernetesClient c = api.client()) {
            KddObjects.cluster(c, "10.0.0.1", "10.0.0.2", "10.0.0.11", "10.0.0.12");
            CheckConfigCommandTest.Run run = CheckConfigCommandTest.run(Map.of("DATASTORE_TYPE", "kubernetes", "K8S_API_ENDPOINT", api.url(),
                    "K8S_API_TOKEN", "stand-in", "NODENAME", "rr2"));
            assertEquals(0, run.exit(), run.err() + run.out());
            assertTrue(run.out().startsWith("router id 10.0.0.2, cluster id 244.0.0.1, AS 64512"), run.out());
        }
        CheckConfigCommandTest.Run nowhere = CheckConfigCommandTest.run(Map.of("DATASTORE_TYPE", "kubernetes", "NODENAME", "rr1",
                "K8S_CA_FILE", "/nonexistent/ca.pem", "K8S_API_ENDPOINT", "https://127.0.0.1:1"));
        assertEquals(2, nowhere.exit());
        assertEquals("routereflector: K8S_CA_FILE /nonexistent/ca.pem: no such readable file (a PEM file is expected)", nowhere.err().strip());
    }

    @Test
    void checkConfigReadsTheClusterFromTheApiServer(@TempDir Path dir) throws Exception {
        try (ApiServerStandIn api = new ApiServerStandIn().start(); KubernetesClient c = api.client()) {
            KddObjects.cluster(c, "10.0.0.1", "10.0.0.2", "10.0.0.11", "10.0.0.12");
            CheckConfigCommandTest.Run run = CheckConfigCommandTest.run(Map.of("DATASTORE_TYPE", "kubernetes",
                    "KUBECONFIG", api.kubeconfig(dir).toString(), "NODENAME", "rr1"));
            assertEquals(0, run.exit(), run.err() + run.out());
            assertTrue(run.out().startsWith("router id 10.0.0.1, cluster id 244.0.0.1, AS 64512"), run.out());
            assertTrue(run.out().contains("3 peers:"), run.out());
            assertTrue(run.out().contains("10.0.0.2 ") && run.out().contains("rr mesh"), run.out());
            assertTrue(run.out().contains("10.0.0.12 "), run.out());
        }
    }
}
