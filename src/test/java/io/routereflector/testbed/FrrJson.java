package io.routereflector.testbed;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads FRR 8.4's vtysh JSON: {@code show bgp neighbors json} and {@code show bgp <afi> unicast json
 * detail}, whose {@code routes} map each prefix to an array: first the prefix's own object, then one
 * object per path ({@code aspath.segments}, {@code nexthops}, {@code community.list}, {@code
 * originatorId}, {@code clusterList.list}, {@code peer.peerId}, {@code stale}).
 */
final class FrrJson {

    private FrrJson() {
    }

    static List<FrrPeer.FrrNeighbor> neighbors(JsonNode root) {
        List<FrrPeer.FrrNeighbor> result = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> entries = root.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            JsonNode n = entry.getValue();
            List<String> capabilities = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> caps = n.path("neighborCapabilities").fields();
            while (caps.hasNext()) {
                Map.Entry<String, JsonNode> cap = caps.next();
                if (cap.getValue().toString().contains("eceived") || cap.getValue().toString().contains("rcv")) {
                    capabilities.add(cap.getKey());
                }
            }
            result.add(new FrrPeer.FrrNeighbor(entry.getKey(), n.path("remoteAs").asLong(), n.path("bgpState").asText(),
                    capabilities, n.path("lastResetDueTo").asText(""), n.path("connectionsEstablished").asLong()));
        }
        return result;
    }

    /** Every path of every prefix; {@code from} is the neighbor's address, empty for the peer's own. */
    static List<FrrRoute> routes(JsonNode root) {
        List<FrrRoute> result = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> prefixes = root.path("routes").fields();
        while (prefixes.hasNext()) {
            Map.Entry<String, JsonNode> entry = prefixes.next();
            for (JsonNode path : entry.getValue()) {
                if (path.has("prefix") && !path.has("nexthops")) {
                    continue; // the prefix's own object (advertisedTo, version)
                }
                result.add(route(entry.getKey(), path));
            }
        }
        return List.copyOf(result);
    }

    private static FrrRoute route(String prefix, JsonNode path) {
        List<Long> asPath = new ArrayList<>();
        for (JsonNode segment : path.path("aspath").path("segments")) {
            for (JsonNode asn : segment.path("list")) {
                asPath.add(asn.asLong());
            }
        }
        String nextHop = "";
        for (JsonNode hop : path.path("nexthops")) {
            // IPv6 paths list the global next hop first, a link-local one (scope "link-local") after it.
            if (nextHop.isEmpty() && !"link-local".equals(hop.path("scope").asText())) {
                nextHop = hop.path("ip").asText();
            }
        }
        List<String> ext = new ArrayList<>();
        String extText = path.path("extendedCommunity").path("string").asText("");
        for (String c : extText.isBlank() ? new String[0] : extText.trim().split("\\s+")) {
            ext.add(c.startsWith("RT:") ? "rt:" + c.substring(3) : c);
        }
        String peer = path.path("peer").path("peerId").asText("");
        boolean local = path.path("sourced").asBoolean(false) || path.path("local").asBoolean(false)
                || peer.equals("0.0.0.0") || peer.equals("::");
        PeerRoute route = new PeerRoute(prefix, local ? "" : peer, path.path("bestpath").path("overall").asBoolean(false),
                nextHop, path.path("origin").asText("").toLowerCase(Locale.ROOT), asPath,
                path.has("med") ? path.path("med").asLong() : path.has("metric") ? path.path("metric").asLong() : -1,
                path.has("locPrf") ? path.path("locPrf").asLong() : -1, texts(path.path("community").path("list")),
                texts(path.path("largeCommunity").path("list")), ext, path.path("originatorId").asText(""),
                texts(path.path("clusterList").path("list")));
        return new FrrRoute(route, path.path("stale").asBoolean(false), path.path("valid").asBoolean(false));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : array) {
            out.add(item.asText());
        }
        return out;
    }

    /** One FRR path: the common shape, and what only FRR shows per path (stale, next hop valid). */
    record FrrRoute(PeerRoute route, boolean stale, boolean valid) { }
}
