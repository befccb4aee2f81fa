package io.routereflector.reflector.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.routereflector.wire.BgpFrameDecoder;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.message.BgpMessage;
import io.routereflector.wire.message.Open;
import io.routereflector.wire.nlri.Ipv4Prefix;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A connection accepted from an address that several configured peers share (each dialled on its own
 * port, as Calico keys peerings by address and port): the TCP source port says nothing about which peer
 * it is, so the peer's OPEN decides, read here before any session sees the connection.
 * <ol>
 *   <li>the one peer whose configured AS is the AS the OPEN names takes it;</li>
 *   <li>of several in that AS, the one whose last Established connection had the OPEN's BGP identifier;</li>
 *   <li>otherwise the connection is refused (Cease / Connection Rejected) with one log line, and those
 *       sessions come up by our own dialling.</li>
 * </ol>
 * We send nothing before the peer's OPEN; a peer that says nothing within the OpenSent hold time
 * (RFC 4271 §8.2.2, 4 minutes) is closed.
 */
final class OpenMatch extends ChannelInboundHandlerAdapter {

    private static final String FRAMES = "open-match-frames";

    private final BgpFrameDecoder frames;
    private final List<PeerSession> candidates;
    private final Consumer<String> refuse;
    private ScheduledFuture<?> timeout;
    private boolean decided;

    private OpenMatch(BgpFrameDecoder frames, List<PeerSession> candidates, Consumer<String> refuse) {
        this.frames = frames;
        this.candidates = candidates;
        this.refuse = refuse;
    }

    /**
     * Waits on {@code ch} (on its loop, which all {@code candidates} share) for the peer's OPEN, then hands the
     * connection to the peer it names, or calls {@code refuse} with the reason it cannot.
     */
    static void await(Channel ch, List<PeerSession> candidates, Consumer<String> refuse) {
        BgpFrameDecoder frames = new BgpFrameDecoder();
        ch.pipeline().addLast(FRAMES, frames).addLast("open-match", new OpenMatch(frames, candidates, refuse));
    }

    /** Which of {@code candidates} the peer that sent {@code open} is, or null when the OPEN does not tell. */
    static PeerSession match(List<PeerSession> candidates, Open open) {
        List<PeerSession> inAs = candidates.stream().filter(s -> s.config().remoteAs() == open.asNumber()).toList();
        if (inAs.size() == 1) {
            return inAs.get(0);
        }
        List<PeerSession> known = inAs.stream().filter(s -> s.lastPeerIdentifier() == open.bgpIdentifier()).toList();
        return known.size() == 1 ? known.get(0) : null;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> refuse("no OPEN within " + Connection.LARGE_HOLD_SECONDS + " s"),
                Connection.LARGE_HOLD_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (decided) {
            ReferenceCountUtil.release(msg);
            return;
        }
        BgpMessage message;
        try {
            message = MessageCodec.decode((ByteBuf) msg, WireSettings.INITIAL);
        } catch (RuntimeException e) {
            refuse("its first message cannot be read: " + e.getMessage());
            return;
        } finally {
            ReferenceCountUtil.release(msg);
        }
        if (!(message instanceof Open open)) {
            refuse("it sent " + message.type() + " before its OPEN");
            return;
        }
        PeerSession chosen = match(candidates, open);
        if (chosen == null) {
            refuse(candidates.size() + " peers share this address (" + ports() + "); its OPEN (AS " + open.asNumber()
                    + ", BGP identifier " + Ipv4Prefix.format(open.bgpIdentifier()) + ") does not tell which it is, so we dial them");
            return;
        }
        decided = true;
        timeout.cancel(false);
        Channel ch = ctx.channel();
        ch.pipeline().remove(this);
        // Our frame decoder stays, in order, ahead of the session's: whole messages are bytes to it, whose own
        // decoder checks them against what the session negotiates. Ours only must not cut them shorter.
        frames.setExtendedMessages(true);
        chosen.accepted(ch, open);
    }

    private String ports() {
        return String.join(", ", candidates.stream().map(s -> s.key().toString()).toList());
    }

    private void refuse(String reason) {
        if (decided) {
            return;
        }
        decided = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        refuse.accept(reason);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        decided = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        refuse("its first message cannot be read: " + root.getMessage());
        ctx.close();
    }
}
