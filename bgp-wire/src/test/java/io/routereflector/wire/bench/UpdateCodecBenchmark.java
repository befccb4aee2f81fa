package io.routereflector.wire.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.ClusterList;
import io.routereflector.wire.attribute.Communities;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.MultiExitDisc;
import io.routereflector.wire.attribute.NextHop;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.OriginatorId;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.message.BgpMessage;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * UPDATE decode and encode throughput. Each benchmark handles one whole message per invocation and
 * declares its prefix count as {@link OperationsPerInvocation}, so the ops/s JMH reports are prefixes/s
 * on one thread. Inputs sit in pooled direct buffers, as the frame decoder hands them over; the
 * encoder writes into one reused pooled buffer.
 *
 * <p>Run: {@code src/scripts/jmh.sh bgp-wire UpdateCodecBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class UpdateCodecBenchmark {

    static final int PREFIXES = 500;
    static final int CALICO_PREFIXES = 4;
    private static final AddressFamily IPV4 = AddressFamily.IPV4_UNICAST;

    private final WireSettings as4 = WireSettings.AS4;
    /** ADD-PATH receive for IPv4; extended messages because 500 path ids push the UPDATE past 4096 octets. */
    private final WireSettings addPath = new WireSettings(true, true, Set.of(IPV4));

    private ByteBuf ipv4Wire;
    private ByteBuf addPathWire;
    private ByteBuf calicoWire;
    private Update ipv4;
    private Update calico;
    private ByteBuf out;

    @Setup(Level.Trial)
    public void setUp() {
        // A full-table-like UPDATE: 3-hop AS_PATH, MED, LOCAL_PREF, two communities, /16–/24 prefixes.
        PathAttributes typical = PathAttributes.builder()
                .add(Origin.IGP)
                .add(AsPath.sequence(65001, 64500, 3356))
                .add(NextHop.of("192.0.2.1"))
                .add(new MultiExitDisc(50))
                .add(new LocalPref(100))
                .add(new Communities(Communities.of(64512, 100), Communities.of(64512, 200)))
                .build();
        ipv4 = Update.announce(typical, NlriList.of(IPV4, false, prefixes(false)));
        Update withPathIds = Update.announce(typical, NlriList.of(IPV4, true, prefixes(true)));
        // What a Calico node's routes look like once reflected (see CalicoUpdateTest).
        calico = Update.announce(PathAttributes.builder()
                .add(Origin.INCOMPLETE)
                .add(AsPath.EMPTY)
                .add(NextHop.of("10.0.0.5"))
                .add(new LocalPref(100))
                .add(new OriginatorId(Ipv4Prefix.parseAddress("10.0.0.5")))
                .add(new ClusterList(Ipv4Prefix.parseAddress("10.0.0.254")))
                .build(), NlriList.ofPrefixes(IPV4, List.of(Ipv4Prefix.parse("192.168.1.0/26"),
                Ipv4Prefix.parse("192.168.1.64/26"), Ipv4Prefix.parse("192.168.1.128/26"),
                Ipv4Prefix.parse("192.168.1.192/26"))));

        ipv4Wire = wire(ipv4, as4, PREFIXES);
        addPathWire = wire(withPathIds, addPath, PREFIXES);
        calicoWire = wire(calico, as4, CALICO_PREFIXES);
        out = PooledByteBufAllocator.DEFAULT.directBuffer(8192);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ipv4Wire.release();
        addPathWire.release();
        calicoWire.release();
        out.release();
    }

    /** 500 distinct prefixes of /16 to /24, a fixed seed so every run reads the same message. */
    private static List<Nlri> prefixes(boolean pathIds) {
        Random random = new Random(20261121);
        Set<Ipv4Prefix> seen = new LinkedHashSet<>();
        while (seen.size() < PREFIXES) {
            int length = 16 + random.nextInt(9);
            seen.add(new Ipv4Prefix(random.nextInt() & (-1 << (32 - length)), length));
        }
        List<Nlri> nlri = new ArrayList<>(PREFIXES);
        int pathId = 1;
        for (Ipv4Prefix p : seen) {
            nlri.add(new Nlri(p, pathIds ? pathId++ : 0));
        }
        return nlri;
    }

    /** Encodes {@code update} into a pooled direct buffer and checks that it decodes back with all its prefixes. */
    private static ByteBuf wire(Update update, WireSettings settings, int prefixes) {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer();
        MessageCodec.encode(update, settings, buf);
        Update back = (Update) MessageCodec.decode(buf, settings);
        if (!back.equals(update) || back.reachable(IPV4).size() != prefixes || back.hasProblems()) {
            throw new IllegalStateException("benchmark input does not round-trip: " + back);
        }
        buf.readerIndex(0);
        return buf;
    }

    private static BgpMessage decode(ByteBuf wire, WireSettings settings) {
        wire.readerIndex(0);
        return MessageCodec.decode(wire, settings);
    }

    @Benchmark
    @OperationsPerInvocation(PREFIXES)
    public BgpMessage decodeIpv4x500() {
        return decode(ipv4Wire, as4);
    }

    @Benchmark
    @OperationsPerInvocation(PREFIXES)
    public BgpMessage decodeAddPathx500() {
        return decode(addPathWire, addPath);
    }

    @Benchmark
    @OperationsPerInvocation(CALICO_PREFIXES)
    public BgpMessage decodeCalico() {
        return decode(calicoWire, as4);
    }

    @Benchmark
    @OperationsPerInvocation(PREFIXES)
    public void encodeIpv4x500(Blackhole bh) {
        out.clear();
        MessageCodec.encode(ipv4, as4, out);
        bh.consume(out.writerIndex());
    }

    @Benchmark
    @OperationsPerInvocation(CALICO_PREFIXES)
    public void encodeCalico(Blackhole bh) {
        out.clear();
        MessageCodec.encode(calico, as4, out);
        bh.consume(out.writerIndex());
    }
}
