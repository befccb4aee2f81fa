package io.routereflector.datastore.derive;

import io.routereflector.datastore.ResourceProblem;
import io.routereflector.datastore.calico.BgpConfiguration;
import io.routereflector.datastore.calico.BgpPeer;
import io.routereflector.datastore.calico.CalicoNode;
import io.routereflector.datastore.calico.CalicoResource;
import io.routereflector.datastore.calico.SecretKeyRef;
import io.routereflector.reflector.config.AddPathMode;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.PeerKind;
import io.routereflector.reflector.config.ReflectorConfig;
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

/**
 * calico/node's peer derivation (CALICO.md rules 1–6) for our own node, or for a standalone reflector
 * known only by its addresses. A pure function: the same resources give an equal configuration, peers
 * sorted by address. When several rules name one address the most specific wins: a node-scoped BGPPeer,
 * then a global or {@code nodeSelector} one, then the reverse of another node's BGPPeer (rule 3), then the
 * node-to-node mesh; within a rank the BGPPeer whose name sorts first.
 */
public final class PeerDerivation {

    /** Calico's default AS when neither the node nor BGPConfiguration {@code default} gives one. */
    public static final long DEFAULT_AS = 64512;

    private PeerDerivation() {
    }

    /** One wanted session before it becomes a PeerConfig. {@code via} is null for the mesh. */
    private record Want(InetAddress address, int port, long as, Inet4Address peerClusterId, boolean calico, SecretKeyRef password,
                        Integer restart, int ttl, boolean useNodeIp, Integer keepalive, String origin, String passwordField, int rank,
                        PeerKind kind, Integer maxPrefixes, boolean keepOriginalNextHop, int allowedLocalAs) {
    }

