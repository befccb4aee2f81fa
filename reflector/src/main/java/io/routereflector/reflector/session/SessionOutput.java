package io.routereflector.reflector.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.routereflector.rib.out.UpdateSink;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the RIB's update group writes for one Established connection. Bound to that connection when
 * the session comes up, never looked up at write time: bytes encoded for it (its ADD-PATH and AS4
 * agreement, the group's record of what it heard) can only reach its channel, and once that channel
 * is gone they are dropped, never handed to the connection that replaced it.
 */
final class SessionOutput implements UpdateSink {

    private final Channel channel;
    private final SessionCounters counters;
    /** Written since the last flush; touched only by the writer (the RIB thread). */
    private final List<ByteBuf> outbox = new ArrayList<>(2);

    SessionOutput(Channel channel, SessionCounters counters) {
        this.channel = channel;
        this.counters = counters;
    }

    @Override
    public boolean isWritable() {
        return channel.isActive() && channel.isWritable();
    }

    /**
     * Queues pre-encoded UPDATE bytes (a {@code retainedDuplicate()} or slice shared with the other
     * members of a group, whole messages, not modified); released when the connection is gone.
     * Nothing moves until {@link #flush()}.
     */
    @Override
    public void write(ByteBuf message) {
        if (!channel.isActive()) {
            message.release();
            return;
        }
        counters.countSent(message);
        outbox.add(message);
    }

    /** Hands what {@link #write} queued to the channel as one message: one task and wake-up of its loop. */
    @Override
    public void flush() {
        if (outbox.isEmpty()) {
            return;
        }
        ByteBuf message = outbox.size() == 1 ? outbox.get(0)
                : Unpooled.wrappedBuffer(outbox.size(), outbox.toArray(new ByteBuf[0]));
        outbox.clear();
        // A closed channel fails the write and releases the message.
        channel.writeAndFlush(message, channel.voidPromise());
    }
}
