package io.routereflector.reflector.session;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.message.Notification;
import io.routereflector.wire.nlri.AddressFamily;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The idle time of a session ended for exceeding its prefix limit (RFC 4486 §4): while it runs the
 * session neither dials nor accepts; then it starts again. Event loop only, except {@link #until()}.
 */
final class PrefixLimitIdle {

    private ScheduledFuture<?> timer;
    private volatile Instant until;

    /** Cease / Maximum Number of Prefixes Reached with the RFC 4486 §4 data: AFI, SAFI, upper bound. */
    static Notification cease(AddressFamily family, int limit) {
        byte[] data = ByteBuffer.allocate(7).putShort((short) family.afi()).put((byte) family.safi()).putInt(limit).array();
        return new Notification(NotificationCode.CEASE_MAX_PREFIXES, data);
    }

    void begin(EventLoop loop, Duration idle, Runnable restart) {
        cancel();
        until = Instant.now().plus(idle);
        timer = loop.schedule(() -> {
            timer = null;
            until = null;
            restart.run();
        }, idle.toMillis(), TimeUnit.MILLISECONDS);
    }

    void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        until = null;
    }

    /** When the session starts again; null when not idle for this reason. */
    Instant until() {
        return until;
    }
}
