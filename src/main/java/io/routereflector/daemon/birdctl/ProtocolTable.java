package io.routereflector.daemon.birdctl;

import io.routereflector.daemon.ops.BirdStats;
import io.routereflector.daemon.ops.BirdWords;
import io.routereflector.daemon.ops.BgpMetrics;
import io.routereflector.daemon.ops.ReflectorView;
import io.routereflector.daemon.ops.StatusModel.Changes;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.rib.PeerRole;
import io.routereflector.reflector.session.Negotiated;
import io.routereflector.reflector.session.PeerSession;
import io.routereflector.reflector.session.SessionState;
import io.routereflector.wire.nlri.Ipv4Prefix;

import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * {@code show protocols [all]} in BIRD 1.6's layout ({@code proto_cmd_show}, {@code proto_show_basic_info},
 * {@code bgp_show_proto_info}): a {@code device1} row like BIRD's, then one BGP row per session of this
 * socket's family under Calico's protocol names, and with {@code all} each protocol's details.
 */
final class ProtocolTable {

    static final String HEADER = "name     proto    table    state  since       info";
    static final String DEVICE = "device1";
    private static final int ROW = 1002;
    private static final int DETAIL = 1006;
    private static final int BGP_PREFERENCE = 100;
    private static final int DEVICE_PREFERENCE = 240;

    /** What a table is drawn from: one view of the reflector, taken once per command. */
    record Source(ReflectorView view, long localAs, Instant started, Instant now, ZoneId zone, BirdTimeFormat timeFormat,
                  java.util.function.ToIntFunction<PeerConfig> prefixLimit) {
    }

    private ProtocolTable() {
    }

    /** The protocol names this socket knows, in BIRD's order: the device protocol, then the sessions. */
    static List<String> names(List<PeerSession> sessions) {
        List<String> names = new java.util.ArrayList<>();
        names.add(DEVICE);
        sessions.forEach(s -> names.add(name(s)));
        return names;
    }

    static String name(PeerSession s) {
        return s.config().protocolName();
    }

    static void header(BirdReply reply) {
        reply.more(2002, HEADER);
    }

    static void device(BirdReply reply, Source src, boolean all) {
        reply.more(ROW, row(DEVICE, "Device", "up", src.timeFormat().format(src.started(), src.now(), src.zone()), ""));
        if (all) {
            reply.more(DETAIL, "  Preference:     " + DEVICE_PREFERENCE);
            reply.more(DETAIL, "  Input filter:   ACCEPT");
            reply.more(DETAIL, "  Output filter:  REJECT");
            stats(reply, BirdStats.of(io.routereflector.rib.PeerRouteStats.NONE));
            reply.more(DETAIL, "");
        }
    }

    static void bgp(BirdReply reply, Source src, PeerSession s, boolean all) throws InterruptedException {
        SessionState state = s.state();
        reply.more(ROW, row(name(s), "BGP", BirdWords.protocolState(state), src.timeFormat().format(s.since(), src.now(), src.zone()),
                BirdWords.infoColumn(s)));
        if (all) {
            details(reply, src, s);
            reply.more(DETAIL, "");
        }
    }

    private static String row(String name, String proto, String state, String since, String info) {
        return String.format("%-8s %-8s %-8s %-5s  %-10s  %s", name, proto, "master", state, since, info);
    }

