package io.routereflector.daemon;

import io.netty.channel.EventLoopGroup;
import io.routereflector.reflector.session.Transport;
import io.routereflector.speaker.SimSpeaker;
import io.routereflector.testbed.Await;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.capability.GracefulRestart;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.message.Notification;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Ipv4Prefix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon process through its whole life, driven the way an operator or systemd drives it, with
 * graceful-restart capable speakers as its clients:
 * SIGHUP with an unchanged datastore touches no session; SIGTERM closes every session without a
 * NOTIFICATION within the stop bound and leaves the restart marker; the next start advertises the R
 * bit and holds its table until both clients' End-of-RIB are in; {@code routereflector shutdown
 * --message} sends Cease / Administrative Shutdown with the text and clears the marker, so the start
 * after it is a fresh one.
 */
@Timeout(180)
class DaemonLifecycleIT {

    static final long AS = 64512;
    static final Ipv4Prefix FROM_11 = Ipv4Prefix.parse("10.11.0.0/26");
    static final Ipv4Prefix FROM_12 = Ipv4Prefix.parse("10.12.0.0/26");
    static final Duration UP = Duration.ofSeconds(30);
    static final Transport TRANSPORT = Transport.detect();
    static final EventLoopGroup GROUP = TRANSPORT.newGroup(1, "speakers");

    @TempDir
    Path dir;

