package io.routereflector.datastore.etcd;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Follows the legacy keys of etcd's v2 keyspace on a thread of its own with the v2 long-poll, and
 * reads everything again after any gap (index cleared, connection lost). It owns no state: every
 * change goes to {@code apply}, which runs it against the view on the datastore's worker.
 */
final class V2Follower {

    private static final Logger LOG = LoggerFactory.getLogger(V2Follower.class);

    private final V2Keyspace v2;
    private final EtcdSettings settings;
    private final Failures failures;
    private final Consumer<Consumer<EtcdView>> apply;
    private volatile boolean stopped;
    private Thread thread;

    V2Follower(V2Keyspace v2, EtcdSettings settings, Failures failures, Consumer<Consumer<EtcdView>> apply) {
        this.v2 = v2;
        this.settings = settings;
        this.failures = failures;
        this.apply = apply;
    }

    /** Follows from {@code index}; with {@code mustRead}, reads the whole keyspace first. */
    void start(long index, boolean mustRead) {
        thread = new Thread(() -> follow(index, mustRead), "etcd-v2-watch");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void follow(long index, boolean mustRead) {
        long next = index + 1;
        boolean read = mustRead;
        Duration delay = settings.retryInitial();
        while (!stopped) {
            try {
                if (read) {
                    Optional<V2Keyspace.Listing> l = v2.read();
                    Map<String, String> entries = l.map(V2Keyspace.Listing::entries).orElse(Map.of());
                    apply.accept(view -> view.replaceV2(entries));
                    if (l.isEmpty()) {
                        LOG.info("etcd no longer serves the v2 API: the legacy keys are read from the v3 keyspace only");
                        return;
                    }
                    next = l.get().index() + 1;
                    read = false;
                }
                V2Keyspace.Event e = v2.await(next, settings.v2PollTimeout());
                failures.ok();
                delay = settings.retryInitial();
                if (e != null) {
                    next = e.index() + 1;
                    apply.accept(view -> {
                        if (e.value() == null) {
                            view.deleteV2(e.key(), e.dir());
                        } else {
                            view.putV2(e.key(), e.value());
                        }
                    });
                }
            } catch (V2Keyspace.IndexCleared e) {
                LOG.info("etcd v2 keyspace: {}; reading it again", e.getMessage());
                read = true;
            } catch (IOException e) {
                if (stopped) {
                    return;
                }
                failures.fail(e, "retrying with back-off up to " + EtcdDatastore.millis(settings.retryMax()) + ", keeping the keys read before");
                read = true;
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
                delay = Duration.ofMillis(Math.min(delay.toMillis() * 2, settings.retryMax().toMillis()));
            }
        }
    }
}
