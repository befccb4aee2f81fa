package io.routereflector.datastore.etcd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.routereflector.datastore.ResourceProblem;
import io.routereflector.datastore.calico.CalicoResource;
import io.routereflector.datastore.calico.ResourceDecoder;
import io.routereflector.datastore.derive.DaemonSettings;
import io.routereflector.datastore.derive.Derivation;
import io.routereflector.datastore.derive.Identity;
import io.routereflector.datastore.derive.Layouts;
import io.routereflector.datastore.derive.LegacyDerivation;
import io.routereflector.datastore.derive.PeerDerivation;
import io.routereflector.reflector.config.ReflectorConfig;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What we hold of etcd: the v3 resources (decoded once per change of their key), the legacy keys of the
 * v3 keyspace and those of the v2 keyspace, and the derivation over all of it. Not thread-safe: the
 * datastore's worker thread owns it. A pure value apart from that, so the keyspace rules are unit-tested
 * without a server.
 *
 * <p>Which layout applies: the v3 resources when there are any, the legacy keys when there are any, both
 * through {@link Layouts#combine} when both are present (v3 wins where both speak). A legacy-only
 * install is derived from its keys alone, so its {@code global/as_num} and {@code cluster_id} apply.
 * When the v2 and the v3 keyspace hold the same legacy key, the v3 keyspace wins: it is what every
 * current Calico tool writes, the v2 keyspace is only read for installs the old image set up.
 */
final class EtcdView {

    static final String RESOURCES = "/calico/resources/v3/projectcalico.org/";
    static final List<String> PLURALS = List.of("nodes", "bgppeers", "bgpconfigurations", "ippools", "bgpfilters");
    static final String LEGACY = LegacyDerivation.PREFIX;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ResourceDecoder.Decoded> resources = new TreeMap<>();
    private final Map<String, String> legacyV3 = new TreeMap<>();
    private final Map<String, String> legacyV2 = new TreeMap<>();

    /** The key prefixes the v3 keyspace is read and watched under. */
    static List<String> prefixes() {
        List<String> out = new ArrayList<>();
        for (String p : PLURALS) {
            out.add(RESOURCES + p + "/");
        }
        out.add(LEGACY);
        return out;
    }

    /** Replaces everything read from the v3 keyspace (a snapshot). */
    void replaceV3(Map<String, byte[]> keys) {
        resources.clear();
        legacyV3.clear();
        keys.forEach(this::put);
    }

    /** A put in the v3 keyspace; keys outside our prefixes are ignored. */
    void put(String key, byte[] value) {
        if (key.startsWith(LEGACY)) {
            legacyV3.put(key, new String(value, StandardCharsets.UTF_8));
            return;
        }
        String plural = plural(key);
        if (plural != null) {
            resources.put(key, decode(key, plural, value));
        }
    }

    void delete(String key) {
        resources.remove(key);
        legacyV3.remove(key);
    }

    void replaceV2(Map<String, String> keys) {
        legacyV2.clear();
        keys.forEach((k, v) -> {
            if (k.startsWith(LEGACY)) {
                legacyV2.put(k, v);
            }
        });
    }

    void putV2(String key, String value) {
        if (key.startsWith(LEGACY)) {
            legacyV2.put(key, value);
        }
    }

    /** A v2 delete or expiry; a directory takes everything under it along. */
    void deleteV2(String key, boolean dir) {
        legacyV2.remove(key);
        if (dir) {
            String under = key.endsWith("/") ? key : key + "/";
            legacyV2.keySet().removeIf(k -> k.startsWith(under));
        }
    }

    int size() {
        return resources.size() + legacyV3.size() + legacyV2.size();
    }

    Derivation derive(Identity id, Path secretsDir) {
        List<CalicoResource> decoded = new ArrayList<>();
        List<ResourceProblem> problems = new ArrayList<>();
        for (ResourceDecoder.Decoded d : resources.values()) {
            decoded.addAll(d.resources());
            problems.addAll(d.problems());
        }
        Map<String, String> legacy = new TreeMap<>(legacyV2);
        legacy.putAll(legacyV3);
        Derivation v3 = !resources.isEmpty() || legacy.isEmpty() ? PeerDerivation.derive(id, decoded, secretsDir) : null;
        Derivation result;
        if (legacy.isEmpty()) {
            result = v3;
        } else {
            ReflectorConfig base = v3 == null ? null : v3.config();
            Inet4Address ip = id.ipv4() != null ? id.ipv4() : base != null ? base.routerId() : null;
            Inet6Address ip6 = id.ipv6();
            if (ip6 == null && base != null) {
                for (InetAddress a : base.listenAddresses()) {
                    if (a instanceof Inet6Address v6) {
                        ip6 = v6;
                    }
                }
            }
            if (ip == null) {
                List<ResourceProblem> p = new ArrayList<>(v3 == null ? List.of() : v3.problems());
                p.add(new ResourceProblem(LEGACY, "", "the legacy keys are keyed by our IPv4 address: give IP (--ip) to read them"));
                result = new Derivation(base, p, v3 == null ? DaemonSettings.NONE : v3.settings());
            } else {
                Derivation old = LegacyDerivation.derive(ip, ip6, legacy);
                result = v3 == null ? old : Layouts.combine(v3, old);
            }
        }
        problems.addAll(result.problems());
        return new Derivation(result.config(), problems, result.settings());
    }

    private static String plural(String key) {
        if (!key.startsWith(RESOURCES)) {
            return null;
        }
        String rest = key.substring(RESOURCES.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            return null;
        }
        String plural = rest.substring(0, slash);
        return PLURALS.contains(plural) ? plural : null;
    }

    /**
     * One value: the resource JSON as libcalico-go stores it. The key says what it is, so a value
     * without {@code kind}/{@code apiVersion} (some writers leave the type meta out) is still read.
     */
    static ResourceDecoder.Decoded decode(String key, String plural, byte[] value) {
        JsonNode tree;
        try {
            tree = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            return new ResourceDecoder.Decoded(List.of(), List.of(new ResourceProblem(key, "", "not JSON" + at + ": " + e.getOriginalMessage())));
        } catch (java.io.IOException e) {
            return new ResourceDecoder.Decoded(List.of(), List.of(new ResourceProblem(key, "", "unreadable: " + e.getMessage())));
        }
        if (tree == null || !tree.isObject()) {
            return new ResourceDecoder.Decoded(List.of(), List.of(new ResourceProblem(key, "", "expected a JSON object (a Calico resource)")));
        }
        ObjectNode o = (ObjectNode) tree;
        String kind = switch (plural) {
            case "nodes" -> "Node";
            case "bgppeers" -> "BGPPeer";
            case "ippools" -> "IPPool";
            case "bgpfilters" -> "BGPFilter";
            default -> "BGPConfiguration";
        };
        if (!o.path("kind").isTextual()) {
            o.put("kind", kind);
        } else if (!o.path("kind").asText().equals(kind)) {
            return new ResourceDecoder.Decoded(List.of(), List.of(new ResourceProblem(key, "kind", "a " + o.path("kind").asText()
                    + " under " + plural + "/ (expected " + kind + ")")));
        }
        if (!o.path("apiVersion").isTextual()) {
            o.put("apiVersion", "projectcalico.org/v3");
        }
        return ResourceDecoder.decode(o, field -> key);
    }
}
