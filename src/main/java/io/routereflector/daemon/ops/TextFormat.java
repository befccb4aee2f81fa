package io.routereflector.daemon.ops;

import io.routereflector.daemon.ops.StatusModel.Changes;
import io.routereflector.daemon.ops.StatusModel.PathView;
import io.routereflector.daemon.ops.StatusModel.PeerDetail;
import io.routereflector.daemon.ops.StatusModel.PeerRow;
import io.routereflector.daemon.ops.StatusModel.RouteView;
import io.routereflector.daemon.ops.StatusModel.RoutesAnswer;
import io.routereflector.daemon.ops.StatusModel.Status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The CLI's human output: calicoctl's status tables, BIRD's {@code show protocols all} and {@code show route all}. */
public final class TextFormat {

    static final List<String> HEADER = List.of("PEER ADDRESS", "PEER TYPE", "STATE", "SINCE", "INFO");

    private TextFormat() {
    }

    /** One table per family, as {@code calicoctl node status} prints them. */
    public static String status(Status s) {
        StringBuilder b = new StringBuilder();
        b.append("routereflector: router id ").append(s.routerId()).append(", cluster id ").append(s.clusterId())
                .append(", AS ").append(s.localAs()).append(", listening on ").append(String.join(" ", s.listening())).append('\n');
        b.append("datastore: ").append(s.datastore()).append('\n');
        if (s.exportPolicy() != null) {
            b.append("export policy: ").append(s.exportPolicy()).append('\n');
        }
        b.append('\n');
        for (String family : List.of("IPv4", "IPv6")) {
            List<List<String>> rows = new ArrayList<>();
            for (PeerRow p : s.peers()) {
                if (p.family().contains(family)) {
                    rows.add(List.of(p.address(), p.peerType(), p.state(), p.since(), p.info()));
                }
            }
            b.append(family).append(" BGP status\n");
            if (rows.isEmpty()) {
                b.append("No ").append(family).append(" peers found.\n\n");
            } else {
                b.append(table(HEADER, rows)).append('\n');
            }
        }
        return b.toString();
    }

    /** An ASCII table with a centred header, like the tablewriter output calicoctl prints. */
    static String table(List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder line = new StringBuilder("+");
        for (int w : width) {
            line.append("-".repeat(w + 2)).append('+');
        }
        StringBuilder b = new StringBuilder().append(line).append('\n').append('|');
        for (int i = 0; i < width.length; i++) {
            int pad = width[i] - header.get(i).length();
            b.append(' ').append(" ".repeat(pad / 2)).append(header.get(i)).append(" ".repeat(pad - pad / 2)).append(" |");
        }
        b.append('\n').append(line).append('\n');
        for (List<String> r : rows) {
            b.append('|');
            for (int i = 0; i < width.length; i++) {
                b.append(' ').append(r.get(i)).append(" ".repeat(width[i] - r.get(i).length())).append(" |");
            }
            b.append('\n');
        }
        return b.append(line).append('\n').toString();
    }

    /** {@code birdc show protocols all NAME}, with our additions (messages, queue, GR as helper). */
    public static String peer(PeerDetail d) {
        PeerRow p = d.peer();
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-20s BGP      master   %-6s %-10s %s%n", p.protocol(), p.state(), p.since(), p.info()));
        b.append("  Description:    ").append(p.peerType()).append(" (").append(d.role()).append(")\n");
        for (String w : d.warnings()) {
            b.append("  Warning:        ").append(w).append('\n');
        }
        b.append("  BGP state:          ").append(p.bgpState()).append('\n');
        b.append("    Neighbor address: ").append(d.neighborAddress()).append(d.port() != 179 ? " port " + d.port() : "").append('\n');
        b.append("    Neighbor AS:      ").append(d.remoteAs()).append('\n');
        if (d.neighborId() != null) {
            b.append("    Neighbor ID:      ").append(d.neighborId()).append('\n');
        }
        if (!d.capabilities().isEmpty()) {
            b.append("    Session:          ").append(String.join(", ", d.capabilities())).append('\n');
        }
        if (d.localAddress() != null || d.sourceAddress() != null) {
            b.append("    Source address:   ").append(d.localAddress() != null ? d.localAddress() : d.sourceAddress()).append('\n');
        }
        b.append("    Hold timer:       ").append(timer(d.holdRemaining(), d.holdTime())).append('\n');
        b.append("    Keepalive timer:  ").append(timer(d.keepaliveRemaining(), d.keepaliveTime())).append('\n');
        if (d.lastError() != null) {
            b.append("    Last error:       ").append(d.lastError()).append('\n');
        }
        if (d.lastNotificationSent() != null) {
            b.append("    Last sent:        ").append(d.lastNotificationSent()).append('\n');
        }
        if (d.lastNotificationReceived() != null) {
            b.append("    Last received:    ").append(d.lastNotificationReceived()).append('\n');
        }
        StatusModel.GracefulRestartState gr = d.gracefulRestart();
        b.append("    Graceful restart: ").append(gr.peerCapable() ? "peer capable, restart time " + gr.peerRestartTime() + " s"
                + (gr.families().isEmpty() ? "" : " for " + String.join(" ", gr.families())) : "peer not capable")
                .append(gr.helping() ? "; helping: its routes are kept as stale" : "").append('\n');
        b.append("    Prefix limit:     ").append(d.prefixLimit().limit() == 0 ? "none" : d.prefixLimit().limit() + " per family")
                .append(d.prefixLimit().idleUntil() == null ? "" : "; exceeded, session restarts at " + d.prefixLimit().idleUntil())
                .append('\n');
        b.append("  Routes:         ").append(d.routes().imported()).append(" imported, ").append(d.routes().exported())
                .append(" exported, ").append(d.routes().preferred()).append(" preferred\n");
        b.append("  Route change stats:     received   rejected   filtered    ignored   accepted\n");
        changes(b, "Import updates:", d.importUpdates());
        changes(b, "Import withdraws:", d.importWithdraws());
        changes(b, "Export updates:", d.exportUpdates());
        changes(b, "Export withdraws:", d.exportWithdraws());
        b.append("  Messages:       received ").append(messages(d.messagesReceived())).append('\n');
        b.append("                  sent     ").append(messages(d.messagesSent())).append('\n');
        b.append("  Sessions established: ").append(d.sessionsEstablished()).append(", out queue ").append(d.outQueueBytes())
                .append(" bytes, catch-up backlog ").append(d.backlogPrefixes()).append(" prefixes\n");
        return b.toString();
    }

