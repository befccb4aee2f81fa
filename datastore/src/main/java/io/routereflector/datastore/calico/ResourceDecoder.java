package io.routereflector.datastore.calico;

import com.fasterxml.jackson.databind.DeserializationFeature;
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
 * Binds one calicoctl document (a resource, or a {@code List} of them) and validates it field by field,
 * as calico/node converts each field on its own: a bad field is reported (where, which field, its value,
 * what was expected and what applies instead) and falls back alone, while the rest of the resource
 * applies. Only a resource that cannot mean anything without the bad field (a BGPPeer without a usable
 * peerIP, a selector that does not parse) is skipped. Other kinds (IPPool, …) are ignored without a
 * word, since calicoctl files commonly mix them in. Used by the file datastore (one
 * document per YAML/JSON document) and the etcd one (one value per key).
 */
public final class ResourceDecoder {

    /** Maps a dotted field path (e.g. {@code items[1].spec.peerIP}, "" for the document) to a source for problems. */
    public interface Locator {
        String at(String field);
    }

    /** @param skipped how many resources of the document were left out as a whole (a bad field alone never does that) */
    public record Decoded(List<CalicoResource> resources, List<ResourceProblem> problems, int skipped) {
        public Decoded {
            resources = List.copyOf(resources);
            problems = List.copyOf(problems);
        }

        /** A document that is no resource at all. */
        public Decoded(List<CalicoResource> resources, List<ResourceProblem> problems) {
            this(resources, problems, problems.isEmpty() ? 0 : 1);
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
        int[] skipped = {0};
        item(document, "", locator, resources, problems, skipped);
        return new Decoded(resources, problems, skipped[0]);
    }

    private static void item(JsonNode node, String prefix, Locator locator, List<CalicoResource> out, List<ResourceProblem> problems,
                             int[] skipped) {
        Check c = new Check(prefix, locator);
        if (node == null || !node.isObject()) {
            c.add("", "expected a resource: a mapping with apiVersion, kind, metadata and spec");
            problems.addAll(c.problems);
            skipped[0]++;
            return;
        }
        String kind = node.path("kind").isValueNode() ? node.path("kind").asText() : null;
        if (kind == null || kind.isEmpty()) {
            c.add("kind", "kind is required");
            problems.addAll(c.problems);
            skipped[0]++;
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
                item(items.get(i), prefix + "items[" + i + "].", locator, out, problems, skipped);
            }
            return;
        }
        if (!kind.equals("Node") && !kind.equals("BGPPeer") && !kind.equals("BGPConfiguration")
                && !PolicyDecoder.KINDS.contains(kind)) {
            return;
        }
        String apiVersion = node.path("apiVersion").asText("");
        if (!API_VERSIONS.contains(apiVersion)) {
            c.add("apiVersion", "apiVersion '" + apiVersion + "' of a " + kind + " is not projectcalico.org/v3");
            problems.addAll(c.problems);
            skipped[0]++;
            return;
        }
        // The export policy's parts, decoded apart: a bad policy field never takes a peering with it.
        PolicyDecoder.decode(kind, node, prefix, locator, out, problems);
        if (PolicyDecoder.KINDS.contains(kind)) {
            return;
        }
        CalicoResource r = switch (kind) {
            case "Node" -> node(c, c.bind(node, Shapes.Node.class, kind, Set.of("spec.bgp")));
            case "BGPPeer" -> peer(c, c.bind(node, Shapes.BgpPeer.class, kind, Set.of("spec")));
            default -> configuration(c, c.bind(node, Shapes.BgpConfiguration.class, kind, Set.of("spec")));
        };
        if (!c.skipped && r != null) {
            out.add(r);
        } else {
            skipped[0]++;
        }
        problems.addAll(c.problems);
    }

    private static CalicoNode node(Check c, Shapes.Node n) {
        if (n == null) {
            return null;
        }
        String name = c.name(n.metadata());
        Shapes.NodeBgp bgp = n.spec() == null || n.spec().bgp() == null ? new Shapes.NodeBgp(null, null, null, null) : n.spec().bgp();
        InetAddress v4 = blank(bgp.ipv4Address()) ? null : c.get("spec.bgp.ipv4Address", "no IPv4 peering with this node", () -> {
            InetAddress a = Values.interfaceAddress(bgp.ipv4Address());
            if (!(a instanceof Inet4Address)) {
                throw new IllegalArgumentException("'" + bgp.ipv4Address() + "' is not an IPv4 address");
            }
            return a;
        });
        InetAddress v6 = blank(bgp.ipv6Address()) ? null : c.get("spec.bgp.ipv6Address", "no IPv6 peering with this node", () -> {
            InetAddress a = Values.interfaceAddress(bgp.ipv6Address());
            if (!(a instanceof Inet6Address)) {
                throw new IllegalArgumentException("'" + bgp.ipv6Address() + "' is not an IPv6 address");
            }
            return a;
        });
        Long as = blank(bgp.asNumber()) ? null : c.get("spec.bgp.asNumber", "the cluster's AS applies", () -> Values.asNumber(bgp.asNumber()));
        Inet4Address clusterId = blank(bgp.routeReflectorClusterID()) ? null
                : c.get("spec.bgp.routeReflectorClusterID", "the node counts as no route reflector",
                        () -> Values.ipv4(bgp.routeReflectorClusterID()));
        if (name == null) {
            return null;
        }
        Map<String, String> labels = n.metadata().labels() == null ? Map.of() : n.metadata().labels();
        return new CalicoNode(name, labels, (Inet4Address) v4, (Inet6Address) v6, as, clusterId, c.source());
    }

