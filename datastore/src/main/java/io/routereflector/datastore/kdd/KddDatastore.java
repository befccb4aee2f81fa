package io.routereflector.datastore.kdd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.routereflector.datastore.DesiredState;
import io.routereflector.datastore.ResourceProblem;
import io.routereflector.datastore.derive.DaemonSettings;
import io.routereflector.datastore.derive.Derivation;
import io.routereflector.datastore.derive.Identity;
import io.routereflector.reflector.config.ReflectorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code kubernetes} datastore (KDD): core/v1 Nodes (typed), Calico's BGPPeer, BGPConfiguration,
 * IPPool and BGPFilter CRDs (generic; {@code crd.projectcalico.org/v1}, or {@code projectcalico.org/v3} when only that is
 * served) and the password Secrets by name, each followed by a {@link KindFollower}; one derivation
 * over all of it, as for etcd. Bursts are batched into one derivation and a configuration is delivered
 * only when it differs, so an unchanged one touches no session. When the API server is lost the
 * configuration in force stays (and so every session), health says DEGRADED, and each kind is listed
 * again once the server answers.
 *
 * <p>Why our own list+watch and not fabric8's informers: informers hide a lost API server behind silent
 * reconnects (we must report DEGRADED) and a 410 relist behind their cache; here every kind's state is
 * explicit and owned by one worker thread, which the client's callbacks only post to.
 */
public final class KddDatastore implements DesiredState {

    private static final Logger LOG = LoggerFactory.getLogger(KddDatastore.class);
    static final String CRD_GROUP = "crd.projectcalico.org";
    static final String V3_GROUP = "projectcalico.org";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBE = "/version";
    private static final String PROBE_RESYNC = "resync";

    private final KddSettings settings;
    private final Identity identity;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kdd-datastore");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final ApiFailures failures = new ApiFailures(LOG);
    private volatile boolean closed;
    private KubernetesClient client;
    private Listener listener;

    // Worker-owned.
    private final KddView view;
    private final Map<String, KindFollower<?>> followers = new LinkedHashMap<>();
    private final Map<String, KindFollower<Secret>> secretFollowers = new TreeMap<>();
    private final Map<String, String> failing = new TreeMap<>();
    private final Set<String> missing = new TreeSet<>();
    private final Set<String> retrying = new HashSet<>();
    private final Set<String> pendingNodes = new TreeSet<>();
    private Duration retryDelay;
    private ScheduledFuture<?> pending;
    private long burstStart;
    private boolean started;
    private ReflectorConfig delivered;
    private DaemonSettings deliveredSettings = DaemonSettings.NONE;
    private List<ResourceProblem> problems = List.of();
    private Instant outageSince;

    private volatile Snapshot snapshot = new Snapshot(null, List.of());
    private volatile Health health = new Health(Status.STARTING, "not loaded yet");

