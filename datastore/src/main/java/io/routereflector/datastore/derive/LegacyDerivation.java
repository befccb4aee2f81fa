package io.routereflector.datastore.derive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.routereflector.datastore.ResourceProblem;
import io.routereflector.datastore.calico.Values;
import io.routereflector.reflector.config.AddPathMode;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.PeerKind;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.rib.PeerKey;
import io.routereflector.rib.PeerRole;
import io.routereflector.wire.nlri.AddressFamily;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The legacy layout under {@code /calico/bgp/v1} as the BIRD image's templates read it ("Derivation
 * (legacy)" in CALICO.md), without that image's bugs: IPv6 is derived like IPv4, an empty or bad node
 * address skips that node alone, and the reflector mesh forms from the {@code rr_v4}/{@code rr_v6} keys.
 * A pure function over key → value; keys may be given with or without the {@code /calico/bgp/v1/} prefix.
 */
public final class LegacyDerivation {

    public static final String PREFIX = "/calico/bgp/v1/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LegacyDerivation() {
    }

    private record Rr(InetAddress ip, Inet4Address clusterId) {
    }

    private record Host(InetAddress v4, InetAddress v6, Long as) {
    }

    public static Derivation derive(Inet4Address ip, Inet6Address ip6, Map<String, String> keys) {
        if (ip == null) {
            throw new IllegalArgumentException("the legacy layout is keyed by our IPv4 address (IP), which is required");
        }
        List<ResourceProblem> problems = new ArrayList<>();
        Map<String, String> kv = new TreeMap<>();
        keys.forEach((k, v) -> kv.put(k.startsWith(PREFIX) ? k.substring(PREFIX.length()) : k.startsWith("/") ? k.substring(1) : k, v));

        long as = PeerDerivation.DEFAULT_AS;
        String asText = kv.get("global/as_num");
        if (asText != null && !asText.isBlank()) {
            try {
                as = Values.asNumber(asText.trim());
            } catch (IllegalArgumentException e) {
                problems.add(problem("global/as_num", "", e.getMessage() + "; using " + as));
            }
        }
        String mesh = kv.get("global/node_mesh");
        if (mesh != null) {
            // Read for its problems only: the node-to-node mesh is among Calico nodes, a reflector is in none.
            JsonNode m = json("global/node_mesh", mesh, problems);
            if (m != null && !m.path("enabled").isBoolean()) {
                problems.add(problem("global/node_mesh", "enabled", "expected {\"enabled\": true|false}"));
            }
        }

        Map<String, Rr> rr4 = reflectors(kv, "rr_v4/", problems);
        Map<String, Rr> rr6 = reflectors(kv, "rr_v6/", problems);
        Rr ours4 = find(rr4, ip);
        Rr ours6 = ip6 != null ? find(rr6, ip6) : null;
        Inet4Address clusterId = ours4 != null && ours4.clusterId() != null ? ours4.clusterId()
                : ours6 != null ? ours6.clusterId() : null;
        if (ours4 != null && ours6 != null && ours4.clusterId() != null && ours6.clusterId() != null
                && !ours4.clusterId().equals(ours6.clusterId())) {
            problems.add(problem("rr_v6/" + ip6.getHostAddress(), "cluster_id", "differs from rr_v4's "
                    + ours4.clusterId().getHostAddress() + ", which applies"));
        }
        Map<String, Host> hosts = hosts(kv, problems);

        Map<PeerKey, PeerConfig> peers = new LinkedHashMap<>();
        // The reflector mesh: clustered (we have an rr_v4 / rr_v6 entry) means plain iBGP with every other entry.
        if (ours4 != null) {
            for (Rr other : rr4.values()) {
                if (!other.ip().equals(ip)) {
                    add(peers, other.ip(), as, PeerRole.NON_CLIENT, ip, ip6, problems);
                }
            }
        }
        if (ours6 != null) {
            for (Rr other : rr6.values()) {
                if (!other.ip().equals(ip6)) {
                    add(peers, other.ip(), as, PeerRole.NON_CLIENT, ip, ip6, problems);
                }
            }
        }
        // Clients: a global peer entry naming us makes every host dial us; a host's own entry makes that host dial us.
        for (Map.Entry<String, String> e : kv.entrySet()) {
            String k = e.getKey();
            boolean v4 = k.startsWith("global/peer_v4/") || k.matches("host/[^/]+/peer_v4/.*");
            boolean v6 = k.startsWith("global/peer_v6/") || k.matches("host/[^/]+/peer_v6/.*");
            if (!v4 && !v6 || v6 && ip6 == null) {
                continue;
            }
            JsonNode peer = json(k, e.getValue(), problems);
            if (peer == null) {
                continue;
            }
            InetAddress named;
            try {
                named = Values.ip(peer.path("ip").asText(k.substring(k.lastIndexOf('/') + 1)));
            } catch (IllegalArgumentException ex) {
                problems.add(problem(k, "ip", ex.getMessage()));
                continue;
            }
            if (!named.equals(v4 ? ip : ip6)) {
                continue;
            }
            String asNum = peer.path("as_num").asText("");
            if (!asNum.isEmpty() && !asNum.equals(Long.toString(as))) {
                problems.add(problem(k, "as_num", "names this reflector with AS " + asNum + " but global/as_num is " + as));
            }
            List<Host> targets = new ArrayList<>();
            if (k.startsWith("global/")) {
                targets.addAll(hosts.values());
            } else {
                Host h = hosts.get(k.substring("host/".length(), k.indexOf('/', "host/".length())));
                if (h != null) {
                    targets.add(h);
                }
            }
            for (Host h : targets) {
                InetAddress a = v4 ? h.v4() : h.v6();
                // An empty node address skips that node alone (the old image froze the whole configuration).
                if (a != null && !a.equals(ip) && !a.equals(ip6)) {
                    long hostAs = h.as() != null ? h.as() : as;
                    add(peers, a, hostAs, hostAs == as ? PeerRole.CLIENT : PeerRole.EBGP, ip, ip6, problems);
                }
            }
        }
        List<PeerConfig> sorted = new ArrayList<>(peers.values());
        sorted.sort(Comparator.comparing((PeerConfig p) -> p.address() instanceof Inet6Address)
                .thenComparing(p -> p.address().getAddress(), java.util.Arrays::compareUnsigned));
        List<InetAddress> listen = ip6 != null ? List.of(ip, ip6) : List.of(ip);
        return new Derivation(new ReflectorConfig(ip, clusterId, as, listen, PeerConfig.DEFAULT_PORT, sorted, false), problems);
    }

    private static Rr find(Map<String, Rr> entries, InetAddress ip) {
        for (Rr r : entries.values()) {
            if (r.ip().equals(ip)) {
                return r;
            }
        }
        return null;
    }

    private static Map<String, Rr> reflectors(Map<String, String> kv, String prefix, List<ResourceProblem> problems) {
        Map<String, Rr> out = new TreeMap<>();
        for (Map.Entry<String, String> e : kv.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            JsonNode v = json(e.getKey(), e.getValue(), problems);
            if (v == null) {
                continue;
            }
            try {
                InetAddress a = Values.ip(v.path("ip").asText(e.getKey().substring(prefix.length())));
                if ((a instanceof Inet4Address) != prefix.equals("rr_v4/")) {
                    throw new IllegalArgumentException("'" + a.getHostAddress() + "' is of the wrong IP version for " + prefix);
                }
                String cid = v.path("cluster_id").asText("");
                Inet4Address clusterId;
                try {
                    clusterId = cid.isEmpty() ? null : Values.ipv4(cid);
                } catch (IllegalArgumentException ex) {
                    problems.add(problem(e.getKey(), "cluster_id", ex.getMessage()));
                    continue;
                }
                out.put(e.getKey(), new Rr(a, clusterId));
            } catch (IllegalArgumentException ex) {
                problems.add(problem(e.getKey(), "ip", ex.getMessage()));
            }
        }
        return out;
    }

    private static Map<String, Host> hosts(Map<String, String> kv, List<ResourceProblem> problems) {
        Map<String, Host> out = new TreeMap<>();
        for (String k : kv.keySet()) {
            if (!k.startsWith("host/") || k.indexOf('/', 5) < 0) {
                continue;
            }
            String node = k.substring(5, k.indexOf('/', 5));
            if (out.containsKey(node)) {
                continue;
            }
            String base = "host/" + node + "/";
            InetAddress v4 = address(kv, base + "ip_addr_v4", true, problems);
            InetAddress v6 = address(kv, base + "ip_addr_v6", false, problems);
            Long as = null;
            String asText = kv.get(base + "as_num");
            if (asText != null && !asText.isBlank()) {
                try {
                    as = Values.asNumber(asText.trim());
                } catch (IllegalArgumentException e) {
                    problems.add(problem(base + "as_num", "", e.getMessage() + "; node " + node + " skipped"));
                    continue;
                }
            }
            out.put(node, new Host(v4, v6, as));
        }
        return out;
    }

    private static InetAddress address(Map<String, String> kv, String key, boolean v4, List<ResourceProblem> problems) {
        String text = kv.get(key);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return v4 ? Values.ipv4(text.trim()) : Values.ipv6(text.trim());
        } catch (IllegalArgumentException e) {
            problems.add(problem(key, "", e.getMessage()));
            return null;
        }
    }

    /** The legacy keys name no ports: every peer is on 179. */
    private static void add(Map<PeerKey, PeerConfig> peers, InetAddress a, long as, PeerRole role, Inet4Address ip, Inet6Address ip6,
                            List<ResourceProblem> problems) {
        if (peers.containsKey(PeerKey.of(a))) {
            return;
        }
        AddressFamily family = a instanceof Inet4Address ? AddressFamily.IPV4_UNICAST : AddressFamily.IPV6_UNICAST;
        try {
            peers.put(PeerKey.of(a), PeerConfig.builder(a, as).role(role).addPath(Map.of(family, AddPathMode.BOTH))
                    .sourceAddress(a instanceof Inet4Address ? ip : ip6)
                    .kind(role == PeerRole.NON_CLIENT ? PeerKind.RR_MESH : PeerKind.RR_CLIENT).build());
        } catch (IllegalArgumentException e) {
            problems.add(problem("peer " + a.getHostAddress(), "", e.getMessage()));
        }
    }

    private static JsonNode json(String key, String value, List<ResourceProblem> problems) {
        try {
            JsonNode n = JSON.readTree(value);
            if (n == null || !n.isObject()) {
                problems.add(problem(key, "", "expected a JSON object"));
                return null;
            }
            return n;
        } catch (JsonProcessingException e) {
            String m = e.getOriginalMessage();
            problems.add(problem(key, "", "not JSON: " + (m.indexOf('\n') < 0 ? m : m.substring(0, m.indexOf('\n')))));
            return null;
        }
    }

    private static ResourceProblem problem(String key, String field, String message) {
        return new ResourceProblem(PREFIX + key, field, message);
    }
}
