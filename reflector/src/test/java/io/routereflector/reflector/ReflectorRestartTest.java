package io.routereflector.reflector;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.reflector.session.Transport;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.NextHop;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.capability.FourOctetAs;
import io.routereflector.wire.capability.GracefulRestart;
import io.routereflector.wire.capability.Multiprotocol;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.message.BgpMessage;
import io.routereflector.wire.message.Keepalive;
import io.routereflector.wire.message.Notification;
import io.routereflector.wire.message.Open;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Ipv4Prefix;
import io.routereflector.wire.nlri.NlriList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our own restart and stop, seen from hand-driven speakers on loopback: the Restart State bit in our
 * OPEN, the held initial transfer (RFC 4724 §4.1), the two ways of stopping (no NOTIFICATION for a
 * restart, Cease with an RFC 9003 message for a decommission).
 */
@Timeout(60)
class ReflectorRestartTest {

    static final long AS = 64512;
    static final Ipv4Prefix A = Ipv4Prefix.parse("10.2.0.0/24");
    static final Ipv4Prefix B = Ipv4Prefix.parse("10.3.0.0/24");

    private static Reflector start(boolean restarted, Duration deferral, String... peerAddresses) throws Exception {
        InetAddress local = InetAddress.getByName("127.0.0.1");
        List<PeerConfig> peers = new ArrayList<>();
        for (String p : peerAddresses) {
            peers.add(PeerConfig.builder(InetAddress.getByName(p), AS).passive(true).build());
        }
        Reflector reflector = new Reflector(Transport.detect(), 1);
        if (deferral != null) {
            reflector.deferInitialTransfer(deferral);
        }
        reflector.apply(new ReflectorConfig((Inet4Address) local, null, AS, List.of(local), 0, peers, restarted));
        return reflector;
    }

    @Test
    void afterARestartNothingIsAdvertisedUntilEveryPeersEndOfRibIsIn() throws Exception {
        try (Reflector reflector = start(true, Duration.ofSeconds(30), "127.0.0.2", "127.0.0.3")) {
            int port = reflector.peers().listening().get(0).getPort();
            try (Speaker a = new Speaker("127.0.0.2", port); Speaker b = new Speaker("127.0.0.3", port)) {
                assertTrue(a.theirOpen.capability(GracefulRestart.class).orElseThrow().restartState(),
                        "our OPEN carries the Restart State bit after a restart");
                a.announce(A);
                b.announce(B);
                a.endOfRib();
                assertThrows(SocketTimeoutException.class, () -> b.read(700), "nothing before b's End-of-RIB");
                assertFalse(reflector.initialTransferReleased().isDone());
                b.endOfRib();
                assertEquals("End-of-RIB received from every peer", reflector.initialTransferReleased().get(5, TimeUnit.SECONDS));
                for (Speaker s : List.of(a, b)) {
                    Update route = (Update) s.read(5_000);
                    assertEquals(s == a ? B : A, route.reachable(AddressFamily.IPV4_UNICAST).get(0).prefix(), "the other's route first");
                    Update eor = (Update) s.read(5_000);
                    assertTrue(eor.isEndOfRib(), "then End-of-RIB");
                }
            }
        }
    }

    @Test
    void theDeferralTimerReleasesWhenAPeerNeverComes() throws Exception {
        try (Reflector reflector = start(true, Duration.ofMillis(1500), "127.0.0.2", "127.0.0.3")) {
            int port = reflector.peers().listening().get(0).getPort();
            try (Speaker a = new Speaker("127.0.0.2", port)) {
                a.endOfRib();
                long start = System.nanoTime();
                Update eor = (Update) a.read(10_000);
                assertTrue(eor.isEndOfRib());
                assertTrue(System.nanoTime() - start > 500_000_000L, "held until the timer");
                assertTrue(reflector.initialTransferReleased().get().startsWith("selection deferral timer expired"));
            }
        }
    }

