package io.routereflector.daemon.birdctl;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Splits the byte stream into request lines as BIRD's {@code cli_get_command} does: a line ends at
 * {@code \n}, every {@code \r} is dropped, and a line of {@value #LIMIT} characters or more is "too long"
 * (BIRD keeps 4094 of its 4096-byte buffer). The rest of a long line is discarded as it arrives, so a
 * client that never sends a newline costs no memory; the line is answered once its newline comes.
 * (BIRD 1.6.8 itself drops the connection when one read fills its 1 KiB socket buffer and loops forever
 * on a line past 4094 characters; we answer BIRD's intended {@code 9000 Command too long} instead.)
 */
final class RequestLineDecoder extends ByteToMessageDecoder {

    static final int LIMIT = 4094;

    /** One request: its text, or {@code tooLong}. */
    record RequestLine(String text, boolean tooLong) {
    }

    private final StringBuilder line = new StringBuilder();
    private int length;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            byte b = in.readByte();
            if (b == '\r') {
                continue;
            }
            if (b == '\n') {
                out.add(length >= LIMIT ? new RequestLine(null, true) : new RequestLine(line.toString(), false));
                line.setLength(0);
                length = 0;
            } else {
                if (length < LIMIT) {
                    line.append((char) (b & 0xFF));
                }
                length++;
            }
        }
    }
}
