package io.routereflector.daemon;

import io.routereflector.testbed.BirdPeer;
import io.routereflector.testbed.GobgpPeer;
import io.routereflector.testbed.Host;
import io.routereflector.testbed.Neighbor;
import io.routereflector.testbed.PeerConfig;
import io.routereflector.testbed.PeerRoute;
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
 * Issue 15 §1 end to end: the daemon (a process from the jar, file datastore) between a GoBGP ToR in
 * another AS and three Calico nodes (BIRD 1.6, GoBGP, BIRD 1.6) exports as calico/node does. The ToR's
 * default route and its prefix outside the IPPools reach no node; the pod blocks inside the IPPool and
 * the service CIDR reach every node and the ToR; a BGPFilter on the BGPPeer of w3 alone withholds w1's
 * block from w3. Dropping the filter from that BGPPeer sends w3 the block without touching any session,
 * and {@code routes PREFIX} names the rule that withheld a route.
 */
@Timeout(180)
class CalicoExportPolicyIT {

    static final String RR = Testbed.REFLECTOR_IPV4;
    static final Duration UP = Duration.ofSeconds(30);
    static final long TOR_AS = 65001;

    static String node(String name, String ip, String labels, String clusterId) {
        return "---\napiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: " + name + "\n  labels: {" + labels + "}\n"
                + "spec:\n  bgp:\n    ipv4Address: " + ip + "/24\n" + (clusterId == null ? "" : "    routeReflectorClusterID: " + clusterId + "\n");
    }

    static String policy(Host tor, boolean filterOnW3) {
        return """
                apiVersion: projectcalico.org/v3
                kind: BGPConfiguration
                metadata: {name: default}
                spec:
                  nodeToNodeMeshEnabled: false
                  asNumber: 64512
                  serviceClusterIPs: [{cidr: 10.96.0.0/12}]
                ---
                apiVersion: projectcalico.org/v3
                kind: IPPool
                metadata: {name: pods}
                spec: {cidr: 10.8.0.0/13}
                ---
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata: {name: nodes-to-rr}
                spec: {nodeSelector: "!has(filtered)", peerSelector: "route-reflector == 'true'"}
                ---
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata: {name: w3-to-rr}
                spec: {nodeSelector: "has(filtered)", peerSelector: "route-reflector == 'true'", filters: [%s]}
                ---
                apiVersion: projectcalico.org/v3
                kind: BGPFilter
                metadata: {name: hide-w1}
                spec:
                  exportV4:
                    - {action: Reject, matchOperator: In, cidr: 10.11.0.0/24}
                ---
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata: {name: tor}
                spec: {node: rr1, peerIP: %s, asNumber: %d, keepOriginalNextHop: true}
                """.formatted(filterOnW3 ? "hide-w1" : "", tor.ipv4(), TOR_AS);
    }

    @AfterEach
    void nothingLeftBehind() {
        assertEquals(List.of(), Testbed.namespaces(), "namespaces left behind");
    }

    static boolean has(List<PeerRoute> routes, String prefix) {
        return routes.stream().anyMatch(r -> r.prefix().equals(prefix));
    }

