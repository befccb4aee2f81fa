package io.routereflector.daemon;

import io.routereflector.datastore.DesiredState;
import io.routereflector.datastore.derive.DaemonSettings;
import io.routereflector.reflector.Reflector;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.message.Notification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Start, reload and stop of the daemon.
 * <ul>
 *   <li>Restart detection: a marker file in the state directory is written at start and removed only
 *       by a decommission. Found at start, it means we stopped for a restart (or crashed): our OPEN
 *       then carries the Graceful Restart R bit, and every peer's table and End-of-RIB are held
 *       until all peers' End-of-RIBs are in (RFC 4724 §4.1; {@link Reflector#deferInitialTransfer}).</li>
 *   <li>Stop (SIGTERM): every session is closed <em>without</em> a NOTIFICATION. RFC 4724 §4.2 has
 *       a helper keep our routes only when the TCP connection ends without one; the RFC 8538 way (a
 *       Cease that keeps routes) needs the N bit on both sides, and the BIRD 1.6 of Calico nodes does
 *       not implement RFC 8538, so a Cease would make every node drop our routes at once. A closed
 *       socket is also what the peers see when we crash, so one path covers both.</li>
 *   <li>Decommission ({@code routereflector shutdown --message}, or {@link #decommission} for an admin
 *       endpoint): Cease / Administrative Shutdown with the RFC 9003 message to every peer, and the
 *       marker goes, so the next start is a fresh one.</li>
 *   <li>Reload (SIGHUP): the datastore is read afresh and applied through the same reconciliation as
 *       any change ({@link Reflector#apply} touches only what differs); its logSeverityScreen too.</li>
 * </ul>
 * Every configuration change runs on one "control" thread, as {@code PeerSet.apply} requires.
 */
final class Lifecycle implements DesiredState.Listener {

    static final String MARKER = "running";
    static final String SHUTDOWN_REQUEST = "shutdown-request";
    /** The whole stop, sessions and threads, is bounded: then the process goes anyway. */
    static final Duration STOP_BOUND = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private final Path stateDir;
    private final DaemonOptions options;
    private final Environment env;
    private final Reflector reflector;
    private final OpsOptions ops;
    private final LogLevelSetting levels;
    private final ExecutorService control = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "control");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<String> decommissionMessage = new AtomicReference<>();
    // Control thread only.
    private boolean restarted;
    private ReflectorConfig lastDerived;

    Lifecycle(Path stateDir, DaemonOptions options, Environment env, Reflector reflector, OpsOptions ops, LogLevelSetting levels) {
        this.ops = ops;
        this.levels = levels;
        this.stateDir = stateDir;
        this.options = options;
        this.env = env;
        this.reflector = reflector;
    }

    /** Reads and rewrites the restart marker; after a restart, defers the initial transfer. Before the first apply. */
    boolean begin(Duration selectionDeferral) {
        Path marker = stateDir.resolve(MARKER);
        boolean found = Files.exists(marker);
        try {
            Files.createDirectories(stateDir);
            Files.deleteIfExists(stateDir.resolve(SHUTDOWN_REQUEST)); // a request for a previous process
            write(marker, Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            LOG.warn("state directory {} is not writable ({}): restarts will not be detected", stateDir, e.toString());
        }
        restarted = found;
        if (found) {
            LOG.info("restart: found {} from a previous run: advertising the Graceful Restart R bit and deferring"
                    + " our table until every peer's End-of-RIB is in (at most {} s)", marker, selectionDeferral.toSeconds());
            reflector.deferInitialTransfer(selectionDeferral);
            reflector.initialTransferReleased().thenRunAsync(this::restartComplete, control);
        }
        return found;
    }

    private volatile Exception applyError;

    /** Datastore listener: the log level follows logSeverityScreen (unless fixed by flag or environment). */
    @Override
    public void settingsChanged(DaemonSettings settings) {
        levels.apply(settings);
    }

    /** Datastore listener: applies on the control thread and waits, so the first config is in force when start returns. */
    @Override
    public void changed(ReflectorConfig derived) {
        Future<?> done = control.submit(() -> applyNow(derived, "configuration applied"));
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.error("configuration not applied", e.getCause());
        }
    }

    /** The last apply's failure, null once one succeeds; a failed first apply ends the start-up. */
    Exception applyError() {
        return applyError;
    }

    private void applyNow(ReflectorConfig derived, String what) {
        try {
            lastDerived = derived;
            ReflectorConfig o = options.override(derived);
            ReflectorConfig config = new ReflectorConfig(o.routerId(), o.clusterId(), o.localAs(), o.listenAddresses(),
                    o.port(), o.peers(), restarted);
            ReflectorConfig before = reflector.peers().config();
            if (config.equals(before)) {
                LOG.info("{}: unchanged, no session touched", what);
                return;
            }
            ops.secrets(config);
            reflector.apply(config);
            applyError = null;
            ops.applied(true);
            LOG.info("{}: {}", what, io.routereflector.daemon.ops.ConfigChange.describe(before, config));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Netty rethrows a failed bind's checked IOException undeclared: catch everything here, or it
            // escapes into the datastore, which would blame its own reading for it.
            applyError = e;
            ops.applied(false);
            LOG.error("{}: not applied: {}", what, ConfigLoader.describe(e));
        }
    }

    /** Control thread: the held table is out; sessions that come up from now on carry no R bit. */
    private void restartComplete() {
        restarted = false;
        if (lastDerived != null) {
            applyNow(lastDerived, "restart complete, R bit cleared");
        }
    }

    /** SIGHUP: a fresh read of the datastore (bounded for etcd), applied through the reconciliation. */
    void reload() {
        control.execute(() -> {
            LOG.info("reload: reading the datastore again");
            try (DesiredState fresh = ConfigLoader.open(options, env, Duration.ofSeconds(10))) {
                fresh.start(c -> { });
                DesiredState.Snapshot snapshot = fresh.snapshot();
                snapshot.problems().forEach(p -> LOG.warn("reload: {}", p));
                levels.apply(snapshot.settings());
                if (snapshot.config() == null) {
                    LOG.error("reload: no configuration could be derived ({}); keeping the one in force", fresh.health().detail());
                    return;
                }
                applyNow(snapshot.config(), "reload");
            } catch (Exception e) {
                LOG.error("reload failed, keeping the configuration in force: {}", ConfigLoader.describe(e));
            }
        });
    }

    /**
     * Installs SIGHUP → {@link #reload()}. sun.misc.Signal is the JDK's only hook for it (jdk.unsupported).
     * A SIGHUP ignored when the process started (nohup, a shell's background job) stays ignored: the JVM
     * then installs nothing and answers SIG_IGN, which is said here, since nothing else would say it.
     */
    void handleHangup() {
        try {
            if (sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> reload()) == sun.misc.SignalHandler.SIG_IGN) {
                LOG.warn("SIGHUP was ignored when this process started (nohup, a background job or a supervisor's setting)"
                        + " and the JVM keeps it ignored: SIGHUP will not reload the configuration. Changes still apply"
                        + " through the datastore's watch; the launcher (bin/routereflector) clears this before it starts"
                        + " the JVM");
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("SIGHUP cannot be handled here ({}); configuration changes still apply through the datastore's watch",
                    e.getMessage());
        }
    }

    /** For an admin endpoint: decommission with {@code message} and exit (the stop runs in the shutdown hook). */
    void decommission(String message) {
        decommissionMessage.set(message);
        Thread exit = new Thread(() -> System.exit(0), "decommission");
        exit.start();
    }

    /**
     * The shutdown hook: a decommission when one was requested (by {@link #decommission} or a request
     * file from {@code routereflector shutdown}), else a stop for restart; bounded by {@link #STOP_BOUND}.
     */
    void stop(DesiredState source) {
        String message = decommissionMessage.get();
        Path request = stateDir.resolve(SHUTDOWN_REQUEST);
        try {
            if (message == null && Files.exists(request)) {
                message = Files.readString(request, StandardCharsets.UTF_8).strip();
            }
            Files.deleteIfExists(request);
        } catch (IOException e) {
            LOG.warn("cannot read the shutdown request {}: {}", request, e.toString());
        }
        String farewell = message;
        Thread stopping = new Thread(() -> {
            source.close();
            try {
                if (farewell == null) {
                    LOG.info("stopping for a restart: closing sessions without NOTIFICATION so that graceful-restart"
                            + " peers keep our routes (RFC 4724)");
                    reflector.close(null);
                } else {
                    LOG.info("decommissioning: Cease / Administrative Shutdown \"{}\" to every peer", farewell);
                    reflector.close(Notification.shutdown(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN, farewell));
                    Files.deleteIfExists(stateDir.resolve(MARKER));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                LOG.warn("stop: {}", e.toString());
            }
        }, "stop");
        stopping.start();
        try {
            stopping.join(STOP_BOUND.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        control.shutdownNow();
        if (stopping.isAlive()) {
            LOG.warn("stop took longer than {} s: exiting anyway", STOP_BOUND.toSeconds());
            Runtime.getRuntime().halt(1);
        }
        LOG.info("stopped");
    }

    /** Atomically replaces {@code file} (a reader never sees half of it). */
    static void write(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Waits for the control thread's queue (tests). */
    void awaitIdle() throws InterruptedException, ExecutionException, TimeoutException {
        control.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }
}
