package io.routereflector.testbed;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Reads {@code gobgp neighbor -j} and {@code gobgp global rib -j} (GoBGP 3.x API JSON). */
final class GobgpJson {

    /** api.PeerState.SessionState numbering. */
    private static final String[] SESSION_STATES = {
        "unknown", "idle", "connect", "active", "opensent", "openconfirm", "established"};
    private static final String[] ORIGINS = {"igp", "egp", "incomplete"};

    private GobgpJson() {
    }

    static List<GobgpPeer.GobgpNeighbor> neighbors(JsonNode root) {
        List<GobgpPeer.GobgpNeighbor> result = new ArrayList<>();
        for (JsonNode peer : root) {
            JsonNode state = peer.path("state");
            JsonNode session = state.path("session_state");
            String name = session.isInt() && session.asInt() >= 0 && session.asInt() < SESSION_STATES.length
                    ? SESSION_STATES[session.asInt()] : session.asText("unknown").toLowerCase(java.util.Locale.ROOT);
            List<String> caps = new ArrayList<>();
            for (JsonNode cap : state.path("remote_cap")) {
                String url = cap.path("type_url").asText();
                caps.add(url.substring(url.lastIndexOf('.') + 1));
            }
            String address = peer.path("conf").path("neighbor_address").asText(state.path("neighbor_address").asText());
            result.add(new GobgpPeer.GobgpNeighbor(address, peer.path("conf").path("peer_asn").asLong(), name, caps));
        }
        return result;
    }

    /** The RIB object maps each prefix to its paths; attributes are typed by their RFC code. */
    static List<PeerRoute> routes(JsonNode root) {
        List<PeerRoute> result = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> prefixes = root.fields();
        while (prefixes.hasNext()) {
            Map.Entry<String, JsonNode> entry = prefixes.next();
            for (JsonNode path : entry.getValue()) {
                result.add(route(entry.getKey(), path));
            }
        }
        return List.copyOf(result);
    }

    private static PeerRoute route(String prefix, JsonNode path) {
        String nextHop = "";
        String origin = "";
        List<Long> asPath = new ArrayList<>();
        long med = -1;
        long localPref = -1;
        List<String> communities = new ArrayList<>();
        List<String> large = new ArrayList<>();
        List<String> ext = new ArrayList<>();
        String originator = "";
        List<String> clusterList = new ArrayList<>();
        for (JsonNode attr : path.path("attrs")) {
            switch (attr.path("type").asInt()) {
                case 1 -> {
                    int code = attr.path("value").asInt();
                    origin = code >= 0 && code < ORIGINS.length ? ORIGINS[code] : String.valueOf(code);
                }
                case 2 -> {
                    for (JsonNode segment : attr.path("as_paths")) {
                        for (JsonNode asn : segment.path("asns")) {
                            asPath.add(asn.asLong());
                        }
                    }
                }
                case 3 -> nextHop = attr.path("nexthop").asText();
                case 4 -> med = attr.path("metric").asLong();
                case 5 -> localPref = attr.path("value").asLong();
                case 8 -> {
                    for (JsonNode c : attr.path("communities")) {
                        communities.add(PeerRoute.community(c.asLong()));
                    }
                }
                case 9 -> originator = attr.path("value").asText();
                case 10 -> {
                    for (JsonNode id : attr.path("value")) {
                        clusterList.add(id.asText());
                    }
                }
                case 14 -> {
                    // MP_REACH_NLRI: IPv6 next hops live here (global first, then link-local).
                    if (attr.has("nexthop")) {
                        nextHop = attr.path("nexthop").asText();
                    } else if (attr.path("nexthops").size() > 0) {
                        nextHop = attr.path("nexthops").get(0).asText();
                    }
                }
                case 16 -> {
                    for (JsonNode c : attr.path("value")) {
                        int type = c.path("type").asInt();
                        int subtype = c.path("subtype").asInt();
                        String value = c.path("value").asText();
                        ext.add(subtype == 2 && (type == 0 || type == 1 || type == 2)
                                ? "rt:" + value : type + ":" + subtype + ":" + value);
                    }
                }
                case 32 -> {
                    for (JsonNode c : attr.path("value")) {
                        large.add(c.path("ASN").asLong() + ":" + c.path("LocalData1").asLong() + ":"
                                + c.path("LocalData2").asLong());
                    }
                }
                default -> {
                    // other attributes are not compared by tests
                }
            }
        }
        return new PeerRoute(prefix, path.path("neighbor-ip").asText(""), path.path("best").asBoolean(false),
                nextHop, origin, asPath, med, localPref, communities, large, ext, originator, clusterList);
    }
}
