package io.routereflector.datastore.derive;

import io.routereflector.datastore.ResourceProblem;
import io.routereflector.datastore.calico.BgpConfiguration;
import io.routereflector.datastore.calico.BgpPeer;
import io.routereflector.datastore.calico.CalicoNode;
import io.routereflector.datastore.calico.CalicoResource;
import io.routereflector.datastore.calico.PolicyResource;
import io.routereflector.datastore.calico.SecretKeyRef;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * calico/node's peer derivation (CALICO.md rules 1–6) for our own node, or for a standalone reflector
 * known only by its addresses. A pure function: the same resources give an equal configuration, peers
 * sorted by address and port.
 *
 * <p>Which peering wins when several name one peer follows calico/node's {@code updatePeersV1}: global
 * BGPPeers first, then those with {@code node}/{@code nodeSelector}, then the reverse peerings (rule 3),
 * and the first one written wins. calico/node walks its BGPPeers in Go map order, which is arbitrary;
 * we walk them by name, so the BGPPeer whose name sorts first wins within each pass. Peerings are keyed
 * by address and port, the port being the one given in {@code peerIP}, else the peer node's listen port:
 * {@code peerIP: 10.0.0.1:1790} and {@code 10.0.0.1} are two sessions, as in calico/node. The node-to-node
 * mesh comes last.
 */
public final class PeerDerivation {

    /** Calico's default AS when neither the node nor BGPConfiguration {@code default} gives one. */
    public static final long DEFAULT_AS = 64512;

    private PeerDerivation() {
    }

    /** One wanted session before it becomes a PeerConfig. */
    /** {@code namedPort}: the port calico/node keys the peering by and names it with ({@code _port_N}); 0 = none. */
    private record Want(InetAddress address, int port, int namedPort, long as, Inet4Address peerClusterId, BgpPeer via,
                        String origin, PeerKind kind, SecretKeyRef password, String passwordField, Integer restart) {

        static Want of(InetAddress address, int namedPort, long as, Inet4Address peerClusterId, BgpPeer p, PeerKind kind) {
            return new Want(address, namedPort != 0 ? namedPort : PeerConfig.DEFAULT_PORT, namedPort, as, peerClusterId, p,
                    p.source(), kind, p.password(), "spec.password", p.maxRestartTime());
        }
    }

    public static Derivation derive(Identity id, Collection<? extends CalicoResource> resources, Path secretsDir) {
        return deriveWithSecrets(id, resources, ref -> Secrets.read(secretsDir, ref));
    }

