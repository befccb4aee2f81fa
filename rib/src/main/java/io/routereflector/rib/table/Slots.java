package io.routereflector.rib.table;

/**
 * Slot arithmetic shared by the open-addressing tables: linear probing over a capacity that need not
 * be a power of two (the hash is mapped onto it by multiplication, so the table can grow by half
 * instead of doubling — a doubled table of 200 000 routes is three-eighths full and wastes megabytes).
 */
final class Slots {

    static final int MIN_CAPACITY = 8;

    private Slots() {
    }

    /** The MurmurHash3 finaliser: record hash codes of neighbouring prefixes differ only in a few bits. */
    static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }

    /**
     * The slot where probing for {@code hash} starts: the hash mixed with the capacity, scaled onto
     * [0, capacity). Scaling keeps the order of the mixed values, so without the capacity in the mix a
     * table resized after removals in its own slot order (a peer's whole table going) would place the
     * survivors — one end of the old hash order — in one end of the new table, as one long cluster
     * (quadratic: 2.7 s to drain 100 000 pairs). With it, each capacity orders the keys afresh.
     */
    static int home(int hash, int capacity) {
        return (int) (((mix(hash ^ capacity) & 0xFFFFFFFFL) * capacity) >>> 32);
    }

    static int next(int slot, int capacity) {
        return slot + 1 == capacity ? 0 : slot + 1;
    }

    /** More than three quarters full: probe sequences start to lengthen quickly past this. */
    static boolean full(int size, int capacity) {
        return size > capacity - (capacity >>> 2);
    }

    static int grown(int capacity) {
        return Math.max(MIN_CAPACITY, capacity + (capacity >>> 1));
    }

    /** Tables below this capacity never shrink: a table that empties and refills (churn) would rehash each time. */
    static final int SHRINK_ABOVE = 4096;

    /** A large table under an eighth full after removals: worth giving the memory back (half full afterwards). */
    static boolean sparse(int size, int capacity) {
        return capacity > SHRINK_ABOVE && size < capacity >>> 3;
    }

    static int shrunk(int size) {
        return Math.max(MIN_CAPACITY, size * 2);
    }

    /**
     * Backward-shift deletion: may the element at {@code at}, whose probing starts at {@code home},
     * move back into the emptied slot {@code hole}? Only if the hole lies on its probe path, i.e.
     * cyclically within [home, at) — otherwise a lookup would start past it and miss it.
     */
    static boolean canFill(int hole, int home, int at, int capacity) {
        return distance(home, at, capacity) >= distance(hole, at, capacity);
    }

    private static int distance(int from, int to, int capacity) {
        return to >= from ? to - from : to - from + capacity;
    }
}
