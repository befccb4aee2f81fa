package io.routereflector.datastore.kdd;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the Kubernetes API server and how patiently: calico/node's {@code KUBECONFIG} and
 * {@code K8S_*} variables (a given value wins over the kubeconfig's), else the in-cluster service account.
 *
 * @param kubeconfig  a kubeconfig file; null = in-cluster (or the API endpoint given)
 * @param apiEndpoint {@code K8S_API_ENDPOINT}; null = from the kubeconfig or the service account
 * @param namespace   where the BGP password Secrets live ({@code NAMESPACE}: kube-system, calico-system …)
 * @param batch       quiet time that ends a burst of changes before one derivation
 * @param crdPoll     how often a CRD the server does not serve yet is looked for again
 * @param probe       how often the server is asked for its version: a watch alone does not notice a server
 *                    that went silent, and a failed probe is what turns health DEGRADED
 * @param startWait   how long {@code start} waits for the first full read; null = until it comes
 */
public record KddSettings(Path kubeconfig, String apiEndpoint, Path caFile, Path certFile, Path keyFile, String token, String namespace,
                          Duration batch, Duration requestTimeout, Duration retryInitial, Duration retryMax, Duration crdPoll,
                          Duration probe, Duration startWait) {

    public static final String DEFAULT_NAMESPACE = "kube-system";

    public KddSettings {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(retryInitial, "retryInitial");
        Objects.requireNonNull(retryMax, "retryMax");
        Objects.requireNonNull(crdPoll, "crdPoll");
        Objects.requireNonNull(probe, "probe");
    }

    public static KddSettings of(Path kubeconfig, String apiEndpoint, Path caFile, Path certFile, Path keyFile, String token, String namespace) {
        return new KddSettings(kubeconfig, apiEndpoint, caFile, certFile, keyFile, token,
                namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace, Duration.ofMillis(100), Duration.ofSeconds(10),
                Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(5), null);
    }

    public KddSettings withStartWait(Duration wait) {
        return new KddSettings(kubeconfig, apiEndpoint, caFile, certFile, keyFile, token, namespace, batch, requestTimeout, retryInitial,
                retryMax, crdPoll, probe, wait);
    }

    public KddSettings withTimings(Duration batchTime, Duration initial, Duration max, Duration poll) {
        return new KddSettings(kubeconfig, apiEndpoint, caFile, certFile, keyFile, token, namespace, batchTime, requestTimeout, initial,
                max, poll, poll, startWait);
    }

    /**
     * The client configuration. A kubeconfig that is missing or does not parse, or names no server, fails
     * here with one line naming the file and the fault.
     */
    public Config config() {
        Config base;
        if (kubeconfig != null) {
            String text;
            try {
                text = Files.readString(kubeconfig);
            } catch (IOException e) {
                throw new IllegalArgumentException("KUBECONFIG " + kubeconfig + ": cannot be read (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            }
            try {
                base = Config.fromKubeconfig(null, text, kubeconfig.toString());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("KUBECONFIG " + kubeconfig + ": not a usable kubeconfig: " + firstLine(e));
            }
            if (apiEndpoint == null && (base.getMasterUrl() == null || base.getMasterUrl().isBlank() || base.getCurrentContext() == null)) {
                throw new IllegalArgumentException("KUBECONFIG " + kubeconfig + ": no current context with a cluster server URL");
            }
        } else {
            base = Config.autoConfigure(null);
        }
        ConfigBuilder b = new ConfigBuilder(base);
        if (apiEndpoint != null) {
            b.withMasterUrl(apiEndpoint);
        }
        if (caFile != null) {
            b.withCaCertFile(caFile.toString()).withCaCertData(null);
        }
        if (certFile != null) {
            b.withClientCertFile(certFile.toString()).withClientCertData(null);
        }
        if (keyFile != null) {
            b.withClientKeyFile(keyFile.toString()).withClientKeyData(null);
        }
        if (token != null) {
            b.withOauthToken(token);
        }
        // Our own loop re-watches, relists and backs off (and reports health while doing so); the
        // client's silent reconnects would hide an outage.
        return b.withWatchReconnectLimit(0).withRequestTimeout((int) requestTimeout.toMillis())
                .withConnectionTimeout((int) requestTimeout.toMillis()).withRequestRetryBackoffLimit(0).build();
    }

    private static String firstLine(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank() && c.getCause() == null) {
                String m = c.getMessage();
                int nl = m.indexOf('\n');
                return nl < 0 ? m : m.substring(0, nl);
            }
        }
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public String toString() {
        return (apiEndpoint != null ? apiEndpoint : kubeconfig != null ? "kubeconfig " + kubeconfig : "in-cluster service account")
                + ", secrets in namespace " + namespace;
    }
}
