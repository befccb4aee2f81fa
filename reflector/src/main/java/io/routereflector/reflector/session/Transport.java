package io.routereflector.reflector.session;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.routereflector.reflector.config.PeerConfig;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Epoll where the native library loads (it carries TCP MD5 and the raw IP options GTSM needs), NIO
 * otherwise. A peer that needs MD5 or GTSM on a NIO transport is refused up front, with the reason.
 *
 * <p>GTSM (RFC 5082): we send with TTL (hop limit) 255 and set the kernel's minimum TTL to
 * {@code 256 - hops}, so that a packet from further away never reaches the socket. Netty has no named
 * option for IP_MINTTL, so the raw Linux socket options are used. On accepted connections the
 * minimum is set after the handshake (the listener serves many peers with different settings): the
 * SYN itself is not TTL-checked, every later segment is.
 */
public final class Transport {

    // Linux <netinet/in.h>: levels and option names for GTSM and IPv6-only listeners.
    private static final int IPPROTO_IP = 0;
    private static final int IP_TTL = 2;
    private static final int IP_MINTTL = 21;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_UNICAST_HOPS = 16;
    private static final int IPV6_MINHOPCOUNT = 73;
    private static final int IPV6_V6ONLY = 26;

    private static final IntegerUnixChannelOption TTL = new IntegerUnixChannelOption("IP_TTL", IPPROTO_IP, IP_TTL);
    private static final IntegerUnixChannelOption MIN_TTL = new IntegerUnixChannelOption("IP_MINTTL", IPPROTO_IP, IP_MINTTL);
    private static final IntegerUnixChannelOption HOPS = new IntegerUnixChannelOption("IPV6_UNICAST_HOPS", IPPROTO_IPV6, IPV6_UNICAST_HOPS);
    private static final IntegerUnixChannelOption MIN_HOPS = new IntegerUnixChannelOption("IPV6_MINHOPCOUNT", IPPROTO_IPV6, IPV6_MINHOPCOUNT);
    private static final IntegerUnixChannelOption V6_ONLY = new IntegerUnixChannelOption("IPV6_V6ONLY", IPPROTO_IPV6, IPV6_V6ONLY);

    private final boolean epoll;

    private Transport(boolean epoll) {
        this.epoll = epoll;
    }

    /** Epoll when it loads here, else NIO. */
    public static Transport detect() {
        return new Transport(Epoll.isAvailable());
    }

    public static Transport nio() {
        return new Transport(false);
    }

