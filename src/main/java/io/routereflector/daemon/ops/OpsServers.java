package io.routereflector.daemon.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.routereflector.daemon.ops.HttpEndpoint.Response;
import io.routereflector.daemon.ops.StatusModel.Health;
import io.routereflector.reflector.session.PeerSession;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The two HTTP listeners of the daemon: the admin endpoint ({@code /status}, {@code /status/PEER},
 * {@code /routes}, {@code /health}; JSON, loopback by default) and the metrics endpoint ({@code /metrics},
 * {@code /livez}, {@code /readyz}; what Prometheus and the kubelet reach).
 */
public final class OpsServers implements AutoCloseable {

    /** A loop that cannot run a no-op within this long is stuck. */
    static final Duration LIVENESS_DEADLINE = Duration.ofSeconds(5);
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final HttpEndpoint admin;
    private final HttpEndpoint metrics;

    private OpsServers(HttpEndpoint admin, HttpEndpoint metrics) {
        this.admin = admin;
        this.metrics = metrics;
    }

    public static OpsServers start(StatusService status, BgpMetrics bgpMetrics, InetSocketAddress adminAddress,
                                   InetSocketAddress metricsAddress) throws InterruptedException {
        HttpEndpoint a = adminAddress == null ? null : HttpEndpoint.start("admin-http", adminAddress, Map.of(
                "/status", (q, rest) -> json(200, status.status()),
                "/status/", (q, rest) -> {
                    PeerSession s = status.find(rest);
                    return s == null ? Response.text(404, "no such peer: " + rest + "\n") : json(200, status.detail(s));
                },
                "/routes", (q, rest) -> {
                    String prefix = first(q.parameters(), "prefix");
                    String limit = first(q.parameters(), "limit");
                    int max = limit == null ? RouteQuery.DEFAULT_LIMIT : Integer.parseInt(limit);
                    if (prefix != null && !prefix.isBlank()) {
                        RouteQuery.parse(prefix); // a bad filter is the caller's error (400), found before the RIB thread
                    }
                    return json(200, status.reflector().query(rib -> RouteQuery.answer(rib, prefix, max)));
                },
                "/health", (q, rest) -> {
                    Health h = health(status);
                    return json(h.live() && h.ready() ? 200 : 503, h);
                }));
        try {
            HttpEndpoint m = metricsAddress == null ? null : HttpEndpoint.start("metrics-http", metricsAddress, Map.of(
                    "/metrics", (q, rest) -> new Response(200, "text/plain; version=0.0.4; charset=utf-8",
                            bgpMetrics.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    "/livez", (q, rest) -> {
                        List<String> slow = status.reflector().unresponsive(LIVENESS_DEADLINE);
                        return slow.isEmpty() ? Response.text(200, "ok\n")
                                : Response.text(503, "not responsive within " + LIVENESS_DEADLINE.toSeconds() + " s: " + slow + "\n");
                    },
                    "/readyz", (q, rest) -> {
                        Readiness.Verdict v = status.readiness();
                        return Response.text(v.ready() ? 200 : 503, (v.ready() ? "ready: " : "not ready: ") + v.reason() + "\n");
                    }));
            return new OpsServers(a, m);
        } catch (RuntimeException | InterruptedException e) {
            if (a != null) {
                a.close();
            }
            throw e;
        }
    }

    static Health health(StatusService status) throws InterruptedException {
        List<String> slow = status.reflector().unresponsive(LIVENESS_DEADLINE);
        Readiness.Verdict v = status.readiness();
        return new Health(slow.isEmpty(), v.ready(), slow.isEmpty() ? v.reason() : "not responsive: " + slow + "; " + v.reason());
    }

    private static String first(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static Response json(int status, Object body) throws java.io.IOException {
        return Response.json(status, JSON.writeValueAsBytes(body));
    }

    /** Null when the admin endpoint is off. */
    public InetSocketAddress adminAddress() {
        return admin == null ? null : admin.address();
    }

    /** Null when the metrics endpoint is off. */
    public InetSocketAddress metricsAddress() {
        return metrics == null ? null : metrics.address();
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
        if (admin != null) {
            admin.close();
        }
    }
}
