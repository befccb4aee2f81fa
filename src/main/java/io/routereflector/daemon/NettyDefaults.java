package io.routereflector.daemon;

/**
 * Netty settings the daemon needs wherever it runs (launcher, image, systemd unit, tests), set as system
 * properties before Netty's allocator is first used; an operator's {@code -D} of the same name wins.
 */
final class NettyDefaults {

    /**
     * Chunks of 1 MiB (page 8 KiB × 2^7) instead of Netty's 4 MiB. The pooled allocator keeps at least one
     * chunk per arena and event loop in use: BGP messages are at most 4 KiB (64 KiB with extended messages)
     * and socket reads 64 KiB, so 4 MiB chunks held ~12 MiB of direct memory at a 1000-node start for
     * nothing (Native Memory Tracking, "Other"); 1 MiB chunks hold ~3.4 MiB.
     */
    static final String MAX_ORDER = "7";

    private NettyDefaults() {
    }

    static void apply() {
        if (System.getProperty("io.netty.allocator.maxOrder") == null) {
            System.setProperty("io.netty.allocator.maxOrder", MAX_ORDER);
        }
    }
}
