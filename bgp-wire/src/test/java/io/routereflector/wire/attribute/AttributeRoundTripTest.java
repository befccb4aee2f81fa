package io.routereflector.wire.attribute;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.routereflector.wire.Hex;
import io.routereflector.wire.WireSettings;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** decode(encode(a)) == a and encode(decode(bytes)) == bytes for every attribute type. */
class AttributeRoundTripTest {

    @Provide
    Arbitrary<Tuple.Tuple2<WireSettings, PathAttribute>> attributeWithSettings() {
        return AttributeArbitraries.settings().flatMap(s -> AttributeArbitraries.anyAttribute(s).map(a -> Tuple.of(s, a)));
    }

    /** Decodes one attribute with its own type's decoder (contextual rules are the UPDATE tests' business). */
    static PathAttribute decodeSingle(byte[] bytes, WireSettings settings) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        int flags = buf.getUnsignedByte(0);
        int code = buf.getUnsignedByte(1);
        boolean extended = (flags & PathAttribute.EXTENDED_LENGTH) != 0;
        int length = extended ? buf.getUnsignedShort(2) : buf.getUnsignedByte(2);
        int value = extended ? 4 : 3;
        assertEquals(bytes.length, value + length, "length field");
        AttributeType type = AttributeType.fromCode(code);
        return type == null ? UnknownAttribute.decode(flags, code, buf, value, length)
                : type.decoder().decode(flags, buf, value, length, settings);
    }

    static byte[] encode(PathAttribute attribute, WireSettings settings) {
        ByteBuf out = Unpooled.buffer();
        attribute.encode(out, settings);
        assertEquals(attribute.encodedLength(settings), out.readableBytes(), "encodedLength");
        return Hex.drain(out);
    }

    @Property(tries = 3000, edgeCases = EdgeCasesMode.NONE)
    void everyAttributeRoundTrips(@ForAll("attributeWithSettings") Tuple.Tuple2<WireSettings, PathAttribute> input) {
        WireSettings settings = input.get1();
        PathAttribute attribute = input.get2();
        AttributeType type = attribute.type();
        Statistics.collect(type == null ? "UNKNOWN" : type.name());
        Statistics.coverage(c -> {
            for (AttributeType t : AttributeType.values()) {
                c.check(t.name()).count(n -> n > 0);
            }
            c.check("UNKNOWN").count(n -> n > 0);
        });

        byte[] bytes = encode(attribute, settings);
        PathAttribute decoded = decodeSingle(bytes, settings);
        assertEquals(attribute, decoded);
        assertEquals(attribute.hashCode(), decoded.hashCode());
        assertArrayEquals(bytes, encode(decoded, settings), "re-encoding is byte-exact");
        // Flags travel as given: the received octet, Extended Length included.
        assertEquals(attribute.flags(), bytes[0] & 0xFF);
    }

    @Property(tries = 300)
    void unknownAttributesKeepEveryFlagCombination(@ForAll("flagsAndValue") Tuple.Tuple2<Integer, byte[]> input) {
        int flags = input.get1();
        UnknownAttribute a = new UnknownAttribute(flags, 240, input.get2());
        byte[] bytes = encode(a, WireSettings.AS4);
        assertEquals(a, decodeSingle(bytes, WireSettings.AS4));
        assertEquals(flags | (input.get2().length > 255 ? PathAttribute.EXTENDED_LENGTH : 0), bytes[0] & 0xFF);
    }

    @Provide
    Arbitrary<Tuple.Tuple2<Integer, byte[]>> flagsAndValue() {
        return net.jqwik.api.Combinators.combine(net.jqwik.api.Arbitraries.integers().between(0x80, 0xFF),
                        net.jqwik.api.Arbitraries.bytes().array(byte[].class).ofMaxSize(3))
                .as(Tuple::of);
    }

    @Property(tries = 200)
    void longValuesGetExtendedLength(@ForAll("longCommunities") Communities communities) {
        byte[] bytes = encode(communities, WireSettings.AS4);
        assertTrue((bytes[0] & PathAttribute.EXTENDED_LENGTH) != 0);
        PathAttribute decoded = decodeSingle(bytes, WireSettings.AS4);
        assertEquals(communities.flags() | PathAttribute.EXTENDED_LENGTH, decoded.flags());
        assertArrayEquals(communities.values(), ((Communities) decoded).values());
    }

    @Provide
    Arbitrary<Communities> longCommunities() {
        return net.jqwik.api.Arbitraries.integers().array(int[].class).ofMinSize(64).ofMaxSize(200).map(Communities::new);
    }
}
