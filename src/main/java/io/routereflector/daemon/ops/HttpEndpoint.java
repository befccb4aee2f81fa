package io.routereflector.daemon.ops;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP/1.1 server on Netty's codec for the admin and metrics endpoints: GET only, routes by
 * path ({@code /status} exactly, {@code /status/} for everything below it). It runs on its own single
 * thread, apart from the BGP event loops, so a slow answer never delays a session; handlers may block
 * briefly (a RIB query).
 */
public final class HttpEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);

    /** An answer: status, media type, body. */
    public record Response(int status, String contentType, byte[] body) {
        public static Response text(int status, String text) {
            return new Response(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }

        public static Response json(int status, byte[] body) {
            return new Response(status, "application/json", body);
        }
    }

    @FunctionalInterface
    public interface Handler {
        /** @param rest the path below a {@code prefix/} route, "" for an exact route */
        Response handle(QueryStringDecoder request, String rest) throws Exception;
    }

    private final EventLoopGroup group;
    private final Channel channel;

    private HttpEndpoint(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /** Binds {@code address} (port 0: any free port) and serves {@code routes}. */
    public static HttpEndpoint start(String name, InetSocketAddress address, Map<String, Handler> routes) throws InterruptedException {
        Map<String, Handler> table = new TreeMap<>(routes);
        EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory(name, true));
        try {
            Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), new Dispatcher(table));
                        }
                    }).bind(address).sync().channel();
            return new HttpEndpoint(group, ch);
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    private static final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Map<String, Handler> routes;

        Dispatcher(Map<String, Handler> routes) {
            this.routes = routes;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            Response answer;
            if (!request.decoderResult().isSuccess()) {
                answer = Response.text(400, "bad request\n");
            } else if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
                answer = Response.text(405, "only GET\n");
            } else {
                answer = dispatch(new QueryStringDecoder(request.uri()));
            }
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer.status()),
                    Unpooled.wrappedBuffer(HttpMethod.HEAD.equals(request.method()) ? new byte[0] : answer.body()));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            if (keepAlive) {
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        private Response dispatch(QueryStringDecoder q) {
            String path = q.path();
            Handler h = routes.get(path);
            String rest = "";
            if (h == null) {
                for (Map.Entry<String, Handler> e : routes.entrySet()) {
                    if (e.getKey().endsWith("/") && path.startsWith(e.getKey()) && path.length() > e.getKey().length()) {
                        h = e.getValue();
                        rest = QueryStringDecoder.decodeComponent(path.substring(e.getKey().length()));
                    }
                }
            }
            if (h == null) {
                return Response.text(404, "no such endpoint: " + path + "; try " + String.join(", ", routes.keySet()) + "\n");
            }
            try {
                return h.handle(q, rest);
            } catch (IllegalArgumentException e) {
                return Response.text(400, e.getMessage() + "\n");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Response.text(503, "interrupted\n");
            } catch (Exception e) {
                LOG.warn("{} failed: {}", path, e.toString());
                return Response.text(500, "internal error: " + e + "\n");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
