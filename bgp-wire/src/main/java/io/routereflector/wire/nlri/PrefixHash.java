package io.routereflector.wire.nlri;

/** The hash of a prefix: a 64-bit finalizer, so that every input bit reaches the low bits that pick a bucket. */
final class PrefixHash {

    private PrefixHash() {
    }

    static int mix(long key) {
        long h = key;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (int) h;
    }
}
