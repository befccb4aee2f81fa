package io.routereflector.daemon;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.routereflector.daemon.ops.PrometheusText;
import io.routereflector.reflector.session.Transport;
import io.routereflector.speaker.SimSpeaker;
import io.routereflector.testbed.Await;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.MultiExitDisc;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.capability.FourOctetAs;
import io.routereflector.wire.capability.Multiprotocol;
import io.routereflector.wire.message.Keepalive;
import io.routereflector.wire.message.Open;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Ipv4Prefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One client that completes its OPEN exchange and then never reads again must cost the daemon bounded
 * memory and delay nobody else. The daemon runs as a process (heap 256 MB); node A churns 15 000
 * routes through 150 attribute changes, one round after the other (about 20 MB of UPDATEs for every
 * member), while node S's socket is stalled; node O observes. Bounds, not timings: S's queued bytes stay under 4 MB, the daemon's
 * RSS grows by less than 200 MB, and a new route from A reaches O within 10 s while S is still stalled
 * and still Established.
 */
@Timeout(300)
class StalledClientIT {

    static final String RR = "127.0.0.240";
    static final String STALLED = "127.0.0.241";
    static final String A = "127.0.0.242";
    static final String O = "127.0.0.243";
    static final long AS = 64512;
    static final int ROUTES = 15_000;
    static final int ROUNDS = 150;
    static final long OUT_QUEUE_BOUND = 4L << 20;
    static final long RSS_GROWTH_BOUND = 200L << 20;
    static final Duration PROPAGATION_BOUND = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void aClientThatStopsReadingHoldsBoundedMemoryAndDelaysNoOneElse() throws Exception {
        int bgpPort = freePort(RR);
        int metricsPort = freePort(RR);
        writeDatastore(bgpPort);
        String metrics = "http://" + RR + ":" + metricsPort + "/metrics";
        Transport transport = Transport.detect();
        EventLoopGroup group = transport.newGroup(1, "stalled-it");
        try (DaemonProcess daemon = DaemonProcess.startJar("rr1", List.of("run", "--admin-listen", RR + ":" + freePort(RR),
                "--metrics-listen", RR + ":" + metricsPort), Map.of("DATASTORE_TYPE", "file", "DATASTORE_PATH",
                dir.resolve("cluster").toString(), "NODENAME", "rr1"), dir);
             Socket stalled = new Socket()) {
            daemon.awaitStarted();
            InetSocketAddress rr = new InetSocketAddress(InetAddress.getByName(RR), bgpPort);
            // S: a tiny receive window, an OPEN and a KEEPALIVE, then it never reads.
            stalled.setReceiveBufferSize(4096);
            stalled.bind(new InetSocketAddress(InetAddress.getByName(STALLED), 0));
            stalled.connect(rr, 5_000);
            OutputStream s = stalled.getOutputStream();
            s.write(encode(Open.of(AS, 240, Ipv4Prefix.parseAddress(STALLED),
                    List.of(new Multiprotocol(AddressFamily.IPV4_UNICAST), new FourOctetAs(AS)))));
            s.write(encode(Keepalive.INSTANCE));
            SimSpeaker a = SimSpeaker.connect(transport, group, InetAddress.getByName(A), rr,
                    SimSpeaker.Settings.calico(AS, Ipv4Prefix.parseAddress(A), AddressFamily.IPV4_UNICAST));
            SimSpeaker o = SimSpeaker.connect(transport, group, InetAddress.getByName(O), rr,
                    SimSpeaker.Settings.calico(AS, Ipv4Prefix.parseAddress(O), AddressFamily.IPV4_UNICAST));
            Await.until("S, A and O Established", Duration.ofSeconds(30), () -> a.established() && o.established()
                    && state(metrics, STALLED + ":" + bgpPort) == 6, daemon::diagnostics);
            long rssBefore = rss(daemon.pid());

            List<Ipv4Prefix> routes = new ArrayList<>();
            for (int i = 0; i < ROUTES; i++) {
                routes.add(Ipv4Prefix.parse("10." + (100 + i / 256) + "." + (i % 256) + ".0/24"));
            }
            byte[] nextHop = InetAddress.getByName(A).getAddress();
            Ipv4Prefix last = routes.get(ROUTES - 1);
            for (int round = 1; round <= ROUNDS; round++) {
                // One round at a time, so that each is sent in full rather than coalesced with the next.
                a.announce(routes, attributes(round), nextHop);
                long r = round;
                Await.until("O to see round " + round, Duration.ofSeconds(30), () -> o.paths(last).stream()
                        .anyMatch(p -> p.multiExitDisc() != null && p.multiExitDisc().value() == r), daemon::diagnostics);
            }

            Map<String, PrometheusText.Family> m = PrometheusText.parse(get(metrics));
            double queued = PrometheusText.value(m, "routereflector_session_out_queue_bytes", Map.of("peer", STALLED + ":" + bgpPort));
            double behind = PrometheusText.value(m, "routereflector_session_backlog_prefixes", Map.of("peer", STALLED + ":" + bgpPort));
            assertTrue(queued > 0 || behind > 0, "S is not stalled: nothing queued for it, nothing behind");
            assertTrue(queued < OUT_QUEUE_BOUND, "bytes queued for the stalled client: " + queued);

            Ipv4Prefix probe = Ipv4Prefix.parse("10.250.0.0/24");
            long t0 = System.nanoTime();
            a.announce(List.of(probe), attributes(0), nextHop);
            Await.until("the probe at O", PROPAGATION_BOUND, () -> o.prefixes().contains(probe), daemon::diagnostics);
            long propagationMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            long rssGrowth = rss(daemon.pid()) - rssBefore;
            System.out.printf("stalled client: %.0f bytes queued, %.0f prefixes behind, RSS growth %d KB, probe at O in %d ms%n",
                    queued, behind, rssGrowth >> 10, propagationMillis);
            assertTrue(rssGrowth < RSS_GROWTH_BOUND, "RSS grew by " + (rssGrowth >> 20) + " MB");
            assertEquals(6, state(metrics, STALLED + ":" + bgpPort), "S is no longer Established: the stall did not last the test");
            assertTrue(daemon.isAlive(), daemon.diagnostics());
            a.close();
            o.close();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(3, TimeUnit.SECONDS);
        }
    }

