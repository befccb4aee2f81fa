package io.routereflector.daemon;

import io.netty.channel.EventLoopGroup;
import io.routereflector.daemon.ops.PrometheusText;
import io.routereflector.reflector.session.Transport;
import io.routereflector.speaker.SimSpeaker;
import io.routereflector.testbed.Await;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Ipv4Prefix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The daemon process as graceful-restart helper, seen from outside: a node (worker-1) crashes and comes
 * back within its restart time, re-announcing the same route and then End-of-RIB. The
 * {@code session_graceful_restart_helping} gauge is 1 while its stale route is kept and 0 as soon as its
 * End-of-RIB is in (not after the 360 s stale timer); the other node (worker-2) is sent nothing at all
 * for the whole restart, counted in UPDATE messages at its socket.
 */
@Timeout(120)
class GracefulRestartHelperIT {

    static final long AS = 64512;
    static final Ipv4Prefix ROUTE = Ipv4Prefix.parse("10.11.0.0/26");
    static final Ipv4Prefix MARKER = Ipv4Prefix.parse("10.11.0.64/26");
    static final String RESTARTING = "127.0.0.11";
    static final String HELPING = "routereflector_session_graceful_restart_helping";
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
    void restartOfANodeEndsAtItsEndOfRibAndSendsTheOtherNodeNothing() throws Exception {
        Path data = Files.createDirectories(dir.resolve("datastore"));
        for (String name : new String[] {"nodes.yaml", "bgpconfiguration.yaml", "bgppeers.yaml"}) {
            Files.copy(Path.of("examples/cluster").resolve(name), data.resolve(name));
        }
        String nodes = Files.readString(data.resolve("nodes.yaml"));
        Files.writeString(data.resolve("nodes.yaml"), nodes.substring(0, nodes.lastIndexOf("---")));
        int port = freePort();
        String metrics = "http://127.0.0.1:" + freePort();
        String[] run = {"run", "--datastore-path", data.toString(), "--node", "rr1", "--port", Integer.toString(port),
                "--state-dir", dir.resolve("state").toString(), "--admin-listen", "127.0.0.1:" + freePort(),
                "--metrics-listen", metrics.substring("http://".length())};
        try (DaemonProcess daemon = DaemonProcess.startJar("gr-helper", List.of(run), Map.of(), dir)) {
            daemon.awaitLine("started:", UP);
            SimSpeaker first = connect(port, RESTARTING, daemon);
            SimSpeaker observer = connect(port, "127.0.0.12", daemon);
            Await.until("observer End-of-RIB", UP, observer::endOfRib, daemon::log);
            first.announce(List.of(ROUTE), attributes(), InetAddress.getByName(RESTARTING).getAddress());
            Await.until("route reflected", UP, () -> observer.prefixes().contains(ROUTE), daemon::log);
            long before = observer.updatesReceived();

            first.close();
            Await.until("helping worker-1", UP, () -> helping(metrics) == 1, daemon::log);
            SimSpeaker second = connect(port, RESTARTING, daemon);
            second.announce(List.of(ROUTE), attributes(), InetAddress.getByName(RESTARTING).getAddress());
            second.endOfRibOut();
            Await.until("helping ended by End-of-RIB", Duration.ofSeconds(10), () -> helping(metrics) == 0, daemon::log);

            second.announce(List.of(MARKER), attributes(), InetAddress.getByName(RESTARTING).getAddress());
            Await.until("marker reflected", UP, () -> observer.prefixes().contains(MARKER), daemon::log);
            assertEquals(before + 1, observer.updatesReceived(),
                    "worker-2 was sent the marker and nothing else during worker-1's restart");
            second.close();
            observer.close();
        }
    }

    private static double helping(String metrics) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metrics + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            // The example cluster's nodes listen on 1179: the peer is named with its port.
            return PrometheusText.value(PrometheusText.parse(r.body()), HELPING, Map.of("peer", RESTARTING + ":1179"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static SimSpeaker connect(int port, String address, DaemonProcess daemon) throws Exception {
        SimSpeaker s = SimSpeaker.connect(TRANSPORT, GROUP, InetAddress.getByName(address), new InetSocketAddress("127.0.0.1", port),
                new SimSpeaker.Settings(AS, Ipv4Prefix.parseAddress(address), AddressFamily.IPV4_UNICAST, false, 240, 120));
        Await.until(s + " Established", UP, s::established, daemon::log);
        return s;
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
