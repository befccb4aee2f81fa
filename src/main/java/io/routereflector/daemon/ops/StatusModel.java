package io.routereflector.daemon.ops;

import java.util.List;
import java.util.Map;

/**
 * What the admin endpoint answers, as JSON (Jackson writes records by their components) and what the
 * CLI reads back. Field names are the JSON keys: keep them stable for scripts.
 */
public final class StatusModel {

    private StatusModel() {
    }

    /**
     * One row of {@code routereflector status}, in the words of {@code calicoctl node status}.
     *
     * @param protocol Calico's BIRD protocol name ({@code Mesh_10_0_0_1}), the bird_exporter {@code name}
     * @param state    BIRD's protocol state: {@code up}, {@code start} or {@code down}
     * @param since    when the BGP state last changed: {@code HH:mm:ss} today, else {@code yyyy-MM-dd}
     * @param info     the BGP state and the last error: {@code Established}, {@code Active Socket: Connection refused}
     */
    public record PeerRow(String address, String peerType, String family, String protocol, String state, String since,
                          long sinceEpochSeconds, String bgpState, String info) {
    }

    /** @param exportPolicy {@link ExportSummary#describe}: the policy in force, or that everything is exported */
    public record Status(String routerId, String clusterId, long localAs, List<String> listening, String datastore,
                         List<PeerRow> peers, String exportPolicy) {
        public Status {
            listening = List.copyOf(listening);
            peers = List.copyOf(peers);
        }

        public Status(String routerId, String clusterId, long localAs, List<String> listening, String datastore, List<PeerRow> peers) {
            this(routerId, clusterId, localAs, listening, datastore, peers, null);
        }
    }

    /** Routes now, and per-NLRI route changes since the session came up (BIRD's table). */
    public record Routes(long imported, long exported, long preferred, long filtered) {
    }

    /** One line of BIRD's "Route change stats": received, rejected, filtered, ignored, accepted. */
    public record Changes(long received, long rejected, long filtered, long ignored, long accepted) {
    }

    /**
     * @param peerCapable  the peer advertised graceful restart on the current or last session
     * @param helping      we keep its routes as stale while it restarts or until its End-of-RIB
     */
    public record GracefulRestartState(boolean peerCapable, int peerRestartTime, List<String> families, boolean helping,
                                       int configuredRestartTime) {
        public GracefulRestartState {
            families = List.copyOf(families);
        }
    }

    /**
     * @param limit      routes per family the peer may send, 0 = no limit (RFC 4486 §4)
     * @param idleUntil  ISO-8601 instant its session starts again after exceeding the limit; null when not idle
     */
    public record PrefixLimit(int limit, String idleUntil) {
    }

    /**
     * {@code routereflector status PEER}: BIRD's {@code show protocols all} for one peer.
     *
     * @param warnings how its configuration fell short of the datastore's (e.g. a password that could not be read)
     */
    public record PeerDetail(PeerRow peer, String role, long remoteAs, String neighborId, String neighborAddress, int port,
                             String sourceAddress,
                             String localAddress, List<String> capabilities, int holdTime, long holdRemaining,
                             int keepaliveTime, long keepaliveRemaining, Routes routes, Changes importUpdates,
                             Changes importWithdraws, Changes exportUpdates, Changes exportWithdraws,
                             Map<String, Long> messagesReceived, Map<String, Long> messagesSent, long sessionsEstablished,
                             String lastError, String lastNotificationSent, String lastNotificationReceived,
                             GracefulRestartState gracefulRestart, long outQueueBytes, int backlogPrefixes,
                             PrefixLimit prefixLimit, List<String> warnings) {
        public PeerDetail {
            warnings = List.copyOf(warnings);
            capabilities = List.copyOf(capabilities);
            messagesReceived = Map.copyOf(messagesReceived);
            messagesSent = Map.copyOf(messagesSent);
        }
    }

    /** One path of a Loc-RIB entry. */
    public record PathView(boolean best, String source, String sourceType, int receivedPathId, int localPathId, boolean stale,
                           String nextHop, String asPath, String origin, Long localPref, Long med, String originatorId,
                           List<String> clusterList, List<String> communities, List<String> largeCommunities,
                           List<String> advertisedTo) {
        public PathView {
            clusterList = List.copyOf(clusterList);
            communities = List.copyOf(communities);
            largeCommunities = List.copyOf(largeCommunities);
            advertisedTo = List.copyOf(advertisedTo);
        }
    }

    /** {@code routereflector routes}: a Loc-RIB entry, every path, and the decision step that chose the best. */
    /**
     * @param withheld peers the export policy sends no path of this prefix, each as
     *                 {@code "address: rule"} (the rule that withheld it)
     */
    public record RouteView(String prefix, String family, String decidedBy, List<PathView> paths, List<String> withheld) {
        public RouteView {
            paths = List.copyOf(paths);
            withheld = withheld == null ? List.of() : List.copyOf(withheld);
        }
    }

    public record RoutesAnswer(int total, List<RouteView> routes) {
        public RoutesAnswer {
            routes = List.copyOf(routes);
        }
    }

    public record Health(boolean live, boolean ready, String reason) {
    }
}
