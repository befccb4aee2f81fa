package io.routereflector.rib.out;

import io.netty.buffer.ByteBuf;

/**
 * Where a member's UPDATEs go: the session's channel, seen without Netty. Called on the RIB thread;
 * implementations hand the bytes to their I/O thread.
 */
public interface UpdateSink {

    /** False while the session's outbound buffer is above its high-water mark. */
    boolean isWritable();

    /** Takes ownership of one reference of {@code message} (a whole encoded BGP message). */
    void write(ByteBuf message);

    void flush();
}
