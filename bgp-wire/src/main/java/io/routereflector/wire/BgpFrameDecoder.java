package io.routereflector.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Cuts the TCP stream into whole BGP messages after checking each header (RFC 4271 §6.1). Emits one
 * retained slice per message, header included. A bad header raises a
 * {@link io.routereflector.wire.error.WireException} (wrapped by Netty in a DecoderException) and the
 * decoder reads nothing more: after a framing error the stream cannot be trusted.
 */
public final class BgpFrameDecoder extends ByteToMessageDecoder {

    private int maxLength = WireSettings.MAX_LENGTH;
    private boolean failed;

    /** Raise the limit to 65535 once RFC 8654 extended messages are negotiated (event loop only). */
    public void setExtendedMessages(boolean extended) {
        maxLength = extended ? WireSettings.MAX_EXTENDED_LENGTH : WireSettings.MAX_LENGTH;
    }

    public int maxLength() {
        return maxLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= MessageHeader.LENGTH) {
            int start = in.readerIndex();
            int length;
            try {
                length = MessageHeader.check(in, start, maxLength);
            } catch (RuntimeException e) {
                failed = true;
                in.skipBytes(in.readableBytes());
                throw e;
            }
            if (in.readableBytes() < length) {
                return;
            }
            out.add(in.retainedSlice(start, length));
            in.skipBytes(length);
        }
    }
}
