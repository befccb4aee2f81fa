package io.routereflector.daemon.ops;

import io.routereflector.daemon.ops.StatusModel.GracefulRestartState;
import io.routereflector.daemon.ops.StatusModel.PeerDetail;
import io.routereflector.daemon.ops.StatusModel.PeerRow;
import io.routereflector.daemon.ops.StatusModel.Status;
import io.routereflector.datastore.DesiredState;
import io.routereflector.reflector.Reflector;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.reflector.session.Negotiated;
import io.routereflector.reflector.session.PeerSession;
import io.routereflector.reflector.session.SessionState;
import io.routereflector.rib.PeerKey;
import io.routereflector.wire.capability.GracefulRestart;
import io.routereflector.wire.message.MessageType;
import io.routereflector.wire.message.Notification;
import io.routereflector.wire.nlri.AddressFamily;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Turns the running reflector into the admin endpoint's answers. */
public final class StatusService {

    private final Reflector reflector;
    private final Supplier<DesiredState.Health> datastore;
    private final Clock clock;
    private final Instant started;

    public StatusService(Reflector reflector, Supplier<DesiredState.Health> datastore, Clock clock) {
        this.reflector = reflector;
        this.datastore = datastore;
        this.clock = clock;
        this.started = clock.instant();
    }

    public Reflector reflector() {
        return reflector;
    }

    public Instant started() {
        return started;
    }

    public DesiredState.Health datastoreHealth() {
        return datastore.get();
    }

    public PeerRow row(PeerSession s) {
        PeerConfig c = s.config();
        return new PeerRow(c.key().toString(), c.kind().toString(), BirdWords.family(c.families()),
                c.protocolName(), BirdWords.protocolState(s.state()),
                BirdWords.since(s.since(), clock.instant(), clock.getZone()), s.since().getEpochSecond(),
                BirdWords.bgpState(s.state(), s.config().passive()), BirdWords.info(s));
    }

    public Status status() throws InterruptedException {
        ReflectorView view = ReflectorView.take(reflector);
        ReflectorConfig config = reflector.peers().config();
        List<PeerRow> rows = new ArrayList<>();
        for (PeerSession s : view.sessions()) {
            rows.add(row(s));
        }
        DesiredState.Health health = datastore.get();
        return new Status(config == null ? null : config.routerId().getHostAddress(),
                config == null ? null : config.clusterId().getHostAddress(), config == null ? 0 : config.localAs(),
                reflector.peers().listening().stream().map(a -> a.getAddress().getHostAddress() + ":" + a.getPort()).toList(),
                health.status() + (health.detail().isEmpty() ? "" : ": " + health.detail()), rows, ExportSummary.describe(config));
    }

    /**
     * The session of {@code peer}, or null: a protocol name such as {@code Mesh_10_0_0_1}, an address and port
     * ({@code 10.0.0.1:1790}, {@code [fd00::1]:1790}), or an address alone: port 179, else the one peer there, if one.
     */
    public PeerSession find(String peer) {
        for (PeerSession s : reflector.peers().sessions().values()) {
            if (s.config().protocolName().equalsIgnoreCase(peer)) {
                return s;
            }
        }
        PeerKey key;
        try {
            key = PeerKey.parse(peer);
        } catch (IllegalArgumentException e) {
            return null;
        }
        PeerSession s = reflector.peers().session(key);
        return s != null || key.port() != PeerKey.DEFAULT_PORT ? s : reflector.peers().session(key.address());
    }

    public PeerDetail detail(PeerSession s) throws InterruptedException {
        ReflectorView view = ReflectorView.take(reflector);
        PeerConfig c = s.config();
        Negotiated n = s.negotiated();
        long[] timers = n == null ? null : s.timersRemaining();
        BirdStats stats = BirdStats.of(view.routesOf(s.key()));
        Map<String, Long> in = new LinkedHashMap<>();
        Map<String, Long> out = new LinkedHashMap<>();
        for (MessageType t : MessageType.values()) {
            in.put(t.name(), s.counters().received(t));
            out.put(t.name(), s.counters().sent(t));
        }
        GracefulRestart peerGr = n == null ? null : n.peerGracefulRestart();
        GracefulRestartState gr = new GracefulRestartState(peerGr != null, peerGr == null ? 0 : peerGr.restartTime(),
                n == null ? List.of() : n.gracefulRestartFamilies().stream().map(AddressFamily::toString).sorted().toList(),
                view.gracefulRestart().contains(s.key()), c.gracefulRestartTime());
        InetAddress local = s.localAddress();
        return new PeerDetail(row(s), c.role().toString(), c.remoteAs(),
                n == null ? null : io.routereflector.wire.nlri.Ipv4Prefix.format(n.peerIdentifier()), c.address().getHostAddress(), c.port(),
                c.sourceAddress() == null ? null : c.sourceAddress().getHostAddress(), local == null ? null : local.getHostAddress(),
                capabilities(n), n == null ? c.holdTime() : n.holdTime(), timers == null ? -1 : timers[0],
                n == null ? c.keepaliveTime() : n.keepaliveTime(), timers == null ? -1 : timers[1],
                stats.routes(), stats.importUpdates(), stats.importWithdraws(), stats.exportUpdates(), stats.exportWithdraws(),
                in, out, s.counters().establishedTransitions(), s.lastError(), words(s.lastNotificationSent()),
                words(s.lastNotificationReceived()), gr, s.pendingWriteBytes(), view.backlog().getOrDefault(s.key(), 0),
                new StatusModel.PrefixLimit(reflector.prefixLimit(c),
                        s.prefixLimitIdleUntil() == null ? null : s.prefixLimitIdleUntil().toString()), c.warnings());
    }

    private static String words(Notification n) {
        return n == null ? null : n.toString();
    }

    /** The capabilities in force on the session, in BIRD's words. */
    static List<String> capabilities(Negotiated n) {
        if (n == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (AddressFamily f : n.families().stream().sorted(java.util.Comparator.comparing(AddressFamily::toString)).toList()) {
            out.add("Multiprotocol " + f);
        }
        if (n.routeRefresh()) {
            out.add("Route refresh");
        }
        if (n.enhancedRouteRefresh()) {
            out.add("Enhanced refresh");
        }
        if (n.peerGracefulRestart() != null) {
            out.add("Graceful restart (peer, " + n.peerGracefulRestart().restartTime() + " s)");
        }
        if (n.peerLongLived() != null) {
            out.add("Long-lived graceful restart (peer)");
        }
        if (n.fourOctetAs()) {
            out.add("4-octet AS numbers");
        }
        for (AddressFamily f : n.families()) {
            boolean rx = n.addPathReceive().contains(f);
            boolean tx = n.addPathSend().contains(f);
            if (rx || tx) {
                out.add("ADD-PATH " + f + " " + (rx && tx ? "rx tx" : rx ? "rx" : "tx"));
            }
        }
        if (n.extendedReceive() || n.extendedSend()) {
            out.add("Extended message" + (n.extendedSend() ? "" : " (receive only)"));
        }
        return out;
    }

    /** /readyz. */
    public Readiness.Verdict readiness() throws InterruptedException {
        List<PeerSession> sessions = List.copyOf(reflector.peers().sessions().values());
        long established = sessions.stream().filter(s -> s.state() == SessionState.ESTABLISHED).count();
        boolean gr = !reflector.gracefulRestartInProgress().isEmpty();
        return Readiness.evaluate(sessions.size(), (int) established, gr, Duration.between(started, clock.instant()));
    }
}