    /**
     * A BGPPeer as calico/node's {@code updatePeersV1} reads it: what it peers with (peerIP or peerSelector)
     * and where (node or nodeSelector) must be usable or it makes no peering; every other field falls back
     * to its default alone.
     */
    private static BgpPeer peer(Check c, Shapes.BgpPeer p) {
        if (p == null) {
            return null;
        }
        String name = c.name(p.metadata());
        if (p.spec() == null) {
            c.skip("spec", "spec is required");
            return null;
        }
        Shapes.BgpPeerSpec s = p.spec();
        if (!empty(s.localWorkloadSelector())) {
            c.skip("spec.localWorkloadSelector", "peers with calico/node's local workloads; a reflector has none: no peering");
            return null;
        }
        // An empty string is unset; anything else, even blanks or a YAML block's newline, is a selector, as in
        // calico/node (a blank one means all(), a newline matches nothing).
        Selector nodeSelector = empty(s.nodeSelector()) ? null : c.selector("spec.nodeSelector", s.nodeSelector());
        String node = empty(s.node()) ? null : s.node();
        if (node != null && !empty(s.nodeSelector())) {
            // calico/node's updatePeersV1 looks at nodeSelector first.
            c.add("spec.node", "node '" + node + "' and nodeSelector are exclusive; nodeSelector applies");
            node = null;
        }
        Selector peerSelector = empty(s.peerSelector()) ? null : c.selector("spec.peerSelector", s.peerSelector());
        Values.IpPort peer = null;
        Long as = null;
        if (!empty(s.peerSelector())) {
            if (!empty(s.peerIP())) {
                c.add("spec.peerIP", "peerIP '" + s.peerIP() + "' and peerSelector are exclusive; peerSelector applies");
            }
            if (!blank(s.asNumber())) {
                c.add("spec.asNumber", "asNumber " + s.asNumber() + " must be empty with peerSelector; the selected nodes' AS applies");
            }
        } else if (empty(s.peerIP())) {
            c.skip("spec.peerIP", "one of peerIP and peerSelector is required");
        } else {
            peer = c.require("spec.peerIP", () -> Values.ipPort(s.peerIP()));
            if (blank(s.asNumber())) {
                c.skip("spec.asNumber", "asNumber is required with peerIP");
            } else {
                as = c.require("spec.asNumber", () -> Values.asNumber(s.asNumber()));
            }
            if (!empty(s.reachableBy()) && peer != null) {
                // calico/node's updatePeersV1 skips the peering when reachableBy is no address of peerIP's family.
                InetAddress via = c.require("spec.reachableBy", () -> Values.ip(s.reachableBy()));
                if (via != null && via.getClass() != peer.address().getClass()) {
                    c.skip("spec.reachableBy", "reachableBy " + s.reachableBy() + " is not of peerIP's address family");
                } else if (via != null) {
                    c.add("spec.reachableBy", "not applied: routereflector programs no kernel routes, so " + s.reachableBy()
                            + " is not made the route to " + peer.address().getHostAddress() + "; the host's own routes must reach it");
                }
            }
        }
        if (empty(s.peerSelector()) && !empty(s.reachableBy()) && empty(s.peerIP())) {
            c.add("spec.reachableBy", "reachableBy needs peerIP; ignored");
        }
        SecretKeyRef password = s.password() == null ? null : c.secret("spec.password", s.password(), "no TCP MD5");
        Integer restart = blank(s.maxRestartTime()) ? null : c.get("spec.maxRestartTime", "120 s applies", () -> {
            long secs = Values.durationSeconds(s.maxRestartTime());
            if (secs > 4095) {
                throw new IllegalArgumentException("maxRestartTime " + s.maxRestartTime() + " exceeds 4095 s (RFC 4724 §3)");
            }
            return (int) secs;
        });
        Integer keepalive = blank(s.keepaliveTime()) ? null : c.get("spec.keepaliveTime", "hold time / 3 applies", () -> {
            long secs = Values.durationSeconds(s.keepaliveTime());
            if (secs < 1 || secs > 21845) {
                throw new IllegalArgumentException("keepaliveTime " + s.keepaliveTime() + " is not 1 s..21845 s");
            }
            return (int) secs;
        });
        int allowedLocalAs = s.numAllowedLocalASNumbers() == null ? 0 : s.numAllowedLocalASNumbers();
        if (allowedLocalAs < 0) {
            c.add("spec.numAllowedLocalASNumbers", "numAllowedLocalASNumbers " + allowedLocalAs + " is not 0 or more; 0 applies");
            allowedLocalAs = 0;
        }
        int ttl = s.ttlSecurity() == null ? 0 : s.ttlSecurity();
        if (ttl < 0 || ttl > 254) {
            c.add("spec.ttlSecurity", "ttlSecurity " + ttl + " is not 0..254 hops; off");
            ttl = 0;
        }
        boolean useNodeIp = true;
        if (!blank(s.sourceAddress())) {
            switch (s.sourceAddress()) {
                case "UseNodeIP" -> useNodeIp = true;
                case "None" -> useNodeIp = false;
                default -> c.add("spec.sourceAddress", "sourceAddress '" + s.sourceAddress() + "' is not UseNodeIP or None; UseNodeIP applies");
            }
        }
        BgpPeer.NextHop nextHop = Boolean.TRUE.equals(s.keepOriginalNextHop()) ? BgpPeer.NextHop.KEEP : BgpPeer.NextHop.AUTO;
        if (s.nextHopMode() != null) {
            nextHop = switch (s.nextHopMode()) {
                case "Auto" -> BgpPeer.NextHop.AUTO;
                case "Self" -> BgpPeer.NextHop.SELF;
                case "Keep" -> BgpPeer.NextHop.KEEP;
                default -> {
                    c.add("spec.nextHopMode", "nextHopMode '" + s.nextHopMode() + "' is not Auto, Self or Keep; "
                            + (nextHop == BgpPeer.NextHop.KEEP ? "keepOriginalNextHop (Keep)" : "Auto") + " applies");
                    yield nextHop;
                }
            };
        }
        boolean manualReverse = false;
        if (s.reversePeering() != null) {
            switch (s.reversePeering()) {
                case "Auto" -> manualReverse = false;
                case "Manual" -> manualReverse = true;
                default -> c.add("spec.reversePeering", "reversePeering '" + s.reversePeering() + "' is not Auto or Manual; Auto applies");
            }
        }
        Map<String, String> annotations = p.metadata() == null || p.metadata().annotations() == null ? Map.of()
                : p.metadata().annotations();
        String limit = annotations.get(BgpPeer.MAX_PREFIXES_ANNOTATION);
        Integer maxPrefixes = limit == null ? null : c.get("metadata.annotations." + BgpPeer.MAX_PREFIXES_ANNOTATION,
                "the daemon's --max-prefixes applies", () -> {
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
        if (c.skipped || name == null) {
            return null;
        }
        return new BgpPeer(name, node, nodeSelector, peer == null ? null : peer.address(), peer == null ? 0 : peer.port(), peerSelector,
                as, password, nextHop, restart, ttl, useNodeIp, keepalive, c.source(), maxPrefixes, allowedLocalAs, manualReverse);
    }

    /** calico/node's {@code updateBGPConfigCache} converts each field on its own; so do we, each with its own fallback. */
    private static BgpConfiguration configuration(Check c, Shapes.BgpConfiguration b) {
        if (b == null) {
            return null;
        }
        String name = c.name(b.metadata());
        if (name != null && !name.equals(BgpConfiguration.DEFAULT)
                && !(name.startsWith(BgpConfiguration.NODE_PREFIX) && name.length() > BgpConfiguration.NODE_PREFIX.length())) {
            c.skip("metadata.name", "a BGPConfiguration is named 'default' or 'node.<node name>', not '" + name + "'");
        }
        Shapes.BgpConfigurationSpec s = b.spec() == null ? new Shapes.BgpConfigurationSpec(null, null, null, null, null, null, null, null)
                : b.spec();
        Long as = blank(s.asNumber()) ? null : c.get("spec.asNumber", "Calico's default AS 64512 applies",
                () -> Values.asNumber(s.asNumber()));
        Integer listenPort = s.listenPort();
        if (listenPort != null && (listenPort < 1 || listenPort > 0xFFFF)) {
            c.add("spec.listenPort", "listenPort " + listenPort + " is not 1..65535; 179 applies");
            listenPort = null;
        }
        SecretKeyRef meshPassword = s.nodeMeshPassword() == null ? null
                : c.secret("spec.nodeMeshPassword", s.nodeMeshPassword(), "no TCP MD5 on the mesh");
        Integer meshRestart = blank(s.nodeMeshMaxRestartTime()) ? null : c.get("spec.nodeMeshMaxRestartTime", "120 s applies", () -> {
            long secs = Values.durationSeconds(s.nodeMeshMaxRestartTime());
            if (secs > 4095) {
                throw new IllegalArgumentException("nodeMeshMaxRestartTime " + s.nodeMeshMaxRestartTime() + " exceeds 4095 s (RFC 4724 §3)");
            }
            return (int) secs;
        });
        String severity = blank(s.logSeverityScreen()) ? null : BgpConfiguration.severity(s.logSeverityScreen());
        if (!blank(s.logSeverityScreen()) && severity == null) {
            c.add("spec.logSeverityScreen", "logSeverityScreen '" + s.logSeverityScreen() + "' is not one of "
                    + String.join(", ", BgpConfiguration.LOG_SEVERITIES) + " (in any case); the default (Info) applies");
        }
        String bindMode = blank(s.bindMode()) ? null : s.bindMode();
        if (bindMode != null && !bindMode.equals("None") && !bindMode.equals("NodeIP")) {
            // calico/node binds to its address only for exactly "NodeIP"; anything else listens on all addresses.
            c.add("spec.bindMode", "bindMode '" + bindMode + "' is not None or NodeIP; None applies (listen on every address)");
            bindMode = null;
        }
        List<String> communities = new ArrayList<>();
        if (s.communities() != null) {
            for (int i = 0; i < s.communities().size(); i++) {
                Shapes.Community k = s.communities().get(i);
                if (k == null || blank(k.name()) || k.value() == null || !k.value().matches("\\d{1,10}:\\d{1,10}(:\\d{1,10})?")) {
                    c.add("spec.communities[" + i + "]", "a community needs a name and a value aa:nn or aa:nn:mm; this one is left out");
                } else {
                    communities.add(k.name() + "=" + k.value());
                }
            }
        }
        if (c.skipped || name == null) {
            return null;
        }
        return new BgpConfiguration(name, s.nodeToNodeMeshEnabled(), as, severity, listenPort, meshPassword, meshRestart,
                bindMode, communities, c.source());
    }

    /** Unset, as Go's empty string: a field holding only blanks is set. */
    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Collects one resource's problems, each located at its field; {@link #skip} drops the whole resource. */
    private static final class Check {
        private final String prefix;
        private final Locator locator;
        private final List<ResourceProblem> problems = new ArrayList<>();
        private boolean skipped;

        Check(String prefix, Locator locator) {
            this.prefix = prefix;
            this.locator = locator;
        }

        /** A field that falls back alone: {@code message} says what applies instead. */
        void add(String field, String message) {
            String path = field.isEmpty() ? stripDot(prefix) : prefix + field;
            problems.add(new ResourceProblem(locator.at(path), path, message));
        }

        /** A field without which the resource means nothing: it is skipped. */
        void skip(String field, String message) {
            skipped = true;
            add(field, message + "; the resource is skipped");
        }

        String source() {
            return locator.at(stripDot(prefix));
        }

        /** A field that falls back alone when it cannot be parsed; {@code fallback} says what applies then. */
        <T> T get(String field, String fallback, Supplier<T> parse) {
            try {
                return parse.get();
            } catch (IllegalArgumentException e) {
                add(field, e.getMessage() + "; " + fallback);
                return null;
            }
        }

        /** A field the resource cannot do without. */
        <T> T require(String field, Supplier<T> parse) {
            try {
                return parse.get();
            } catch (IllegalArgumentException e) {
                skip(field, e.getMessage());
                return null;
            }
        }

        <T extends Record> T bind(JsonNode node, Class<T> type, String kind, Set<String> strict) {
            return new FieldBinder(MAPPER, kind, strict, this::add).bind(node, type);
        }

        String name(Shapes.Metadata metadata) {
            if (metadata == null || blank(metadata.name())) {
                skip("metadata.name", "metadata.name is required");
                return null;
            }
            return metadata.name();
        }

        /** calico/node's nodesMatching: a selector that does not parse matches no node, so the resource makes nothing. */
        Selector selector(String field, String text) {
            try {
                return SelectorParser.parse(text);
            } catch (SelectorException e) {
                skip(field, "selector '" + text + "': " + e.getMessage() + " (matches nothing)");
                return null;
            }
        }

        SecretKeyRef secret(String field, Shapes.Password p, String fallback) {
            if (p.secretKeyRef() == null) {
                add(field + ".secretKeyRef", "a password is given as secretKeyRef {name, key}; " + fallback);
                return null;
            }
            return get(field + ".secretKeyRef", fallback, () -> new SecretKeyRef(p.secretKeyRef().name(), p.secretKeyRef().key()));
        }

        private static String stripDot(String p) {
            return p.endsWith(".") ? p.substring(0, p.length() - 1) : p;
        }
    }
}
