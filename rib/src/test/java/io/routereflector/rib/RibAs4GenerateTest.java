package io.routereflector.rib;

import io.routereflector.rib.out.GroupKey;
import io.routereflector.wire.attribute.Aggregator;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Ipv4Prefix;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.routereflector.rib.RibFixtures.announce;
import static io.routereflector.rib.RibFixtures.calico;
import static io.routereflector.rib.RibFixtures.key;
import static io.routereflector.rib.RibFixtures.peer;
import static io.routereflector.rib.RibFixtures.rib;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * RFC 6793 §4.2.2 on the sending side, as each client decodes what its group wrote: a 2-octet speaker gets
 * AS_TRANS in AS_PATH and AGGREGATOR and the true numbers in AS4_PATH and AS4_AGGREGATOR; a 4-octet
 * speaker gets neither of the two.
 */
class RibAs4GenerateTest {

    private final Rib rib = rib();

    private RecordingSink up(RibPeer peer, GroupKey key) {
        RecordingSink sink = new RecordingSink(key.sendSettings());
        rib.peerUp(peer, key, sink);
        return sink;
    }

    @Test
    void aTwoOctetSpeakerGetsAsTransWithAs4PathAndAs4Aggregator() {
        RibPeer announcer = peer(11, PeerRole.CLIENT);
        RibPeer old = peer(12, PeerRole.CLIENT);
        RibPeer current = peer(13, PeerRole.CLIENT);
        Set<AddressFamily> v4 = Set.of(AddressFamily.IPV4_UNICAST);
        up(announcer, key(PeerRole.CLIENT, false));
        RecordingSink oldSink = up(old, new GroupKey(PeerRole.CLIENT, v4, Set.of(), false, false, null, null, false));
        RecordingSink currentSink = up(current, key(PeerRole.CLIENT, false));
        rib.flush();

        int big = (int) 4_200_000_001L;
        int aggregatorAddress = Ipv4Prefix.parseAddress("192.0.2.9");
        PathAttributes sent = calico(announcer).with(AsPath.sequence(big, 65001))
                .with(new Aggregator(big, aggregatorAddress));
        rib.update(announcer, announce(sent, "10.1.0.0/26"));
        rib.flush();

        Update toOld = oldSink.route("10.1.0.0/26");
        assertNotNull(toOld, "reflected to the 2-octet client");
        PathAttributes got = toOld.attributes();
        assertArrayEquals(new int[] {AsPath.AS_TRANS, 65001}, got.asPath().segments().get(0).asns(), "AS_PATH: " + got);
        assertNotNull(got.as4Path(), "AS4_PATH toward a 2-octet speaker: " + got);
        assertArrayEquals(new int[] {big, 65001}, got.as4Path().segments().get(0).asns(), "AS4_PATH: " + got);
        assertEquals(AsPath.AS_TRANS, got.aggregator().asn(), "AGGREGATOR: " + got);
        assertNotNull(got.as4Aggregator(), "AS4_AGGREGATOR toward a 2-octet speaker: " + got);
        assertEquals(big, got.as4Aggregator().asn());
        assertEquals(aggregatorAddress, got.as4Aggregator().address());

        PathAttributes toCurrent = currentSink.route("10.1.0.0/26").attributes();
        assertArrayEquals(new int[] {big, 65001}, toCurrent.asPath().segments().get(0).asns());
        assertNull(toCurrent.as4Path(), "no AS4_PATH toward a 4-octet speaker: " + toCurrent);
        assertNull(toCurrent.as4Aggregator(), "no AS4_AGGREGATOR toward a 4-octet speaker: " + toCurrent);
    }
}
