package io.routereflector.datastore.kdd;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.routereflector.datastore.DesiredState;
import io.routereflector.datastore.derive.Identity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An API server that refuses our token (401 on every request): fabric8's mock in expectation mode on
 * loopback, standing in for a real Kubernetes API server. Retried with back-off, not a crash; start-up
 * with a bounded wait reports why in one line.
 */
class KddUnauthorisedTest {

    @TempDir
    Path dir;

    @Test
    void anUnauthorisedServerIsRetriedAndNamedInTheError() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try {
            server.expect().get().withPath("/api/v1/nodes").andReturn(401, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                    + "\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}").always();
            KddSettings s = KddSettings.of(ApiServerStandIn.kubeconfig(dir, "http://127.0.0.1:" + server.getPort()), null, null, null, null,
                    null, null).withTimings(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(300))
                    .withStartWait(Duration.ofSeconds(2));
            try (KddDatastore ds = new KddDatastore(s, Identity.node("rr1"))) {
                IOException e = assertThrows(IOException.class, () -> ds.start(c -> { }));
                assertTrue(e.getMessage().contains("did not answer within 2 s") && e.getMessage().contains("nodes: UNAUTHORIZED"), e.getMessage());
                assertEquals(DesiredState.Status.STARTING, ds.health().status());
            }
            assertTrue(server.getRequestCount() > 3, "retried: " + server.getRequestCount() + " requests");
        } finally {
            server.destroy();
        }
    }
}