    @Test
    void torDefaultAndOutOfPoolRoutesReachNoNodeAndABgpFilterHoldsOneBlockFromOneNode() throws Exception {
        try (Testbed testbed = Testbed.start()) {
            Host torHost = testbed.host(10);
            Host h1 = testbed.host(11);
            Host h2 = testbed.host(12);
            Host h3 = testbed.host(13);
            Path dir = testbed.workDir().resolve("calico");
            Files.createDirectories(dir);
            DaemonFileIT.write(dir.resolve("nodes.yaml"), node("rr1", RR, "route-reflector: 'true'", "224.0.0.1")
                    + node("w1", h1.ipv4(), "", null) + node("w2", h2.ipv4(), "", null) + node("w3", h3.ipv4(), "filtered: 'yes'", null));
            Path policy = dir.resolve("policy.yaml");
            DaemonFileIT.write(policy, policy(torHost, true));

            GobgpPeer tor = GobgpPeer.start(torHost, new PeerConfig(TOR_AS, torHost.ipv4(), false,
                    List.of(StaticRoute.of("0.0.0.0/0"), StaticRoute.of("192.0.2.0/24")),
                    List.of(Neighbor.calico("reflector", RR).withAs(64512).withAddPaths(false).withMultihop(false)), "", true));
            BirdPeer w1 = BirdPeer.start(h1, BirdPeer.Version.BIRD16, PeerConfig.calicoNode(h1, false,
                    StaticRoute.of("10.11.0.0/26"), StaticRoute.of("10.96.0.0/12")));
            GobgpPeer w2 = GobgpPeer.start(h2, PeerConfig.calicoNode(h2, false, StaticRoute.of("10.12.0.0/26")));
            BirdPeer w3 = BirdPeer.start(h3, BirdPeer.Version.BIRD16, PeerConfig.calicoNode(h3, false, StaticRoute.of("10.13.0.0/26")));
            ClientSessions sessions = new ClientSessions().gobgp("tor (GoBGP, AS 65001)", tor, RR).bird("w1 (BIRD 1.6)", w1, "reflector")
                    .gobgp("w2 (GoBGP)", w2, RR).bird("w3 (BIRD 1.6, filtered)", w3, "reflector");
            int adminPort = OpsIT.freePort("127.0.0.1");
            String admin = "127.0.0.1:" + adminPort;
            try (DaemonProcess daemon = DaemonProcess.startJar("rr1", List.of("run", "--admin-listen", admin,
                            "--metrics-listen", "127.0.0.1:" + OpsIT.freePort("127.0.0.1")),
                    Map.of("DATASTORE_TYPE", "file", "DATASTORE_PATH", dir.toString(), "NODENAME", "rr1"), testbed.workDir())) {
                Supplier<String> diag = () -> daemon.diagnostics() + testbed.diagnostics();
                try {
                    assertTrue(daemon.awaitStarted().contains("4 peers"), diag.get());
                    daemon.awaitLine("export policy: calico/node's: 1 IPPool CIDRs exported, 1 service CIDRs", Duration.ofSeconds(5));
                    for (String s : List.of("tor (GoBGP, AS 65001)", "w1 (BIRD 1.6)", "w2 (GoBGP)", "w3 (BIRD 1.6, filtered)")) {
                        sessions.awaitEstablished(s, UP, diag);
                    }
                    // Pod blocks and the service CIDR reach every node and the ToR.
                    tor.awaitRoute("10.11.0.0/26", r -> true, UP);
                    tor.awaitRoute("10.12.0.0/26", r -> true, UP);
                    tor.awaitRoute("10.13.0.0/26", r -> true, UP);
                    tor.awaitRoute("10.96.0.0/12", r -> true, UP);
                    w1.awaitRoute("10.12.0.0/26", r -> r.originatorId().equals(h2.ipv4()), UP);
                    w1.awaitRoute("10.13.0.0/26", r -> true, UP);
                    w2.awaitRoute("10.11.0.0/26", r -> true, UP);
                    w2.awaitRoute("10.13.0.0/26", r -> true, UP);
                    w2.awaitRoute("10.96.0.0/12", r -> true, UP);
                    w3.awaitRoute("10.12.0.0/26", r -> true, UP);
                    w3.awaitRoute("10.96.0.0/12", r -> true, UP);
                    // The ToR's routes reached us (the daemon holds them) ...
                    io.routereflector.testbed.Await.until("the ToR's routes in the daemon's table", UP,
                            () -> OpsIT.cli("routes", "--admin", admin, "0.0.0.0/0").exit() == 0
                                    && OpsIT.cli("routes", "--admin", admin, "192.0.2.0/24").exit() == 0, diag);
                    DaemonProcess.sleep(2000);
                    // ... and went to no node; w1's block did not go to w3.
                    for (String prefix : List.of("0.0.0.0/0", "192.0.2.0/24")) {
                        assertTrue(!has(w1.routes(), prefix) && !has(w2.routes(), prefix) && !has(w3.routes(), prefix),
                                prefix + " reached a node:\nw1 " + w1.routes() + "\nw2 " + w2.routes() + "\nw3 " + w3.routes());
                    }
                    assertTrue(!has(w3.routes(), "10.11.0.0/26"), "the BGPFilter of w3's BGPPeer: " + w3.routes());
                    OpsIT.Cli why = OpsIT.cli("routes", "--admin", admin, "0.0.0.0/0");
                    System.out.println("routes 0.0.0.0/0:\n" + why.out());
                    assertTrue(why.out().contains("withheld from " + h1.ipv4() + ": outside every IPPool and service CIDR"), why.out());
                    OpsIT.Cli block = OpsIT.cli("routes", "--admin", admin, "10.11.0.0/26");
                    System.out.println("routes 10.11.0.0/26:\n" + block.out());
                    assertTrue(block.out().contains("withheld from " + h3.ipv4() + ": BGPFilter hide-w1: Reject In 10.11.0.0/24"),
                            block.out());
                    OpsIT.Cli status = OpsIT.cli("status", "--admin", admin);
                    assertTrue(status.out().contains("export policy: calico/node's"), status.out());

                    // The filter comes off w3's BGPPeer: w3 gets the block, no session is reset.
                    DaemonProcess.sleep(1100);
                    Map<String, ClientSessions.Session> before = sessions.snapshot();
                    DaemonFileIT.write(policy, policy(torHost, false));
                    w3.awaitRoute("10.11.0.0/26", r -> r.originatorId().equals(h1.ipv4()), UP);
                    Map<String, ClientSessions.Session> after = sessions.snapshot();
                    System.out.println(ClientSessions.table("policy.yaml edited: the BGPFilter is off w3's BGPPeer", before, after));
                    ClientSessions.assertUntouched(before, after, "an export policy change");
                    assertTrue(!has(w3.routes(), "0.0.0.0/0"), w3.routes().toString());
                    DaemonProcess.assertStopsOnSigterm(daemon);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(e.getMessage() + "\n" + diag.get(), e);
                }
            }
        }
    }
}
