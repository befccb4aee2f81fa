package io.routereflector.datastore.calico;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.routereflector.datastore.ResourceProblem;
import io.routereflector.datastore.selector.Selector;
import io.routereflector.datastore.selector.SelectorException;
import io.routereflector.datastore.selector.SelectorParser;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Binds one calicoctl document (a resource, or a {@code List} of them) and validates it. A resource with
 * any problem is skipped as a whole and each problem names its field; other kinds (IPPool, …) are
 * ignored without a word, since calicoctl files commonly mix them in. Used by the file datastore (one
 * document per YAML/JSON document) and the etcd one (one value per key).
 */
public final class ResourceDecoder {

    /** Maps a dotted field path (e.g. {@code items[1].spec.peerIP}, "" for the document) to a source for problems. */
    public interface Locator {
        String at(String field);
    }

    public record Decoded(List<CalicoResource> resources, List<ResourceProblem> problems) {
        public Decoded {
            resources = List.copyOf(resources);
            problems = List.copyOf(problems);
        }
    }

    private static final Set<String> API_VERSIONS = Set.of("projectcalico.org/v3", "crd.projectcalico.org/v1");
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ResourceDecoder() {
    }

    public static Decoded decode(JsonNode document, Locator locator) {
        List<CalicoResource> resources = new ArrayList<>();
        List<ResourceProblem> problems = new ArrayList<>();
        item(document, "", locator, resources, problems);
        return new Decoded(resources, problems);
    }

    private static void item(JsonNode node, String prefix, Locator locator, List<CalicoResource> out, List<ResourceProblem> problems) {
        Check c = new Check(prefix, locator);
        if (node == null || !node.isObject()) {
            c.add("", "expected a resource: a mapping with apiVersion, kind, metadata and spec");
            problems.addAll(c.problems);
            return;
        }
        String kind = node.path("kind").isValueNode() ? node.path("kind").asText() : null;
        if (kind == null || kind.isEmpty()) {
            c.add("kind", "kind is required");
            problems.addAll(c.problems);
            return;
        }
        if (kind.equals("List") || kind.endsWith("List") && node.has("items")) {
            JsonNode items = node.path("items");
            if (!items.isArray()) {
                c.add("items", "a List needs an items sequence");
                problems.addAll(c.problems);
                return;
            }
            for (int i = 0; i < items.size(); i++) {
                item(items.get(i), prefix + "items[" + i + "].", locator, out, problems);
            }
            return;
        }
        if (!kind.equals("Node") && !kind.equals("BGPPeer") && !kind.equals("BGPConfiguration")) {
            return;
        }
        String apiVersion = node.path("apiVersion").asText("");
        if (!API_VERSIONS.contains(apiVersion)) {
            c.add("apiVersion", "apiVersion '" + apiVersion + "' of a " + kind + " is not projectcalico.org/v3");
            problems.addAll(c.problems);
            return;
        }
        CalicoResource r = switch (kind) {
            case "Node" -> node(c, c.bind(node, Shapes.Node.class));
            case "BGPPeer" -> peer(c, c.bind(node, Shapes.BgpPeer.class));
            default -> configuration(c, c.bind(node, Shapes.BgpConfiguration.class));
        };
        if (c.problems.isEmpty() && r != null) {
            out.add(r);
        }
        problems.addAll(c.problems);
    }

    private static CalicoNode node(Check c, Shapes.Node n) {
        if (n == null) {
            return null;
        }
        String name = c.name(n.metadata());
        Shapes.NodeBgp bgp = n.spec() == null || n.spec().bgp() == null ? new Shapes.NodeBgp(null, null, null, null) : n.spec().bgp();
        InetAddress v4 = bgp.ipv4Address() == null ? null : c.get("spec.bgp.ipv4Address", () -> {
            InetAddress a = Values.interfaceAddress(bgp.ipv4Address());
            if (!(a instanceof Inet4Address)) {
                throw new IllegalArgumentException("'" + bgp.ipv4Address() + "' is not an IPv4 address");
            }
            return a;
        });
        InetAddress v6 = bgp.ipv6Address() == null ? null : c.get("spec.bgp.ipv6Address", () -> {
            InetAddress a = Values.interfaceAddress(bgp.ipv6Address());
            if (!(a instanceof Inet6Address)) {
                throw new IllegalArgumentException("'" + bgp.ipv6Address() + "' is not an IPv6 address");
            }
            return a;
        });
        Long as = bgp.asNumber() == null ? null : c.get("spec.bgp.asNumber", () -> Values.asNumber(bgp.asNumber()));
        Inet4Address clusterId = bgp.routeReflectorClusterID() == null || bgp.routeReflectorClusterID().isEmpty() ? null
                : c.get("spec.bgp.routeReflectorClusterID", () -> Values.ipv4(bgp.routeReflectorClusterID()));
        if (!c.problems.isEmpty()) {
            return null;
        }
        Map<String, String> labels = n.metadata().labels() == null ? Map.of() : n.metadata().labels();
        return new CalicoNode(name, labels, (Inet4Address) v4, (Inet6Address) v6, as, clusterId, c.source());
    }