    /**
     * @param secrets a password by its {@code secretKeyRef} (a mounted directory, or the Kubernetes API);
     *                throws IllegalArgumentException with a message starting "secret" when it cannot
     */
    public static Derivation deriveWithSecrets(Identity id, Collection<? extends CalicoResource> resources,
                                               Function<SecretKeyRef, String> secrets) {
        List<ResourceProblem> problems = new ArrayList<>();
        Map<String, CalicoNode> nodes = new TreeMap<>();
        Map<String, BgpPeer> peers = new TreeMap<>();
        Map<String, BgpConfiguration> configs = new HashMap<>();
        for (CalicoResource r : resources) {
            if (r instanceof PolicyResource) {
                continue; // ExportPolicies reads these
            }
            Map<String, ? extends CalicoResource> seen = r instanceof CalicoNode ? nodes : r instanceof BgpPeer ? peers : configs;
            CalicoResource earlier = seen.get(r.name());
            if (earlier != null) {
                problems.add(new ResourceProblem(r.source(), "metadata.name", r.kind() + " '" + r.name()
                        + "' is defined twice; the one at " + earlier.source() + " applies"));
            } else if (r instanceof CalicoNode n) {
                nodes.put(n.name(), n);
            } else if (r instanceof BgpPeer p) {
                peers.put(p.name(), p);
            } else {
                configs.put(r.name(), (BgpConfiguration) r);
            }
        }
        BgpConfiguration global = configs.get(BgpConfiguration.DEFAULT);

        CalicoNode self = null;
        if (id.nodeName() != null) {
            self = nodes.get(id.nodeName());
            if (self == null) {
                problems.add(new ResourceProblem("NODENAME", "", "no Node named '" + id.nodeName() + "'"
                        + (id.ipv4() != null ? "; deriving as a standalone reflector at " + id.ipv4().getHostAddress() : "")));
            }
        } else {
            // A standalone reflector that is nevertheless a Node (found by its address) is that Node.
            for (CalicoNode n : nodes.values()) {
                if (id.ipv4() != null && id.ipv4().equals(n.ipv4()) || id.ipv6() != null && id.ipv6().equals(n.ipv6())) {
                    self = n;
                    break;
                }
            }
        }
        DaemonSettings settings = DaemonSettings.from(self != null ? configs.get(BgpConfiguration.NODE_PREFIX + self.name()) : null, global);
        Inet4Address v4 = id.ipv4() != null ? id.ipv4() : self != null ? self.ipv4() : null;
        Inet6Address v6 = id.ipv6() != null ? id.ipv6() : self != null ? self.ipv6() : null;
        // calico/node's populateNodeConfig: CALICO_ROUTER_ID when given, else the node's IPv4 address.
        Inet4Address routerId = id.routerId() != null ? id.routerId() : v4;
        if (routerId == null || v4 == null && v6 == null) {
            problems.add(new ResourceProblem(self != null ? self.source() : "IP", self != null ? "spec.bgp.ipv4Address" : "",
                    "no IPv4 address for " + id + (v6 != null ? " and no router id (CALICO_ROUTER_ID or --router-id, an"
                            + " address or hash)" : "") + ": the router id is required"));
            return new Derivation(null, problems, settings);
        }
        long defaultAs = global != null && global.asNumber() != null ? global.asNumber() : DEFAULT_AS;
        long localAs = self != null && self.asNumber() != null ? self.asNumber() : defaultAs;
        // Rule 4 needs our cluster id: a Node's routeReflectorClusterID; a standalone reflector is one by
        // definition and uses its router id, as the legacy image did.
        Inet4Address clusterId = self != null ? self.clusterId() : routerId;
        if (self != null && clusterId == null) {
            problems.add(new ResourceProblem(self.source(), "spec.bgp.routeReflectorClusterID", "node '" + self.name()
                    + "' has no routeReflectorClusterID: it has no clients (rule 4) and joins the node-to-node mesh (rule 5)"));
        }
        Context ctx = new Context(self, v4, v6, defaultAs, localAs, nodes, configs, problems);
        BgpConfiguration own = self != null ? configs.get(BgpConfiguration.NODE_PREFIX + self.name()) : null;
        int port = own != null && own.listenPort() != null ? own.listenPort()
                : global != null && global.listenPort() != null ? global.listenPort() : PeerConfig.DEFAULT_PORT;

        Wants wants = new Wants();
        // Rules 1 and 2, global BGPPeers first (calico/node's first pass), then node-scoped ones. A standalone
        // reflector is no Node: only global ones apply to it.
        for (boolean globalPass : new boolean[] {true, false}) {
            for (BgpPeer p : peers.values()) {
                if (p.isGlobal() != globalPass || !(self != null ? p.appliesTo(self) : p.isGlobal())) {
                    continue;
                }
                // calico/node keeps global peerings under /global/peer_v4 (BIRD name Global_<ip>) and the others
                // under its own host (Node_<ip>), whether they come from a peerIP or a peerSelector.
                PeerKind kind = globalPass ? PeerKind.GLOBAL : PeerKind.NODE_SPECIFIC;
                if (p.peerSelector() != null) {
                    // Rule 1: a peerSelector expands to every matching node's IPv4 and IPv6 address.
                    for (CalicoNode n : nodes.values()) {
                        if (n != self && p.peerSelector().evaluate(n.labels())) {
                            ctx.nodeWants(wants, n, p, kind, true, true);
                        }
                    }
                } else {
                    ctx.peerIpWant(wants, p, kind);
                }
            }
        }
        // Rule 3: peerings are symmetric. A BGPPeer of node M that selects us (peerSelector), or names our
        // address with our AS (and our listen port, when it gives one), makes M dial us, so we peer with M
        // under that BGPPeer's settings — unless it says reversePeering: Manual.
        for (BgpPeer p : peers.values()) {
            boolean bySelector = p.peerSelector() != null && self != null && p.peerSelector().evaluate(self.labels());
            boolean byIp = p.peerIp() != null && (p.peerIp().equals(v4) || p.peerIp().equals(v6));
            if (!bySelector && !byIp || p.manualReverse()) {
                continue;
            }
            if (byIp && (p.asNumber() != localAs || p.peerPort() != 0 && p.peerPort() != port)) {
                // calico/node's nodesWithIPPortAndAS: the address alone does not make us the peer.
                problems.add(new ResourceProblem(p.source(), "spec.peerIP", "names this reflector's address "
                        + p.peerIp().getHostAddress() + (p.peerPort() != 0 ? " port " + p.peerPort() : "") + " with AS " + p.asNumber()
                        + ", but we are AS " + localAs + " on port " + port + ": no reverse peering, as in calico/node"));
                continue;
            }
            for (CalicoNode m : nodes.values()) {
                if (m != self && p.appliesTo(m)) {
                    ctx.nodeWants(wants, m, p, PeerKind.NODE_SPECIFIC, bySelector || p.peerIp() instanceof Inet4Address,
                            bySelector || p.peerIp() instanceof Inet6Address);
                }
            }
        }
        // Rule 5: the node-to-node mesh, unless we (or the other node) have a cluster id: such a node
        // ignores the mesh, so the other side would never answer. A standalone reflector is in no mesh.
        boolean mesh = global == null || global.nodeToNodeMeshEnabled() == null || global.nodeToNodeMeshEnabled();
        if (mesh && self != null && self.clusterId() == null) {
            for (CalicoNode n : nodes.values()) {
                if (n != self && n.clusterId() == null) {
                    ctx.meshWants(wants, n, global);
                }
            }
        }

        List<PeerConfig> out = new ArrayList<>();
        ExportPolicies policies = ExportPolicies.from(resources, self != null ? self.name() : null, problems);
        for (Want w : wants.sessions()) {
            PeerConfig pc = ctx.toPeer(w, clusterId, secrets);
            if (pc != null) {
                out.add(policies.apply(pc, w.origin()));
            }
        }
        out.sort(Comparator.comparing(PeerConfig::key));
        List<InetAddress> listen = listenAddresses(global, v4, v6);
        try {
            return new Derivation(new ReflectorConfig(routerId, clusterId, localAs, listen, port, out, false), problems, settings);
        } catch (IllegalArgumentException e) {
            problems.add(new ResourceProblem(id.toString(), "", "no configuration: " + e.getMessage()));
            return new Derivation(null, problems, settings);
        }
    }

