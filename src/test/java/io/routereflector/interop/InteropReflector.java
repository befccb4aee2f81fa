package io.routereflector.interop;

import io.routereflector.reflector.Reflector;
import io.routereflector.reflector.config.AddPathMode;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.reflector.session.PeerSession;
import io.routereflector.reflector.session.SessionState;
import io.routereflector.reflector.session.Transport;
import io.routereflector.rib.PeerKey;
import io.routereflector.rib.PeerRole;
import io.routereflector.rib.Path;
import io.routereflector.rib.RouteEntry;
import io.routereflector.rib.out.GroupKey;
import io.routereflector.rib.out.Member;
import io.routereflector.rib.out.UpdateGroup;
import io.routereflector.testbed.Await;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;
import io.routereflector.wire.nlri.Ipv4Prefix;
import io.routereflector.wire.nlri.Ipv6Prefix;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An in-JVM {@link Reflector} for the interop tests: epoll when it loads, the clients configured
 * the way a Calico reflector sees its nodes (iBGP in AS 64512, role CLIENT, ADD-PATH send and
 * receive as Calico's {@code add paths on}, graceful restart), dialing from its own address.
 */
final class InteropReflector implements AutoCloseable {

    static final long AS = 64512;

    private final Reflector reflector;
    private final ReflectorConfig config;

    private InteropReflector(Reflector reflector, ReflectorConfig config) {
        this.reflector = reflector;
        this.config = config;
    }

    /** Starts a reflector with {@code routerId}, {@code clusterId}, listening on {@code listen}:{@code port}. */
    static InteropReflector start(Transport transport, String routerId, String clusterId, List<String> listen, int port,
                                  List<PeerConfig> peers) {
        ReflectorConfig config = new ReflectorConfig((Inet4Address) ip(routerId), (Inet4Address) ip(clusterId), AS,
                listen.stream().map(InteropReflector::ip).toList(), port, peers, false);
        Reflector reflector = new Reflector(transport, 2);
        try {
            reflector.apply(config);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            closeQuietly(reflector);
            throw e;
        }
        return new InteropReflector(reflector, config);
    }

    /** A Calico node as our client: its family, ADD-PATH both ways, GR 120 s, dialed from {@code source}. */
    static PeerConfig.Builder client(String address, String source) {
        InetAddress peer = ip(address);
        AddressFamily family = address.contains(":") ? AddressFamily.IPV6_UNICAST : AddressFamily.IPV4_UNICAST;
        return PeerConfig.builder(peer, AS).role(PeerRole.CLIENT).families(java.util.Set.of(family))
                .addPath(Map.of(family, AddPathMode.BOTH)).gracefulRestartTime(PeerConfig.DEFAULT_RESTART_TIME)
                .connectRetryTime(2).sourceAddress(ip(source));
    }

    Reflector reflector() {
        return reflector;
    }

    ReflectorConfig config() {
        return config;
    }

    PeerSession session(String peer) {
        PeerSession s = reflector.peers().session(ip(peer));
        if (s == null) {
            throw new IllegalArgumentException(peer + " is not a configured peer");
        }
        return s;
    }

    boolean established(String peer) {
        return session(peer).state() == SessionState.ESTABLISHED;
    }

    void awaitEstablished(Duration timeout, String... peers) {
        for (String peer : peers) {
            Await.until("the reflector's session with " + peer + " to be Established", timeout,
                    () -> established(peer), () -> describe(peer));
        }
    }

    String describe(String peer) {
        PeerSession s = session(peer);
        return "reflector session " + peer + ": " + s.state() + " since " + s.since() + ", last error: " + s.lastError()
                + ", sent " + s.lastNotificationSent() + ", received " + s.lastNotificationReceived();
    }

    /** The Loc-RIB paths of {@code prefix}, read on the RIB thread. */
    List<Path> paths(String prefix) {
        IpPrefix p = prefix.contains(":") ? Ipv6Prefix.parse(prefix) : Ipv4Prefix.parse(prefix);
        try {
            return reflector.query(rib -> {
                RouteEntry entry = rib.entry(p);
                return entry == null ? List.<Path>of() : List.copyOf(entry.paths());
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Paths in the Adj-RIB-In of {@code peer} (what was kept of what it sent), -1 when it is not up. */
    int receivedFrom(String peer) {
        InetAddress address = ip(peer);
        try {
            return reflector.query(rib -> {
                for (UpdateGroup g : rib.groups()) {
                    for (Member m : g.members()) {
                        if (m.peer().address().equals(address)) {
                            return rib.receivedCount(m.peer());
                        }
                    }
                }
                return -1;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A snapshot of the update groups: key and member addresses, and UPDATEs encoded so far. */
    record GroupView(GroupKey key, List<InetAddress> members, long encodedMessages) { }

    List<GroupView> groups() {
        try {
            return reflector.query(rib -> rib.groups().stream().map(g -> new GroupView(g.key(),
                    g.members().stream().map(m -> m.peer().address()).toList(), g.encodedMessages())).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Paths withheld from update groups as too big to send (the metric's source). */
    long withheldPaths() {
        try {
            return reflector.query(rib -> rib.withheldPaths());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The route counters of {@code peer}'s session as the RIB keeps them. */
    io.routereflector.rib.PeerRouteStats routeStats(String peer) {
        try {
            return reflector.query(rib -> rib.peerStats().get(PeerKey.of(ip(peer))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** Dotted-quad form of a BGP identifier or cluster id. */
    static String dotted(int id) {
        return Ipv4Prefix.format(id);
    }

    @Override
    public void close() {
        closeQuietly(reflector);
    }

    private static void closeQuietly(Reflector reflector) {
        try {
            reflector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
