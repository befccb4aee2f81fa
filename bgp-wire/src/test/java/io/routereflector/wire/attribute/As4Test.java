package io.routereflector.wire.attribute;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Ipv4Prefix;
import io.routereflector.wire.nlri.Nlri;
import io.routereflector.wire.nlri.NlriList;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** RFC 6793 §4.2.2/§4.2.3 through the codec: what an OLD (2-octet) speaker is sent and what we rebuild. */
class As4Test {

    static final WireSettings OLD = new WireSettings(false, false, Set.of());
    static final int NEW_AS = (int) 4_200_000_001L;
    static final int ADDRESS = Ipv4Prefix.parseAddress("192.0.2.9");

    private static PathAttributes overOldSession(PathAttributes attributes) {
        Update update = Update.announce(attributes.with(new NextHop(ADDRESS)),
                NlriList.of(AddressFamily.IPV4_UNICAST, false, List.of(new Nlri(Ipv4Prefix.parse("10.0.0.0/24"), 0))));
        ByteBuf bytes = MessageCodec.encode(update, OLD, ByteBufAllocator.DEFAULT);
        try {
            return ((Update) MessageCodec.decode(bytes, OLD)).attributes();
        } finally {
            bytes.release();
        }
    }

    @Test
    void aFourOctetPathSurvivesAnOldSpeakerBothWays() {
        PathAttributes sent = PathAttributes.of(Origin.IGP, AsPath.sequence(65009, NEW_AS, 64512),
                new Aggregator(NEW_AS, ADDRESS));
        PathAttributes onTheWire = overOldSession(As4.forOldSpeaker(sent));
        assertEquals(AsPath.sequence(65009, AsPath.AS_TRANS, 64512), onTheWire.asPath(), "AS_PATH an OLD speaker reads");
        assertEquals(AsPath.AS_TRANS, onTheWire.aggregator().asn(), "AGGREGATOR an OLD speaker reads");
        PathAttributes rebuilt = As4.merge(onTheWire);
        assertEquals(sent.asPath(), rebuilt.asPath());
        assertEquals(NEW_AS, rebuilt.aggregator().asn());
        assertNull(rebuilt.as4Path());
        assertNull(rebuilt.as4Aggregator());
    }

    @Test
    void asnsOldSpeakersPrependedLaterStayInFront() {
        // A NEW speaker sent [NEW_AS 64512]; two OLD speakers then prepended 65010 and 65009 to AS_PATH only.
        PathAttributes received = PathAttributes.of(Origin.IGP, AsPath.sequence(65009, 65010, AsPath.AS_TRANS, 64512),
                new As4Path(List.of(AsPath.Segment.sequence(NEW_AS, 64512))));
        assertEquals(AsPath.sequence(65009, 65010, NEW_AS, 64512), As4.merge(received).asPath());
    }

    @Test
    void anAs4PathLongerThanTheAsPathIsIgnored() {
        PathAttributes received = PathAttributes.of(Origin.IGP, AsPath.sequence(65009),
                new As4Path(List.of(AsPath.Segment.sequence(NEW_AS, 64512))));
        PathAttributes merged = As4.merge(received);
        assertEquals(AsPath.sequence(65009), merged.asPath());
        assertNull(merged.as4Path());
    }

    @Test
    void anAggregatorWithoutAsTransMakesBothAs4AttributesStale() {
        PathAttributes received = PathAttributes.of(Origin.IGP, AsPath.sequence(65009, AsPath.AS_TRANS),
                new Aggregator(65009, ADDRESS), new As4Aggregator(NEW_AS, ADDRESS),
                new As4Path(List.of(AsPath.Segment.sequence(NEW_AS))));
        PathAttributes merged = As4.merge(received);
        assertEquals(AsPath.sequence(65009, AsPath.AS_TRANS), merged.asPath());
        assertEquals(65009, merged.aggregator().asn());
    }

    @Test
    void nothingIsAddedWhenEveryAsnFitsTwoOctets() {
        PathAttributes sent = PathAttributes.of(Origin.IGP, AsPath.sequence(65009, 64512));
        assertEquals(sent, As4.forOldSpeaker(sent));
    }
}