    private static void details(BirdReply reply, Source src, PeerSession s) throws InterruptedException {
        PeerConfig c = s.config();
        reply.more(DETAIL, "  Preference:     " + BGP_PREFERENCE);
        reply.more(DETAIL, "  Input filter:   " + filter());
        reply.more(DETAIL, "  Output filter:  " + filter());
        int limit = src.prefixLimit().applyAsInt(c);
        if (limit > 0) {
            // Our per-family prefix limit acts as BIRD's "import limit N action restart".
            reply.more(DETAIL, String.format("  %-16s%d%s", "Import limit:", limit, s.prefixLimitIdleUntil() != null ? " [HIT]" : ""));
            reply.more(DETAIL, "    Action:       restart");
        }
        BirdStats stats = BirdStats.of(src.view().routesOf(s.key()));
        stats(reply, stats);
        reply.more(DETAIL, "  BGP state:          " + BirdWords.bgpState(s.state(), c.passive()));
        reply.more(DETAIL, "    Neighbor address: " + c.address().getHostAddress());
        reply.more(DETAIL, "    Neighbor AS:      " + c.remoteAs());
        if (src.view().gracefulRestart().contains(s.key())) {
            reply.more(DETAIL, "    Neighbor graceful restart active");
        }
        Negotiated n = s.negotiated();
        if (s.state() == SessionState.ESTABLISHED && n != null) {
            reply.more(DETAIL, "    Neighbor ID:      " + Ipv4Prefix.format(n.peerIdentifier()));
            reply.more(DETAIL, "    Neighbor caps:   " + peerCaps(n));
            reply.more(DETAIL, "    Session:          " + session(c, n, src.localAs()));
            InetAddress local = s.localAddress();
            if (local != null) {
                reply.more(DETAIL, "    Source address:   " + local.getHostAddress());
            }
            if (limit > 0) {
                reply.more(DETAIL, "    Route limit:      " + stats.routes().imported() + "/" + limit);
            }
            long[] timers = s.timersRemaining();
            reply.more(DETAIL, "    Hold timer:       " + remaining(timers, 0) + "/" + n.holdTime());
            reply.more(DETAIL, "    Keepalive timer:  " + remaining(timers, 1) + "/" + n.keepaliveTime());
        }
        if (s.lastErrorInfo() != null && s.state() != SessionState.ESTABLISHED) {
            reply.more(DETAIL, "    Last error:       " + s.lastErrorInfo());
        }
    }

    private static String filter() {
        return BgpMetrics.NO_FILTER;
    }

    private static long remaining(long[] timers, int i) {
        return timers == null || timers[i] < 0 ? 0 : timers[i];
    }

    /** What the peer offered, in BIRD's words (each with its leading blank). */
    private static String peerCaps(Negotiated n) {
        StringBuilder b = new StringBuilder();
        if (n.routeRefresh()) {
            b.append(" refresh");
        }
        if (n.enhancedRouteRefresh()) {
            b.append(" enhanced-refresh");
        }
        if (n.peerGracefulRestart() != null) {
            b.append(n.peerGracefulRestart().families().isEmpty() ? " restart-aware" : " restart-able");
        }
        if (n.fourOctetAs()) {
            b.append(" AS4");
        }
        // The peer receives path ids where we send them, and sends them where we receive them.
        if (!n.addPathSend().isEmpty()) {
            b.append(" add-path-rx");
        }
        if (!n.addPathReceive().isEmpty()) {
            b.append(" add-path-tx");
        }
        if (n.extendedSend()) {
            b.append(" ext-messages");
        }
        return b.toString();
    }

    /** The session's flags; we never require a directly connected neighbor, so every session is multihop. */
    private static String session(PeerConfig c, Negotiated n, long localAs) {
        StringBuilder b = new StringBuilder(c.remoteAs() == localAs ? "internal" : "external");
        b.append(" multihop");
        if (c.role() == PeerRole.CLIENT) {
            b.append(" route-reflector");
        }
        if (n.fourOctetAs()) {
            b.append(" AS4");
        }
        if (!n.addPathReceive().isEmpty()) {
            b.append(" add-path-rx");
        }
        if (!n.addPathSend().isEmpty()) {
            b.append(" add-path-tx");
        }
        if (n.extendedSend()) {
            b.append(" ext-messages");
        }
        return b.toString();
    }

    /** BIRD's {@code proto_show_stats}, with {@code ---} where BIRD has no counter. */
    static void stats(BirdReply reply, BirdStats stats) {
        reply.more(DETAIL, "  Routes:         " + stats.routes().imported() + " imported, " + stats.routes().exported() + " exported, "
                + stats.routes().preferred() + " preferred");
        reply.more(DETAIL, "  Route change stats:     received   rejected   filtered    ignored   accepted");
        Changes iu = stats.importUpdates();
        Changes iw = stats.importWithdraws();
        Changes eu = stats.exportUpdates();
        Changes ew = stats.exportWithdraws();
        reply.more(DETAIL, String.format("    Import updates:     %10d %10d %10d %10d %10d", iu.received(), iu.rejected(), iu.filtered(),
                iu.ignored(), iu.accepted()));
        reply.more(DETAIL, String.format("    Import withdraws:   %10d %10d        --- %10d %10d", iw.received(), iw.rejected(),
                iw.ignored(), iw.accepted()));
        reply.more(DETAIL, String.format("    Export updates:     %10d %10d %10d        --- %10d", eu.received(), eu.rejected(),
                eu.filtered(), eu.accepted()));
        reply.more(DETAIL, String.format("    Export withdraws:   %10d        ---        ---        --- %10d", ew.received(),
                ew.accepted()));
    }
}
