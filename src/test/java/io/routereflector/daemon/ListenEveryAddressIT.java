package io.routereflector.daemon;

import io.routereflector.testbed.GobgpPeer;
import io.routereflector.testbed.Host;
import io.routereflector.testbed.Neighbor;
import io.routereflector.testbed.PeerConfig;
import io.routereflector.testbed.StaticRoute;
import io.routereflector.testbed.Testbed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 §4 end to end: without {@code bindMode: NodeIP} calico/node's BIRD listens on every address,
 * IPv4 and IPv6. The daemon (a process from the jar, file datastore) on a Node with both addresses
 * accepts a GoBGP IPv4 node and a GoBGP IPv6 node that each dial a second address of the host (not the
 * Node's own) and do not listen themselves, so only their own dial can bring the session up.
 */
@Timeout(120)
class ListenEveryAddressIT {

    static final Duration UP = Duration.ofSeconds(30);

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
    }

    @Test
    void peersDiallingAnotherIpv4OrIpv6AddressOfTheHostAreAccepted() throws Exception {
        try (Testbed testbed = Testbed.start()) {
            Host v4 = testbed.host(30);
            Host v6 = testbed.host(31);
            String second = testbed.addRootAddress(92);
            String second6 = "2001:db8::92";
            Path dir = Files.createDirectories(testbed.workDir().resolve("calico"));
            DaemonFileIT.write(dir.resolve("cluster.yaml"), """
                    apiVersion: projectcalico.org/v3
                    kind: BGPConfiguration
                    metadata: {name: default}
                    spec: {nodeToNodeMeshEnabled: false, asNumber: 64512}
                    ---
                    apiVersion: projectcalico.org/v3
                    kind: Node
                    metadata: {name: rr1}
                    spec: {bgp: {ipv4Address: %s/24, ipv6Address: %s/64, routeReflectorClusterID: 224.0.0.1}}
                    ---
                    apiVersion: projectcalico.org/v3
                    kind: BGPPeer
                    metadata: {name: node-v4}
                    spec: {peerIP: %s, asNumber: 64512}
                    ---
                    apiVersion: projectcalico.org/v3
                    kind: BGPPeer
                    metadata: {name: node-v6}
                    spec: {peerIP: "%s", asNumber: 64512}
                    """.formatted(Testbed.REFLECTOR_IPV4, Testbed.REFLECTOR_IPV6, v4.ipv4(), v6.ipv6()));
            // Neither listens (GoBGP port -1): our dial is refused, theirs to the second address is the only way up.
            GobgpPeer node4 = GobgpPeer.start(v4, new PeerConfig(64512, v4.ipv4(), false, List.of(StaticRoute.of("10.30.0.0/26")),
                    List.of(Neighbor.calico("reflector", second)), "", false));
            GobgpPeer node6 = GobgpPeer.start(v6, new PeerConfig(64512, v6.ipv4(), true, List.of(StaticRoute.of("fd00:31::/64")),
                    List.of(Neighbor.calico("reflector", second6)), "", false));
            ClientSessions sessions = new ClientSessions().gobgp("IPv4 node dialling " + second, node4, second)
                    .gobgp("IPv6 node dialling " + second6, node6, second6);
            int adminPort = OpsIT.freePort("127.0.0.1");
            String admin = "127.0.0.1:" + adminPort;
            try (DaemonProcess daemon = DaemonProcess.startJar("rr1", List.of("run", "--admin-listen", admin, "--metrics-listen", "off"),
                    Map.of("DATASTORE_TYPE", "file", "DATASTORE_PATH", dir.toString(), "NODENAME", "rr1"), testbed.workDir())) {
                Supplier<String> diag = () -> daemon.diagnostics() + node4.diagnostics() + node6.diagnostics() + testbed.diagnostics();
                try {
                    String started = daemon.awaitStarted();
                    System.out.println(started);
                    assertTrue(started.contains("2 peers"), started);
                    sessions.awaitEstablished("IPv4 node dialling " + second, UP, diag);
                    sessions.awaitEstablished("IPv6 node dialling " + second6, UP, diag);
                    OpsIT.Cli status = OpsIT.cli("status", "--admin", admin);
                    System.out.println(status.out());
                    assertTrue(status.out().contains("listening on 0.0.0.0:179 0:0:0:0:0:0:0:0:179"), status.out());
                    DaemonProcess.assertStopsOnSigterm(daemon);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(e.getMessage() + "\n" + diag.get(), e);
                }
            }
        }
    }
}
