package io.routereflector.daemon.ops;

import io.routereflector.daemon.ops.StatusModel.PathView;
import io.routereflector.daemon.ops.StatusModel.RouteView;
import io.routereflector.daemon.ops.StatusModel.RoutesAnswer;
import io.routereflector.rib.Path;
import io.routereflector.rib.PeerKey;
import io.routereflector.rib.Rib;
import io.routereflector.rib.RouteEntry;
import io.routereflector.rib.out.Member;
import io.routereflector.rib.out.UpdateGroup;
import io.routereflector.rib.policy.Prefixes;
import io.routereflector.rib.policy.Verdict;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.ClusterList;
import io.routereflector.wire.attribute.Communities;
import io.routereflector.wire.attribute.LargeCommunities;
import io.routereflector.wire.attribute.MpReachNlri;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;
import io.routereflector.wire.nlri.Ipv4Prefix;
import io.routereflector.wire.nlri.Ipv6Prefix;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /routes}: Loc-RIB entries with every path, built on the RIB thread. A filter with a length
 * ({@code 10.0.0.0/24}) selects that prefix; an address alone selects every prefix that covers it
 * (BIRD's {@code show route for}).
 */
public final class RouteQuery {

    /** Entries listed at most when no filter narrows the answer; {@code total} still counts all. */
    public static final int DEFAULT_LIMIT = 1000;

    private RouteQuery() {
    }

    /** Parses a filter; throws IllegalArgumentException with a one-line reason. */
    public static IpPrefix parse(String filter) {
        String f = filter.strip();
        boolean v6 = f.indexOf(':') >= 0;
        if (f.indexOf('/') < 0) {
            f = f + (v6 ? "/128" : "/32");
        }
        try {
            return v6 ? Ipv6Prefix.parse(f) : Ipv4Prefix.parse(f);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a prefix or address: " + filter);
        }
    }

    /** True when {@code outer} covers {@code inner} (same family, shorter or equal, same leading bits). */
    static boolean covers(IpPrefix outer, IpPrefix inner) {
        return Prefixes.covers(outer, inner);
    }

    /** Runs on the RIB thread (via {@code Reflector.query}). */
    public static RoutesAnswer answer(Rib rib, String filter, int limit) {
        if (rib == null) {
            return new RoutesAnswer(0, List.of());
        }
        IpPrefix wanted = filter == null || filter.isBlank() ? null : parse(filter);
        boolean exact = filter != null && filter.contains("/");
        List<RouteEntry> entries = new ArrayList<>();
        for (AddressFamily f : List.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST)) {
            if (wanted != null && exact) {
                RouteEntry e = wanted.family().equals(f) ? rib.entry(wanted) : null;
                if (e != null) {
                    entries.add(e);
                }
                continue;
            }
            for (RouteEntry e : rib.entries(f)) {
                if (wanted == null || covers(e.prefix(), wanted)) {
                    entries.add(e);
                }
            }
        }
        entries.sort(Comparator.comparing((RouteEntry e) -> e.prefix() instanceof Ipv6Prefix)
                .thenComparing(e -> e.prefix().toString()));
        List<RouteView> out = new ArrayList<>();
        for (RouteEntry e : entries.subList(0, Math.min(limit, entries.size()))) {
            out.add(view(rib, e));
        }
        return new RoutesAnswer(entries.size(), out);
    }

    private static RouteView view(Rib rib, RouteEntry e) {
        AddressFamily family = e.prefix().family();
        List<PathView> paths = new ArrayList<>();
        for (Path p : e.paths()) {
            paths.add(path(p, p == e.best(), advertisedTo(rib, family, e.prefix(), p)));
        }
        return new RouteView(e.prefix().toString(), family.toString(), e.decidedBy() == null ? null : e.decidedBy().toString(), paths,
                withheld(rib, e));
    }

    /** The peers whose update group's export policy rejects {@code e}'s prefix, with the rule that did. */
    private static List<String> withheld(Rib rib, RouteEntry e) {
        IpPrefix prefix = e.prefix();
        List<PeerKey> peers = new ArrayList<>();
        Map<PeerKey, String> rules = new HashMap<>();
        for (UpdateGroup g : rib.groups()) {
            if (!g.key().families().contains(prefix.family()) || g.key().exportPolicy().exportsAll()) {
                continue;
            }
            Verdict v = g.key().exportPolicy().evaluate(prefix);
            if (!v.accepted()) {
                for (Member m : g.members()) {
                    if (e.paths().stream().allMatch(p -> p.source().id() == m.peer().id())) {
                        continue; // its own route: never sent back anyway
                    }
                    peers.add(m.peer().key());
                    rules.put(m.peer().key(), v.rule());
                }
            }
        }
        peers.sort(PeerKey.ORDER);
        return peers.stream().map(k -> k + ": " + rules.get(k)).toList();
    }

    /** The members of every update group whose Adj-RIB-Out holds {@code p}, but its source (split horizon). */
    private static List<String> advertisedTo(Rib rib, AddressFamily family, IpPrefix prefix, Path p) {
        List<PeerKey> to = new ArrayList<>();
        for (UpdateGroup g : rib.groups()) {
            boolean holds = false;
            for (Path q : g.advertised(family, prefix)) {
                holds |= q == p;
            }
            if (holds) {
                for (Member m : g.members()) {
                    if (m.peer().id() != p.source().id()) {
                        to.add(m.peer().key());
                    }
                }
            }
        }
        to.sort(PeerKey.ORDER);
        return to.stream().map(PeerKey::toString).toList();
    }

    static PathView path(Path p, boolean best, List<String> advertisedTo) {
        PathAttributes a = p.attributes();
        return new PathView(best, p.source().key().toString(), p.source().role().toString(), p.receivedPathId(),
                p.localPathId(), p.stale(), nextHop(a), asPath(a.asPath()), a.origin() == null ? null : a.origin().kind().name(),
                a.localPref() == null ? null : a.localPref().value(), a.multiExitDisc() == null ? null : a.multiExitDisc().value(),
                a.originatorId() == null ? null : Ipv4Prefix.format(a.originatorId().routerId()), clusterList(a.clusterList()),
                communities(a.communities()), largeCommunities(a.largeCommunities()), advertisedTo);
    }

    static String nextHop(PathAttributes a) {
        if (a.nextHop() != null) {
            return Ipv4Prefix.format(a.nextHop().address());
        }
        MpReachNlri reach = a.mpReach();
        if (reach == null) {
            return null;
        }
        try {
            byte[] global = reach.nextHop().length == 4 ? reach.nextHop() : reach.globalNextHop();
            return InetAddress.getByAddress(global).getHostAddress();
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }

    static String asPath(AsPath path) {
        if (path == null) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (AsPath.Segment s : path.segments()) {
            b.append(b.length() == 0 ? "" : " ").append(s);
        }
        return b.toString();
    }

    static List<String> clusterList(ClusterList list) {
        List<String> out = new ArrayList<>();
        for (int i = 0; list != null && i < list.size(); i++) {
            out.add(Ipv4Prefix.format(list.get(i)));
        }
        return out;
    }

    static List<String> communities(Communities c) {
        List<String> out = new ArrayList<>();
        for (int i = 0; c != null && i < c.size(); i++) {
            out.add((c.get(i) >>> 16) + ":" + (c.get(i) & 0xFFFF));
        }
        return out;
    }

    static List<String> largeCommunities(LargeCommunities c) {
        List<String> out = new ArrayList<>();
        if (c != null) {
            int[] v = c.values();
            for (int i = 0; i + 2 < v.length; i += 3) {
                out.add(Integer.toUnsignedString(v[i]) + ":" + Integer.toUnsignedString(v[i + 1]) + ":" + Integer.toUnsignedString(v[i + 2]));
            }
        }
        return out;
    }
}