    private static String timer(long remaining, int configured) {
        return (remaining < 0 ? "-" : Long.toString(remaining)) + "/" + configured;
    }

    private static void changes(StringBuilder b, String label, Changes c) {
        b.append(String.format("    %-18s %10d %10d %10d %10d %10d%n", label, c.received(), c.rejected(), c.filtered(), c.ignored(), c.accepted()));
    }

    private static String messages(Map<String, Long> m) {
        StringBuilder b = new StringBuilder();
        for (String type : List.of("OPEN", "UPDATE", "NOTIFICATION", "KEEPALIVE", "ROUTE_REFRESH")) {
            b.append(b.length() == 0 ? "" : ", ").append(type).append(' ').append(m.getOrDefault(type, 0L));
        }
        return b.toString();
    }

    /** {@code birdc show route all}: each prefix, its paths (best marked *), attributes and where it went. */
    public static String routes(RoutesAnswer a) {
        StringBuilder b = new StringBuilder();
        for (RouteView r : a.routes()) {
            b.append(r.prefix()).append("  (").append(r.paths().size()).append(r.paths().size() == 1 ? " path" : " paths")
                    .append(", best by ").append(r.decidedBy()).append(")\n");
            for (PathView p : r.paths()) {
                b.append(p.best() ? "  * " : "    ").append("via ").append(p.nextHop()).append(" from ").append(p.source())
                        .append(" (").append(p.sourceType()).append(p.receivedPathId() != 0 ? ", path id " + Integer.toUnsignedString(p.receivedPathId()) : "")
                        .append(p.stale() ? ", stale" : "").append(")\n");
                b.append("        as path: ").append(p.asPath() == null || p.asPath().isEmpty() ? "(empty)" : p.asPath())
                        .append(", origin ").append(p.origin());
                if (p.localPref() != null) {
                    b.append(", local pref ").append(p.localPref());
                }
                if (p.med() != null) {
                    b.append(", med ").append(p.med());
                }
                b.append('\n');
                if (p.originatorId() != null || !p.clusterList().isEmpty()) {
                    b.append("        originator id ").append(p.originatorId()).append(", cluster list ")
                            .append(p.clusterList().isEmpty() ? "(none)" : String.join(" ", p.clusterList())).append('\n');
                }
                if (!p.communities().isEmpty() || !p.largeCommunities().isEmpty()) {
                    List<String> all = new ArrayList<>(p.communities());
                    all.addAll(p.largeCommunities());
                    b.append("        communities ").append(String.join(" ", all)).append('\n');
                }
                b.append("        advertised to ").append(p.advertisedTo().isEmpty() ? "(none)" : String.join(" ", p.advertisedTo())).append('\n');
            }
            for (String w : r.withheld()) {
                b.append("  withheld from ").append(w).append('\n');
            }
        }
        b.append(a.routes().size() < a.total() ? a.routes().size() + " of " + a.total() + " prefixes shown (use --limit)\n"
                : a.total() + (a.total() == 1 ? " prefix\n" : " prefixes\n"));
        return b.toString();
    }
}
