package io.routereflector.reflector;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.reflector.session.Transport;
import io.routereflector.rib.Path;
import io.routereflector.rib.RouteEntry;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.NextHop;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.capability.Capability;
import io.routereflector.wire.capability.FourOctetAs;
import io.routereflector.wire.capability.GracefulRestart;
import io.routereflector.wire.capability.Multiprotocol;
import io.routereflector.wire.message.BgpMessage;
import io.routereflector.wire.message.Keepalive;
import io.routereflector.wire.message.Open;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Ipv4Prefix;
import io.routereflector.wire.nlri.NlriList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reflector as graceful-restart helper: when a peer that advertised GR (RFC 4724) loses its
 * connection, its paths stay, marked stale; a peer without GR loses them at once. Two hand-driven
 * speakers on loopback, each announcing one prefix and then dropping its socket.
 */
@Timeout(30)
class ReflectorGracefulRestartTest {

    static final long AS = 64512;
    static final Ipv4Prefix WITH_GR = Ipv4Prefix.parse("10.2.0.0/24");
    static final Ipv4Prefix WITHOUT_GR = Ipv4Prefix.parse("10.3.0.0/24");

    @Test
    void aGracefulRestartPeersPathsStayStaleWhenItsConnectionDropsOthersGo() throws Exception {
        InetAddress local = InetAddress.getByName("127.0.0.1");
        List<PeerConfig> peers = List.of(
                PeerConfig.builder(InetAddress.getByName("127.0.0.2"), AS).passive(true).build(),
                PeerConfig.builder(InetAddress.getByName("127.0.0.3"), AS).passive(true).build());
        try (Reflector reflector = new Reflector(Transport.detect(), 1)) {
            reflector.apply(new ReflectorConfig((Inet4Address) local, null, AS, List.of(local), 0, peers, false));
            int port = reflector.peers().listening().get(0).getPort();
            try (Socket withGr = speaker("127.0.0.2", port, 30, WITH_GR);
                 Socket withoutGr = speaker("127.0.0.3", port, 0, WITHOUT_GR)) {
                await(() -> entry(reflector, WITH_GR) != null && entry(reflector, WITHOUT_GR) != null, "both prefixes learned");
                withGr.close();
                withoutGr.close();
                await(() -> !reflector.isEstablished(InetAddress.getByName("127.0.0.2"))
                        && !reflector.isEstablished(InetAddress.getByName("127.0.0.3")), "both sessions down");
                // Queued on the RIB thread after both "down" tasks.
                RouteEntry kept = entry(reflector, WITH_GR);
                assertNotNull(kept, "the GR peer's path was removed instead of kept as stale");
                assertEquals(1, kept.paths().size());
                Path stale = kept.paths().get(0);
                assertTrue(stale.stale(), stale.toString());
                assertNull(entry(reflector, WITHOUT_GR), "a peer without GR keeps nothing");
            }
        }
    }

    private static RouteEntry entry(Reflector reflector, Ipv4Prefix prefix) throws InterruptedException {
        return reflector.query(rib -> {
            RouteEntry e = rib.entry(prefix);
            return e == null || e.isEmpty() ? null : e;
        });
    }

    interface Check {
        boolean get() throws Exception;
    }

    private static void await(Check condition, String what) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.get()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** OPEN (with GR when {@code restartTime} > 0), KEEPALIVE, then one UPDATE announcing {@code prefix}. */
    private static Socket speaker(String address, int port, int restartTime, Ipv4Prefix prefix) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
        socket.setSoTimeout(5_000);
        List<Capability> caps = new ArrayList<>(List.of(new Multiprotocol(AddressFamily.IPV4_UNICAST), new FourOctetAs(AS)));
        if (restartTime > 0) {
            caps.add(GracefulRestart.of(false, false, restartTime,
                    List.of(new GracefulRestart.Entry(AddressFamily.IPV4_UNICAST, false))));
        }
        int id = Ipv4Prefix.parseAddress(address);
        write(socket, Open.of(AS, 240, id, caps), WireSettings.INITIAL);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        assertTrue(read(in) instanceof Open, "the reflector's OPEN");
        write(socket, Keepalive.INSTANCE, WireSettings.INITIAL);
        assertTrue(read(in) instanceof Keepalive, "the reflector's KEEPALIVE");
        PathAttributes attributes = PathAttributes.of(Origin.IGP, AsPath.EMPTY, new NextHop(id), new LocalPref(100));
        write(socket, Update.announce(attributes, NlriList.ofPrefixes(AddressFamily.IPV4_UNICAST, List.of(prefix))),
                WireSettings.AS4);
        return socket;
    }

    private static void write(Socket socket, BgpMessage message, WireSettings settings) throws IOException {
        ByteBuf buf = MessageCodec.encode(message, settings, ByteBufAllocator.DEFAULT);
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        } finally {
            buf.release();
        }
    }

    private static BgpMessage read(DataInputStream in) throws IOException {
        byte[] header = new byte[19];
        in.readFully(header);
        int length = (header[16] & 0xFF) << 8 | header[17] & 0xFF;
        byte[] message = new byte[length];
        System.arraycopy(header, 0, message, 0, 19);
        in.readFully(message, 19, length - 19);
        return MessageCodec.decode(Unpooled.wrappedBuffer(message), WireSettings.INITIAL);
    }
}