    private static PathAttributes attributes(int round) {
        return PathAttributes.of(Origin.IGP, AsPath.EMPTY, new MultiExitDisc(round), new LocalPref(100));
    }

    private void writeDatastore(int bgpPort) throws Exception {
        Path data = Files.createDirectories(dir.resolve("cluster"));
        StringBuilder yaml = new StringBuilder("""
                apiVersion: projectcalico.org/v3
                kind: BGPConfiguration
                metadata: {name: default}
                spec: {nodeToNodeMeshEnabled: false, asNumber: 64512, listenPort: %d, bindMode: NodeIP}
                ---
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata: {name: peer-with-route-reflectors}
                spec: {nodeSelector: all(), peerSelector: route-reflector == 'true'}
                ---
                apiVersion: projectcalico.org/v3
                kind: Node
                metadata: {name: rr1, labels: {route-reflector: "true"}}
                spec: {bgp: {ipv4Address: %s/8, routeReflectorClusterID: 224.0.0.1}}
                """.formatted(bgpPort, RR));
        for (String node : List.of(STALLED, A, O)) {
            yaml.append("---\napiVersion: projectcalico.org/v3\nkind: Node\nmetadata: {name: n").append(node.replace('.', '-'))
                    .append("}\nspec: {bgp: {ipv4Address: ").append(node).append("/8}}\n");
        }
        Files.writeString(data.resolve("cluster.yaml"), yaml);
    }

    private static double state(String metrics, String peer) {
        try {
            return PrometheusText.value(PrometheusText.parse(get(metrics)), "routereflector_session_state", Map.of("peer", peer));
        } catch (Exception | AssertionError e) {
            return -1;
        }
    }

    /** Resident set size of {@code pid} from /proc, in bytes. */
    private static long rss(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
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

    private static byte[] encode(io.routereflector.wire.message.BgpMessage message) {
        ByteBuf buf = MessageCodec.encode(message, WireSettings.INITIAL, ByteBufAllocator.DEFAULT);
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }
}
