package io.routereflector.rib;

import io.netty.buffer.ByteBuf;
import io.routereflector.rib.out.GroupKey;
import io.routereflector.rib.out.UpdateSink;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Ipv4Prefix;
import io.routereflector.wire.nlri.Nlri;
import io.routereflector.wire.nlri.NlriList;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.routereflector.rib.RibFixtures.calico;
import static io.routereflector.rib.RibFixtures.peer;
import static io.routereflector.rib.RibFixtures.rib;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retained heap per route in the shape of bench scenario D: two Calico speakers with 100 000 /26
 * blocks each (one interned attribute set per speaker), reflected to ten ADD-PATH clients of one
 * update group. Heap, unlike time, is deterministic enough for a bound in a unit test; the figure is
 * printed so a layout change can be judged by it ({@code mvn -B -o test -pl rib -am
 * -Djacoco.skip=true -Dtest=RibFootprintTest -Dsurefire.failIfNoSpecifiedTests=false
 * -DredirectTestOutputToFile=false}).
 */
class RibFootprintTest {

    static final int SPEAKERS = 2;
    static final int PER_SPEAKER = 100_000;
    static final int CLIENTS = 10;
    static final int BATCH = 1000;
    /** Measured 131 B/route with the compact layout, 337 before: the bound is half of that, with a margin. */
    static final long BOUND = 160;

    @Test
    void scenarioDFitsTheBound() {
        long before = usedAfterGc();
        Rib rib = build();
        long after = usedAfterGc();
        long routes = (long) SPEAKERS * PER_SPEAKER;
        double perRoute = (after - before) / (double) routes;
        System.out.printf("RIB footprint, scenario D: %d routes, %.1f MB retained, %.1f bytes/route%n",
                routes, (after - before) / 1e6, perRoute);
        assertEquals(routes, rib.prefixCount(AddressFamily.IPV4_UNICAST));
        io.routereflector.rib.out.Member client = rib.member(peer(200, PeerRole.CLIENT));
        assertEquals(routes, client.group().exportedTo(client), "the group holds every route for a client");
        assertEquals(routes, client.exportedUpdates(), "and sent each one");
        assertTrue(perRoute < BOUND, perRoute + " bytes/route exceeds " + BOUND);
        Reference.reachabilityFence(rib);
    }

    private static Rib build() {
        Rib rib = rib();
        Set<AddressFamily> v4 = Set.of(AddressFamily.IPV4_UNICAST);
        GroupKey key = GroupKey.ibgp(PeerRole.CLIENT, v4, v4);
        List<RibPeer> speakers = new ArrayList<>();
        for (int s = 0; s < SPEAKERS; s++) {
            RibPeer speaker = peer(100 + s, PeerRole.CLIENT);
            speakers.add(speaker);
            rib.peerUp(speaker, key, new DiscardingSink());
        }
        for (int c = 0; c < CLIENTS; c++) {
            rib.peerUp(peer(200 + c, PeerRole.CLIENT), key, new DiscardingSink());
        }
        rib.flush();
        int block = Ipv4Prefix.parseAddress("10.0.0.0");
        for (RibPeer speaker : speakers) {
            io.routereflector.wire.attribute.PathAttributes attributes = calico(speaker);
            for (int done = 0; done < PER_SPEAKER; done += BATCH) {
                List<Nlri> nlri = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++, block += 64) {
                    nlri.add(Nlri.of(new Ipv4Prefix(block, 26)));
                }
                rib.update(speaker, Update.announce(attributes, NlriList.of(AddressFamily.IPV4_UNICAST, false, nlri)));
                rib.flush();
            }
        }
        return rib;
    }

    /** Heap in use once collections stop freeing anything (a few rounds: finalizable and soft objects). */
    static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int round = 0; round < 10; round++) {
            System.gc();
            long now = memory.getHeapMemoryUsage().getUsed();
            if (round >= 3 && Math.abs(used - now) < 64 * 1024) {
                return now;
            }
            used = now;
        }
        return used;
    }

    /** A session that takes the bytes and drops them, as a socket write would. */
    private static final class DiscardingSink implements UpdateSink {
        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public void write(ByteBuf message) {
            message.release();
        }

        @Override
        public void flush() {
        }
    }
}
