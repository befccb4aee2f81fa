package io.routereflector.datastore.kdd;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * Stands in for a real Kubernetes API server, which cannot be installed on these machines: fabric8's
 * mock server as a real HTTP server on loopback, in CRUD mode (create/list/watch with increasing
 * resourceVersions) with Calico's two CRDs known as cluster-scoped, plus expectations for what CRUD mode
 * cannot produce. Its data outlives a {@link #stop()}: {@link #start()} serves it again on the same port,
 * which is how a test makes an API-server outage.
 */
public final class ApiServerStandIn implements AutoCloseable {

    private final Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    private final KubernetesMixedDispatcher dispatcher;
    private KubernetesMockServer server;
    private int port;

    public ApiServerStandIn(String crdGroup, String version) {
        dispatcher = new KubernetesMixedDispatcher(responses, List.of(crd(crdGroup, version, "bgppeers", "BGPPeer"),
                crd(crdGroup, version, "bgpconfigurations", "BGPConfiguration"), crd(crdGroup, version, "ippools", "IPPool"),
                crd(crdGroup, version, "bgpfilters", "BGPFilter")));
    }

    public ApiServerStandIn() {
        this(KddDatastore.CRD_GROUP, "v1");
    }

    private static CustomResourceDefinitionContext crd(String group, String version, String plural, String kind) {
        return new CustomResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withPlural(plural).withKind(kind)
                .withScope("Cluster").build();
    }

    public ApiServerStandIn start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), port);
        port = server.getPort();
        return this;
    }

    public void stop() {
        if (server != null) {
            server.destroy();
            server = null;
        }
    }

    public KubernetesMockServer server() {
        return server;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public KubernetesClient client() {
        return server.createClient();
    }

    /** A kubeconfig naming this server, as an operator would mount it. */
    public Path kubeconfig(Path dir) throws IOException {
        return kubeconfig(dir, url());
    }

    /** A kubeconfig naming the server at {@code url}. */
    public static Path kubeconfig(Path dir, String url) throws IOException {
        Path f = dir.resolve("kubeconfig");
        Files.writeString(f, "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: " + url + "\n"
                + "contexts:\n- name: test\n  context:\n    cluster: test\n    user: rr\ncurrent-context: test\n"
                + "users:\n- name: rr\n  user:\n    token: stand-in\n");
        return f;
    }

    /** The same data served on another port, to change it while the usual port is down (an outage). */
    public Detour detour() {
        KubernetesMockServer other = new KubernetesMockServer(new Context(), new MockWebServer(), responses, dispatcher, false);
        other.init(InetAddress.getLoopbackAddress(), 0);
        return new Detour(other);
    }

    public record Detour(KubernetesMockServer server) implements AutoCloseable {
        public KubernetesClient client() {
            return server.createClient();
        }

        @Override
        public void close() {
            server.destroy();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
