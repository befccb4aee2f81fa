package io.routereflector.daemon.ops;

import io.routereflector.reflector.Reflector;
import io.routereflector.reflector.session.PeerSession;
import io.routereflector.rib.PeerKey;
import io.routereflector.rib.PeerRouteStats;
import io.routereflector.rib.Rib;
import io.routereflector.rib.out.Member;
import io.routereflector.rib.out.UpdateGroup;
import io.routereflector.wire.nlri.AddressFamily;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One consistent look at the reflector for a status answer or a scrape: the sessions (read where they
 * are, all volatile) and, in one task on the RIB thread, every peer's route counts, backlogs, the
 * peers under graceful restart, table and update-group sizes.
 */
public record ReflectorView(List<PeerSession> sessions, Map<PeerKey, PeerRouteStats> routes,
                            Map<PeerKey, Integer> backlog, Set<PeerKey> gracefulRestart,
                            Map<AddressFamily, Integer> prefixes, Map<AddressFamily, Integer> paths,
                            List<Integer> groupSizes, int attributeSets, Reflector.InboundBacklog inbound) {

    public static ReflectorView take(Reflector reflector) throws InterruptedException {
        List<PeerSession> sessions = new ArrayList<>(reflector.peers().sessions().values());
        sessions.sort(Comparator.comparing(PeerSession::key));
        Set<PeerKey> gr = reflector.gracefulRestartInProgress();
        Reflector.InboundBacklog inbound = reflector.inboundBacklog();
        ReflectorView view = reflector.query(rib -> fromRib(rib, sessions, gr, inbound));
        return view;
    }

    private static ReflectorView fromRib(Rib rib, List<PeerSession> sessions, Set<PeerKey> gr,
                                         Reflector.InboundBacklog inbound) {
        if (rib == null) {
            return new ReflectorView(sessions, Map.of(), Map.of(), gr, Map.of(), Map.of(), List.of(), 0, inbound);
        }
        Map<PeerKey, Integer> backlog = new HashMap<>();
        List<Integer> groupSizes = new ArrayList<>();
        for (UpdateGroup g : rib.groups()) {
            List<Member> members = g.members();
            groupSizes.add(members.size());
            for (Member m : members) {
                backlog.put(m.peer().key(), m.backlog());
            }
        }
        Map<AddressFamily, Integer> prefixes = new HashMap<>();
        Map<AddressFamily, Integer> paths = new HashMap<>();
        for (AddressFamily f : List.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST)) {
            prefixes.put(f, rib.prefixCount(f));
            paths.put(f, rib.entries(f).stream().mapToInt(e -> e.paths().size()).sum());
        }
        return new ReflectorView(sessions, rib.peerStats(), backlog, gr, prefixes, paths, groupSizes, rib.internedAttributeSets(),
                inbound);
    }

    public ReflectorView {
        sessions = List.copyOf(sessions);
        routes = Map.copyOf(routes);
        backlog = Map.copyOf(backlog);
        gracefulRestart = Set.copyOf(gracefulRestart);
        prefixes = Map.copyOf(prefixes);
        paths = Map.copyOf(paths);
        groupSizes = List.copyOf(groupSizes);
    }

    public PeerRouteStats routesOf(PeerKey peer) {
        return routes.getOrDefault(peer, PeerRouteStats.NONE);
    }
}