    /** @throws IllegalStateException when the native transport does not load, with the reason */
    public static Transport epoll() {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("the epoll transport is unavailable: " + Epoll.unavailabilityCause());
        }
        return new Transport(true);
    }

    public boolean isEpoll() {
        return epoll;
    }

    /** Refuses a peer whose socket options this transport cannot set. */
    public void requireSupport(PeerConfig peer) {
        if (epoll) {
            return;
        }
        String why = String.valueOf(Epoll.unavailabilityCause());
        if (peer.password() != null) {
            throw new IllegalStateException("peer " + peer.address().getHostAddress() + " has a TCP MD5 password, which needs "
                    + "the Linux epoll transport (TCP_MD5SIG), but it is not in use: " + why);
        }
        if (peer.ttlSecurityHops() > 0) {
            throw new IllegalStateException("peer " + peer.address().getHostAddress() + " has TTL security (GTSM), which needs "
                    + "the Linux epoll transport (IP_MINTTL), but it is not in use: " + why);
        }
    }

    public EventLoopGroup newGroup(int threads, String name) {
        DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
        return epoll ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
    }

    public ChannelFactory<Channel> socket(InetAddress remote) {
        InternetProtocolFamily family = family(remote);
        return epoll ? () -> new EpollSocketChannel(family) : () -> new NioSocketChannel(SelectorProvider.provider(), family);
    }

    public ChannelFactory<ServerChannel> server(InetAddress local) {
        InternetProtocolFamily family = family(local);
        return epoll ? () -> new EpollServerSocketChannel(family) : NioServerSocketChannel::new;
    }

    /**
     * Dials {@code peer} from its source address on {@code loop}; {@code init} wires the new channel.
     * No socket connect timeout: the FSM's ConnectRetry timer ends a dial that takes too long.
     */
    public ChannelFuture connect(EventLoop loop, PeerConfig peer, Consumer<Channel> init) {
        Bootstrap bootstrap = new Bootstrap().group(loop).channelFactory(socket(peer.address()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        init.accept(ch);
                    }
                });
        configureOutgoing(bootstrap, peer);
        InetSocketAddress remote = new InetSocketAddress(peer.address(), peer.port());
        return peer.sourceAddress() == null ? bootstrap.connect(remote)
                : bootstrap.connect(remote, new InetSocketAddress(peer.sourceAddress(), 0));
    }

    /** MD5 key and GTSM for a connection we dial, set before connect. */
    private void configureOutgoing(Bootstrap bootstrap, PeerConfig peer) {
        if (!epoll) {
            return;
        }
        if (peer.password() != null) {
            bootstrap.option(EpollChannelOption.TCP_MD5SIG, Map.of(peer.address(), key(peer.password())));
        }
        if (peer.ttlSecurityHops() > 0) {
            boolean v4 = peer.address() instanceof Inet4Address;
            bootstrap.option(v4 ? TTL : HOPS, 255);
            bootstrap.option(v4 ? MIN_TTL : MIN_HOPS, 256 - peer.ttlSecurityHops());
        }
    }

    /**
     * Listeners send with TTL (hop limit) 255. The SYN-ACK leaves before we know which peer is
     * calling, and a GTSM peer that dials us has its minimum TTL set before connect: a SYN-ACK with the
     * default TTL 64 would be dropped and the handshake never complete. Sending 255 to peers without
     * GTSM is harmless (RFC 5082 §3 only constrains what is received).
     */
    public void configureListener(io.netty.bootstrap.ServerBootstrap bootstrap, InetAddress local) {
        if (epoll) {
            bootstrap.option(local instanceof Inet4Address ? TTL : HOPS, 255);
            if (local instanceof Inet6Address) {
                // IPv6 only, so that the IPv6 wildcard binds beside the IPv4 one on the same port (set before bind).
                bootstrap.option(V6_ONLY, 1);
            }
        }
    }

    /**
     * What to bind for {@code wanted}: as given, except that NIO, which cannot make a socket IPv6-only, binds
     * the dual-stack IPv6 wildcard alone where both wildcards are wanted (IPv4 peers then arrive on it as
     * IPv4-mapped addresses, which Java reports as IPv4).
     */
    public List<InetAddress> listenAddresses(List<InetAddress> wanted) {
        boolean both = wanted.stream().anyMatch(a -> a.isAnyLocalAddress() && a instanceof Inet4Address)
                && wanted.stream().anyMatch(a -> a.isAnyLocalAddress() && a instanceof Inet6Address);
        if (epoll || !both) {
            return wanted;
        }
        return wanted.stream().filter(a -> !(a.isAnyLocalAddress() && a instanceof Inet4Address)).toList();
    }

    /** GTSM on an accepted connection (its MD5 key is on the listener). */
    public void configureAccepted(Channel channel, PeerConfig peer) {
        if (!epoll || peer.ttlSecurityHops() <= 0) {
            return;
        }
        boolean v4 = peer.address() instanceof Inet4Address;
        channel.config().setOption(v4 ? TTL : HOPS, 255);
        channel.config().setOption(v4 ? MIN_TTL : MIN_HOPS, 256 - peer.ttlSecurityHops());
    }

    /** Replaces the listener's MD5 keys (peer address → key); Netty removes keys that are gone. */
    public void setListenerKeys(Channel listener, Map<InetAddress, byte[]> keys) {
        if (epoll) {
            listener.config().setOption(EpollChannelOption.TCP_MD5SIG, keys);
        }
    }

    public static byte[] key(String password) {
        return password.getBytes(StandardCharsets.UTF_8);
    }

    private static InternetProtocolFamily family(InetAddress address) {
        return address instanceof Inet4Address ? InternetProtocolFamily.IPv4 : InternetProtocolFamily.IPv6;
    }

    @Override
    public String toString() {
        return epoll ? "epoll" : "nio";
    }
}
