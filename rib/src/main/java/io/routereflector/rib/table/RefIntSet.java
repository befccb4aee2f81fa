package io.routereflector.rib.table;

import java.util.ConcurrentModificationException;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * A set of (object, int) pairs in two parallel arrays with open addressing (linear probing,
 * backward-shift deletion): 8 bytes a slot and no object per pair. The object part is compared by
 * identity and hashed by the function given, so callers key it by an object that is unique for what it
 * stands for (the RIB: a Loc-RIB entry and a received path id). Not thread-safe.
 */
public final class RefIntSet<T> {

    /** Receives each pair of the set. */
    @FunctionalInterface
    public interface PairConsumer<T> {
        void accept(T ref, int value);
    }

    private static final Object[] EMPTY_REFS = new Object[0];
    private static final int[] EMPTY_INTS = new int[0];

    private final ToIntFunction<? super T> hash;
    private Object[] refs = EMPTY_REFS;
    private int[] ints = EMPTY_INTS;
    private int size;
    private int modCount;

    public RefIntSet(ToIntFunction<? super T> hash) {
        this.hash = hash;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    @SuppressWarnings("unchecked")
    private int hashOf(Object ref, int value) {
        return hash.applyAsInt((T) ref) * 31 + value;
    }

    /** The pair's slot, or {@code -(free slot) - 1} where it would go (-1 in a table not yet allocated). */
    private int slotOf(T ref, int value) {
        int capacity = refs.length;
        if (capacity == 0) {
            return -1;
        }
        for (int i = Slots.home(hashOf(ref, value), capacity); ; i = Slots.next(i, capacity)) {
            Object r = refs[i];
            if (r == null) {
                return -i - 1;
            }
            if (r == ref && ints[i] == value) {
                return i;
            }
        }
    }

    public boolean contains(T ref, int value) {
        return slotOf(Objects.requireNonNull(ref, "ref"), value) >= 0;
    }

    /** Adds the pair; false if it was there already. */
    public boolean add(T ref, int value) {
        int i = slotOf(Objects.requireNonNull(ref, "ref"), value);
        if (i >= 0) {
            return false;
        }
        if (Slots.full(size + 1, refs.length)) {
            resize(Slots.grown(refs.length));
            place(ref, value);
        } else {
            refs[-i - 1] = ref;
            ints[-i - 1] = value;
        }
        size++;
        modCount++;
        return true;
    }

    private void place(Object ref, int value) {
        int capacity = refs.length;
        int i = Slots.home(hashOf(ref, value), capacity);
        while (refs[i] != null) {
            i = Slots.next(i, capacity);
        }
        refs[i] = ref;
        ints[i] = value;
    }

    /** Removes the pair; false if it was not there. */
    public boolean remove(T ref, int value) {
        int i = slotOf(Objects.requireNonNull(ref, "ref"), value);
        if (i < 0) {
            return false;
        }
        delete(i);
        size--;
        modCount++;
        if (Slots.sparse(size, refs.length)) {
            resize(Slots.shrunk(size));
        }
        return true;
    }

    /** Empties slot {@code hole} and shifts back the pairs after it that probed past it. */
    private void delete(int hole) {
        int capacity = refs.length;
        for (int at = Slots.next(hole, capacity); refs[at] != null; at = Slots.next(at, capacity)) {
            if (Slots.canFill(hole, Slots.home(hashOf(refs[at], ints[at]), capacity), at, capacity)) {
                refs[hole] = refs[at];
                ints[hole] = ints[at];
                hole = at;
            }
        }
        refs[hole] = null;
        ints[hole] = 0;
    }

    private void resize(int capacity) {
        Object[] oldRefs = refs;
        int[] oldInts = ints;
        refs = new Object[capacity];
        ints = new int[capacity];
        for (int i = 0; i < oldRefs.length; i++) {
            if (oldRefs[i] != null) {
                place(oldRefs[i], oldInts[i]);
            }
        }
    }

    /** Visits every pair; the set must not change meanwhile (what it points to may). */
    @SuppressWarnings("unchecked")
    public void forEach(PairConsumer<? super T> action) {
        int expected = modCount;
        Object[] r = refs;
        int[] v = ints;
        for (int i = 0; i < r.length; i++) {
            if (r[i] != null) {
                action.accept((T) r[i], v[i]);
                if (modCount != expected) {
                    throw new ConcurrentModificationException();
                }
            }
        }
    }
}
