package io.routereflector.datastore.kdd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.routereflector.datastore.ResourceProblem;
import io.routereflector.datastore.calico.BgpConfiguration;
import io.routereflector.datastore.calico.BgpPeer;
import io.routereflector.datastore.calico.CalicoResource;
import io.routereflector.datastore.calico.ResourceDecoder;
import io.routereflector.datastore.calico.SecretKeyRef;
import io.routereflector.datastore.derive.Derivation;
import io.routereflector.datastore.derive.Identity;
import io.routereflector.datastore.derive.PeerDerivation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What we hold of the API server: each Node and CRD object decoded once per change, the password
 * Secrets by name, and the one derivation over it all (the same as for etcd and files). Not thread-safe:
 * the datastore's worker owns it; a value apart from that, so the mapping is unit-tested without a server.
 */
final class KddView {

    static final String NODES = "nodes";
    static final String BGPPEERS = "bgppeers";
    static final String BGPCONFIGURATIONS = "bgpconfigurations";
    /** The export policy's kinds (IPPools, BGPFilters): read as calico/node reads them. */
    static final String IPPOOLS = "ippools";
    static final String BGPFILTERS = "bgpfilters";
    static final List<String> CRDS = List.of(BGPPEERS, BGPCONFIGURATIONS, IPPOOLS, BGPFILTERS);

    /** The Calico kind of a CRD plural. */
    static String kindOf(String plural) {
        return switch (plural) {
            case BGPPEERS -> "BGPPeer";
            case IPPOOLS -> "IPPool";
            case BGPFILTERS -> "BGPFilter";
            default -> "BGPConfiguration";
        };
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String namespace;
    private final Map<String, Map<String, ResourceDecoder.Decoded>> byKind = new TreeMap<>();
    private final Map<String, Map<String, String>> secrets = new TreeMap<>();

    KddView(String namespace) {
        this.namespace = namespace;
    }

    /** A core/v1 Node. */
    void putNode(String name, Map<String, String> labels, Map<String, String> annotations) {
        kind(NODES).put(name, NodeMapping.decode(name, labels, annotations, NODES + "/" + name));
    }

    /** Nodes without a BGP address annotation: calico/node has not started there yet. */
    Set<String> pendingNodes() {
        Set<String> out = new TreeSet<>();
        kind(NODES).forEach((name, d) -> {
            if (d.resources().isEmpty() && d.problems().stream().noneMatch(p -> !p.field().startsWith("metadata.annotations."))) {
                out.add(name);
            }
        });
        return out;
    }

    /** A BGPPeer, BGPConfiguration, IPPool or BGPFilter object as the API server returns it (crd.projectcalico.org/v1 or projectcalico.org/v3). */
    void putCrd(String plural, String name, JsonNode object) {
        kind(plural).put(name, decodeCrd(plural, name, object));
    }

    void delete(String kind, String name) {
        kind(kind).remove(name);
    }

    /** Forgets a kind before its fresh list is put back. */
    void clear(String kind) {
        kind(kind).clear();
    }

    /** A Secret's data (base64, as the API returns it) and stringData. */
    void putSecret(String name, Map<String, String> data, Map<String, String> stringData) {
        Map<String, String> values = new TreeMap<>();
        if (data != null) {
            data.forEach((k, v) -> values.put(k, new String(Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (stringData != null) {
            values.putAll(stringData);
        }
        secrets.put(name, values);
    }

    void deleteSecret(String name) {
        secrets.remove(name);
    }

    /** The Secrets the current BGPPeers and BGPConfigurations name, to be watched by name. */
    Set<String> secretNames() {
        Set<String> names = new TreeSet<>();
        for (CalicoResource r : resources()) {
            SecretKeyRef ref = r instanceof BgpPeer p ? p.password() : r instanceof BgpConfiguration c ? c.nodeMeshPassword() : null;
            if (ref != null) {
                names.add(ref.name());
            }
        }
        return names;
    }

    int size() {
        int n = secrets.size();
        for (Map<String, ResourceDecoder.Decoded> m : byKind.values()) {
            n += m.size();
        }
        return n;
    }

    Derivation derive(Identity id) {
        List<ResourceProblem> problems = new ArrayList<>();
        for (Map<String, ResourceDecoder.Decoded> m : byKind.values()) {
            m.values().forEach(d -> problems.addAll(d.problems()));
        }
        Derivation d = PeerDerivation.deriveWithSecrets(id, resources(), this::password);
        problems.addAll(d.problems());
        return new Derivation(d.config(), problems, d.settings());
    }

    private String password(SecretKeyRef ref) {
        Map<String, String> secret = secrets.get(ref.name());
        if (secret == null) {
            throw new IllegalArgumentException("secret " + ref + " not found: no Secret '" + ref.name() + "' in namespace " + namespace);
        }
        String value = secret.get(ref.key());
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("secret " + ref + ": Secret '" + ref.name() + "' in namespace " + namespace + " has no key '"
                    + ref.key() + "'");
        }
        return value;
    }

    private List<CalicoResource> resources() {
        List<CalicoResource> out = new ArrayList<>();
        for (Map<String, ResourceDecoder.Decoded> m : byKind.values()) {
            m.values().forEach(d -> out.addAll(d.resources()));
        }
        return out;
    }

    private Map<String, ResourceDecoder.Decoded> kind(String kind) {
        return byKind.computeIfAbsent(kind, k -> new TreeMap<>());
    }

    /** The CRD's spec is the v3 spec; the plural says the kind even if the object leaves its type meta out. */
    static ResourceDecoder.Decoded decodeCrd(String plural, String name, JsonNode object) {
        String source = plural + "/" + name;
        if (object == null || !object.isObject()) {
            return new ResourceDecoder.Decoded(List.of(), List.of(new ResourceProblem(source, "", "expected an object")));
        }
        ObjectNode o = ((ObjectNode) object).deepCopy();
        o.put("kind", kindOf(plural));
        o.put("apiVersion", "projectcalico.org/v3");
        return ResourceDecoder.decode(o, field -> source);
    }
}
