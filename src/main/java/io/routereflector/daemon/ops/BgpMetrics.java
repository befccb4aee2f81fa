package io.routereflector.daemon.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.MultiGauge.Row;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.routereflector.datastore.DesiredState;
import io.routereflector.reflector.session.PeerSession;
import io.routereflector.reflector.session.SessionCounters;
import io.routereflector.reflector.session.SessionState;
import io.routereflector.rib.PeerKey;
import io.routereflector.rib.PeerRouteStats;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.message.MessageType;
import io.routereflector.wire.nlri.AddressFamily;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The {@code /metrics} registry: bird_exporter-compatible {@code bird_protocol_*} series (so Calico's
 * Grafana dashboards keep working without the sidecar) and our own {@code routereflector_*} series.
 * Per-peer series follow the configured peers: {@link #refresh} runs before every scrape, adds rows for
 * new peers and drops those of removed ones.
 */
public final class BgpMetrics {

    /** We run no filters: BIRD shows {@code import all}/{@code export all} as ACCEPT. */
    public static final String NO_FILTER = "ACCEPT";
    private static final String[] CHANGE_KINDS = {"receive", "reject", "filter", "ignore", "accept"};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final StatusService status;
    private final Clock clock;
    private final Map<String, MultiGauge> gauges = new HashMap<>();
    private final Timer updateLatency;
    private final Counter appliesOk;
    private final Counter appliesFailed;
    /** Read from the RIB at each scrape ({@link #refresh}); the counter below reports it. */
    private volatile long withheldPaths;
    /** The counter meters registered for a session object; re-registered when a peer's session is replaced. */
    private final Map<PeerKey, SessionMeters> sessionMeters = new HashMap<>();

    private record SessionMeters(SessionCounters counters, List<Meter.Id> ids, Set<String> keys) {
    }

    public BgpMetrics(StatusService status, Clock clock) {
        this.status = status;
        this.clock = clock;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        updateLatency = Timer.builder("routereflector.update.processing")
                .description("From an UPDATE's hand-off by its session to its end on the RIB thread")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(1000)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        appliesOk = Counter.builder("routereflector.datastore.applies").tag("result", "ok")
                .description("Configurations from the datastore applied").register(registry);
        appliesFailed = Counter.builder("routereflector.datastore.applies").tag("result", "error").register(registry);
        FunctionCounter.builder("routereflector.routes.withheld", this, m -> m.withheldPaths)
                .description("Paths withheld from an update group because, once exported, they do not fit its peers'"
                        + " maximum message size (treated as withdrawn there; each decision counts)")
                .register(registry);
        status.reflector().onUpdateProcessed(nanos -> updateLatency.record(nanos, TimeUnit.NANOSECONDS));
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Counts a configuration the datastore delivered: applied, or refused. */
    public void configurationApplied(boolean ok) {
        (ok ? appliesOk : appliesFailed).increment();
    }

    /** Brings the per-peer series up to date, then renders the text format. */
    public String scrape() throws InterruptedException {
        refresh();
        return registry.scrape();
    }

    private void gauge(String name, String description, List<Row<?>> rows) {
        gauges.computeIfAbsent(name, n -> MultiGauge.builder(n).description(description).register(registry)).register(rows, true);
    }

    /** Protocol labels as bird_exporter sets them. */
    static Tags birdTags(PeerSession s) {
        InetAddress a = s.address();
        return Tags.of("name", s.config().protocolName(), "proto", "BGP", "ip_version", a instanceof Inet4Address ? "4" : "6",
                "import_filter", NO_FILTER, "export_filter", NO_FILTER);
    }

    synchronized void refresh() throws InterruptedException {
        ReflectorView view = ReflectorView.take(status.reflector());
        withheldPaths = status.reflector().query(rib -> rib == null ? 0L : rib.withheldPaths());
        long now = clock.millis();
        Map<String, List<Row<?>>> rows = new HashMap<>();
        for (PeerSession s : view.sessions()) {
            Tags bird = birdTags(s);
            PeerRouteStats r = view.routesOf(s.key());
            SessionState state = s.state();
            // bird_exporter's state label is BIRD's info column as its parser reads it (trailing blanks trimmed).
            add(rows, "bird_protocol_up", bird.and("state", BirdWords.infoColumn(s).stripTrailing()),
                    state == SessionState.ESTABLISHED ? 1 : 0);
            add(rows, "bird_protocol_uptime", bird, Math.max(0, (now - s.since().toEpochMilli()) / 1000));
            BirdStats stats = BirdStats.of(r);
            add(rows, "bird_protocol_prefix_import_count", bird, stats.routes().imported());
            add(rows, "bird_protocol_prefix_export_count", bird, stats.routes().exported());
            add(rows, "bird_protocol_prefix_filter_count", bird, stats.routes().filtered());
            add(rows, "bird_protocol_prefix_preferred_count", bird, stats.routes().preferred());
            String[] series = {"update_import", "withdraw_import", "update_export", "withdraw_export"};
            for (int i = 0; i < series.length; i++) {
                StatusModel.Changes c = stats.rows().get(i);
                long[] values = {c.received(), c.rejected(), c.filtered(), c.ignored(), c.accepted()};
                for (int k = 0; k < CHANGE_KINDS.length; k++) {
                    add(rows, "bird_protocol_changes_" + series[i] + "_" + CHANGE_KINDS[k] + "_count", bird, values[k]);
                }
            }
            Tags peer = Tags.of("peer", s.key().toString(), "name", s.config().protocolName());
            add(rows, "routereflector_session_state", peer, stateNumber(state));
            add(rows, "routereflector_session_out_queue_bytes", peer, s.pendingWriteBytes());
            add(rows, "routereflector_session_backlog_prefixes", peer, view.backlog().getOrDefault(s.key(), 0));
            add(rows, "routereflector_session_graceful_restart_helping", peer, view.gracefulRestart().contains(s.key()) ? 1 : 0);
            add(rows, "routereflector_session_prefix_limit", peer, status.reflector().prefixLimit(s.config()));
            add(rows, "routereflector_session_prefix_limit_idle", peer, s.prefixLimitIdleUntil() != null ? 1 : 0);
        }
        for (AddressFamily f : List.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST)) {
            add(rows, "routereflector_rib_prefixes", Tags.of("family", f.toString()), view.prefixes().getOrDefault(f, 0));
            add(rows, "routereflector_rib_paths", Tags.of("family", f.toString()), view.paths().getOrDefault(f, 0));
        }
        add(rows, "routereflector_rib_attribute_sets", Tags.empty(), view.attributeSets());
        add(rows, "routereflector_inbound_backlog_updates", Tags.empty(), view.inbound().updates());
        add(rows, "routereflector_inbound_paused_sessions", Tags.empty(), view.inbound().pausedSessions());
        add(rows, "routereflector_update_groups", Tags.empty(), view.groupSizes().size());
        List<Integer> sizes = new ArrayList<>(view.groupSizes());
        sizes.sort(java.util.Comparator.reverseOrder());
        for (int i = 0; i < sizes.size(); i++) {
            add(rows, "routereflector_update_group_members", Tags.of("group", Integer.toString(i)), sizes.get(i));
        }
        DesiredState.Health health = status.datastoreHealth();
        for (DesiredState.Status st : DesiredState.Status.values()) {
            add(rows, "routereflector_datastore_status", Tags.of("status", st.name().toLowerCase(java.util.Locale.ROOT)),
                    health.status() == st ? 1 : 0);
        }
        add(rows, "routereflector_peers_configured", Tags.empty(), view.sessions().size());
        for (String name : List.copyOf(gauges.keySet())) {
            rows.putIfAbsent(name, List.of()); // a series whose last peer went: its rows go too
        }
        rows.forEach((name, r) -> gauge(name, describe(name), r));
        sessionCounters(view.sessions());
    }

    private static void add(Map<String, List<Row<?>>> rows, String name, Tags tags, Number value) {
        rows.computeIfAbsent(name, n -> new ArrayList<>()).add(Row.of(tags, value));
    }

    /** RFC 4271 §8.2.2 states numbered as the BGP4-MIB's bgpPeerState: idle(1) .. established(6). */
    static int stateNumber(SessionState s) {
        return switch (s) {
            case IDLE -> 1;
            case CONNECT -> 2;
            case ACTIVE -> 3;
            case OPEN_SENT -> 4;
            case OPEN_CONFIRM -> 5;
            case ESTABLISHED -> 6;
        };
    }

    private static String describe(String name) {
        if (name.startsWith("bird_protocol_changes_")) {
            return "Route changes since the session came up, per NLRI (bird_exporter compatible)";
        }
        return switch (name) {
            case "bird_protocol_up" -> "1 when the BGP session is Established (bird_exporter compatible)";
            case "bird_protocol_uptime" -> "Seconds since the session's state last changed";
            case "bird_protocol_prefix_import_count" -> "Paths received from the peer and kept";
            case "bird_protocol_prefix_export_count" -> "Paths advertised to the peer";
            case "bird_protocol_prefix_filter_count" -> "Paths filtered (always 0: no filters)";
            case "bird_protocol_prefix_preferred_count" -> "Paths from the peer that are best in the Loc-RIB";
            case "routereflector_session_state" -> "BGP FSM state: 1 Idle, 2 Connect, 3 Active, 4 OpenSent, 5 OpenConfirm, 6 Established";
            case "routereflector_session_out_queue_bytes" -> "Bytes queued for the peer's socket";
            case "routereflector_session_backlog_prefixes" -> "Prefixes the peer's catch-up still has to send";
            case "routereflector_session_prefix_limit" -> "Routes per family the peer may send (0: no limit, RFC 4486)";
            case "routereflector_session_prefix_limit_idle" -> "1 while the session is down for exceeding its prefix limit";
            case "routereflector_inbound_backlog_updates" -> "UPDATEs received and waiting for the RIB thread";
            case "routereflector_inbound_paused_sessions" -> "Sessions not reading their socket while the RIB thread catches up";
            default -> name.replace('_', ' ');
        };
    }

    /** Counters read straight from each session's {@link SessionCounters} at scrape time. */
    private void sessionCounters(List<PeerSession> sessions) {
        Map<PeerKey, PeerSession> live = new HashMap<>();
        for (PeerSession s : sessions) {
            live.put(s.key(), s);
        }
        for (PeerKey a : List.copyOf(sessionMeters.keySet())) {
            PeerSession s = live.get(a);
            if (s == null || s.counters() != sessionMeters.get(a).counters()) {
                sessionMeters.remove(a).ids().forEach(registry::remove);
            }
        }
        for (PeerSession s : sessions) {
            SessionMeters m = sessionMeters.computeIfAbsent(s.key(), a -> new SessionMeters(s.counters(), new ArrayList<>(),
                    new java.util.HashSet<>()));
            Tags peer = Tags.of("peer", s.key().toString(), "name", s.config().protocolName());
            SessionCounters c = m.counters();
            if (m.keys().add("messages")) {
                for (MessageType t : MessageType.values()) {
                    m.ids().add(FunctionCounter.builder("routereflector.messages.received", c, x -> x.received(t))
                            .tags(peer).tag("type", t.name()).description("BGP messages received").register(registry).getId());
                    m.ids().add(FunctionCounter.builder("routereflector.messages.sent", c, x -> x.sent(t))
                            .tags(peer).tag("type", t.name()).description("BGP messages sent").register(registry).getId());
                }
                m.ids().add(FunctionCounter.builder("routereflector.session.established", c, SessionCounters::establishedTransitions)
                        .tags(peer).description("Times the session reached Established").register(registry).getId());
            }
            notificationCounters(m, peer, "sent", c.notificationsSent().keySet(), x -> x.notificationsSent());
            notificationCounters(m, peer, "received", c.notificationsReceived().keySet(), x -> x.notificationsReceived());
            for (String key : c.rfc7606().keySet()) {
                if (m.keys().add("rfc7606 " + key)) {
                    int slash = key.indexOf('/');
                    m.ids().add(FunctionCounter.builder("routereflector.rfc7606.actions", c, x -> x.rfc7606().getOrDefault(key, 0L))
                            .tags(peer).tag("action", key.substring(0, slash).toLowerCase(java.util.Locale.ROOT))
                            .tag("attribute", key.substring(slash + 1))
                            .description("RFC 7606 outcomes for malformed UPDATE attributes").register(registry).getId());
                }
            }
        }
    }

    private void notificationCounters(SessionMeters m, Tags peer, String direction, Set<Integer> keys,
                                      java.util.function.Function<SessionCounters, Map<Integer, Long>> read) {
        for (Integer key : keys) {
            if (m.keys().add(direction + " " + key)) {
                int code = key >> 8;
                int subcode = key & 0xFF;
                m.ids().add(FunctionCounter.builder("routereflector.notifications", m.counters(), x -> read.apply(x).getOrDefault(key, 0L))
                        .tags(peer).tag("direction", direction).tag("code", Integer.toString(code)).tag("subcode", Integer.toString(subcode))
                        .tag("reason", NotificationCode.describe(code, subcode))
                        .description("NOTIFICATIONs by code and subcode").register(registry).getId());
            }
        }
    }
}
