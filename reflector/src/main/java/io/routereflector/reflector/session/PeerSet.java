package io.routereflector.reflector.session;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.rib.PeerKey;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.message.Notification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * All sessions of the reflector and its listening sockets, reconciled with a desired
 * {@link ReflectorConfig} by {@link #apply}: only what differs changes.
 * <ul>
 *   <li>a new peer gets a session;</li>
 *   <li>a removed peer gets Cease / Peer De-configured (RFC 4486) and its session ends;</li>
 *   <li>a peer whose AS, role, password, families, ADD-PATH, extended-message or TTL-security setting
 *       changed is reset with Cease / Other Configuration Change — these shape the OPEN or the socket;</li>
 *   <li>any other peer change (timers, source address, port, passive) is taken by the running session
 *       for its next connection, without a reset;</li>
 *   <li>a new router id, cluster id or local AS resets every session: each OPEN carries them and every
 *       reflection decision depends on them.</li>
 * </ul>
 * {@code apply} and {@code close} are called from one control thread; sessions run on their loops.
 */
public final class PeerSet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerSet.class);
    /** Deep accept queue: after a restart every client reconnects at once (DESIGN.md, "Traps"). */
    static final int BACKLOG = 4096;

    private final Transport transport;
    private final SessionListener listener;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final AffinityGroup affinity;
    private final Map<PeerKey, PeerSession> sessions = new ConcurrentHashMap<>();
    /** The sessions by address alone, for accepted connections: rebuilt by {@link #apply}, read on any loop. */
    private volatile Map<InetAddress, List<PeerSession>> byAddress = Map.of();
    private final RefusalLog refusals = new RefusalLog(TimeUnit.MINUTES.toNanos(1));
    private final List<Channel> listeners = new ArrayList<>();
    private ReflectorConfig current;

    public PeerSet(Transport transport, int threads, SessionListener listener) {
        this.transport = transport;
        this.listener = listener;
        this.boss = transport.newGroup(1, "bgp-accept");
        this.workers = transport.newGroup(threads, "bgp-session");
        this.affinity = new AffinityGroup(workers);
    }

    /** Every event loop the sessions and listeners run on (liveness checks). */
    public List<io.netty.util.concurrent.EventExecutor> eventLoops() {
        List<io.netty.util.concurrent.EventExecutor> out = new ArrayList<>();
        boss.forEach(out::add);
        workers.forEach(out::add);
        return out;
    }

    public Transport transport() {
        return transport;
    }

    public PeerSession session(PeerKey peer) {
        return sessions.get(peer);
    }

    /** The session of the one peer at {@code address}, whatever its port; null when none or several are there. */
    public PeerSession session(InetAddress address) {
        List<PeerSession> at = byAddress.getOrDefault(address, List.of());
        return at.size() == 1 ? at.get(0) : null;
    }

    public Map<PeerKey, PeerSession> sessions() {
        return Map.copyOf(sessions);
    }

    /** The bound listening addresses (with the actual port when 0 was configured). */
    public List<InetSocketAddress> listening() {
        return listeners.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
    }

    public ReflectorConfig config() {
        return current;
    }

    /**
     * Moves to {@code next}, changing only what differs (see the class comment).
     *
     * @throws IllegalStateException before changing anything, when a peer needs MD5 or GTSM and the
     *                               transport cannot provide it
     * @throws InterruptedException  while binding listeners
     */
    public void apply(ReflectorConfig next) throws InterruptedException {
        for (PeerConfig p : next.peers()) {
            transport.requireSupport(p);
        }
        ReflectorConfig previous = current;
        Negotiation.Local local = new Negotiation.Local(next.localAs(), next.routerIdBits(), next.restarted());
        if (previous != null && previous.resetsAllFor(next)) {
            LOG.info("router id, cluster id or local AS changed: resetting every session");
            for (PeerSession s : sessions.values()) {
                s.stop(NotificationCode.CEASE_OTHER_CONFIGURATION_CHANGE);
            }
            sessions.clear();
            previous = null;
        }
        // Keys first, so that a reset session reconnects with its new password.
        current = next;
        if (previous == null || !previous.listenAddresses().equals(next.listenAddresses()) || previous.port() != next.port()) {
            rebind(next);
        } else {
            updateKeys(next);
        }
        Map<PeerKey, PeerConfig> wanted = new HashMap<>();
        for (PeerConfig p : next.peers()) {
            wanted.put(p.key(), p);
        }
        for (PeerSession s : List.copyOf(sessions.values())) {
            PeerConfig p = wanted.get(s.key());
            if (p == null) {
                LOG.info("peer {}: removed from the configuration", s.name());
                sessions.remove(s.key());
                s.stop(NotificationCode.CEASE_PEER_DECONFIGURED);
            } else if (s.config().needsResetFor(p)) {
                LOG.info("peer {}: configuration changed, resetting: {}", s.name(), p);
                s.reconfigure(p, local, NotificationCode.CEASE_OTHER_CONFIGURATION_CHANGE);
            } else if (!s.config().equals(p) || !s.local().equals(local)) {
                s.reconfigure(p, local, null);
            }
        }
        for (PeerConfig p : next.peers()) {
            if (!sessions.containsKey(p.key())) {
                LOG.info("peer {}: added: {}", p.key(), p);
                // One loop per address: every session sharing it sees the connections accepted from it.
                PeerSession s = new PeerSession(p, local, affinity.loopFor(p.address()), transport, listener);
                sessions.put(p.key(), s);
                s.start();
            }
        }
        Map<InetAddress, List<PeerSession>> index = new HashMap<>();
        for (PeerSession s : sessions.values()) {
            index.computeIfAbsent(s.address(), a -> new ArrayList<>()).add(s);
        }
        index.replaceAll((a, list) -> List.copyOf(list));
        byAddress = Map.copyOf(index);
    }

    private void rebind(ReflectorConfig next) throws InterruptedException {
        for (Channel c : listeners) {
            c.close().sync();
        }
        listeners.clear();
        for (InetAddress address : transport.listenAddresses(next.listenAddresses())) {
            ServerBootstrap b = new ServerBootstrap().group(boss, affinity)
                    .channelFactory(transport.server(address))
                    .option(ChannelOption.SO_BACKLOG, BACKLOG)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            accept(ch);
                        }
                    });
            transport.configureListener(b, address);
            Channel channel = bind(b, address, next.port());
            transport.setListenerKeys(channel, keysFor(address, next));
            listeners.add(channel);
            LOG.info("listening on {} ({})", channel.localAddress(), transport);
        }
    }

    /** Binds, or fails with the address and, for a privileged port refused, what it takes to bind it. */
    private static Channel bind(ServerBootstrap b, InetAddress address, int port) throws InterruptedException {
        try {
            return b.bind(address, port).sync().channel();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) { // Netty rethrows the socket's IOException unchecked
            String hint = port < 1024 && String.valueOf(e.getMessage()).contains("Permission denied")
                    ? " (a port below 1024 needs root or the capability CAP_NET_BIND_SERVICE; in a container: "
                    + "--cap-add NET_BIND_SERVICE)" : "";
            throw new IllegalStateException("cannot listen on " + address.getHostAddress() + " port " + port + ": "
                    + e.getMessage() + hint, e);
        }
    }

    private void updateKeys(ReflectorConfig next) throws InterruptedException {
        for (Channel c : listeners) {
            InetAddress address = ((InetSocketAddress) c.localAddress()).getAddress();
            c.eventLoop().submit(() -> transport.setListenerKeys(c, keysFor(address, next))).sync();
        }
    }

    /**
     * MD5 keys of the peers reachable through a listener of {@code address}'s IP version. The kernel keys
     * a listener's MD5 by address alone: of several peers on one address, the lowest port's password
     * applies to connections they open to us (each one's own applies when we dial).
     */
    private static Map<InetAddress, byte[]> keysFor(InetAddress address, ReflectorConfig config) {
        Map<InetAddress, byte[]> keys = new HashMap<>();
        List<PeerConfig> peers = new ArrayList<>(config.peers());
        peers.sort(Comparator.comparing(PeerConfig::key));
        for (PeerConfig p : peers) {
            if (p.password() != null && (p.address() instanceof Inet4Address) == (address instanceof Inet4Address)) {
                keys.putIfAbsent(p.address(), Transport.key(p.password()));
            }
        }
        return keys;
    }

    /**
     * On the accepted channel's loop, which is the loop of every peer at its address ({@link AffinityGroup}).
     * One peer at the address takes the connection; several (their own ports) wait for its OPEN, which
     * says whose it is ({@link OpenMatch}).
     */
    private void accept(Channel ch) {
        InetAddress source = ((InetSocketAddress) ch.remoteAddress()).getAddress();
        List<PeerSession> at = byAddress.getOrDefault(source, List.of());
        if (at.isEmpty() || !at.get(0).loop().inEventLoop()) {
            refused(ch, source, "not a configured peer");
        } else if (at.size() == 1) {
            at.get(0).accepted(ch, null);
        } else {
            OpenMatch.await(ch, at, reason -> refused(ch, source, reason));
        }
    }

    /** Cease / Connection Rejected, logged once a minute per source with the count kept quiet since. */
    private void refused(Channel ch, InetAddress source, String reason) {
        long quiet = refusals.record(source, System.nanoTime());
        if (quiet >= 0) {
            LOG.warn("refused a connection from {}: {} (Cease / Connection rejected){}", source.getHostAddress(), reason,
                    quiet > 0 ? "; " + quiet + " more refused since the last report" : "");
        }
        refuse(ch, NotificationCode.CEASE_CONNECTION_REJECTED);
    }

    /** RFC 4486: Cease / Connection Rejected right after accepting, then close. */
    static void refuse(Channel ch, NotificationCode code) {
        ByteBuf out = MessageCodec.encode(new Notification(code), WireSettings.INITIAL, ch.alloc());
        ch.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }

    /** Cease / Administrative Shutdown to every peer, then the sockets and threads go. */
    @Override
    public void close() throws InterruptedException {
        close(new Notification(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN));
    }

    /**
     * Ends every session with {@code farewell} (e.g. a Cease with an RFC 9003 shutdown communication),
     * or, when it is null, closes them without a NOTIFICATION so that graceful-restart peers keep our
     * routes while we restart (see {@code PeerSession.stop}); then the sockets and threads go.
     */
    public void close(Notification farewell) throws InterruptedException {
        // Listeners first: a peer must not reconnect to the process that is going away.
        for (Channel c : listeners) {
            c.close().await(1, TimeUnit.SECONDS);
        }
        listeners.clear();
        for (PeerSession s : sessions.values()) {
            s.stop(farewell);
        }
        for (PeerSession s : sessions.values()) {
            s.loop().submit(() -> { }).await(1, TimeUnit.SECONDS);
        }
        sessions.clear();
        byAddress = Map.of();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(3, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(3, TimeUnit.SECONDS);
    }
}