    @Test
    void withoutARestartTheOpenHasNoRestartBitAndTheTableLeavesAtOnce() throws Exception {
        try (Reflector reflector = start(false, null, "127.0.0.2")) {
            int port = reflector.peers().listening().get(0).getPort();
            try (Speaker a = new Speaker("127.0.0.2", port)) {
                assertFalse(a.theirOpen.capability(GracefulRestart.class).orElseThrow().restartState());
                assertTrue(((Update) a.read(5_000)).isEndOfRib(), "End-of-RIB without waiting for ours");
            }
        }
    }

    @Test
    void aStopForRestartClosesWithoutNotification() throws Exception {
        Reflector reflector = start(false, null, "127.0.0.2");
        int port = reflector.peers().listening().get(0).getPort();
        try (Speaker a = new Speaker("127.0.0.2", port)) {
            assertTrue(((Update) a.read(5_000)).isEndOfRib());
            reflector.close(null);
            assertThrows(EOFException.class, () -> a.read(5_000), "TCP closed with no NOTIFICATION before it");
        }
    }

    @Test
    void aDecommissionSendsCeaseWithTheShutdownCommunication() throws Exception {
        Reflector reflector = start(false, null, "127.0.0.2");
        int port = reflector.peers().listening().get(0).getPort();
        try (Speaker a = new Speaker("127.0.0.2", port)) {
            assertTrue(((Update) a.read(5_000)).isEndOfRib());
            reflector.close(Notification.shutdown(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN, "moving to rack 7"));
            Notification n = assertInstanceOf(Notification.class, a.read(5_000));
            assertEquals(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN, n.named());
            assertEquals("moving to rack 7", n.shutdownCommunication().orElseThrow());
        }
    }

    /** A graceful-restart capable client: OPEN with GR, KEEPALIVE, then what the test says. */
    private static final class Speaker implements AutoCloseable {
        final Socket socket = new Socket();
        final DataInputStream in;
        final Open theirOpen;
        final int id;

        Speaker(String address, int port) throws IOException {
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
            id = Ipv4Prefix.parseAddress(address);
            write(Open.of(AS, 240, id, List.of(new Multiprotocol(AddressFamily.IPV4_UNICAST), new FourOctetAs(AS),
                    GracefulRestart.of(false, false, 120, List.of(new GracefulRestart.Entry(AddressFamily.IPV4_UNICAST, true))))));
            in = new DataInputStream(socket.getInputStream());
            socket.setSoTimeout(5_000);
            theirOpen = (Open) readOne();
            write(Keepalive.INSTANCE);
            assertInstanceOf(Keepalive.class, readOne(), "the reflector's KEEPALIVE");
        }

        void announce(Ipv4Prefix prefix) throws IOException {
            PathAttributes attributes = PathAttributes.of(Origin.IGP, AsPath.EMPTY, new NextHop(id), new LocalPref(100));
            write(Update.announce(attributes, NlriList.ofPrefixes(AddressFamily.IPV4_UNICAST, List.of(prefix))));
        }

        void endOfRib() throws IOException {
            write(Update.endOfRib(AddressFamily.IPV4_UNICAST));
        }

        void write(BgpMessage message) throws IOException {
            ByteBuf buf = MessageCodec.encode(message, WireSettings.AS4, ByteBufAllocator.DEFAULT);
            try {
                byte[] bytes = new byte[buf.readableBytes()];
                buf.readBytes(bytes);
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
            } finally {
                buf.release();
            }
        }

        /** The next message other than a KEEPALIVE. */
        BgpMessage read(int timeoutMillis) throws IOException {
            socket.setSoTimeout(timeoutMillis);
            while (true) {
                BgpMessage m = readOne();
                if (!(m instanceof Keepalive)) {
                    return m;
                }
            }
        }

        BgpMessage readOne() throws IOException {
            byte[] header = new byte[19];
            in.readFully(header);
            int length = (header[16] & 0xFF) << 8 | header[17] & 0xFF;
            byte[] message = new byte[length];
            System.arraycopy(header, 0, message, 0, 19);
            in.readFully(message, 19, length - 19);
            return MessageCodec.decode(Unpooled.wrappedBuffer(message), WireSettings.AS4);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
