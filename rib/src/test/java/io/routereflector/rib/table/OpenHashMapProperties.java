package io.routereflector.rib.table;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.Collections;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link OpenHashMap} behaves as a {@link HashMap} under any sequence of puts, removals and lookups. */
class OpenHashMapProperties {

    /** Few distinct hashes: long probe clusters, so deletion has to shift entries back (also across the array's end). */
    record Clumped(int value) {
        @Override
        public int hashCode() {
            return value % 7;
        }
    }

    /**
     * Each op is decoded from one int: {@code op % 3} picks put, remove or get, {@code op / 3} the key.
     * Hundreds of keys make the table grow through several capacities.
     */
    @Property
    void behavesLikeHashMap(@ForAll @Size(max = 3000) List<@IntRange(min = 0, max = 1499) Integer> ops, @ForAll boolean clumped) {
        OpenHashMap<Object, Integer> map = new OpenHashMap<>();
        Map<Object, Integer> model = new HashMap<>();
        int step = 0;
        for (int op : ops) {
            Object key = clumped ? new Clumped(op / 3) : Integer.valueOf(op / 3);
            switch (op % 3) {
                case 0:
                    assertEquals(model.put(key, step), map.put(key, step), "put " + key);
                    break;
                case 1:
                    assertEquals(model.remove(key), map.remove(key), "remove " + key);
                    break;
                default:
                    assertEquals(model.get(key), map.get(key), "get " + key);
                    assertEquals(model.containsKey(key), map.containsKey(key));
                    break;
            }
            step++;
            assertEquals(model.size(), map.size());
        }
        assertSame(model, map);
    }

    /** Large enough to shrink: fill past the shrink threshold, then drain in random order, checking as it goes. */
    @Property(tries = 15)
    void fillsAndDrains(@ForAll @IntRange(min = 3200, max = 12000) int n, @ForAll long seed, @ForAll boolean clumped) {
        OpenHashMap<Object, Integer> map = new OpenHashMap<>();
        Map<Object, Integer> model = new HashMap<>();
        List<Object> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // Spread like /26 blocks: neighbours differ in bit 6 and up.
            Object key = clumped ? new Clumped(i * 64) : Integer.valueOf(i * 64);
            keys.add(key);
            map.put(key, i);
            model.put(key, i);
        }
        assertSame(model, map);
        Collections.shuffle(keys, new Random(seed));
        for (int i = 0; i < keys.size(); i++) {
            Object key = keys.get(i);
            assertEquals(model.remove(key), map.remove(key));
            assertNull(map.get(key));
            if (i % 997 == 0) {
                assertSame(model, map);
            }
        }
        assertSame(model, map);
        assertTrue(map.isEmpty());
    }

    /** A key that counts how often it is hashed. */
    record CountedKey(int value, long[] hashCalls) {
        @Override
        public int hashCode() {
            hashCalls[0]++;
            return Slots.mix(value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CountedKey k && k.value == value;
        }
    }

    /**
     * Removing every key in the map's own iteration order stays linear: the keys left after removing the low
     * part of the hash range must not crowd one end of the shrunk table.
     */
    @Example
    void drainingInSlotOrderStaysLinear() {
        int n = 100_000;
        long[] hashCalls = {0};
        OpenHashMap<CountedKey, Integer> map = new OpenHashMap<>();
        for (int i = 0; i < n; i++) {
            map.put(new CountedKey(i, hashCalls), i);
        }
        List<CountedKey> slotOrder = new ArrayList<>();
        map.forEach((key, value) -> slotOrder.add(key));
        hashCalls[0] = 0;
        for (CountedKey key : slotOrder) {
            assertEquals(key.value(), map.remove(key));
        }
        assertTrue(map.isEmpty());
        assertTrue(hashCalls[0] < 30L * n, hashCalls[0] + " hash calls to remove " + n + " keys");
    }

    @Property
    void computeIfAbsentCreatesOnce(@ForAll @Size(max = 500) List<@IntRange(min = 0, max = 99) Integer> keys) {
        OpenHashMap<Integer, int[]> map = new OpenHashMap<>();
        Map<Integer, int[]> model = new HashMap<>();
        for (int k : keys) {
            int[] got = map.computeIfAbsent(k, x -> new int[1]);
            got[0]++;
            model.computeIfAbsent(k, x -> new int[1])[0]++;
        }
        assertEquals(model.size(), map.size());
        model.forEach((k, v) -> assertEquals(v[0], map.get(k)[0]));
    }

    @Example
    void changesDuringIterationAreDetected() {
        OpenHashMap<Integer, Integer> map = new OpenHashMap<>();
        for (int i = 0; i < 20; i++) {
            map.put(i, i);
        }
        assertThrows(ConcurrentModificationException.class, () -> map.forEach((k, v) -> map.remove(k)));
        Iterator<Integer> it = map.values().iterator();
        it.next();
        map.put(100, 100);
        assertThrows(ConcurrentModificationException.class, it::next);
    }

    @Example
    void existingKeyInstanceIsKept() {
        OpenHashMap<String, Integer> map = new OpenHashMap<>();
        String first = new String("10.0.0.0/26");
        map.put(first, 1);
        map.put(new String("10.0.0.0/26"), 2);
        List<String> keys = new ArrayList<>();
        map.forEach((k, v) -> keys.add(k));
        assertTrue(keys.get(0) == first, "one shared key instance, as HashMap does");
        assertEquals(2, map.get("10.0.0.0/26"));
    }

    private static void assertSame(Map<Object, Integer> model, OpenHashMap<Object, Integer> map) {
        assertEquals(model.size(), map.size());
        Map<Object, Integer> seen = new HashMap<>();
        map.forEach((k, v) -> assertNull(seen.put(k, v), "visited twice: " + k));
        assertEquals(model, seen);
        List<Integer> values = new ArrayList<>(map.values());
        List<Integer> expected = new ArrayList<>(model.values());
        Collections.sort(values);
        Collections.sort(expected);
        assertEquals(expected, values);
        model.forEach((k, v) -> assertEquals(v, map.get(k), "get " + k));
    }
}
