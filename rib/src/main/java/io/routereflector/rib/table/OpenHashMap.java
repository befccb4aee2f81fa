package io.routereflector.rib.table;

import java.util.AbstractCollection;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A hash map in two parallel arrays with open addressing (linear probing, backward-shift deletion):
 * no node object per mapping, which is most of what a {@link java.util.HashMap} costs when the values
 * are small and there are hundreds of thousands of them (a node is 32 bytes, a slot here 8). The
 * table grows by half; a large one shrinks when seven eighths empty.
 *
 * <p>Null keys and values are not allowed. Not thread-safe. Changing the map while iterating it is
 * detected (no removal through iterators: a backward shift would move unvisited entries behind the
 * cursor).
 */
public final class OpenHashMap<K, V> {

    private static final Object[] EMPTY = new Object[0];

    private Object[] keys = EMPTY;
    private Object[] values = EMPTY;
    private int size;
    private int modCount;

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The key's slot, or {@code -(free slot) - 1} where it would go (-1 in a table not yet allocated). */
    private int slotOf(Object key) {
        int capacity = keys.length;
        if (capacity == 0) {
            return -1;
        }
        for (int i = Slots.home(key.hashCode(), capacity); ; i = Slots.next(i, capacity)) {
            Object k = keys[i];
            if (k == null) {
                return -i - 1;
            }
            if (k == key || k.equals(key)) {
                return i;
            }
        }
    }

    @SuppressWarnings("unchecked")
    public V get(Object key) {
        int i = slotOf(Objects.requireNonNull(key, "key"));
        return i < 0 ? null : (V) values[i];
    }

    public boolean containsKey(Object key) {
        return slotOf(Objects.requireNonNull(key, "key")) >= 0;
    }

    /** Maps {@code key} to {@code value}; an existing key instance is kept. Returns the previous value. */
    @SuppressWarnings("unchecked")
    public V put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        int i = slotOf(key);
        if (i >= 0) {
            V old = (V) values[i];
            values[i] = value;
            return old;
        }
        insert(key, value, -i - 1);
        return null;
    }

    @SuppressWarnings("unchecked")
    public V computeIfAbsent(K key, Function<? super K, ? extends V> create) {
        int i = slotOf(Objects.requireNonNull(key, "key"));
        if (i >= 0) {
            return (V) values[i];
        }
        V value = Objects.requireNonNull(create.apply(key), "created value");
        insert(key, value, -i - 1);
        return value;
    }

    /** Adds a key known to be absent, at the free slot its lookup ended on unless the table must grow first. */
    private void insert(Object key, Object value, int free) {
        if (Slots.full(size + 1, keys.length)) {
            resize(Slots.grown(keys.length));
            place(key, value);
        } else {
            keys[free] = key;
            values[free] = value;
        }
        size++;
        modCount++;
    }

    private void place(Object key, Object value) {
        int capacity = keys.length;
        int i = Slots.home(key.hashCode(), capacity);
        while (keys[i] != null) {
            i = Slots.next(i, capacity);
        }
        keys[i] = key;
        values[i] = value;
    }

    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        int i = slotOf(Objects.requireNonNull(key, "key"));
        if (i < 0) {
            return null;
        }
        V old = (V) values[i];
        delete(i);
        size--;
        modCount++;
        if (Slots.sparse(size, keys.length)) {
            resize(Slots.shrunk(size));
        }
        return old;
    }

    /** Empties slot {@code hole} and shifts back the entries after it that probed past it. */
    private void delete(int hole) {
        int capacity = keys.length;
        for (int at = Slots.next(hole, capacity); keys[at] != null; at = Slots.next(at, capacity)) {
            if (Slots.canFill(hole, Slots.home(keys[at].hashCode(), capacity), at, capacity)) {
                keys[hole] = keys[at];
                values[hole] = values[at];
                hole = at;
            }
        }
        keys[hole] = null;
        values[hole] = null;
    }

    private void resize(int capacity) {
        Object[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new Object[capacity];
        values = new Object[capacity];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                place(oldKeys[i], oldValues[i]);
            }
        }
    }

    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super K, ? super V> action) {
        int expected = modCount;
        Object[] k = keys;
        Object[] v = values;
        for (int i = 0; i < k.length; i++) {
            if (k[i] != null) {
                action.accept((K) k[i], (V) v[i]);
                if (modCount != expected) {
                    throw new ConcurrentModificationException();
                }
            }
        }
    }

    /** The values as a read-only view. */
    public Collection<V> values() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<V> iterator() {
                return new ValueIterator();
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    private final class ValueIterator implements Iterator<V> {
        private final int expected = modCount;
        private int next = advance(0);

        private int advance(int from) {
            while (from < keys.length && keys[from] == null) {
                from++;
            }
            return from;
        }

        @Override
        public boolean hasNext() {
            return next < keys.length;
        }

        @Override
        @SuppressWarnings("unchecked")
        public V next() {
            if (modCount != expected) {
                throw new ConcurrentModificationException();
            }
            if (next >= keys.length) {
                throw new NoSuchElementException();
            }
            V value = (V) values[next];
            next = advance(next + 1);
            return value;
        }
    }
}
