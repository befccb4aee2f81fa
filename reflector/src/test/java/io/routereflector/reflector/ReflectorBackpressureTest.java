package io.routereflector.reflector;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.reflector.session.Transport;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.capability.FourOctetAs;
import io.routereflector.wire.capability.Multiprotocol;
import io.routereflector.wire.message.BgpMessage;
import io.routereflector.wire.message.Keepalive;
import io.routereflector.wire.message.Open;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Ipv4Prefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inbound backpressure through real sockets: a speaker on loopback floods 4 KB UPDATEs (a bounded
 * loop) while the RIB thread is held busy. The sessions must stop reading once the RIB thread's
 * backlog passes the high-water mark — the speaker's writes then block on TCP flow control instead of
 * the daemon queueing everything — and read again once the RIB thread drains the backlog.
 */
@Timeout(120)
class ReflectorBackpressureTest {

    static final long AS = 64512;
    static final int HIGH = 500;
    static final int LOW = 100;
    /** 30 000 UPDATEs of ~4 KB: about 120 MB, far more than the kernel's socket buffers hold. */
    static final int FLOOD = 30_000;

    @Test
    void sessionsStopReadingPastTheHighWaterMarkAndResumeBelowTheLowOne() throws Exception {
        InetAddress local = InetAddress.getByName("127.0.0.1");
        InetAddress speakerAddress = InetAddress.getByName("127.0.0.2");
        Reflector reflector = new Reflector(Transport.detect(), 1);
        reflector.limitInbound(HIGH, LOW);
        reflector.limitPrefixes(0, Reflector.DEFAULT_PREFIX_LIMIT_IDLE);   // the flood is no prefix-limit test
        CountDownLatch release = new CountDownLatch(1);
        try (reflector) {
            reflector.apply(new ReflectorConfig((Inet4Address) local, null, AS, List.of(local), 0,
                    List.of(PeerConfig.builder(speakerAddress, AS).passive(true).build()), false));
            int port = reflector.peers().listening().get(0).getPort();
            try (Socket socket = new Socket()) {
                socket.bind(new InetSocketAddress(speakerAddress, 0));
                socket.connect(new InetSocketAddress(local, port), 5_000);
                OutputStream out = socket.getOutputStream();
                out.write(encode(Open.of(AS, 240, Ipv4Prefix.parseAddress("127.0.0.2"),
                        List.of(new Multiprotocol(AddressFamily.IPV4_UNICAST), new FourOctetAs(AS)))));
                out.write(encode(Keepalive.INSTANCE));
                drain(socket.getInputStream());
                out.write(update(0));
                await("the first route in the RIB", () -> prefixes(reflector) == 1);

                // Hold the RIB thread, flood, and wait until the flood stops moving.
                Thread holder = new Thread(() -> {
                    try {
                        reflector.query(rib -> {
                            try {
                                return release.await(90, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return false;
                            }
                        });
                    } catch (InterruptedException | IllegalStateException e) {
                        // query() gives up waiting after 30 s; the held task itself goes on.
                    }
                }, "rib-holder");
                holder.start();
                AtomicInteger sent = new AtomicInteger();
                Thread flood = new Thread(() -> {
                    try {
                        for (int i = 1; i <= FLOOD; i++) {
                            out.write(update(i));
                            sent.set(i);
                        }
                    } catch (IOException e) {
                        sent.set(-1);
                    }
                }, "flood");
                flood.start();
                await("the backlog to pass the high-water mark", () -> reflector.inboundBacklog().updates() > HIGH);
                int last;
                do {
                    last = sent.get();
                    Thread.sleep(1_000);
                } while (sent.get() != last && last < FLOOD && last >= 0);
                Reflector.InboundBacklog held = reflector.inboundBacklog();
                assertTrue(sent.get() < FLOOD, "the whole flood was read while the RIB thread was busy: " + held);
                // One read buffer (64 KB: 16 UPDATEs) may still arrive after the pause.
                assertTrue(held.peak() <= HIGH + 64, "backlog " + held + " with the high-water mark at " + HIGH);
                assertEquals(1, held.pausedSessions(), held.toString());

                release.countDown();
                flood.join(60_000);
                assertEquals(FLOOD, sent.get(), "the flood did not get through once the RIB thread caught up");
                await("every route in the RIB", () -> prefixes(reflector) == FLOOD + 1);
                Reflector.InboundBacklog after = reflector.inboundBacklog();
                assertTrue(after.peak() <= HIGH + 64, after.toString());
                assertEquals(0, after.updates(), after.toString());
                assertTrue(reflector.isEstablished(speakerAddress));
            }
        } finally {
            release.countDown();
        }
    }

    private static int prefixes(Reflector reflector) {
        try {
            return reflector.query(rib -> rib.prefixCount(AddressFamily.IPV4_UNICAST));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Reads whatever the reflector sends (OPEN, KEEPALIVEs, End-of-RIB) on a thread of its own. */
    private static void drain(InputStream in) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                while (in.read(buf) >= 0) {
                    // discarded
                }
            } catch (IOException e) {
                // socket closed
            }
        }, "drain");
        t.setDaemon(true);
        t.start();
    }

    private static byte[] encode(BgpMessage message) {
        ByteBuf buf = MessageCodec.encode(message, WireSettings.AS4, ByteBufAllocator.DEFAULT);
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    /**
     * An UPDATE of about 4 KB announcing 10.x.y.z/32 for {@code n}: ORIGIN, empty AS_PATH, NEXT_HOP,
     * LOCAL_PREF and an unknown optional transitive attribute of 3 900 octets to make it big.
     */
    private static byte[] update(int n) {
        int padding = 3_900;
        int attributes = 4 + 3 + 7 + 7 + 4 + padding;
        int length = 19 + 2 + 2 + attributes + 5;
        ByteBuffer b = ByteBuffer.allocate(length);
        for (int i = 0; i < 16; i++) {
            b.put((byte) 0xFF);
        }
        b.putShort((short) length).put((byte) 2).putShort((short) 0).putShort((short) attributes);
        b.put(new byte[] {0x40, 1, 1, 0, 0x40, 2, 0, 0x40, 3, 4, 127, 0, 0, 2, 0x40, 5, 4, 0, 0, 0, 100});
        b.put((byte) 0xD0).put((byte) 250).putShort((short) padding).put(new byte[padding]);
        b.put((byte) 32).put((byte) 10).put((byte) (n >>> 16)).put((byte) (n >>> 8)).put((byte) n);
        return b.array();
    }
}