    public static Derivation derive(Identity id, Collection<? extends CalicoResource> resources, Path secretsDir) {
        List<ResourceProblem> problems = new ArrayList<>();
        Map<String, CalicoNode> nodes = new TreeMap<>();
        Map<String, BgpPeer> peers = new TreeMap<>();
        Map<String, BgpConfiguration> configs = new HashMap<>();
        for (CalicoResource r : resources) {
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
        if (v4 == null) {
            problems.add(new ResourceProblem(self != null ? self.source() : "IP", self != null ? "spec.bgp.ipv4Address" : "",
                    "no IPv4 address for " + id + ": it is the router id and is required"));
            return new Derivation(null, problems, settings);
        }
        long defaultAs = global != null && global.asNumber() != null ? global.asNumber() : DEFAULT_AS;
        long localAs = self != null && self.asNumber() != null ? self.asNumber() : defaultAs;
        // Rule 4 needs our cluster id: a Node's routeReflectorClusterID; a standalone reflector is one by
        // definition and uses its router id, as the legacy image did.
        Inet4Address clusterId = self != null ? self.clusterId() : v4;
        if (self != null && clusterId == null) {
            problems.add(new ResourceProblem(self.source(), "spec.bgp.routeReflectorClusterID", "node '" + self.name()
                    + "' has no routeReflectorClusterID: it has no clients (rule 4) and joins the node-to-node mesh (rule 5)"));
        }
        Context ctx = new Context(self, v4, v6, defaultAs, localAs, nodes, configs, problems);

        Map<InetAddress, Want> wants = new LinkedHashMap<>();
        // Rules 1 and 2: the BGPPeers that apply to us. A standalone reflector is no Node: only global ones do.
        for (BgpPeer p : peers.values()) {
            boolean applies = self != null ? p.appliesTo(self) : p.isGlobal();
            if (!applies) {
                continue;
            }
            int rank = p.node() != null ? 0 : 1;
            if (p.peerSelector() != null) {
                // Rule 1: a peerSelector expands to every matching node's IPv4 and IPv6 address.
                for (CalicoNode n : nodes.values()) {
                    if (n != self && p.peerSelector().evaluate(n.labels())) {
                        ctx.nodeWants(wants, n, p, rank, true, true);
                    }
                }
            } else {
                // Rule 1: a peerIP is used as given; a port given with it wins over the node's listen port.
                InetAddress a = p.peerIp();
                if (a.equals(v4) || a.equals(v6)) {
                    continue;
                }
                if (a instanceof Inet6Address && v6 == null) {
                    problems.add(new ResourceProblem(p.source(), "spec.peerIP", "IPv6 peer " + a.getHostAddress()
                            + " but this reflector has no IPv6 address (IP6)"));
                    continue;
                }
                CalicoNode n = ctx.nodeAt(a);
                int port = p.peerPort() != 0 ? p.peerPort() : n != null ? ctx.listenPort(n) : PeerConfig.DEFAULT_PORT;
                put(wants, new Want(a, port, p.asNumber(), n != null ? n.clusterId() : null, n != null, p.password(),
                        p.maxRestartTime(), p.ttlSecurity(), p.useNodeIp(), p.keepaliveTime(), p.source(), "spec.password", rank,
                        // Calico names a global BGPPeer by peerIP Global_<ip>; every other BGPPeer peering is Node_<ip>.
                        rank == 1 ? PeerKind.GLOBAL : PeerKind.NODE_SPECIFIC, p.maxPrefixes(),
                        p.keepOriginalNextHop(), p.numAllowedLocalASNumbers()));
            }
        }
        // Rule 3: peerings are symmetric. A BGPPeer of node M that selects us (peerSelector), or names one of
        // our addresses (peerIP), makes M dial us, so we peer with M under that BGPPeer's settings.
        for (BgpPeer p : peers.values()) {
            boolean bySelector = p.peerSelector() != null && self != null && p.peerSelector().evaluate(self.labels());
            boolean byIp = p.peerIp() != null && (p.peerIp().equals(v4) || p.peerIp().equals(v6));
            if (!bySelector && !byIp) {
                continue;
            }
            if (byIp && p.asNumber() != localAs) {
                problems.add(new ResourceProblem(p.source(), "spec.asNumber", "names this reflector (" + p.peerIp().getHostAddress()
                        + ") with AS " + p.asNumber() + " but its AS is " + localAs));
            }
            for (CalicoNode m : nodes.values()) {
                if (m != self && p.appliesTo(m)) {
                    ctx.nodeWants(wants, m, p, 2, bySelector || p.peerIp() instanceof Inet4Address,
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
        for (Want w : wants.values()) {
            PeerConfig pc = ctx.toPeer(w, clusterId, secretsDir);
            if (pc != null) {
                out.add(pc);
            }
        }
        out.sort(Comparator.comparing((PeerConfig p) -> p.address() instanceof Inet6Address)
                .thenComparing(p -> p.address().getAddress(), java.util.Arrays::compareUnsigned));
        BgpConfiguration own = self != null ? configs.get(BgpConfiguration.NODE_PREFIX + self.name()) : null;
        int port = own != null && own.listenPort() != null ? own.listenPort()
                : global != null && global.listenPort() != null ? global.listenPort() : PeerConfig.DEFAULT_PORT;
        // We listen on our own addresses: that is where every peer dials us (Calico's bindMode NodeIP).
        List<InetAddress> listen = v6 != null ? List.of(v4, v6) : List.of(v4);
        try {
            return new Derivation(new ReflectorConfig(v4, clusterId, localAs, listen, port, out, false), problems, settings);
        } catch (IllegalArgumentException e) {
            problems.add(new ResourceProblem(id.toString(), "", "no configuration: " + e.getMessage()));
            return new Derivation(null, problems, settings);
        }
    }

    /** First come at the best rank wins; the caller walks BGPPeers in name order. */
    private static void put(Map<InetAddress, Want> wants, Want w) {
        Want old = wants.get(w.address());
        if (old == null || w.rank() < old.rank()) {
            wants.put(w.address(), w);
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

        /** A node's listen port: its own BGPConfiguration, else {@code default}, else 179. */
        int listenPort(CalicoNode n) {
            BgpConfiguration c = configs.get(BgpConfiguration.NODE_PREFIX + n.name());
            if (c != null && c.listenPort() != null) {
                return c.listenPort();
            }
            BgpConfiguration g = configs.get(BgpConfiguration.DEFAULT);
            return g != null && g.listenPort() != null ? g.listenPort() : PeerConfig.DEFAULT_PORT;
        }

        long asOf(CalicoNode n) {
            return n.asNumber() != null ? n.asNumber() : defaultAs;
        }

        /** A node as a peer: one session per address family we share with it (one family per session). */
        void nodeWants(Map<InetAddress, Want> wants, CalicoNode n, BgpPeer p, int rank, boolean ipv4, boolean ipv6) {
            List<InetAddress> addresses = new ArrayList<>();
            if (ipv4 && n.ipv4() != null) {
                addresses.add(n.ipv4());
            }
            if (ipv6 && n.ipv6() != null && v6 != null) {
                addresses.add(n.ipv6());
            }
            for (InetAddress a : addresses) {
                if (!a.equals(v4) && !a.equals(v6)) {
                    put(wants, new Want(a, listenPort(n), asOf(n), n.clusterId(), true, p.password(), p.maxRestartTime(),
                            p.ttlSecurity(), p.useNodeIp(), p.keepaliveTime(), p.source(), "spec.password", rank, PeerKind.NODE_SPECIFIC,
                            p.maxPrefixes(), p.keepOriginalNextHop(), p.numAllowedLocalASNumbers()));
                }
            }
        }

        void meshWants(Map<InetAddress, Want> wants, CalicoNode n, BgpConfiguration global) {
            SecretKeyRef password = global != null ? global.nodeMeshPassword() : null;
            Integer restart = global != null ? global.nodeMeshMaxRestartTime() : null;
            String origin = global != null ? global.source() : n.source();
            for (InetAddress a : new InetAddress[] {n.ipv4(), v6 != null ? n.ipv6() : null}) {
                if (a != null && !a.equals(v4) && !a.equals(v6)) {
                    put(wants, new Want(a, listenPort(n), asOf(n), null, true, password, restart, 0, true, null, origin,
                            "spec.nodeMeshPassword", 3, PeerKind.NODE_MESH, null, false, 0));
                }
            }
        }

        PeerConfig toPeer(Want w, Inet4Address clusterId, Path secretsDir) {
            // Rule 4: a client iff iBGP and we have a cluster id that differs from the peer's (none for a
            // plain node). Reflectors sharing ours are non-clients; eBGP peers are never clients.
            PeerRole role = w.as() != localAs ? PeerRole.EBGP
                    : clusterId != null && !clusterId.equals(w.peerClusterId()) ? PeerRole.CLIENT : PeerRole.NON_CLIENT;
            AddressFamily family = w.address() instanceof Inet4Address ? AddressFamily.IPV4_UNICAST : AddressFamily.IPV6_UNICAST;
            try {
                // Rule 6: passwords come from the mounted secrets directory.
                String password = w.password() != null ? Secrets.read(secretsDir, w.password()) : null;
                PeerConfig.Builder b = PeerConfig.builder(w.address(), w.as()).port(w.port()).role(role).password(password)
                        .ttlSecurityHops(w.ttl())
                        .gracefulRestartTime(w.restart() != null ? w.restart() : PeerConfig.DEFAULT_RESTART_TIME)
                        // Calico nodes run BIRD with "add paths on"; external routers get what they ask for.
                        .addPath(w.calico() ? Map.of(family, AddPathMode.BOTH) : Map.of())
                        .sourceAddress(w.useNodeIp() ? (family == AddressFamily.IPV4_UNICAST ? v4 : v6) : null)
                        .kind(w.kind())
                        .maxPrefixes(w.maxPrefixes() != null ? w.maxPrefixes() : PeerConfig.DEFAULT_MAX_PREFIXES)
                        .keepOriginalNextHop(w.keepOriginalNextHop()).allowedLocalAs(w.allowedLocalAs());
                if (w.keepalive() != null) {
                    // BIRD's hold time stays 240 s unless the keepalive needs a longer one (RFC 4271 §4.4: at most hold/3).
                    b.holdTime(Math.max(PeerConfig.DEFAULT_HOLD_TIME, 3 * w.keepalive())).keepaliveTime(w.keepalive());
                }
                return b.build();
            } catch (IllegalArgumentException e) {
                problems.add(new ResourceProblem(w.origin(), w.password() != null && e.getMessage().startsWith("secret")
                        ? w.passwordField() + ".secretKeyRef" : "", "peer " + w.address().getHostAddress() + " skipped: " + e.getMessage()));
                return null;
            }
        }
    }
}
