package io.routereflector.rib.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.routereflector.rib.Path;
import io.routereflector.rib.PeerRole;
import io.routereflector.rib.Rib;
import io.routereflector.rib.RibPeer;
import io.routereflector.rib.decision.BestPath;
import io.routereflector.rib.out.GroupKey;
import io.routereflector.rib.out.UpdateSink;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.ClusterList;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.NextHop;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.OriginatorId;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Ipv4Prefix;
import io.routereflector.wire.nlri.Nlri;
import io.routereflector.wire.nlri.NlriList;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The RIB's hot paths on one thread. {@code bestPath*}: one decision (RFC 4271 §9.1.2.2) per operation,
 * over the paths a reflector typically compares — two reflectors' copies of one Calico route (decided
 * late, by CLUSTER_LIST length or router id) or four paths decided by LOCAL_PREF. {@code insert*}:
 * Calico-shaped UPDATEs of {@link #BATCH} /26 blocks announced and then withdrawn by one client; ops/s
 * are prefix changes per second, with the group flush (encode once, write to every member) included
 * in {@code insertAndFlush}.
 *
 * <p>Run: {@code src/scripts/jmh.sh rib RibBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RibBenchmark {

    static final int BATCH = 1000;
    static final int MEMBERS = 10;
    private static final AddressFamily V4 = AddressFamily.IPV4_UNICAST;

    private List<Path> twoReflectors;
    private List<Path> fourByLocalPref;
    private Rib rib;
    private RibPeer client;
    private Update announce;
    private Update withdraw;
    private final DiscardingSink sink = new DiscardingSink();

    @Setup(Level.Trial)
    public void setUp() {
        int node = Ipv4Prefix.parseAddress("198.18.1.1");
        PathAttributes calico = PathAttributes.of(Origin.INCOMPLETE, AsPath.EMPTY, new NextHop(node), new LocalPref(100));
        // The same route reflected by two reflectors: equal up to ORIGINATOR_ID/CLUSTER_LIST.
        RibPeer rr1 = peer(2, PeerRole.NON_CLIENT);
        RibPeer rr2 = peer(3, PeerRole.NON_CLIENT);
        PathAttributes via1 = calico.with(new OriginatorId(node)).with(new ClusterList(new int[] {Ipv4Prefix.parseAddress("224.0.0.1")}));
        PathAttributes via2 = calico.with(new OriginatorId(node)).with(new ClusterList(new int[] {Ipv4Prefix.parseAddress("224.0.0.2"),
                Ipv4Prefix.parseAddress("224.0.0.1")}));
        twoReflectors = List.of(new Path(rr1, 0, 1, via1, false, false), new Path(rr2, 0, 2, via2, false, false));
        List<Path> four = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            four.add(new Path(peer(10 + i, PeerRole.CLIENT), 0, i + 1, calico.with(new LocalPref(100 + i * 10)), false, false));
        }
        fourByLocalPref = List.copyOf(four);

        rib = new Rib(Ipv4Prefix.parseAddress("198.18.0.1"), Ipv4Prefix.parseAddress("224.0.0.1"), 64512,
                PooledByteBufAllocator.DEFAULT);
        GroupKey key = GroupKey.ibgp(PeerRole.CLIENT, Set.of(V4), Set.of(V4));
        client = peer(1, PeerRole.CLIENT);
        rib.peerUp(client, key, sink);
        for (int i = 0; i < MEMBERS; i++) {
            rib.peerUp(peer(100 + i, PeerRole.CLIENT), key, sink);
        }
        rib.flush();
        List<Nlri> blocks = new ArrayList<>();
        for (int b = 0; b < BATCH; b++) {
            blocks.add(new Nlri(new Ipv4Prefix(Ipv4Prefix.parseAddress("10.0.0.0") + (b << 6), 26), 1));
        }
        NlriList nlri = NlriList.of(V4, true, blocks);
        announce = Update.announce(calico, nlri);
        withdraw = Update.withdraw(nlri);
    }

    @Benchmark
    public BestPath.Result bestPathTwoReflectors() {
        return BestPath.select(twoReflectors);
    }

    @Benchmark
    public BestPath.Result bestPathFourByLocalPref() {
        return BestPath.select(fourByLocalPref);
    }

    /** Adj-RIB-In, decision and group bookkeeping without the flush. */
    @Benchmark
    @OperationsPerInvocation(2 * BATCH)
    public void insertAndWithdraw(Blackhole bh) {
        rib.update(client, announce);
        rib.update(client, withdraw);
        bh.consume(rib.prefixCount(V4));
    }

    /** As above, each half flushed: the group encodes once and writes the bytes to its 10 other members. */
    @Benchmark
    @OperationsPerInvocation(2 * BATCH)
    public void insertAndFlush(Blackhole bh) {
        rib.update(client, announce);
        rib.flush();
        rib.update(client, withdraw);
        rib.flush();
        bh.consume(sink.bytes);
    }

    private static RibPeer peer(int n, PeerRole role) {
        try {
            InetAddress a = InetAddress.getByAddress(new byte[] {(byte) 198, 18, (byte) (n >>> 8 | 1), (byte) n});
            return new RibPeer(n, a, Ipv4Prefix.parseAddress(a.getHostAddress()), 64512, role);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A member's session that takes the bytes and releases them, as a socket write would. */
    static final class DiscardingSink implements UpdateSink {
        long bytes;

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public void write(ByteBuf message) {
            bytes += message.readableBytes();
            message.release();
        }

        @Override
        public void flush() {
        }
    }
}
