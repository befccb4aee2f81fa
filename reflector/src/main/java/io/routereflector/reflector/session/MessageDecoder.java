package io.routereflector.reflector.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;

import java.util.List;

/**
 * Whole frames from {@link io.routereflector.wire.BgpFrameDecoder} to message records, with the
 * settings the session has negotiated so far. Each frame is decoded only when the previous message
 * has been handled, so settings changed by an OPEN apply to the very next message.
 */
final class MessageDecoder extends MessageToMessageDecoder<ByteBuf> {

    private WireSettings settings = WireSettings.INITIAL;

    /** Event loop only. */
    void settings(WireSettings next) {
        settings = next;
    }

    WireSettings settings() {
        return settings;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        out.add(MessageCodec.decode(frame, settings));
    }
}
