package io.routereflector.daemon;

import io.routereflector.datastore.kdd.KddSettings;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** How to reach the Kubernetes API for {@code DATASTORE_TYPE=kubernetes}: calico/node's variables, a flag for each. */
final class KubernetesOptions {

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "kubeconfig for DATASTORE_TYPE=kubernetes (env KUBECONFIG; default: the in-cluster service account).")
    Path kubeconfig;

    @Option(names = "--k8s-api-endpoint", paramLabel = "URL", description = "Kubernetes API server URL (env K8S_API_ENDPOINT).")
    String apiEndpoint;

    @Option(names = "--k8s-ca-file", paramLabel = "PEM", description = "CA bundle for the API server's certificate (env K8S_CA_FILE).")
    Path caFile;

    @Option(names = "--k8s-cert-file", paramLabel = "PEM", description = "Client certificate for the API server (env K8S_CERT_FILE).")
    Path certFile;

    @Option(names = "--k8s-key-file", paramLabel = "PEM", description = "Client key for the API server (env K8S_KEY_FILE).")
    Path keyFile;

    @Option(names = "--k8s-api-token", paramLabel = "TOKEN",
            description = "Bearer token for the API server (env K8S_API_TOKEN; prefer the environment: flags show in ps).")
    String token;

    @Option(names = "--namespace", paramLabel = "NAMESPACE",
            description = "Namespace of the BGP password Secrets (env NAMESPACE; default kube-system, calico-system for operator installs).")
    String namespace;

    KddSettings settings(Environment env) throws DaemonOptions.ConfigError {
        Path config = kubeconfig != null ? kubeconfig : path(env.get("KUBECONFIG"));
        String endpoint = apiEndpoint != null ? apiEndpoint : blankToNull(env.get("K8S_API_ENDPOINT"));
        if (config != null && !Files.isRegularFile(config)) {
            throw new DaemonOptions.ConfigError("KUBECONFIG " + config + ": no such file (mount the kubeconfig there, or unset KUBECONFIG"
                    + " to use the in-cluster service account)");
        }
        if (config == null && endpoint == null && env.get("KUBERNETES_SERVICE_HOST") == null
                && !Files.isRegularFile(Path.of(System.getProperty("user.home"), ".kube", "config"))) {
            throw new DaemonOptions.ConfigError("DATASTORE_TYPE=kubernetes: no KUBECONFIG, no K8S_API_ENDPOINT and not in a pod"
                    + " (KUBERNETES_SERVICE_HOST unset): name a kubeconfig with --kubeconfig or KUBECONFIG=");
        }
        KddSettings s = KddSettings.of(config, endpoint, file("K8S_CA_FILE", caFile, env), file("K8S_CERT_FILE", certFile, env),
                file("K8S_KEY_FILE", keyFile, env), token != null ? token : blankToNull(env.get("K8S_API_TOKEN")),
                namespace != null ? namespace : env.get("NAMESPACE"));
        try {
            s.config();
        } catch (IllegalArgumentException e) {
            throw new DaemonOptions.ConfigError(e.getMessage());
        }
        return s;
    }

    private static Path file(String variable, Path flag, Environment env) throws DaemonOptions.ConfigError {
        Path f = flag != null ? flag : path(env.get(variable));
        if (f != null && !Files.isReadable(f)) {
            throw new DaemonOptions.ConfigError(variable + " " + f + ": no such readable file (a PEM file is expected)");
        }
        return f;
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
