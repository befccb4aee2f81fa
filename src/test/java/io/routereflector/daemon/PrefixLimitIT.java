package io.routereflector.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoopGroup;
import io.routereflector.daemon.ops.PrometheusText;
import io.routereflector.reflector.session.Transport;
import io.routereflector.speaker.SimSpeaker;
import io.routereflector.testbed.Await;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.message.Notification;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Ipv4Prefix;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The prefix limit as an operator configures and sees it, on the daemon as a process: {@code --max-prefixes}
 * for everyone, the BGPPeer annotation {@code routereflector.io/max-prefixes: '3'} for the nodes its
 * peerSelector makes. A node announcing a fourth route gets Cease / Maximum Number of Prefixes Reached
 * with AFI 1, SAFI 1 and 3 (RFC 4486 §4); {@code /status/PEER} and the metrics show the limit and the
 * idle time; after {@code --prefix-limit-restart} the node is admitted again.
 */
@Timeout(120)
class PrefixLimitIT {

    static final String RR = "127.0.0.244";
    static final String NODE = "127.0.0.245";
    static final long AS = 64512;

    @TempDir
    Path dir;

    @Test
    void aNodeOverItsAnnotatedLimitGetsCeaseIsShownIdleAndComesBack() throws Exception {
        int bgpPort = freePort(RR);
        int adminPort = freePort(RR);
        int metricsPort = freePort(RR);
        writeDatastore(bgpPort);
        String metrics = "http://" + RR + ":" + metricsPort + "/metrics";
        String peerStatus = "http://" + RR + ":" + adminPort + "/status/" + NODE;
        Transport transport = Transport.detect();
        EventLoopGroup group = transport.newGroup(1, "prefix-limit-it");
        try (DaemonProcess daemon = DaemonProcess.startJar("rr1", List.of("run", "--admin-listen", RR + ":" + adminPort,
                "--metrics-listen", RR + ":" + metricsPort, "--max-prefixes", "1000", "--prefix-limit-restart", "4"),
                Map.of("DATASTORE_TYPE", "file", "DATASTORE_PATH", dir.resolve("cluster").toString(), "NODENAME", "rr1"), dir)) {
            daemon.awaitStarted();
            InetSocketAddress rr = new InetSocketAddress(InetAddress.getByName(RR), bgpPort);
            SimSpeaker node = connect(transport, group, rr, daemon);
            JsonNode before = json(peerStatus);
            assertEquals(3, before.at("/prefixLimit/limit").asInt(), before.toString());
            assertTrue(before.at("/prefixLimit/idleUntil").isNull(), before.toString());
            Map<String, PrometheusText.Family> m = PrometheusText.parse(get(metrics));
            assertEquals(3.0, PrometheusText.value(m, "routereflector_session_prefix_limit", Map.of("peer", NODE + ":" + bgpPort)));
            assertEquals(0.0, PrometheusText.value(m, "routereflector_session_prefix_limit_idle", Map.of("peer", NODE + ":" + bgpPort)));

            node.announce(List.of(Ipv4Prefix.parse("10.45.0.0/26"), Ipv4Prefix.parse("10.45.0.64/26"),
                    Ipv4Prefix.parse("10.45.0.128/26"), Ipv4Prefix.parse("10.45.0.192/26")),
                    PathAttributes.of(Origin.IGP, AsPath.EMPTY, new LocalPref(100)), InetAddress.getByName(NODE).getAddress());
            Await.until("the Cease at the node", Duration.ofSeconds(30), () -> node.notificationReceived() != null,
                    daemon::diagnostics);
            Notification cease = node.notificationReceived();
            assertEquals(NotificationCode.CEASE_MAX_PREFIXES, cease.named(), cease.toString());
            assertArrayEquals(new byte[] {0, 1, 1, 0, 0, 0, 3}, cease.data(), cease.toString());

            JsonNode idle = json(peerStatus);
            assertNotNull(idle.at("/prefixLimit/idleUntil").textValue(), idle.toString());
            m = PrometheusText.parse(get(metrics));
            assertEquals(1.0, PrometheusText.value(m, "routereflector_session_prefix_limit_idle", Map.of("peer", NODE + ":" + bgpPort)));

            // After the idle time (4 s) the node is admitted again; it retries like BIRD, every few seconds.
            Await.until("the node admitted again", Duration.ofSeconds(60), () -> {
                try {
                    SimSpeaker again = connect(transport, group, rr, null);
                    if (again == null) {
                        return false;
                    }
                    again.close();
                    return true;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, daemon::diagnostics);
            assertTrue(daemon.isAlive(), daemon.diagnostics());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(3, TimeUnit.SECONDS);
        }
    }

    /** A Calico-like node session; with {@code daemon} null, null when it is not Established within 5 s. */
    private static SimSpeaker connect(Transport transport, EventLoopGroup group, InetSocketAddress rr, DaemonProcess daemon)
            throws Exception {
        SimSpeaker s = SimSpeaker.connect(transport, group, InetAddress.getByName(NODE), rr,
                SimSpeaker.Settings.calico(AS, Ipv4Prefix.parseAddress(NODE), AddressFamily.IPV4_UNICAST));
        if (daemon != null) {
            Await.until("the node Established", Duration.ofSeconds(30), s::established, daemon::diagnostics);
            return s;
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!s.established() && s.state() != SimSpeaker.State.CLOSED && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        if (s.established()) {
            return s;
        }
        s.close();
        Thread.sleep(500);
        return null;
    }

    private void writeDatastore(int bgpPort) throws Exception {
        Path data = Files.createDirectories(dir.resolve("cluster"));
        Files.writeString(data.resolve("cluster.yaml"), """
                apiVersion: projectcalico.org/v3
                kind: BGPConfiguration
                metadata: {name: default}
                spec: {nodeToNodeMeshEnabled: false, asNumber: 64512, listenPort: %d, bindMode: NodeIP}
                ---
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata:
                  name: peer-with-route-reflectors
                  annotations: {routereflector.io/max-prefixes: '3'}
                spec: {nodeSelector: all(), peerSelector: route-reflector == 'true'}
                ---
                apiVersion: projectcalico.org/v3
                kind: Node
                metadata: {name: rr1, labels: {route-reflector: "true"}}
                spec: {bgp: {ipv4Address: %s/8, routeReflectorClusterID: 224.0.0.1}}
                ---
                apiVersion: projectcalico.org/v3
                kind: Node
                metadata: {name: node1}
                spec: {bgp: {ipv4Address: %s/8}}
                """.formatted(bgpPort, RR, NODE));
    }

    private static JsonNode json(String url) throws Exception {
        return new ObjectMapper().readTree(get(url));
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private static int freePort(String address) throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return s.getLocalPort();
        }
    }
}
