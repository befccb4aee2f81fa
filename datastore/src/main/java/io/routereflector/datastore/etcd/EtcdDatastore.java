package io.routereflector.datastore.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.routereflector.datastore.DesiredState;
import io.routereflector.datastore.ResourceProblem;
import io.routereflector.datastore.derive.DaemonSettings;
import io.routereflector.datastore.derive.Derivation;
import io.routereflector.datastore.derive.Identity;
import io.routereflector.reflector.config.ReflectorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code etcdv3} datastore: Calico's v3 resources and the legacy layout from etcd's v3 keyspace
 * (through jetcd) and, when the server serves it, the legacy layout from the v2 keyspace (its HTTP API).
 *
 * <p>A full read takes the v3 prefixes (nodes, bgppeers, bgpconfigurations, ippools, bgpfilters) and {@code /calico/bgp/v1/} in
 * one read-only transaction, so the snapshot is consistent at one revision R, then watches each prefix
 * from R+1: nothing is missed between the read and the watch. Watch events update the view; a burst is
 * batched (quiet time {@link EtcdSettings#batch()}, at most ten times that) into one derivation, and a
 * configuration is delivered only when it differs from the last one. When the connection is lost the
 * watches resume from the last revision once etcd answers (etcd replays what happened meanwhile); a
 * compacted revision or a watch etcd cancelled leads to a full read instead. Either way the last
 * configuration stays in force meanwhile (sessions are untouched), health says DEGRADED, retries back
 * off, and a full read that finds the same data delivers nothing.
 *
 * <p>All state is owned by one worker thread; jetcd's callbacks and the v2 poll thread only post to it.
 */
public final class EtcdDatastore implements DesiredState {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdDatastore.class);

    private final EtcdSettings settings;
    private final Identity identity;
    private final Path secretsDir;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "etcd-datastore");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final EtcdView view = new EtcdView();
    private final Failures v3Failures = new Failures(LOG, "etcd");
    private final Failures v2Failures = new Failures(LOG, "etcd v2 keyspace");

    private volatile boolean closed;
    private volatile long fullReads;
    private Client client;
    private V2Keyspace v2;
    private V2Follower v2Follower;
    private Listener listener;

    // Worker-owned.
    private int generation;
    private final List<Watch.Watcher> watchers = new ArrayList<>();
    private long revision;
    private Duration retryDelay;
    private ScheduledFuture<?> pending;
    private long burstStart;
    private boolean v2Probed;
    private ReflectorConfig delivered;
    private DaemonSettings deliveredSettings = DaemonSettings.NONE;
    private List<ResourceProblem> problems = List.of();
    private String outage;
    private Instant outageSince;

    private volatile Snapshot snapshot = new Snapshot(null, List.of());
    private volatile Health health = new Health(Status.STARTING, "not loaded yet");

    /** @param secretsDir where {@code secretKeyRef}s are read ({@code <dir>/<name>/<key>}); null = none */
    public EtcdDatastore(EtcdSettings settings, Identity identity, Path secretsDir) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.secretsDir = secretsDir;
        this.retryDelay = settings.retryInitial();
    }

    @Override
    public void start(Listener l) throws IOException {
        this.listener = Objects.requireNonNull(l, "listener");
        EtcdTls tls = settings.tls() ? EtcdTls.load(settings.caCert(), settings.cert(), settings.key()) : null;
        if (!settings.tls() && (settings.caCert() != null || settings.cert() != null)) {
            LOG.warn("etcd TLS files are set but the endpoints {} are http://: they are not used", settings.endpoints());
        }
        client = client(tls);
        if (settings.readV2()) {
            v2 = new V2Keyspace(settings.endpoints(), tls == null ? null : tls.jdkContext(), settings.username(), settings.password(),
                    settings.requestTimeout());
        }
        LOG.info("reading Calico data from {}", settings);
        worker.execute(this::sync);
        try {
            if (settings.startWait() == null) {
                loaded.await();
            } else if (!loaded.await(settings.startWait().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("etcd " + settings.endpoints() + " did not answer within " + settings.startWait().toSeconds()
                        + " s: " + health.detail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for etcd", e);
        }
        if (closed) {
            throw new IOException("closed while waiting for etcd");
        }
    }

    private Client client(EtcdTls tls) throws IOException {
        ClientBuilder b = Client.builder().endpoints(settings.endpoints().toArray(new URI[0]))
                .connectTimeout(settings.requestTimeout())
                // A whole cluster's nodes in one answer: well beyond gRPC's 4 MiB default.
                .maxInboundMessageSize(256 << 20);
        if (settings.username() != null) {
            b.user(bytes(settings.username())).password(bytes(settings.password()));
        }
        if (tls != null) {
            try {
                b.sslContext(tls::configure);
            } catch (SSLException e) {
                throw new IOException("etcd TLS: " + e.getMessage(), e);
            }
            // jetcd's resolver names no host, so the certificate is checked against the first endpoint's.
            b.authority(settings.endpoints().get(0).getHost());
        }
        return b.build();
    }

    /** Worker: one consistent read of everything, then watches from the revision after it. */
    private void sync() {
        if (closed) {
            return;
        }
        int gen = ++generation;
        cancelWatchers();
        GetOption prefix = GetOption.builder().isPrefix(true).build();
        List<String> prefixes = EtcdView.prefixes();
        Op[] gets = prefixes.stream().map(p -> Op.get(bytes(p), prefix)).toArray(Op[]::new);
        TxnResponse r;
        CompletableFuture<TxnResponse> f = client.getKVClient().txn().Then(gets).commit();
        try {
            r = f.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (TimeoutException e) {
            f.cancel(true);
            unreachable(new TimeoutException("no answer within " + millis(settings.requestTimeout())));
            return;
        } catch (ExecutionException | RuntimeException e) {
            f.cancel(true);
            unreachable(e instanceof ExecutionException ? e.getCause() : e);
            return;
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (GetResponse g : r.getGetResponses()) {
            for (KeyValue kv : g.getKvs()) {
                keys.put(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().getBytes());
            }
        }
        view.replaceV3(keys);
        revision = r.getHeader().getRevision();
        fullReads++;
        watchFrom(gen);
        v3Failures.ok();
        retryDelay = settings.retryInitial();
        outage = null;
        LOG.debug("etcd snapshot at revision {}: {} keys", revision, keys.size());
        if (v2 != null && !v2Probed) {
            v2Probed = true;
            probeV2();
        }
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
        derive();
        loaded.countDown();
    }

    /** Watches every prefix from the revision after the last one applied; nothing between is missed. */
    private void watchFrom(int gen) {
        for (String p : EtcdView.prefixes()) {
            WatchOption option = WatchOption.builder().isPrefix(true).withRevision(revision + 1).withCreateNotify(true).build();
            watchers.add(client.getWatchClient().watch(bytes(p), option, Watch.listener(
                    resp -> post(() -> events(gen, resp)), t -> post(() -> lost(gen, t)), () -> post(() -> lost(gen, null)))));
        }
    }

    /** After a transient loss: the same watches from where they stopped; etcd replays what happened meanwhile. */
    private void resume() {
        if (closed) {
            return;
        }
        watchFrom(++generation);
    }

    private void events(int gen, WatchResponse resp) {
        if (gen != generation) {
            return;
        }
        if (resp.isCreatedNotify()) {
            if (outage != null) {
                // The watch is back: etcd answers again. Refresh health; the replayed events follow.
                v3Failures.ok();
                retryDelay = settings.retryInitial();
                outage = null;
                derive();
            }
            return;
        }
        for (WatchEvent e : resp.getEvents()) {
            KeyValue kv = e.getKeyValue();
            String key = kv.getKey().toString(StandardCharsets.UTF_8);
            switch (e.getEventType()) {
                case PUT -> view.put(key, kv.getValue().getBytes());
                case DELETE -> view.delete(key);
                default -> {
                    continue;
                }
            }
            revision = Math.max(revision, kv.getModRevision());
        }
        scheduleDerive();
    }

    /**
     * A watch failed or ended. Connection trouble: resume the watches from the last revision once etcd
     * answers. A compacted revision (the history we need is gone) or a watch etcd cancelled: read
     * everything again.
     */
    private void lost(int gen, Throwable t) {
        if (gen != generation || closed) {
            return;
        }
        generation++;
        cancelWatchers();
        CompactedException compacted = compacted(t);
        if (compacted != null) {
            LOG.info("etcd compacted revision {} while we watched from {}: reading everything again", compacted.getCompactedRevision(),
                    revision + 1);
            post(this::sync);
            return;
        }
        String cls = Failures.classify(t);
        boolean transientLoss = cls.equals("UNAVAILABLE") || cls.equals("DEADLINE_EXCEEDED") || cls.equals("CONNECTION_REFUSED")
                || cls.equals("TIMEOUT") || cls.equals("ENDED") || cls.equals("IOException") || cls.equals("VertxException");
        if (!transientLoss) {
            LOG.warn("etcd ended our watch ({}: {}): reading everything again", cls, Failures.describe(t));
        }
        unreachable(t, transientLoss ? this::resume : this::sync);
    }

    private void unreachable(Throwable t) {
        unreachable(t, this::sync);
    }

    /** Records the failure, keeps the configuration in force, and retries {@code next} after the back-off. */
    private void unreachable(Throwable t, Runnable next) {
        String retrying = "retrying with back-off up to " + millis(settings.retryMax())
                + (delivered != null ? ", keeping the configuration read at revision " + revision : "");
        String detail = v3Failures.fail(t, retrying);
        if (outage == null) {
            outageSince = Instant.now();
        }
        outage = "etcd " + settings.endpoints() + " unreachable since " + outageSince + " (" + detail + "); " + retrying;
        health = delivered == null ? new Health(Status.STARTING, outage) : new Health(Status.DEGRADED, outage);
        try {
            worker.schedule(next, retryDelay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return;
        }
        retryDelay = Duration.ofMillis(Math.max(1, Math.min(retryDelay.toMillis() * 2, settings.retryMax().toMillis())));
    }

    private void scheduleDerive() {
        long now = System.nanoTime();
        if (pending != null) {
            if (now - burstStart > settings.batch().toNanos() * 10) {
                return; // a steady stream: let the pending derivation run on time
            }
            pending.cancel(false);
        } else {
            burstStart = now;
        }
        pending = worker.schedule(() -> {
            pending = null;
            derive();
        }, settings.batch().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void derive() {
        Derivation d;
        try {
            d = view.derive(identity, secretsDir);
        } catch (RuntimeException e) {
            LOG.error("deriving the configuration failed; keeping the one in force", e);
            health = new Health(delivered == null ? Status.FAILED : Status.DEGRADED, "derivation failed: " + e);
            return;
        }
        Set<ResourceProblem> before = new HashSet<>(problems);
        for (ResourceProblem p : d.problems()) {
            if (!before.contains(p)) {
                LOG.warn("problem: {}", p);
            }
        }
        problems = d.problems();
        ReflectorConfig config = d.config() != null ? d.config() : delivered;
        // Health before snapshot (both volatile): whoever sees the new problems sees the health they imply.
        if (config == null) {
            health = new Health(Status.FAILED, "no configuration can be derived: "
                    + (problems.isEmpty() ? "no data" : problems.get(problems.size() - 1).toString()));
        } else if (outage != null) {
            health = new Health(Status.DEGRADED, outage);
        } else if (!problems.isEmpty()) {
            health = new Health(Status.DEGRADED, problems.size() + " problem(s), first: " + problems.get(0));
        } else {
            health = new Health(Status.HEALTHY, config.peers().size() + " peers from " + view.size() + " etcd keys at revision " + revision);
        }
        snapshot = new Snapshot(config, problems, d.settings());
        if (!d.settings().equals(deliveredSettings)) {
            deliveredSettings = d.settings();
            listener.settingsChanged(d.settings());
        }
        if (config != null && !config.equals(delivered)) {
            delivered = config;
            listener.changed(config);
        }
    }

    /** Worker, at the first good sync: read the v2 keyspace now so the first configuration includes it, then follow it. */
    private void probeV2() {
        try {
            Optional<V2Keyspace.Listing> l = v2.read();
            if (l.isEmpty()) {
                LOG.info("etcd does not serve the v2 API (no --enable-v2): the legacy keys are read from the v3 keyspace only");
                return;
            }
            view.replaceV2(l.get().entries());
            LOG.info("etcd v2 keyspace: {} legacy keys under {} at index {}", l.get().entries().size(), V2Keyspace.DIR, l.get().index());
            startV2(l.get().index(), false);
        } catch (IOException e) {
            v2Failures.fail(e, "retrying in the background");
            startV2(0, true);
        }
    }

    private void startV2(long index, boolean read) {
        v2Follower = new V2Follower(v2, settings, v2Failures, change -> post(() -> {
            change.accept(view);
            scheduleDerive();
        }));
        v2Follower.start(index, read);
    }

    private void post(Runnable r) {
        try {
            worker.execute(r);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void cancelWatchers() {
        for (Watch.Watcher w : watchers) {
            try {
                w.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a watch: {}", e.toString());
            }
        }
        watchers.clear();
    }

    private static CompactedException compacted(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof CompactedException e) {
                return e;
            }
        }
        return null;
    }

    static String millis(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** How many times everything was read: 1 after start, more after compactions and cancelled watches (a metric). */
    public long fullReads() {
        return fullReads;
    }

    @Override
    public Snapshot snapshot() {
        return snapshot;
    }

    @Override
    public Health health() {
        return health;
    }

    @Override
    public void close() {
        closed = true;
        loaded.countDown();
        try {
            worker.submit(this::cancelWatchers).get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.debug("closing the etcd watches: {}", e.toString());
        }
        worker.shutdownNow();
        if (v2Follower != null) {
            v2Follower.stop();
        }
        if (client != null) {
            client.close();
        }
    }
}
