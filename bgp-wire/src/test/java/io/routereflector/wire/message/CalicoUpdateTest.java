package io.routereflector.wire.message;

import io.netty.buffer.ByteBufAllocator;
import io.routereflector.wire.Hex;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.ClusterList;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.NextHop;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.OriginatorId;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Ipv4Prefix;
import io.routereflector.wire.nlri.NlriList;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a Calico node's BIRD announces for its pod blocks, as it leaves a reflector: ORIGIN
 * incomplete, empty AS_PATH (iBGP), NEXT_HOP the node, LOCAL_PREF 100, ORIGINATOR_ID and
 * CLUSTER_LIST added by reflection, four /26 blocks. Hand-assembled from RFC 4271 §4.3.
 */
class CalicoUpdateTest {

    static final String CALICO_UPDATE = ""
            + "ffffffffffffffffffffffffffffffff 004e 02"   // header: length 78, UPDATE
            + "0000"                                        // no withdrawn routes
            + "0023"                                        // 35 octets of attributes
            + "40 01 01 02"                                 // ORIGIN incomplete
            + "40 02 00"                                    // AS_PATH empty
            + "40 03 04 0a000005"                           // NEXT_HOP 10.0.0.5
            + "40 05 04 00000064"                           // LOCAL_PREF 100
            + "80 09 04 0a000005"                           // ORIGINATOR_ID 10.0.0.5
            + "80 0a 04 0a0000fe"                           // CLUSTER_LIST 10.0.0.254
            + "1a c0a80100 1a c0a80140 1a c0a80180 1a c0a801c0";   // 192.168.1.0/26 .. .192/26

    @Test
    void decodesAndReencodesByteExact() {
        byte[] bytes = Hex.bytes(CALICO_UPDATE);
        Update update = (Update) MessageCodec.decode(Hex.buf(CALICO_UPDATE), WireSettings.AS4);

        assertTrue(update.problems().isEmpty());
        assertFalse(update.isEndOfRib());
        PathAttributes a = update.attributes();
        assertEquals(Origin.INCOMPLETE, a.origin());
        assertTrue(a.asPath().isEmpty());
        assertEquals(NextHop.of("10.0.0.5"), a.nextHop());
        assertEquals(100, a.localPref().value());
        assertEquals(new OriginatorId(Ipv4Prefix.parseAddress("10.0.0.5")), a.originatorId());
        assertTrue(a.clusterList().contains(Ipv4Prefix.parseAddress("10.0.0.254")));
        assertEquals(List.of("192.168.1.0/26", "192.168.1.64/26", "192.168.1.128/26", "192.168.1.192/26"),
                update.nlri().stream().map(Object::toString).toList());

        assertArrayEquals(bytes, Hex.drain(MessageCodec.encode(update, WireSettings.AS4, ByteBufAllocator.DEFAULT)));
    }

    @Test
    void theSameUpdateBuiltByCodeEncodesToTheSameBytes() {
        PathAttributes attributes = PathAttributes.builder()
                .add(new ClusterList(Ipv4Prefix.parseAddress("10.0.0.254")))
                .add(new LocalPref(100))
                .add(Origin.INCOMPLETE)
                .add(AsPath.EMPTY)
                .add(NextHop.of("10.0.0.5"))
                .add(new OriginatorId(Ipv4Prefix.parseAddress("10.0.0.5")))
                .build();
        NlriList nlri = NlriList.ofPrefixes(AddressFamily.IPV4_UNICAST, List.of(Ipv4Prefix.parse("192.168.1.0/26"),
                Ipv4Prefix.parse("192.168.1.64/26"), Ipv4Prefix.parse("192.168.1.128/26"), Ipv4Prefix.parse("192.168.1.192/26")));
        Update update = Update.announce(attributes, nlri);
        assertEquals(CALICO_UPDATE.replace(" ", ""), Hex.of(Hex.drain(MessageCodec.encode(update, WireSettings.AS4,
                ByteBufAllocator.DEFAULT))));
    }

    @Test
    void reflectionPrependsTheClusterIdAndKeepsTheRest() {
        Update received = (Update) MessageCodec.decode(Hex.buf(CALICO_UPDATE), WireSettings.AS4);
        ClusterList reflected = received.attributes().clusterList().prepend(Ipv4Prefix.parseAddress("10.0.0.253"));
        Update out = new Update(received.withdrawn(), received.attributes().with(reflected), received.nlri());
        String hex = Hex.of(Hex.drain(MessageCodec.encode(out, WireSettings.AS4, ByteBufAllocator.DEFAULT)));
        // Length grows by 4 in the header, the attribute total and CLUSTER_LIST; the order stays.
        assertTrue(hex.startsWith("ffffffffffffffffffffffffffffffff005202" + "0000" + "0027"), hex);
        assertTrue(hex.contains("800a080a0000fd0a0000fe1ac0a80100"), hex);
    }
}