    public KddDatastore(KddSettings settings, Identity identity) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.view = new KddView(settings.namespace());
        this.retryDelay = settings.retryInitial();
    }

    @Override
    public void start(Listener l) throws IOException {
        this.listener = Objects.requireNonNull(l, "listener");
        try {
            // HTTP/1.1: one connection per watch, so a stalled stream never holds up the other kinds, and no
            // cleartext HTTP/2 upgrade attempt against an http:// endpoint.
            client = new KubernetesClientBuilder().withConfig(settings.config()).withHttpClientBuilderConsumer(b -> b.preferHttp11()).build();
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        LOG.info("reading Calico data from the Kubernetes API: {}", settings);
        worker.execute(this::firstSync);
        try {
            if (settings.startWait() == null) {
                loaded.await();
            } else if (!loaded.await(settings.startWait().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("the Kubernetes API (" + settings + ") did not answer within " + settings.startWait().toSeconds()
                        + " s: " + health.detail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the Kubernetes API", e);
        }
        if (closed) {
            throw new IOException("closed while waiting for the Kubernetes API");
        }
    }

    /** Worker: every kind listed (and watched) before the first derivation, Secrets last (the peers name them). */
    private void firstSync() {
        KindFollower.Sink<Node> nodes = new Sink<>() {
            @Override
            void put(Node n) {
                view.putNode(n.getMetadata().getName(), n.getMetadata().getLabels(), n.getMetadata().getAnnotations());
            }
        };
        followers.put(KddView.NODES, new KindFollower<>(KddView.NODES, new KindFollower.Api<Node>() {
            @Override
            public KubernetesResourceList<Node> list() {
                return client.nodes().list();
            }

            @Override
            public Watch watch(String rv, Watcher<Node> w) {
                return client.nodes().watch(watchOptions(rv), w);
            }
        }, nodes, this::post, false));
        for (String plural : KddView.CRDS) {
            followers.put(plural, new KindFollower<>(plural, new CrdApi(plural), new Sink<GenericKubernetesResource>() {
                @Override
                void put(GenericKubernetesResource r) {
                    view.putCrd(plural, r.getMetadata().getName(), tree(r));
                }
            }, this::post, true));
        }
        for (KindFollower<?> f : followers.values()) {
            f.sync();
        }
        followSecrets();
        started = true;
        derive();
        worker.scheduleWithFixedDelay(this::probe, settings.probe().toMillis(), settings.probe().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Worker: is the server there? A failure is an outage (DEGRADED); the first answer after one lists every kind again. */
    private void probe() {
        if (closed) {
            return;
        }
        try {
            client.getKubernetesVersion();
        } catch (RuntimeException e) {
            if (failing.isEmpty()) {
                outageSince = Instant.now();
            }
            failing.put(PROBE, failures.fail("version probe", e, "the configuration in force is kept; asking again every "
                    + settings.probe().toMillis() + " ms"));
            derive();
            return;
        }
        if (failing.remove(PROBE) != null) {
            LOG.info("Kubernetes API: the server is back; listing everything again");
            failing.put(PROBE_RESYNC, "resyncing");
            for (KindFollower<?> f : followers.values()) {
                f.sync();
            }
            for (KindFollower<?> f : secretFollowers.values()) {
                f.sync();
            }
            failing.remove(PROBE_RESYNC);
            if (failing.isEmpty()) {
                failures.ok();
                retryDelay = settings.retryInitial();
                outageSince = null;
            }
            changed();
        }
    }

    static ListOptions watchOptions(String rv) {
        return new ListOptionsBuilder().withResourceVersion(rv).withAllowWatchBookmarks(true).build();
    }

    /** Starts a by-name follower for each Secret the data names, stops those no longer named. */
    private void followSecrets() {
        Set<String> wanted = view.secretNames();
        for (String name : List.copyOf(secretFollowers.keySet())) {
            if (!wanted.contains(name)) {
                secretFollowers.remove(name).stop();
                view.deleteSecret(name);
                failing.remove("secrets/" + name);
            }
        }
        for (String name : wanted) {
            if (!secretFollowers.containsKey(name)) {
                String kind = "secrets/" + name;
                KindFollower<Secret> f = new KindFollower<>(kind, new KindFollower.Api<Secret>() {
                    @Override
                    public KubernetesResourceList<Secret> list() {
                        return client.secrets().inNamespace(settings.namespace()).withField("metadata.name", name).list();
                    }

                    @Override
                    public Watch watch(String rv, Watcher<Secret> w) {
                        return client.secrets().inNamespace(settings.namespace()).withField("metadata.name", name).watch(watchOptions(rv), w);
                    }
                }, new Sink<Secret>() {
                    @Override
                    void put(Secret s) {
                        if (name.equals(s.getMetadata().getName())) {
                            view.putSecret(name, s.getData(), s.getStringData());
                        }
                    }

                    @Override
                    void remove(String itemName) {
                        view.deleteSecret(name);
                    }

                    @Override
                    void clear() {
                        view.deleteSecret(name);
                    }
                }, this::post, false);
                secretFollowers.put(name, f);
                f.sync();
            }
        }
    }

    /** The CRD under the group the server serves: crd.projectcalico.org/v1, else projectcalico.org/v3. */
    private final class CrdApi implements KindFollower.Api<GenericKubernetesResource> {
        private final String plural;
        private ResourceDefinitionContext context;

        CrdApi(String plural) {
            this.plural = plural;
        }

        @Override
        public KubernetesResourceList<GenericKubernetesResource> list() {
            context = context();
            return client.genericKubernetesResources(context).list();
        }

        @Override
        public Watch watch(String rv, Watcher<GenericKubernetesResource> w) {
            return client.genericKubernetesResources(context).watch(watchOptions(rv), w);
        }

        private ResourceDefinitionContext context() {
            String group = CRD_GROUP;
            String version = "v1";
            try {
                Set<String> served = new HashSet<>();
                client.getApiGroups().getGroups().forEach(g -> served.add(g.getName()));
                if (!served.contains(CRD_GROUP) && served.contains(V3_GROUP)) {
                    group = V3_GROUP;
                    version = "v3";
                }
            } catch (RuntimeException e) {
                LOG.debug("API group discovery failed ({}); reading {}", e.toString(), CRD_GROUP);
            }
            return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version)
                    .withPlural(plural).withNamespaced(false)
                    .withKind(KddView.kindOf(plural)).build();
        }
    }

    private static JsonNode tree(HasMetadata r) {
        try {
            return JSON.readTree(Serialization.asJson(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The datastore's side of a follower: view updates, health, retries. */
    private abstract class Sink<T extends HasMetadata> implements KindFollower.Sink<T> {
        abstract void put(T item);

        void remove(String name) {
        }

        void clear() {
        }

        @Override
        public void replaced(String kind, List<T> items) {
            if (!kind.startsWith("secrets/")) {
                view.clear(kind);
            } else {
                clear();
            }
            items.forEach(this::put);
            changed();
        }

        @Override
        public void put(String kind, T item) {
            put(item);
            changed();
        }

        @Override
        public void deleted(String kind, T item) {
            if (kind.startsWith("secrets/")) {
                remove(item.getMetadata().getName());
            } else {
                view.delete(kind, item.getMetadata().getName());
            }
            changed();
        }

        @Override
        public void ok(String kind) {
            missing.remove(kind);
            if (failing.remove(kind) != null && failing.isEmpty()) {
                failures.ok();
                retryDelay = settings.retryInitial();
                outageSince = null;
                changed();
            }
        }

        @Override
        public void failed(String kind, Throwable t, boolean notServed) {
            KindFollower<?> f = kind.startsWith("secrets/") ? secretFollowers.get(kind.substring("secrets/".length())) : followers.get(kind);
            if (f == null) {
                return;
            }
            if (notServed) {
                if (missing.add(kind)) {
                    LOG.info("Kubernetes API: {}.{} is not served (Calico's CRDs not installed yet?): looking again every {} s", kind, CRD_GROUP,
                            settings.crdPoll().toSeconds());
                }
                // Nothing of this kind exists: forget what an earlier list had.
                view.clear(kind);
                retry(f, settings.crdPoll());
                changed();
                return;
            }
            if (failing.isEmpty()) {
                outageSince = Instant.now();
            }
            failing.put(kind, failures.fail(kind, t, "the configuration in force is kept; retrying with back-off"));
            retry(f, retryDelay);
            retryDelay = Duration.ofMillis(Math.min(retryDelay.toMillis() * 2, settings.retryMax().toMillis()));
            changed();
        }
    }

    private void retry(KindFollower<?> f, Duration after) {
        if (!retrying.add(f.kind())) {
            return;
        }
        try {
            worker.schedule(() -> {
                retrying.remove(f.kind());
                f.sync();
            }, after.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /** Something changed: derive after the burst ends (nothing before the first full read). */
    private void changed() {
        if (!started || closed) {
            return;
        }
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
        followSecrets();
        Derivation d;
        try {
            d = view.derive(identity);
        } catch (RuntimeException e) {
            LOG.error("deriving the configuration failed; keeping the one in force", e);
            health = new Health(delivered == null ? Status.FAILED : Status.DEGRADED, "derivation failed: " + e);
            return;
        }
        for (String n : view.pendingNodes()) {
            if (pendingNodes.add(n)) {
                LOG.info("node '{}' has no {} annotation (calico/node has not started there yet): skipped until it changes", n, NodeMapping.IPV4);
            }
        }
        pendingNodes.retainAll(view.pendingNodes());
        Set<ResourceProblem> before = new HashSet<>(problems);
        for (ResourceProblem p : d.problems()) {
            if (!before.contains(p)) {
                LOG.warn("skipped: {}", p);
            }
        }
        problems = d.problems();
        ReflectorConfig config = d.config() != null ? d.config() : delivered;
        if (!failing.isEmpty()) {
            String outage = "Kubernetes API (" + settings + ") failing since " + outageSince + ": " + failing.values().iterator().next()
                    + "; the configuration in force is kept";
            health = new Health(config == null ? Status.STARTING : Status.DEGRADED, outage);
        } else if (config == null) {
            health = new Health(Status.FAILED, "no configuration can be derived: "
                    + (problems.isEmpty() ? "no data" : problems.get(problems.size() - 1).toString()));
        } else if (!problems.isEmpty()) {
            health = new Health(Status.DEGRADED, problems.size() + " problem(s), first: " + problems.get(0));
        } else {
            health = new Health(Status.HEALTHY, config.peers().size() + " peers from " + view.size() + " Kubernetes objects"
                    + (missing.isEmpty() ? "" : "; not served yet: " + missing));
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
        if (config != null || failing.isEmpty()) {
            loaded.countDown();
        }
    }

    private void post(Runnable r) {
        try {
            worker.execute(r);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /** How many times each kind was listed (1 after start; more after 410 Gone, outages, CRD polls). */
    public long lists() {
        try {
            return worker.submit(() -> {
                long n = 0;
                for (KindFollower<?> f : followers.values()) {
                    n += f.lists();
                }
                return n;
            }).get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (ExecutionException | TimeoutException e) {
            return -1;
        }
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
            worker.submit(() -> {
                followers.values().forEach(KindFollower::stop);
                secretFollowers.values().forEach(KindFollower::stop);
            }).get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.debug("closing the watches: {}", e.toString());
        }
        worker.shutdownNow();
        if (client != null) {
            client.close();
        }
    }
}
