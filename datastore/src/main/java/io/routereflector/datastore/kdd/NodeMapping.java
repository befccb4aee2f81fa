package io.routereflector.datastore.kdd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.routereflector.datastore.ResourceProblem;
import io.routereflector.datastore.calico.ResourceDecoder;
import io.routereflector.datastore.calico.Values;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A Kubernetes core/v1 Node as the Calico Node libcalico-go makes of it: the BGP fields come from the
 * {@code projectcalico.org/*} annotations, the labels from the JSON map in {@code projectcalico.org/labels}
 * with the Kubernetes labels on top (Kubernetes wins). An invalid annotation is dropped with a problem,
 * never the node; a node without an IP annotation has no calico/node yet: no resource, no problem (the
 * datastore says so in one line) until it changes.
 */
public final class NodeMapping {

    public static final String IPV4 = "projectcalico.org/IPv4Address";
    public static final String IPV6 = "projectcalico.org/IPv6Address";
    public static final String AS_NUMBER = "projectcalico.org/ASNumber";
    public static final String CLUSTER_ID = "projectcalico.org/RouteReflectorClusterID";
    public static final String LABELS = "projectcalico.org/labels";

    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeMapping() {
    }

    /** @param source how problems name the node, e.g. {@code nodes/<name>} */
    public static ResourceDecoder.Decoded decode(String name, Map<String, String> labels, Map<String, String> annotations, String source) {
        Map<String, String> a = annotations == null ? Map.of() : annotations;
        List<ResourceProblem> problems = new ArrayList<>();
        String v4 = valid(a, IPV4, source, problems, t -> Values.interfaceAddress(t) instanceof Inet4Address ? t : fail(t, "an IPv4 address"));
        String v6 = valid(a, IPV6, source, problems, t -> Values.interfaceAddress(t) instanceof Inet6Address ? t : fail(t, "an IPv6 address"));
        String as = valid(a, AS_NUMBER, source, problems, t -> {
            Values.asNumber(t);
            return t;
        });
        String cluster = valid(a, CLUSTER_ID, source, problems, t -> {
            Values.ipv4(t);
            return t;
        });
        if (v4 == null && v6 == null) {
            // Not a fault: calico/node has not started there yet. The view lists it as pending.
            return new ResourceDecoder.Decoded(List.of(), problems);
        }
        Map<String, String> merged = new TreeMap<>(calicoLabels(a, source, problems));
        if (labels != null) {
            merged.putAll(labels);
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("apiVersion", "projectcalico.org/v3");
        node.put("kind", "Node");
        ObjectNode meta = node.putObject("metadata");
        meta.put("name", name);
        ObjectNode l = meta.putObject("labels");
        merged.forEach(l::put);
        ObjectNode bgp = node.putObject("spec").putObject("bgp");
        putIf(bgp, "ipv4Address", v4);
        putIf(bgp, "ipv6Address", v6);
        putIf(bgp, "asNumber", as);
        putIf(bgp, "routeReflectorClusterID", cluster);
        ResourceDecoder.Decoded d = ResourceDecoder.decode(node, field -> source);
        problems.addAll(d.problems());
        return new ResourceDecoder.Decoded(d.resources(), problems);
    }

    private static Map<String, String> calicoLabels(Map<String, String> a, String source, List<ResourceProblem> problems) {
        String text = a.get(LABELS);
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        Map<String, String> out = new TreeMap<>();
        try {
            JsonNode tree = JSON.readTree(text);
            if (tree == null || !tree.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            tree.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
            return out;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            problems.add(new ResourceProblem(source, "metadata.annotations." + LABELS, "not a JSON map of labels, ignored: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage())));
            return Map.of();
        }
    }

    private static String valid(Map<String, String> a, String key, String source, List<ResourceProblem> problems, Function<String, String> check) {
        String text = a.get(key);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return check.apply(text.trim());
        } catch (IllegalArgumentException e) {
            problems.add(new ResourceProblem(source, "metadata.annotations." + key, "dropped: " + e.getMessage()));
            return null;
        }
    }

    private static String fail(String text, String what) {
        throw new IllegalArgumentException("'" + text + "' is not " + what);
    }

    private static void putIf(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }
}