    private static BgpPeer peer(Check c, Shapes.BgpPeer p) {
        if (p == null) {
            return null;
        }
        String name = c.name(p.metadata());
        if (p.spec() == null) {
            c.add("spec", "spec is required");
            return null;
        }
        Shapes.BgpPeerSpec s = p.spec();
        String node = s.node() == null || s.node().isEmpty() ? null : s.node();
        Selector nodeSelector = blank(s.nodeSelector()) ? null : c.selector("spec.nodeSelector", s.nodeSelector());
        if (node != null && !blank(s.nodeSelector())) {
            c.add("spec.nodeSelector", "node and nodeSelector are exclusive");
        }
        Selector peerSelector = blank(s.peerSelector()) ? null : c.selector("spec.peerSelector", s.peerSelector());
        Values.IpPort peer = null;
        Long as = null;
        if (!blank(s.peerSelector())) {
            if (!blank(s.peerIP())) {
                c.add("spec.peerIP", "peerIP and peerSelector are exclusive");
            }
            if (!blank(s.asNumber())) {
                c.add("spec.asNumber", "asNumber must be empty with peerSelector (the selected nodes' AS applies)");
            }
        } else if (blank(s.peerIP())) {
            c.add("spec.peerIP", "one of peerIP and peerSelector is required");
        } else {
            peer = c.get("spec.peerIP", () -> Values.ipPort(s.peerIP()));
            if (blank(s.asNumber())) {
                c.add("spec.asNumber", "asNumber is required with peerIP");
            } else {
                as = c.get("spec.asNumber", () -> Values.asNumber(s.asNumber()));
            }
        }
        SecretKeyRef password = s.password() == null ? null : c.secret("spec.password", s.password());
        Integer restart = blank(s.maxRestartTime()) ? null : c.get("spec.maxRestartTime", () -> {
            long secs = Values.durationSeconds(s.maxRestartTime());
            if (secs > 4095) {
                throw new IllegalArgumentException("maxRestartTime " + s.maxRestartTime() + " exceeds 4095 s (RFC 4724 §3)");
            }
            return (int) secs;
        });
        Integer keepalive = blank(s.keepaliveTime()) ? null : c.get("spec.keepaliveTime", () -> {
            long secs = Values.durationSeconds(s.keepaliveTime());
            if (secs < 1 || secs > 21845) {
                throw new IllegalArgumentException("keepaliveTime " + s.keepaliveTime() + " is not 1 s..21845 s");
            }
            return (int) secs;
        });
        int allowedLocalAs = s.numAllowedLocalASNumbers() == null ? 0 : s.numAllowedLocalASNumbers();
        if (allowedLocalAs < 0) {
            c.add("spec.numAllowedLocalASNumbers", "numAllowedLocalASNumbers " + allowedLocalAs + " is not 0 or more");
        }
        int ttl = s.ttlSecurity() == null ? 0 : s.ttlSecurity();
        if (ttl < 0 || ttl > 254) {
            c.add("spec.ttlSecurity", "ttlSecurity " + ttl + " is not 0..254 hops");
        }
        boolean useNodeIp = true;
        if (!blank(s.sourceAddress())) {
            switch (s.sourceAddress()) {
                case "UseNodeIP" -> useNodeIp = true;
                case "None" -> useNodeIp = false;
                default -> c.add("spec.sourceAddress", "sourceAddress '" + s.sourceAddress() + "' is not UseNodeIP or None");
            }
        }
        Map<String, String> annotations = p.metadata() == null || p.metadata().annotations() == null ? Map.of()
                : p.metadata().annotations();
        String limit = annotations.get(BgpPeer.MAX_PREFIXES_ANNOTATION);
        Integer maxPrefixes = limit == null ? null : c.get("metadata.annotations." + BgpPeer.MAX_PREFIXES_ANNOTATION, () -> {
            int n;
            try {
                n = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0) {
                throw new IllegalArgumentException("'" + limit + "' is not a number of routes (0 = no limit)");
            }
            return n;
        });
        if (!c.problems.isEmpty()) {
            return null;
        }
        return new BgpPeer(name, node, nodeSelector, peer == null ? null : peer.address(), peer == null ? 0 : peer.port(), peerSelector,
                as, password, Boolean.TRUE.equals(s.keepOriginalNextHop()), restart, ttl, useNodeIp, keepalive, c.source(),
                maxPrefixes, allowedLocalAs);
    }

