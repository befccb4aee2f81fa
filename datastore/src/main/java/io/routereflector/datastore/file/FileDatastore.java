package io.routereflector.datastore.file;

import io.routereflector.datastore.DesiredState;
import io.routereflector.datastore.ResourceProblem;
import io.routereflector.datastore.calico.CalicoResource;
import io.routereflector.datastore.calico.ResourceReader;
import io.routereflector.datastore.derive.DaemonSettings;
import io.routereflector.datastore.derive.Derivation;
import io.routereflector.datastore.derive.Identity;
import io.routereflector.datastore.derive.PeerDerivation;
import io.routereflector.reflector.config.ReflectorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code file} datastore: a directory (or one file) of calicoctl resources in YAML ({@code .yaml},
 * {@code .yml}) or JSON ({@code .json}); dot-files are skipped (editor swap files, a ConfigMap's
 * {@code ..data}). A WatchService reports changes and a periodic rescan catches what it misses (network
 * file systems, symlink swaps); both feed one reload, debounced so that an editor's burst of writes costs
 * one derivation. A file that does not parse, or holds a resource that does not validate, keeps its last
 * good state while its problems are reported with file, line and field; a new file with problems applies
 * its valid resources. All work happens on one thread, so no state here is shared.
 */
public final class FileDatastore implements DesiredState {

    private static final Logger LOG = LoggerFactory.getLogger(FileDatastore.class);

    private final Path path;
    private final Identity identity;
    private final Path secretsDir;
    private final Duration debounce;
    private final Duration rescan;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "file-datastore");
        t.setDaemon(true);
        return t;
    });

    /** Per file: the digest of the bytes last read, the resources of its last good version, its current problems. */
    private record FileState(byte[] digest, List<CalicoResource> good, List<ResourceProblem> problems) {
    }

    private final Map<Path, FileState> files = new TreeMap<>();
    private Listener listener;
    private WatchService watcher;
    private ScheduledFuture<?> pending;
    private ReflectorConfig delivered;
    private DaemonSettings deliveredSettings = DaemonSettings.NONE;
    private volatile Snapshot snapshot = new Snapshot(null, List.of());
    private volatile Health health = new Health(Status.STARTING, "not loaded yet");

    /**
     * @param secretsDir where {@code secretKeyRef}s are read ({@code <dir>/<name>/<key>}); null = none
     * @param debounce   quiet time after a change event before reloading (~100 ms)
     * @param rescan     interval of the fallback rescan
     */
    public FileDatastore(Path path, Identity identity, Path secretsDir, Duration debounce, Duration rescan) {
        this.path = Objects.requireNonNull(path, "path");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.secretsDir = secretsDir;
        this.debounce = debounce;
        this.rescan = rescan;
    }

    public FileDatastore(Path path, Identity identity, Path secretsDir) {
        this(path, identity, secretsDir, Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    @Override
    public void start(Listener l) throws IOException {
        this.listener = Objects.requireNonNull(l, "listener");
        try {
            worker.submit(this::reload).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while loading " + path, e);
        } catch (ExecutionException e) {
            throw new IOException("loading " + path + " failed", e.getCause());
        }
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        watcher = dir.getFileSystem().newWatchService();
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        Thread t = new Thread(this::watch, "file-datastore-watch");
        t.setDaemon(true);
        t.start();
        worker.scheduleWithFixedDelay(this::reload, rescan.toMillis(), rescan.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                key.pollEvents();
                key.reset();
                worker.execute(this::scheduleReload);
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private void scheduleReload() {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = worker.schedule(this::reload, debounce.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs on the worker thread only. */
    private void reload() {
        try {
            List<Path> current = list();
            Map<Path, FileState> next = new TreeMap<>();
            for (Path f : current) {
                next.put(f, load(f, files.get(f)));
            }
            files.clear();
            files.putAll(next);
            List<CalicoResource> resources = new ArrayList<>();
            List<ResourceProblem> problems = new ArrayList<>();
            for (FileState s : files.values()) {
                resources.addAll(s.good());
                problems.addAll(s.problems());
            }
            Derivation d = PeerDerivation.derive(identity, resources, secretsDir);
            problems.addAll(d.problems());
            publish(d.config(), d.settings(), problems, current.isEmpty() ? "no resource files in " + path : null);
        } catch (IOException | RuntimeException e) {
            // Keep the configuration in force; say why nothing new applies.
            LOG.warn("file datastore {}: {}", path, e.toString());
            publish(null, deliveredSettings, snapshot.problems(), "cannot read " + path + ": " + e.getMessage());
        }
    }

    private List<Path> list() throws IOException {
        if (!Files.isDirectory(path)) {
            if (!Files.exists(path)) {
                throw new IOException("no such file or directory");
            }
            return List.of(path);
        }
        try (Stream<Path> s = Files.list(path)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
                    })
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        }
    }

    private FileState load(Path f, FileState old) throws IOException {
        byte[] bytes = Files.readAllBytes(f);
        byte[] digest = digest(bytes);
        if (old != null && Arrays.equals(old.digest(), digest)) {
            return old;
        }
        ResourceReader.Result r = ResourceReader.read(f.toString(), bytes, f.getFileName().toString().endsWith(".json"));
        LOG.debug("read {} ({} bytes): {} resources, {} problems", f, bytes.length, r.resources().size(), r.problems().size());
        // A bad field falls back alone and the rest of the edit applies; an edit that does not parse, or that
        // leaves a whole resource out (half-written, or a peerIP or selector that means nothing), keeps the
        // file's last good version instead.
        if (!r.broken() && r.skipped() == 0 || old == null) {
            return new FileState(digest, r.broken() ? List.of() : r.resources(), r.problems());
        }
        List<ResourceProblem> problems = new ArrayList<>(r.problems());
        problems.add(new ResourceProblem(f.toString(), "", "keeping the last good version of this file ("
                + old.good().size() + " resources) until it is fixed"));
        return new FileState(digest, old.good(), problems);
    }

    private void publish(ReflectorConfig derived, DaemonSettings settings, List<ResourceProblem> problems, String failure) {
        Set<ResourceProblem> before = new HashSet<>(snapshot.problems());
        for (ResourceProblem p : problems) {
            if (!before.contains(p)) {
                LOG.warn("problem: {}", p);
            }
        }
        ReflectorConfig config = derived != null ? derived : delivered;
        // Health before snapshot (both volatile): whoever sees the new problems sees the health they imply.
        if (config == null) {
            health = new Health(Status.FAILED, failure != null ? failure : "no configuration can be derived: "
                    + (problems.isEmpty() ? "no data" : problems.get(problems.size() - 1).toString()));
        } else if (failure != null || !problems.isEmpty()) {
            health = new Health(Status.DEGRADED, failure != null ? failure : problems.size() + " problem(s), first: " + problems.get(0));
        } else {
            health = new Health(Status.HEALTHY, config.peers().size() + " peers from " + files.size() + " file(s)");
        }
        snapshot = new Snapshot(config, problems, settings);
        if (!settings.equals(deliveredSettings)) {
            deliveredSettings = settings;
            listener.settingsChanged(settings);
        }
        if (config != null && !config.equals(delivered)) {
            delivered = config;
            listener.changed(config);
        }
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
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
        worker.shutdownNow();
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                LOG.debug("closing the watch service: {}", e.toString());
            }
        }
    }
}
