package io.routereflector.speaker;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.routereflector.reflector.session.Transport;
import io.routereflector.wire.BgpFrameDecoder;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.attribute.MpReachNlri;
import io.routereflector.wire.attribute.MpUnreachNlri;
import io.routereflector.wire.attribute.NextHop;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.capability.AddPath;
import io.routereflector.wire.capability.Capability;
import io.routereflector.wire.capability.ExtendedMessage;
import io.routereflector.wire.capability.FourOctetAs;
import io.routereflector.wire.capability.GracefulRestart;
import io.routereflector.wire.capability.Multiprotocol;
import io.routereflector.wire.capability.RouteRefreshCapability;
import io.routereflector.wire.message.BgpMessage;
import io.routereflector.wire.message.Keepalive;
import io.routereflector.wire.message.Notification;
import io.routereflector.wire.message.Open;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;
import io.routereflector.wire.nlri.Ipv6Prefix;
import io.routereflector.wire.nlri.Nlri;
import io.routereflector.wire.nlri.NlriList;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lightweight BGP speaker built on our own codec, for tests and benchmarks: one family, dials a
 * speaker, answers the OPEN, keeps the session alive, announces and withdraws prefixes, and decodes
 * everything it receives into a table (NLRI with path id → attributes). Many of them share one
 * event loop group, so thousands fit in a process. It sends exactly what it is told: hand-made
 * bytes too ({@link #sendRaw}), for malformed-message tests.
 *
 * <p>Not an FSM: no collision handling, no re-dial. A NOTIFICATION or a broken connection ends it.
 * With a {@link Listener} (the bench) the speaker keeps no table: every decoded UPDATE goes to the
 * listener on the speaker's event loop, so a load generator holds only what it needs.
 */
public final class SimSpeaker implements AutoCloseable {

    public enum State { CONNECTING, OPEN_SENT, OPEN_CONFIRM, ESTABLISHED, CLOSED }

    /**
     * @param restartTime      graceful restart time to advertise (RFC 4724), 0 for no GR capability
     * @param extendedMessages advertise RFC 8654 extended messages (used when the peer advertises them too)
     * @param fourOctetAs      advertise RFC 6793 4-octet AS support; without it the speaker is an OLD one
     */
    public record Settings(long as, int routerId, AddressFamily family, boolean addPath, int holdTime, int restartTime,
                           boolean extendedMessages, boolean fourOctetAs) {
        public Settings(long as, int routerId, AddressFamily family, boolean addPath, int holdTime, int restartTime) {
            this(as, routerId, family, addPath, holdTime, restartTime, false, true);
        }

        public Settings(long as, int routerId, AddressFamily family, boolean addPath, int holdTime, int restartTime,
                        boolean extendedMessages) {
            this(as, routerId, family, addPath, holdTime, restartTime, extendedMessages, true);
        }

        public Settings {
            if (!family.isSupported()) {
                throw new IllegalArgumentException("unsupported family " + family);
            }
            if (holdTime != 0 && holdTime < 3) {
                throw new IllegalArgumentException("hold time is 0 or at least 3 s: " + holdTime);
            }
        }

        /** A Calico-like node: iBGP, ADD-PATH both ways, hold 240 s, no graceful restart. */
        public static Settings calico(long as, int routerId, AddressFamily family) {
            return new Settings(as, routerId, family, true, 240, 0);
        }

        /** The same speaker, advertising RFC 8654 extended messages. */
        public Settings withExtendedMessages() {
            return new Settings(as, routerId, family, addPath, holdTime, restartTime, true, fourOctetAs);
        }

        /** The same speaker as an OLD one (RFC 6793): 2-octet ASNs on the wire, AS4_PATH alongside. */
        public Settings withoutFourOctetAs() {
            return new Settings(as, routerId, family, addPath, holdTime, restartTime, extendedMessages, false);
        }
    }

    /**
     * Observes a speaker on its event-loop thread; calls for one speaker never overlap.
     */
    public interface Listener {
        void established(SimSpeaker speaker);

        /** A decoded UPDATE (End-of-RIB included), {@code nanos} = {@link System#nanoTime()} when it was read. */
        void update(SimSpeaker speaker, Update update, long nanos);

        /** The session ended; {@code byUs} when {@link #close()} or {@link #stop} ended it. */
        void closed(SimSpeaker speaker, String why, boolean byUs);
    }

    /** Received prefixes per family: (prefix, path id) → attributes as decoded. */
    private final Map<Nlri, PathAttributes> table = new ConcurrentHashMap<>();
    private final AtomicLong updatesReceived = new AtomicLong();
    private final Settings settings;
    private final InetAddress local;
    private volatile Channel channel;
    private volatile State state = State.CONNECTING;
    private volatile WireSettings receiveSettings = WireSettings.INITIAL;
    private volatile WireSettings sendSettings = WireSettings.INITIAL;
    private volatile boolean endOfRib;
    private volatile Notification notificationReceived;
    private volatile Open peerOpen;
    private volatile String error;
    private volatile boolean closedByUs;
    private final Listener listener;
    private ScheduledFuture<?> keepalives;

    private SimSpeaker(Settings settings, InetAddress local, Listener listener) {
        this.settings = settings;
        this.local = local;
        this.listener = listener;
    }

    /** Dials {@code remote} from {@code local} (port chosen by the kernel) and sends its OPEN once connected. */
    public static SimSpeaker connect(Transport transport, EventLoopGroup group, InetAddress local,
                                     InetSocketAddress remote, Settings settings) {
        return connect(transport, group, local, remote, settings, null);
    }

    /**
     * As {@link #connect(Transport, EventLoopGroup, InetAddress, InetSocketAddress, Settings)}, but received
     * UPDATEs go to {@code listener} (when not null) instead of the table.
     */
    public static SimSpeaker connect(Transport transport, EventLoopGroup group, InetAddress local,
                                     InetSocketAddress remote, Settings settings, Listener listener) {
        SimSpeaker speaker = create(settings, local, listener);
        speaker.connect(transport, group, remote);
        return speaker;
    }

    /**
     * A speaker that has not dialled yet: a caller that must know the speaker before its first callback
     * (the listener may be called on an event loop before {@code connect} returns) keeps it, then calls
     * {@link #connect(Transport, EventLoopGroup, InetSocketAddress)}.
     */
    public static SimSpeaker create(Settings settings, InetAddress local, Listener listener) {
        return new SimSpeaker(settings, local, listener);
    }

    /** Dials {@code remote} from this speaker's local address. */
    public void connect(Transport transport, EventLoopGroup group, InetSocketAddress remote) {
        SimSpeaker speaker = this;
        Bootstrap bootstrap = new Bootstrap().group(group).channelFactory(transport.socket(remote.getAddress()))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // Before any event of the channel: the first OPEN, KEEPALIVE or callback may run on the
                        // event loop before bootstrap.connect below has returned.
                        speaker.channel = ch;
                        ch.pipeline().addLast(new BgpFrameDecoder(), speaker.new Handler());
                    }
                });
        ChannelFuture f = bootstrap.connect(remote, new InetSocketAddress(local, 0));
        speaker.channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                speaker.fail("connect to " + remote + " failed: " + done.cause());
            }
        });
    }

    public InetAddress localAddress() {
        return local;
    }

    public Settings settings() {
        return settings;
    }

    public State state() {
        return state;
    }

    public boolean established() {
        return state == State.ESTABLISHED;
    }

    /** True once the peer sent End-of-RIB for our family. */
    public boolean endOfRib() {
        return endOfRib;
    }

    /** The OPEN the peer sent, null before it arrives. */
    public Open peerOpen() {
        return peerOpen;
    }

    public Notification notificationReceived() {
        return notificationReceived;
    }

    /** Why the speaker closed, null while it runs. */
    public String error() {
        return error;
    }

    public long updatesReceived() {
        return updatesReceived.get();
    }

    /** A snapshot of every received (prefix, path id) and its attributes. */
    public Map<Nlri, PathAttributes> table() {
        return Map.copyOf(table);
    }

    /** The attributes of every received path for {@code prefix}. */
    public List<PathAttributes> paths(IpPrefix prefix) {
        List<PathAttributes> out = new ArrayList<>();
        table.forEach((nlri, attributes) -> {
            if (nlri.prefix().equals(prefix)) {
                out.add(attributes);
            }
        });
        return out;
    }

    /** Distinct prefixes received. */
    public Set<IpPrefix> prefixes() {
        Set<IpPrefix> out = ConcurrentHashMap.newKeySet();
        for (Nlri nlri : table.keySet()) {
            out.add(nlri.prefix());
        }
        return Set.copyOf(out);
    }

    /**
     * Announces {@code prefixes} with {@code attributes} (ORIGIN, AS_PATH, LOCAL_PREF ... as given;
     * the next hop is added: NEXT_HOP for IPv4, MP_REACH_NLRI for IPv6), packed many per UPDATE.
     * Path id 1 when ADD-PATH send was negotiated.
     */
    public void announce(List<? extends IpPrefix> prefixes, PathAttributes attributes, byte[] nextHop) {
        for (List<Nlri> chunk : chunks(prefixes)) {
            NlriList nlri = NlriList.of(settings.family(), sendSettings.addPath(settings.family()), chunk);
            Update update;
            if (settings.family().equals(AddressFamily.IPV4_UNICAST)) {
                int hop = (nextHop[0] & 0xFF) << 24 | (nextHop[1] & 0xFF) << 16 | (nextHop[2] & 0xFF) << 8 | (nextHop[3] & 0xFF);
                update = Update.announce(attributes.with(new NextHop(hop)), nlri);
            } else {
                update = Update.announce(attributes.with(MpReachNlri.ipv6(nextHop, null, nlri)),
                        NlriList.empty(AddressFamily.IPV4_UNICAST));
            }
            send(update);
        }
        channel.flush();
    }

    public void withdraw(List<? extends IpPrefix> prefixes) {
        for (List<Nlri> chunk : chunks(prefixes)) {
            NlriList nlri = NlriList.of(settings.family(), sendSettings.addPath(settings.family()), chunk);
            Update update = settings.family().equals(AddressFamily.IPV4_UNICAST) ? Update.withdraw(nlri)
                    : new Update(NlriList.empty(AddressFamily.IPV4_UNICAST), PathAttributes.of(new MpUnreachNlri(nlri)), NlriList.empty(AddressFamily.IPV4_UNICAST));
            send(update);
        }
        channel.flush();
    }

    public void endOfRibOut() {
        send(Update.endOfRib(settings.family()));
        channel.flush();
    }

    /** Writes {@code message} exactly as given (a whole BGP message, header included). */
    public void sendRaw(byte[] message) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(message.clone()));
    }

    /** The settings UPDATEs to the peer are encoded with (after the OPEN exchange). */
    public WireSettings sendSettings() {
        return sendSettings;
    }

    private static final int PREFIXES_PER_UPDATE = 400; // 400 × (4 + 5) octets stays below 4096

    private List<List<Nlri>> chunks(List<? extends IpPrefix> prefixes) {
        List<List<Nlri>> out = new ArrayList<>();
        for (int i = 0; i < prefixes.size(); i += PREFIXES_PER_UPDATE) {
            List<Nlri> chunk = new ArrayList<>();
            for (IpPrefix p : prefixes.subList(i, Math.min(prefixes.size(), i + PREFIXES_PER_UPDATE))) {
                chunk.add(new Nlri(p, sendSettings.addPath(settings.family()) ? 1 : 0));
            }
            out.add(chunk);
        }
        return out;
    }

    private void send(BgpMessage message) {
        if (state != State.ESTABLISHED) {
            throw new IllegalStateException("not Established: " + state + (error != null ? " (" + error + ")" : ""));
        }
        channel.write(MessageCodec.encode(message, sendSettings, channel.alloc()));
    }

    private Open open() {
        List<Capability> caps = new ArrayList<>();
        caps.add(new Multiprotocol(settings.family()));
        caps.add(RouteRefreshCapability.INSTANCE);
        if (settings.fourOctetAs()) {
            caps.add(new FourOctetAs(settings.as()));
        }
        if (settings.restartTime() > 0) {
            // F bit set: like a node that kept its kernel routes while it restarted, so the reflector
            // keeps its stale routes until End-of-RIB rather than flushing them (RFC 4724 §4.2).
            caps.add(GracefulRestart.of(false, false, settings.restartTime(),
                    List.of(new GracefulRestart.Entry(settings.family(), true))));
        }
        if (settings.extendedMessages()) {
            caps.add(ExtendedMessage.INSTANCE);
        }
        if (settings.addPath()) {
            caps.add(new AddPath(List.of(new AddPath.Entry(settings.family(), AddPath.BOTH))));
        }
        return Open.of(settings.as(), settings.holdTime(), settings.routerId(), caps);
    }

    private void fail(String why) {
        boolean first = state != State.CLOSED;
        if (error == null) {
            error = why;
        }
        state = State.CLOSED;
        if (first && listener != null) {
            listener.closed(this, why, closedByUs);
        }
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    /** Closes the connection without a NOTIFICATION (as a crash would). */
    @Override
    public void close() {
        closedByUs = true;
        fail("closed by the test");
    }

    /** Sends {@code notification} and closes. */
    public void stop(Notification notification) {
        closedByUs = true;
        Channel ch = channel;
        if (ch != null && ch.isActive()) {
            ch.writeAndFlush(MessageCodec.encode(notification, WireSettings.INITIAL, ch.alloc()))
                    .addListener(done -> fail("stopped with " + notification));
        } else {
            fail("stopped");
        }
    }

    @Override
    public String toString() {
        return "SimSpeaker[" + local.getHostAddress() + " " + state + ", " + table.size() + " paths"
                + (error != null ? ", " + error : "") + "]";
    }

    private final class Handler extends SimpleChannelInboundHandler<ByteBuf> {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            state = State.OPEN_SENT;
            ctx.writeAndFlush(MessageCodec.encode(open(), WireSettings.INITIAL, ctx.alloc()));
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            BgpMessage message = MessageCodec.decode(frame, receiveSettings);
            if (message instanceof Open open) {
                opened(ctx, open);
            } else if (message instanceof Keepalive) {
                if (state == State.OPEN_CONFIRM) {
                    state = State.ESTABLISHED;
                    if (listener != null) {
                        listener.established(SimSpeaker.this);
                    }
                }
            } else if (message instanceof Update update) {
                received(update);
            } else if (message instanceof Notification n) {
                notificationReceived = n;
                fail("NOTIFICATION received: " + n);
            }
        }

        private void opened(ChannelHandlerContext ctx, Open open) {
            peerOpen = open;
            AddressFamily family = settings.family();
            boolean as4 = settings.fourOctetAs() && open.capability(FourOctetAs.class).isPresent();
            AddPath.Entry theirs = open.capability(AddPath.class).flatMap(a -> a.entry(family)).orElse(null);
            // RFC 7911 §4: path ids flow in a direction when the sender can send and the receiver receive.
            boolean receivePathIds = settings.addPath() && theirs != null && theirs.canSend();
            boolean sendPathIds = settings.addPath() && theirs != null && theirs.canReceive();
            // RFC 8654 §3: larger messages only once both sides advertised the capability.
            boolean extended = settings.extendedMessages() && open.capability(ExtendedMessage.class).isPresent();
            if (extended) {
                ctx.pipeline().get(BgpFrameDecoder.class).setExtendedMessages(true);
            }
            receiveSettings = new WireSettings(extended, as4, receivePathIds ? Set.of(family) : Set.of());
            sendSettings = new WireSettings(extended, as4, sendPathIds ? Set.of(family) : Set.of());
            state = State.OPEN_CONFIRM;
            ctx.writeAndFlush(MessageCodec.encode(Keepalive.INSTANCE, WireSettings.INITIAL, ctx.alloc()));
            int hold = Math.min(settings.holdTime(), open.holdTime());
            if (hold > 0) {
                long every = Math.max(1, hold / 3);
                keepalives = ctx.executor().scheduleAtFixedRate(() -> ctx.writeAndFlush(
                        MessageCodec.encode(Keepalive.INSTANCE, WireSettings.INITIAL, ctx.alloc())), every, every, TimeUnit.SECONDS);
            }
        }

        private void received(Update update) {
            updatesReceived.incrementAndGet();
            if (listener != null) {
                listener.update(SimSpeaker.this, update, System.nanoTime());
                return;
            }
            AddressFamily family = settings.family();
            if (family.equals(update.endOfRibFamily())) {
                endOfRib = true;
                return;
            }
            for (Nlri nlri : update.unreachable(family)) {
                table.remove(nlri);
            }
            NlriList reachable = update.reachable(family);
            if (update.treatAsWithdraw()) {
                for (Nlri nlri : reachable) {
                    table.remove(nlri);
                }
                return;
            }
            for (Nlri nlri : reachable) {
                table.put(nlri, update.attributes());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (keepalives != null) {
                keepalives.cancel(false);
            }
            fail("connection closed");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail("error: " + cause);
        }
    }

    /** An IPv6 prefix for tests, e.g. {@code ipv6("2001:db8:1::/64")}. */
    public static Ipv6Prefix ipv6(String text) {
        return Ipv6Prefix.parse(text);
    }
}
