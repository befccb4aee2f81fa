package io.routereflector.wire.attribute;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Shares one {@link PathAttributes} instance among the thousands of routes that carry equal sets.
 * Weak on both sides: a set no route holds any more is collected. Thread-safe, so I/O threads can
 * intern while decoding; striped locks keep them from queueing on one another.
 *
 * <p>Intern sets without per-UPDATE NLRI (MP_REACH_NLRI, MP_UNREACH_NLRI) or nothing will be shared.
 */
public final class AttributeInterner {

    private static final int STRIPES = 16;

    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    @SuppressWarnings({"unchecked", "rawtypes"})
    private final Map<PathAttributes, WeakReference<PathAttributes>>[] maps = new Map[STRIPES];

    public AttributeInterner() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
            maps[i] = new WeakHashMap<>();
        }
    }

    /** The shared instance equal to {@code attributes}; {@code attributes} itself when it is the first. */
    public PathAttributes intern(PathAttributes attributes) {
        int h = attributes.hashCode();
        int stripe = (h ^ (h >>> 16)) & (STRIPES - 1);
        ReentrantLock lock = locks[stripe];
        lock.lock();
        try {
            Map<PathAttributes, WeakReference<PathAttributes>> map = maps[stripe];
            WeakReference<PathAttributes> ref = map.get(attributes);
            PathAttributes shared = ref != null ? ref.get() : null;
            if (shared == null) {
                map.put(attributes, new WeakReference<>(attributes));
                shared = attributes;
            }
            return shared;
        } finally {
            lock.unlock();
        }
    }

    /** Live entries (approximate: collected ones leave lazily). */
    public int size() {
        int total = 0;
        for (int i = 0; i < STRIPES; i++) {
            locks[i].lock();
            try {
                total += maps[i].size();
            } finally {
                locks[i].unlock();
            }
        }
        return total;
    }
}
