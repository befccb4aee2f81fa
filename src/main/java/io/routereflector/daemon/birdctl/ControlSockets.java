package io.routereflector.daemon.birdctl;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.routereflector.daemon.birdctl.RequestLineDecoder.RequestLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * BIRD control sockets: Unix stream sockets (mode 0660, as BIRD makes them) served by Netty's epoll
 * transport on one thread of their own, apart from the BGP event loops. A command runs on that thread
 * (a RIB query blocks it briefly, never a session); a client that stops reading its replies is not read
 * from until they drain, so it holds one reply's memory at most and delays no one else.
 */
public final class ControlSockets implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlSockets.class);
    /** A socket file's type bits in {@code st_mode} (S_IFMT, S_IFSOCK). */
    private static final int TYPE_MASK = 0170000;
    private static final int SOCKET_TYPE = 0140000;
    private static final WriteBufferWaterMark REPLY_BUFFER = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    private final EventLoopGroup group;
    private final Map<Path, Channel> channels;

    private ControlSockets(EventLoopGroup group, Map<Path, Channel> channels) {
        this.group = group;
        this.channels = channels;
    }

    /** Binds every path to its CLI; a stale socket file is replaced, any other file is refused. */
    public static ControlSockets start(Map<Path, BirdCli> sockets) throws IOException, InterruptedException {
        if (!Epoll.isAvailable()) {
            throw new IOException("BIRD control sockets need Netty's epoll transport (Linux): " + Epoll.unavailabilityCause());
        }
        EventLoopGroup group = new EpollEventLoopGroup(1, new DefaultThreadFactory("bird-control", true));
        Map<Path, Channel> channels = new java.util.LinkedHashMap<>();
        ControlSockets started = new ControlSockets(group, channels);
        try {
            for (Map.Entry<Path, BirdCli> e : sockets.entrySet()) {
                channels.put(e.getKey(), bind(group, e.getKey(), e.getValue()));
            }
            return started;
        } catch (IOException | RuntimeException | InterruptedException e) {
            started.close();
            throw e;
        }
    }

    private static Channel bind(EventLoopGroup group, Path path, BirdCli cli) throws IOException, InterruptedException {
        removeStale(path);
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        Channel channel = new ServerBootstrap().group(group).channel(EpollServerDomainSocketChannel.class)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, REPLY_BUFFER)
                .childHandler(new ChannelInitializer<DomainSocketChannel>() {
                    @Override
                    protected void initChannel(DomainSocketChannel ch) {
                        ch.pipeline().addLast(new RequestLineDecoder(), new Session(cli));
                    }
                }).bind(new DomainSocketAddress(path.toFile())).sync().channel();
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
        LOG.info("BIRD control socket {} for {}", path, cli.family());
        return channel;
    }

    /** BIRD unlinks whatever is at its socket path; we only replace a socket, never a regular file. */
    private static void removeStale(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & TYPE_MASK) != SOCKET_TYPE) {
            throw new IOException(path + " exists and is not a socket");
        }
        Files.delete(path);
    }

    public List<Path> paths() {
        return new ArrayList<>(channels.keySet());
    }

    @Override
    public void close() {
        for (Map.Entry<Path, Channel> e : channels.entrySet()) {
            e.getValue().close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            try {
                Files.deleteIfExists(e.getKey());
            } catch (IOException ex) {
                LOG.warn("cannot remove the control socket {}: {}", e.getKey(), ex.toString());
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    /** One client: the greeting, then one reply per request line, in order. */
    private static final class Session extends SimpleChannelInboundHandler<RequestLine> {
        private final BirdCli cli;
        private final BirdReply reply = new BirdReply();

        Session(BirdCli cli) {
            this.cli = cli;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            cli.greet(reply);
            send(ctx, true);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, RequestLine request) throws InterruptedException {
            if (request.tooLong()) {
                reply.last(9000, "Command too long");
            } else {
                cli.answer(request.text(), reply);
            }
            send(ctx, false);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            // A client that does not read its replies is not read from until they drain.
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        private void send(ChannelHandlerContext ctx, boolean flush) {
            var bytes = Unpooled.copiedBuffer(reply.take(), StandardCharsets.UTF_8);
            if (flush) {
                ctx.writeAndFlush(bytes);
            } else {
                ctx.write(bytes);
            }
            if (!ctx.channel().isWritable()) {
                ctx.flush();
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("control socket client: {}", cause.toString());
            ctx.close();
        }
    }
}