    @AfterAll
    static void stopGroup() {
        GROUP.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void hangupTermRestartAndDecommission() throws Exception {
        Path data = Files.createDirectories(dir.resolve("datastore"));
        for (String name : new String[] {"nodes.yaml", "bgpconfiguration.yaml", "bgppeers.yaml"}) {
            Files.copy(Path.of("examples/cluster").resolve(name), data.resolve(name));
        }
        // Two clients only (worker-3 goes): a restart waits for every configured peer's End-of-RIB.
        String nodes = Files.readString(data.resolve("nodes.yaml"));
        Files.writeString(data.resolve("nodes.yaml"), nodes.substring(0, nodes.lastIndexOf("---")));
        Path state = dir.resolve("state");
        int port = freePort();
        String[] run = {"run", "--datastore-path", data.toString(), "--node", "rr1", "--port", Integer.toString(port),
                "--state-dir", state.toString(), "--selection-deferral", "60"};

        // 1. A fresh start: no R bit, End-of-RIB at once; a SIGHUP with nothing changed touches nothing.
        try (DaemonProcess first = DaemonProcess.startJar("first", List.of(run), Map.of(), dir)) {
            first.awaitLine("started:", UP);
            assertTrue(Files.exists(state.resolve(Lifecycle.MARKER)), "restart marker written at start");
            List<SimSpeaker> clients = connect(port, first);
            for (SimSpeaker c : clients) {
                Await.until(c + " End-of-RIB", UP, c::endOfRib, first::log);
                assertFalse(restartBit(c), "no R bit on a fresh start");
            }
            clients.get(0).announce(List.of(FROM_11), attributes(), InetAddress.getByName("127.0.0.11").getAddress());
            Await.until("route reflected", UP, () -> clients.get(1).prefixes().contains(FROM_11), first::log);

            first.signal("HUP");
            first.awaitLine("reload: unchanged, no session touched", UP);
            Thread.sleep(500);
            for (SimSpeaker c : clients) {
                assertTrue(c.established(), c + " after SIGHUP\n" + first.log());
            }

            // 2. SIGTERM: sessions closed without NOTIFICATION, process gone within the stop bound.
            long start = System.nanoTime();
            first.process().destroy();
            assertTrue(first.process().waitFor(Lifecycle.STOP_BOUND.toSeconds() + 5, TimeUnit.SECONDS), "exits within the bound");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(Lifecycle.STOP_BOUND.toSeconds() + 3),
                    "stop took too long\n" + first.log());
            for (SimSpeaker c : clients) {
                Await.until(c + " closed", UP, () -> c.state() == SimSpeaker.State.CLOSED, first::log);
                assertNull(c.notificationReceived(), "a GR-friendly stop sends no NOTIFICATION");
                assertTrue(c.prefixes().contains(FROM_11) || c == clients.get(0), "the client still holds what we sent");
            }
            assertTrue(first.log().contains("stopping for a restart"), first.log());
            assertTrue(Files.exists(state.resolve(Lifecycle.MARKER)), "the marker survives a stop for restart");
        }

        // 3. The restart: R bit; nothing leaves until both clients' End-of-RIB are in.
        List<SimSpeaker> clients;
        try (DaemonProcess second = DaemonProcess.startJar("second", List.of(run), Map.of(), dir)) {
            second.awaitLine("started:", UP);
            assertTrue(second.log().contains("restart: found"), second.log());
            clients = connect(port, second);
            for (SimSpeaker c : clients) {
                assertTrue(restartBit(c), "R bit after a restart: " + c.peerOpen());
            }
            byte[] hop11 = InetAddress.getByName("127.0.0.11").getAddress();
            clients.get(0).announce(List.of(FROM_11), attributes(), hop11);
            clients.get(1).announce(List.of(FROM_12), attributes(), InetAddress.getByName("127.0.0.12").getAddress());
            clients.get(0).endOfRibOut();
            Thread.sleep(1_500);
            for (SimSpeaker c : clients) {
                assertEquals(0, c.updatesReceived(), c + " got UPDATEs before every End-of-RIB was in\n" + second.log());
            }
            clients.get(1).endOfRibOut();
            Await.until("held table released", UP, () -> clients.get(0).endOfRib() && clients.get(1).endOfRib(), second::log);
            assertTrue(clients.get(1).prefixes().contains(FROM_11));
            assertTrue(clients.get(0).prefixes().contains(FROM_12));
            second.awaitLine("restart complete, R bit cleared", UP);
            for (SimSpeaker c : clients) {
                assertTrue(c.established(), "clearing the R bit touches no session: " + c);
            }

            // 4. Decommission with a message.
            String message = "decommissioned by DaemonLifecycleIT: rack 7 ✓";
            DaemonProcess shutdown = DaemonProcess.startJar("shutdown", List.of("shutdown", "--state-dir", state.toString(), "--message", message), Map.of(), dir);
            assertTrue(shutdown.process().waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, shutdown.process().exitValue(), shutdown.log());
            assertTrue(shutdown.log().contains("pid " + second.pid() + ") decommissioned"), shutdown.log());
            assertFalse(second.process().isAlive());
            for (SimSpeaker c : clients) {
                Await.until(c + " closed", UP, () -> c.state() == SimSpeaker.State.CLOSED, second::log);
                Notification n = c.notificationReceived();
                assertEquals(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN, n == null ? null : n.named(), c.toString());
                assertEquals(message, n.shutdownCommunication().orElseThrow());
            }
            assertFalse(Files.exists(state.resolve(Lifecycle.MARKER)), "a decommission clears the marker");
        }

        // 5. After a decommission the next start is a fresh one.
        try (DaemonProcess third = DaemonProcess.startJar("third", List.of(run), Map.of(), dir)) {
            third.awaitLine("started:", UP);
            assertFalse(third.log().contains("restart: found"), third.log());
            List<SimSpeaker> again = connect(port, third);
            assertFalse(restartBit(again.get(0)));
            again.forEach(SimSpeaker::close);
        }
    }

    private static List<SimSpeaker> connect(int port, DaemonProcess daemon) throws Exception {
        List<SimSpeaker> clients = new ArrayList<>();
        for (int n : new int[] {11, 12}) {
            InetAddress local = InetAddress.getByName("127.0.0." + n);
            clients.add(SimSpeaker.connect(TRANSPORT, GROUP, local, new InetSocketAddress("127.0.0.1", port),
                    new SimSpeaker.Settings(AS, Ipv4Prefix.parseAddress("127.0.0." + n), AddressFamily.IPV4_UNICAST, false, 240, 120)));
        }
        for (SimSpeaker c : clients) {
            Await.until(c + " Established", UP, c::established, daemon::log);
        }
        return clients;
    }

    private static boolean restartBit(SimSpeaker c) {
        return c.peerOpen().capability(GracefulRestart.class).orElseThrow().restartState();
    }

    private static PathAttributes attributes() {
        return PathAttributes.of(Origin.IGP, AsPath.EMPTY, new LocalPref(100));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