    private static BgpConfiguration configuration(Check c, Shapes.BgpConfiguration b) {
        if (b == null) {
            return null;
        }
        String name = c.name(b.metadata());
        if (name != null && !name.equals(BgpConfiguration.DEFAULT)
                && !(name.startsWith(BgpConfiguration.NODE_PREFIX) && name.length() > BgpConfiguration.NODE_PREFIX.length())) {
            c.add("metadata.name", "a BGPConfiguration is named 'default' or 'node.<node name>', not '" + name + "'");
        }
        Shapes.BgpConfigurationSpec s = b.spec() == null ? new Shapes.BgpConfigurationSpec(null, null, null, null, null, null, null, null)
                : b.spec();
        Long as = blank(s.asNumber()) ? null : c.get("spec.asNumber", () -> Values.asNumber(s.asNumber()));
        if (s.listenPort() != null && (s.listenPort() < 1 || s.listenPort() > 0xFFFF)) {
            c.add("spec.listenPort", "listenPort " + s.listenPort() + " is not 1..65535");
        }
        SecretKeyRef meshPassword = s.nodeMeshPassword() == null ? null : c.secret("spec.nodeMeshPassword", s.nodeMeshPassword());
        Integer meshRestart = blank(s.nodeMeshMaxRestartTime()) ? null : c.get("spec.nodeMeshMaxRestartTime", () -> {
            long secs = Values.durationSeconds(s.nodeMeshMaxRestartTime());
            if (secs > 4095) {
                throw new IllegalArgumentException("nodeMeshMaxRestartTime " + s.nodeMeshMaxRestartTime() + " exceeds 4095 s (RFC 4724 §3)");
            }
            return (int) secs;
        });
        if (!blank(s.logSeverityScreen()) && !BgpConfiguration.LOG_SEVERITIES.contains(s.logSeverityScreen())) {
            c.add("spec.logSeverityScreen", "logSeverityScreen '" + s.logSeverityScreen() + "' is not one of " + BgpConfiguration.LOG_SEVERITIES);
        }
        if (!blank(s.bindMode()) && !s.bindMode().equals("None") && !s.bindMode().equals("NodeIP")) {
            c.add("spec.bindMode", "bindMode '" + s.bindMode() + "' is not None or NodeIP");
        }
        List<String> communities = new ArrayList<>();
        if (s.communities() != null) {
            for (int i = 0; i < s.communities().size(); i++) {
                Shapes.Community k = s.communities().get(i);
                if (k == null || blank(k.name()) || k.value() == null || !k.value().matches("\\d{1,10}:\\d{1,10}(:\\d{1,10})?")) {
                    c.add("spec.communities[" + i + "]", "a community needs a name and a value aa:nn or aa:nn:mm");
                } else {
                    communities.add(k.name() + "=" + k.value());
                }
            }
        }
        if (!c.problems.isEmpty()) {
            return null;
        }
        return new BgpConfiguration(name, s.nodeToNodeMeshEnabled(), as, blank(s.logSeverityScreen()) ? null : s.logSeverityScreen(), s.listenPort(), meshPassword, meshRestart,
                blank(s.bindMode()) ? null : s.bindMode(), communities, c.source());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Collects one resource's problems, each located at its field. */
    private static final class Check {
        private final String prefix;
        private final Locator locator;
        private final List<ResourceProblem> problems = new ArrayList<>();

        Check(String prefix, Locator locator) {
            this.prefix = prefix;
            this.locator = locator;
        }

        void add(String field, String message) {
            String path = field.isEmpty() ? stripDot(prefix) : prefix + field;
            problems.add(new ResourceProblem(locator.at(path), path, message));
        }

        String source() {
            return locator.at(stripDot(prefix));
        }

        <T> T get(String field, Supplier<T> parse) {
            try {
                return parse.get();
            } catch (IllegalArgumentException e) {
                add(field, e.getMessage());
                return null;
            }
        }

        <T> T bind(JsonNode node, Class<T> type) {
            try {
                return MAPPER.treeToValue(node, type);
            } catch (JsonMappingException e) {
                StringBuilder path = new StringBuilder();
                for (JsonMappingException.Reference r : e.getPath()) {
                    if (r.getFieldName() != null) {
                        path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
                    } else if (r.getIndex() >= 0) {
                        path.append('[').append(r.getIndex()).append(']');
                    }
                }
                String message = e.getOriginalMessage();
                int nl = message.indexOf('\n');
                add(path.toString(), "wrong type: " + (nl < 0 ? message : message.substring(0, nl)));
                return null;
            } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
                add("", "cannot bind: " + e.getMessage());
                return null;
            }
        }

        String name(Shapes.Metadata metadata) {
            if (metadata == null || blank(metadata.name())) {
                add("metadata.name", "metadata.name is required");
                return null;
            }
            return metadata.name();
        }

        Selector selector(String field, String text) {
            try {
                return SelectorParser.parse(text);
            } catch (SelectorException e) {
                add(field, "selector '" + text + "': " + e.getMessage());
                return null;
            }
        }

        SecretKeyRef secret(String field, Shapes.Password p) {
            if (p.secretKeyRef() == null) {
                add(field + ".secretKeyRef", "a password is given as secretKeyRef {name, key}");
                return null;
            }
            return get(field + ".secretKeyRef", () -> new SecretKeyRef(p.secretKeyRef().name(), p.secretKeyRef().key()));
        }

        private static String stripDot(String p) {
            return p.endsWith(".") ? p.substring(0, p.length() - 1) : p;
        }
    }
}
