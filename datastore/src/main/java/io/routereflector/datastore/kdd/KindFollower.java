package io.routereflector.datastore.kdd;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Follows one kind the way calico/node does: list, then watch from the list's resourceVersion with
 * bookmarks. A watch that closes is re-opened from the last revision seen (events and bookmarks advance
 * it); 410 Gone means that history is gone, so the kind is listed again and the new list replaces the old
 * one (keys missing from it are deletions; the derivation delivers only what differs). A kind the server
 * does not serve (a CRD not installed yet) is polled; other failures are retried with back-off by the
 * datastore, which then lists again to resync. Every method runs on the datastore's worker thread; the
 * client's callbacks only post to it.
 */
final class KindFollower<T extends HasMetadata> {

    private static final Logger LOG = LoggerFactory.getLogger(KindFollower.class);

    /** The list and watch calls of one kind (typed Nodes and Secrets, generic CRDs). */
    interface Api<T extends HasMetadata> {
        KubernetesResourceList<T> list();

        Watch watch(String resourceVersion, Watcher<T> watcher);
    }

    /** Where the follower reports; called on the worker. */
    interface Sink<T> {
        void replaced(String kind, List<T> items);

        void put(String kind, T item);

        void deleted(String kind, T item);

        /** The kind is in sync (listed and watching). */
        void ok(String kind);

        /** The kind could not be listed or watched; {@code missing}: the server does not serve it (yet). */
        void failed(String kind, Throwable t, boolean missing);
    }

    /** Posts work to the datastore's worker thread. */
    interface Worker {
        void post(Runnable r);
    }

    private final String kind;
    private final Api<T> api;
    private final Sink<T> sink;
    private final Worker worker;
    private final boolean optional;

    private int generation;
    private String revision;
    private Watch watch;
    private boolean stopped;
    private long lists;

    /** @param optional a CRD: 404 means "not installed yet", polled rather than an outage */
    KindFollower(String kind, Api<T> api, Sink<T> sink, Worker worker, boolean optional) {
        this.kind = kind;
        this.api = api;
        this.sink = sink;
        this.worker = worker;
        this.optional = optional;
    }

    String kind() {
        return kind;
    }

    long lists() {
        return lists;
    }

    /** Lists everything and watches from there; on failure tells the sink (the datastore schedules the retry). */
    void sync() {
        if (stopped) {
            return;
        }
        closeWatch();
        KubernetesResourceList<T> list;
        try {
            list = api.list();
        } catch (RuntimeException e) {
            sink.failed(kind, e, optional && ApiFailures.code(e) == 404);
            return;
        }
        lists++;
        revision = list.getMetadata() == null ? null : list.getMetadata().getResourceVersion();
        sink.replaced(kind, list.getItems());
        watchFromRevision();
    }

    private void watchFromRevision() {
        int gen = ++generation;
        try {
            watch = api.watch(revision, new Watcher<>() {
                @Override
                public void eventReceived(Action action, T item) {
                    worker.post(() -> event(gen, action, item));
                }

                @Override
                public void onClose(WatcherException cause) {
                    worker.post(() -> closed(gen, cause));
                }
            });
        } catch (RuntimeException e) {
            if (ApiFailures.code(e) == 410) {
                LOG.info("Kubernetes API: {}: 410 Gone at revision {} (history compacted): listing again", kind, revision);
                sync();
                return;
            }
            sink.failed(kind, e, false);
            return;
        }
        sink.ok(kind);
    }

    private void event(int gen, Watcher.Action action, T item) {
        if (gen != generation || stopped) {
            return;
        }
        if (item != null && item.getMetadata() != null && item.getMetadata().getResourceVersion() != null) {
            revision = item.getMetadata().getResourceVersion();
        }
        switch (action) {
            case ADDED, MODIFIED -> sink.put(kind, item);
            case DELETED -> sink.deleted(kind, item);
            default -> {
                // BOOKMARK: only the revision moves. ERROR events arrive as onClose.
            }
        }
    }

    private void closed(int gen, WatcherException cause) {
        if (gen != generation || stopped) {
            return;
        }
        watch = null;
        if (cause != null && cause.isHttpGone()) {
            // The revision we watched from is compacted away: only a new list tells the truth.
            LOG.info("Kubernetes API: {}: 410 Gone at revision {} (history compacted): listing again", kind, revision);
            sync();
            return;
        }
        watchFromRevision();
    }

    void stop() {
        stopped = true;
        generation++;
        closeWatch();
    }

    private void closeWatch() {
        generation++;
        if (watch != null) {
            try {
                watch.close();
            } catch (RuntimeException e) {
                // already gone
            }
            watch = null;
        }
    }
}
