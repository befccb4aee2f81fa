package io.routereflector.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code check-config} on the shipped example and on broken inputs, compared with golden outputs. */
class CheckConfigCommandTest {

    /** The example cluster ships in src/examples; tests run with the module (src/) as working directory. */
    static final Path EXAMPLE = Path.of("examples/cluster");

    record Run(int exit, String out, String err) { }

    static Run run(Map<String, String> env, String... args) {
        CommandLine cli = Main.commandLine();
        CheckConfigCommand command = cli.getSubcommands().get("check-config").getCommand();
        command.env = new Environment(env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = "check-config";
        System.arraycopy(args, 0, all, 1, args.length);
        int exit = cli.execute(all);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void theExampleClusterDerivesThreeClients() {
        Run run = run(Map.of(), "--datastore-path", EXAMPLE.toString(), "--node", "rr1");
        assertEquals("""
                router id 127.0.0.1, cluster id 224.0.0.1, AS 64512, listening on 127.0.0.1 port 1179
                3 peers:
                  PEER ADDRESS             PORT   AS          ROLE       FAMILIES      ADD-PATH  MD5  TTL-SECURITY
                  127.0.0.11               1179   64512       rr client  ipv4-unicast  both      no   off
                  127.0.0.12               1179   64512       rr client  ipv4-unicast  both      no   off
                  127.0.0.13               1179   64512       rr client  ipv4-unicast  both      no   off
                export policy: no IPPool known: every route is exported to every peer (as the old calico/routereflector\
                 image did); define IPPools to export as calico/node does
                no problems found
                """, run.out());
        assertEquals(0, run.exit(), run.err());
    }

    /** Issue 15 §4: CALICO_ROUTER_ID (hash: calico/node's HashToIPv4 of the node name, or an address) before derivation. */
    @Test
    void calicoRouterIdHashAndAnIpv6OnlyReflector(@TempDir Path dir) throws Exception {
        Run hash = run(Map.of("CALICO_ROUTER_ID", "hash"), "--datastore-path", EXAMPLE.toString(), "--node", "rr1");
        assertTrue(hash.out().startsWith("router id 83.44.246.124, cluster id 224.0.0.1,"), hash.out());
        Files.writeString(dir.resolve("cluster.yaml"), """
                apiVersion: projectcalico.org/v3
                kind: Node
                metadata: {name: w1}
                spec: {bgp: {ipv4Address: 127.0.0.11/8, ipv6Address: '::1/128'}}
                """);
        Run without = run(Map.of("IP6", "fd00::100"), "--datastore-path", dir.toString());
        assertEquals(2, without.exit(), without.out() + without.err());
        assertTrue(without.err().contains("an IPv6-only reflector gives IP6= and a router id"), without.err());
        Run v6 = run(Map.of("IP6", "fd00::100", "ROUTER_ID", "192.0.2.7"), "--datastore-path", dir.toString());
        assertTrue(v6.out().startsWith("router id 192.0.2.7, cluster id 192.0.2.7, AS 64512, listening on 0:0:0:0:0:0:0:0"),
                v6.out() + v6.err());
    }

    /** A reflector host forwards nothing: a ToR given it as next hop would send pod traffic into a hole. */
    @Test
    void anEbgpPeerWithoutKeepOriginalNextHopIsWarnedOf(@TempDir Path dir) throws Exception {
        for (String name : new String[] {"nodes.yaml", "bgpconfiguration.yaml", "bgppeers.yaml"}) {
            Files.copy(EXAMPLE.resolve(name), dir.resolve(name));
        }
        Files.writeString(dir.resolve("tors.yaml"), """
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata: {name: rr1-to-tor-a}
                spec: {node: rr1, peerIP: 127.0.0.201, asNumber: 65009}
                ---
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata: {name: rr1-to-tor-b}
                spec: {node: rr1, peerIP: 127.0.0.202, asNumber: 65009, keepOriginalNextHop: true}
                """);
        Run run = run(Map.of(), "--datastore-path", dir.toString(), "--node", "rr1");
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("""
                warning: eBGP peer 127.0.0.201 (AS 65009) gets this reflector as next hop of every route it is sent, \
                so it would send that traffic here, to a host that does not forward it; set keepOriginalNextHop: true \
                on its BGPPeer unless this host routes for the cluster
                """), run.out());
        assertTrue(!run.out().contains("127.0.0.202 (AS"), run.out());
    }

    @Test
    void theOldImagesEnvironmentIsAcceptedAndCalicoPrefixWins() {
        Run run = run(Map.of("DATASTORE_TYPE", "file", "DATASTORE_PATH", EXAMPLE.toString(),
                "NODENAME", "nobody", "CALICO_NODENAME", "rr1"));
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("3 peers:"), run.out());
    }

    @Test
    void overridesApplyOnTopOfTheDatastore() {
        Run run = run(Map.of(), "--datastore-path", EXAMPLE.toString(), "--node", "rr1", "--port", "2179",
                "--cluster-id", "10.255.0.1");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().startsWith("router id 127.0.0.1, cluster id 10.255.0.1, AS 64512, listening on 127.0.0.1 port 2179"), run.out());
    }

    @Test
    void aBrokenResourceIsReportedWithFileLineAndFieldAndTheRestApplies(@TempDir Path dir) throws Exception {
        for (String name : new String[] {"nodes.yaml", "bgpconfiguration.yaml", "bgppeers.yaml"}) {
            Files.copy(EXAMPLE.resolve(name), dir.resolve(name));
        }
        Files.writeString(dir.resolve("broken.yaml"), """
                apiVersion: projectcalico.org/v3
                kind: BGPPeer
                metadata:
                  name: tor
                spec:
                  peerIP: 10.0.0.300
                  asNumber: 65000
                """);
        Run run = run(Map.of(), "--datastore-path", dir.toString(), "--node", "rr1");
        assertEquals(1, run.exit(), "problems give exit 1");
        assertTrue(run.out().contains("3 peers:"), "the rest applies: " + run.out());
        assertTrue(run.out().contains("1 problem:"), run.out());
        assertTrue(run.out().contains(dir.resolve("broken.yaml") + ":6"), "file and line: " + run.out());
        assertTrue(run.out().contains("spec.peerIP"), "field: " + run.out());
    }

    @Test
    void startUpErrorsAreOneClearLine() {
        Run noIdentity = run(Map.of(), "--datastore-path", EXAMPLE.toString());
        assertEquals(2, noIdentity.exit());
        assertEquals("routereflector: IP is not set: give our IPv4 address with --ip or IP=, or our Calico node name with --node or NODENAME=;"
                + " an IPv6-only reflector gives IP6= and a router id (--router-id or CALICO_ROUTER_ID)",
                noIdentity.err().strip());

        Run badIp = run(Map.of("IP", "10.0.0.999"), "--datastore-path", EXAMPLE.toString());
        assertEquals(2, badIp.exit());
        assertEquals("routereflector: IP=10.0.0.999: expected an IP address such as 10.0.0.1 or fd00::1", badIp.err().strip());

        Run missing = run(Map.of(), "--datastore-path", "/nonexistent/dir", "--ip", "10.0.0.1");
        assertEquals(2, missing.exit());
        assertEquals("routereflector: DATASTORE_PATH /nonexistent/dir: no such file or directory", missing.err().strip());

        Run type = run(Map.of("DATASTORE_TYPE", "consul"), "--ip", "10.0.0.1");
        assertEquals(2, type.exit());
        assertEquals("routereflector: DATASTORE_TYPE=consul: expected file, etcdv3 or kubernetes", type.err().strip());
    }
}