    /**
     * calico/node's populateNodeConfig: the {@code default} BGPConfiguration's {@code bindMode: NodeIP} listens on
     * the node's addresses; anything else lets BIRD listen on every address, IPv4 and IPv6, so a peer dialling
     * another address of the host is accepted too. Both wildcards are bound side by side (the IPv6 one
     * IPv6-only, see {@code Transport}).
     */
    static List<InetAddress> listenAddresses(BgpConfiguration global, Inet4Address v4, Inet6Address v6) {
        boolean nodeIp = global != null && "NodeIP".equals(global.bindMode());
        List<InetAddress> listen = new ArrayList<>();
        try {
            if (v4 != null) {
                listen.add(nodeIp ? v4 : InetAddress.getByAddress(new byte[4]));
            }
            if (v6 != null) {
                listen.add(nodeIp ? v6 : InetAddress.getByAddress(new byte[16]));
            }
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        return listen;
    }

    /**
     * The peerings in the order they were written, keyed by address and port: the first one written for a
     * key wins, as in calico/node's {@code emit}.
     */
    private static final class Wants {
        private final Map<PeerKey, Want> byKey = new LinkedHashMap<>();
        void add(Want w) {
            byKey.putIfAbsent(new PeerKey(w.address(), w.port()), w);
        }

        Collection<Want> sessions() {
            return byKey.values();
        }
    }

    private record Context(CalicoNode self, Inet4Address v4, Inet6Address v6, long defaultAs, long localAs,
                           Map<String, CalicoNode> nodes, Map<String, BgpConfiguration> configs, List<ResourceProblem> problems) {

        CalicoNode nodeAt(InetAddress a) {
            for (CalicoNode n : nodes.values()) {
                if (a.equals(n.ipv4()) || a.equals(n.ipv6())) {
                    return n;
                }
            }
            return null;
        }

        /** A node's configured listen port: its own BGPConfiguration, else {@code default}; 0 when neither sets one (179). */
        int listenPort(CalicoNode n) {
            BgpConfiguration c = configs.get(BgpConfiguration.NODE_PREFIX + n.name());
            if (c != null && c.listenPort() != null) {
                return c.listenPort();
            }
            BgpConfiguration g = configs.get(BgpConfiguration.DEFAULT);
            return g != null && g.listenPort() != null ? g.listenPort() : 0;
        }

        long asOf(CalicoNode n) {
            return n.asNumber() != null ? n.asNumber() : defaultAs;
        }

        /** Rule 1: a peerIP is used as given; without a port, a node at that address and AS lends its listen port. */
        void peerIpWant(Wants wants, BgpPeer p, PeerKind kind) {
            InetAddress a = p.peerIp();
            if (a.equals(v4) || a.equals(v6)) {
                return;
            }
            if (a instanceof Inet6Address && v6 == null || a instanceof Inet4Address && v4 == null) {
                problems.add(new ResourceProblem(p.source(), "spec.peerIP", (a instanceof Inet6Address ? "IPv6" : "IPv4") + " peer "
                        + a.getHostAddress() + " but this reflector has no " + (a instanceof Inet6Address ? "IPv6 address (IP6)"
                        : "IPv4 address (IP)")));
                return;
            }
            CalicoNode n = nodeAt(a);
            boolean sameAs = n != null && asOf(n) == p.asNumber();
            int port = p.peerPort() != 0 ? p.peerPort() : sameAs ? listenPort(n) : 0;
            // The peer's cluster id, when it is a reflector Node: calico/node gives a peerIP peering none (it
            // becomes a client); we keep RFC 4456's rule that reflectors sharing our cluster id are non-clients.
            wants.add(Want.of(a, port, p.asNumber(), n != null ? n.clusterId() : null, p, kind));
        }

        /** A node as a peer: one session per address family we share with it (one family per session). */
        void nodeWants(Wants wants, CalicoNode n, BgpPeer p, PeerKind kind, boolean ipv4, boolean ipv6) {
            List<InetAddress> addresses = new ArrayList<>();
            if (ipv4 && n.ipv4() != null && v4 != null) {
                addresses.add(n.ipv4());
            }
            if (ipv6 && n.ipv6() != null && v6 != null) {
                addresses.add(n.ipv6());
            }
            for (InetAddress a : addresses) {
                if (!a.equals(v4) && !a.equals(v6)) {
                    wants.add(Want.of(a, listenPort(n), asOf(n), n.clusterId(), p, kind));
                }
            }
        }

        void meshWants(Wants wants, CalicoNode n, BgpConfiguration global) {
            SecretKeyRef password = global != null ? global.nodeMeshPassword() : null;
            Integer restart = global != null ? global.nodeMeshMaxRestartTime() : null;
            String origin = global != null ? global.source() : n.source();
            for (InetAddress a : new InetAddress[] {v4 != null ? n.ipv4() : null, v6 != null ? n.ipv6() : null}) {
                if (a != null && !a.equals(v4) && !a.equals(v6)) {
                    int port = listenPort(n);
                    wants.add(new Want(a, port != 0 ? port : PeerConfig.DEFAULT_PORT, port, asOf(n), null, null, origin,
                            PeerKind.NODE_MESH, password, "spec.nodeMeshPassword", restart));
                }
            }
        }

        PeerConfig toPeer(Want w, Inet4Address clusterId, Function<SecretKeyRef, String> secrets) {
            // Rule 4: a client iff iBGP and we have a cluster id that differs from the peer's (none for a
            // plain node). Reflectors sharing ours are non-clients; eBGP peers are never clients.
            PeerRole role = w.as() != localAs ? PeerRole.EBGP
                    : clusterId != null && !clusterId.equals(w.peerClusterId()) ? PeerRole.CLIENT : PeerRole.NON_CLIENT;
            AddressFamily family = w.address() instanceof Inet4Address ? AddressFamily.IPV4_UNICAST : AddressFamily.IPV6_UNICAST;
            BgpPeer p = w.via();
            List<String> warnings = new ArrayList<>();
            String password = null;
            if (w.password() != null) {
                try {
                    // Rule 6: passwords come from the Secret (a mounted directory or the Kubernetes API).
                    password = secrets.apply(w.password());
                } catch (IllegalArgumentException e) {
                    // calico/node's getPassword: a password that cannot be read leaves the session without one.
                    String warning = e.getMessage() + ": the session runs without TCP MD5";
                    warnings.add(warning);
                    problems.add(new ResourceProblem(w.origin(), w.passwordField() + ".secretKeyRef", "peer "
                            + w.address().getHostAddress() + ": " + warning));
                }
            }
            boolean keepNextHop = false;
            if (p != null && p.nextHop() == BgpPeer.NextHop.KEEP) {
                // BIRD's "next hop keep"; toward iBGP a reflector never changes the next hop anyway.
                keepNextHop = role == PeerRole.EBGP;
            } else if (p != null && p.nextHop() == BgpPeer.NextHop.SELF && role != PeerRole.EBGP) {
                String warning = "nextHopMode Self not applied: a route reflector forwards no traffic, so the next hop"
                        + " toward iBGP peers stays the originating node's";
                warnings.add(warning);
                problems.add(new ResourceProblem(w.origin(), "spec.nextHopMode", "peer " + w.address().getHostAddress() + ": " + warning));
            }
            try {
                PeerConfig.Builder b = PeerConfig.builder(w.address(), w.as()).port(w.port()).role(role).password(password)
                        .ttlSecurityHops(p != null ? p.ttlSecurity() : 0)
                        .gracefulRestartTime(w.restart() != null ? w.restart() : PeerConfig.DEFAULT_RESTART_TIME)
                        // calico/node's bgp_template says "add paths on" for every peer: offered to all, used where
                        // the peer offers it too.
                        .addPath(Map.of(family, AddPathMode.BOTH))
                        .sourceAddress(p == null || p.useNodeIp() ? (family == AddressFamily.IPV4_UNICAST ? v4 : v6) : null)
                        .kind(w.kind()).protocolPort(w.namedPort())
                        .maxPrefixes(p != null && p.maxPrefixes() != null ? p.maxPrefixes() : PeerConfig.DEFAULT_MAX_PREFIXES)
                        .keepOriginalNextHop(keepNextHop).allowedLocalAs(p != null ? p.numAllowedLocalASNumbers() : 0)
                        .warnings(warnings);
                if (p != null && p.keepaliveTime() != null) {
                    // BIRD's hold time stays 240 s unless the keepalive needs a longer one (RFC 4271 §4.4: at most hold/3).
                    b.holdTime(Math.max(PeerConfig.DEFAULT_HOLD_TIME, 3 * p.keepaliveTime())).keepaliveTime(p.keepaliveTime());
                }
                return b.build();
            } catch (IllegalArgumentException e) {
                problems.add(new ResourceProblem(w.origin(), "", "peer " + w.address().getHostAddress() + " skipped: " + e.getMessage()));
                return null;
            }
        }
    }
}
