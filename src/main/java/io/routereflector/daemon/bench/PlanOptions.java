package io.routereflector.daemon.bench;

import io.routereflector.wire.nlri.Ipv4Prefix;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code bench} and {@code bench config} must agree on: the scenario's shape, the addresses of the
 * nodes and of the reflector, AS, cluster id and ADD-PATH. Sizes left unset take the scenario's preset.
 */
public final class PlanOptions {

    /** The scenarios: A cold start, B churn, C membership, D big table. */
    public enum Scenario {
        A, B, C, D;

        static Scenario parse(String text) {
            switch (text.toLowerCase()) {
                case "a": case "cold": case "cold-start": return A;
                case "b": case "churn": return B;
                case "c": case "membership": return C;
                case "d": case "big-table": case "bigtable": return D;
                default: throw new IllegalArgumentException("unknown scenario " + text + ": expected A (cold), B (churn), C (membership) or D (big-table)");
            }
        }
    }

    @Option(names = "--scenario", paramLabel = "A|B|C|D", defaultValue = "A",
            converter = ScenarioConverter.class,
            description = "A cold start, B churn, C membership, D big table (default ${DEFAULT-VALUE}).")
    Scenario scenario = Scenario.A;

    @Option(names = "--reflector", paramLabel = "IP[:PORT]", defaultValue = "127.0.0.1:179",
            description = "The reflector under test (default ${DEFAULT-VALUE}).")
    String reflector = "127.0.0.1:179";

    @Option(names = {"-n", "--nodes"}, paramLabel = "N", description = "Simulated nodes (A, B, C; presets 1000).")
    Integer nodes;

    @Option(names = {"-k", "--prefixes"}, paramLabel = "K", description = "/26 blocks each node announces (default 4).")
    int prefixes = 4;

    @Option(names = "--join", paramLabel = "J", description = "C: nodes added, then removed (default 100).")
    int join = 100;

    @Option(names = "--speakers", paramLabel = "S", description = "D: speakers holding the table (default 2).")
    int speakers = 2;

    @Option(names = "--table", paramLabel = "P", description = "D: prefixes per speaker (default 100000).")
    int table = 100_000;

    @Option(names = "--clients", paramLabel = "C", description = "D: clients receiving the table (default 10).")
    int clients = 10;

    @Option(names = "--first-node", paramLabel = "IPV4",
            description = "Address of node 0; node i has this + i (default 198.18.1.1 when the reflector is in 198.18.0.0/15, else 127.1.0.1).")
    String firstNode;

    @Option(names = "--prefix-length", paramLabel = "LEN", description = "Length of the nodes' network in their Node resources (default 15, or 8 on loopback).")
    Integer prefixLength;

    @Option(names = "--as", paramLabel = "ASN", description = "The cluster's AS (default ${DEFAULT-VALUE}).", defaultValue = "64512")
    long as = 64512;

    @Option(names = "--cluster-id", paramLabel = "IPV4", description = "The reflector's cluster id (default ${DEFAULT-VALUE}).", defaultValue = "224.0.0.1")
    String clusterId = "224.0.0.1";

    @Option(names = "--add-path", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "ADD-PATH send and receive, as Calico's `add paths on` (default on).")
    boolean addPath = true;

    static final class ScenarioConverter implements picocli.CommandLine.ITypeConverter<Scenario> {
        @Override
        public Scenario convert(String value) {
            return Scenario.parse(value);
        }
    }

    int nodeCount() {
        return scenario == Scenario.D ? speakers + clients : nodes == null ? 1000 : nodes;
    }

    /** Nodes configured at the start: C adds its joiners later. */
    List<Integer> initialMembers() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < nodeCount(); i++) {
            out.add(i);
        }
        return out;
    }

    /** Every node the run may use: C's joiners come after the initial ones. */
    int totalNodes() {
        return nodeCount() + (scenario == Scenario.C ? join : 0);
    }

    InetSocketAddress reflectorAddress() {
        String r = reflector.strip();
        int colon = r.lastIndexOf(':');
        String host = colon < 0 ? r : r.substring(0, colon);
        int port = colon < 0 ? 179 : Integer.parseInt(r.substring(colon + 1));
        return new InetSocketAddress(AddressPlan.inet(Ipv4Prefix.parseAddress(host)), port);
    }

    int reflectorIp() {
        byte[] a = reflectorAddress().getAddress().getAddress();
        return (a[0] & 0xFF) << 24 | (a[1] & 0xFF) << 16 | (a[2] & 0xFF) << 8 | (a[3] & 0xFF);
    }

    private boolean benchRange() {
        return (reflectorIp() >>> 17) == (Ipv4Prefix.parseAddress("198.18.0.0") >>> 17);
    }

    AddressPlan plan() {
        int first = firstNode != null ? Ipv4Prefix.parseAddress(firstNode)
                : Ipv4Prefix.parseAddress(benchRange() ? "198.18.1.1" : "127.1.0.1");
        int[] blocks = new int[totalNodes()];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = scenario == Scenario.D ? (i < speakers ? table : 0) : prefixes;
        }
        long last = Integer.toUnsignedLong(first) + blocks.length - 1;
        int reflectorIp = reflectorIp();
        if (Integer.toUnsignedLong(reflectorIp) >= Integer.toUnsignedLong(first) && Integer.toUnsignedLong(reflectorIp) <= last) {
            throw new IllegalArgumentException("the node addresses " + AddressPlan.text(first) + "…" + AddressPlan.text((int) last)
                    + " include the reflector's " + AddressPlan.text(reflectorIp));
        }
        return new AddressPlan(first, blocks);
    }

    BenchConfigs configs(String iface) {
        int length = prefixLength != null ? prefixLength : benchRange() ? 15 : 8;
        return new BenchConfigs(plan(), reflectorIp(), length, as, reflectorAddress().getPort(), clusterId, addPath, iface,
                scenario == Scenario.D ? table : prefixes);
    }
}
