package io.routereflector.wire.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.routereflector.wire.Hex;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.attribute.AttributeArbitraries;
import io.routereflector.wire.error.WireException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole UPDATE messages: round trips, byte-exact re-encoding, and "any bytes raise only WireException". */
class UpdateRoundTripTest {

    @Provide
    Arbitrary<Tuple.Tuple2<WireSettings, Update>> updates() {
        return AttributeArbitraries.settings().flatMap(s -> AttributeArbitraries.update(s).map(u -> Tuple.of(s, u)));
    }

    static byte[] encode(Update update, WireSettings settings) {
        return Hex.drain(MessageCodec.encode(update, settings, ByteBufAllocator.DEFAULT));
    }

    @Property(tries = 1500)
    void updatesRoundTrip(@ForAll("updates") Tuple.Tuple2<WireSettings, Update> input) {
        WireSettings settings = input.get1();
        Update update = input.get2();
        byte[] bytes = encode(update, settings);
        Update decoded = (Update) MessageCodec.decode(Unpooled.wrappedBuffer(bytes), settings);
        assertEquals(update, decoded);
        assertTrue(decoded.problems().isEmpty(), () -> decoded.problems().toString());
        assertArrayEquals(bytes, encode(decoded, settings), "re-encoding is byte-exact");
    }

    @Provide
    Arbitrary<Tuple.Tuple3<WireSettings, byte[], Integer>> mutated() {
        return updates().flatMap(t -> {
            byte[] bytes = encode(t.get2(), t.get1());
            return Arbitraries.integers().between(19, bytes.length - 1).flatMap(at ->
                    Arbitraries.integers().between(0, 255).map(v -> {
                        byte[] copy = bytes.clone();
                        copy[at] = (byte) (int) v;
                        return Tuple.of(t.get1(), copy, at);
                    }));
        });
    }

    /** A mutated body decodes, or raises WireException; nothing else escapes (the fuzz target's contract). */
    @Property(tries = 3000, edgeCases = EdgeCasesMode.NONE)
    void mutatedUpdatesRaiseOnlyWireException(@ForAll("mutated") Tuple.Tuple3<WireSettings, byte[], Integer> input) {
        decodeOrWireException(input.get2(), input.get1());
    }

    @Property(tries = 2000)
    void randomBodiesRaiseOnlyWireException(@ForAll("randomBodies") byte[] body, @ForAll boolean as4) {
        ByteBuf buf = Unpooled.wrappedBuffer(body);
        try {
            Update update = UpdateCodec.decode(buf, WireSettings.AS4.withFourOctetAs(as4));
            // Whatever was kept must encode again.
            UpdateCodec.encode(update, WireSettings.AS4.withExtendedMessages(true), Unpooled.buffer());
        } catch (WireException expected) {
            assertTrue(expected.code().code() == 3, expected::getMessage);
        }
    }

    @Provide
    Arbitrary<byte[]> randomBodies() {
        // Plausible prefixes: small length fields make the attribute loop run more often.
        Arbitrary<byte[]> tail = Arbitraries.bytes().array(byte[].class).ofMaxSize(120);
        return Arbitraries.oneOf(tail, Bodies.framed(tail));
    }

    static void decodeOrWireException(byte[] message, WireSettings settings) {
        try {
            BgpMessage m = MessageCodec.decode(Unpooled.wrappedBuffer(message), settings);
            assertEquals(MessageType.UPDATE, m.type());
        } catch (WireException expected) {
            assertTrue(expected.code().code() == 1 || expected.code().code() == 3, expected::getMessage);
        }
    }

    /** Wraps random attribute bytes in a body whose two length fields are right. */
    static final class Bodies {
        static Arbitrary<byte[]> framed(Arbitrary<byte[]> attributes) {
            return attributes.map(a -> {
                byte[] body = new byte[4 + a.length];
                body[2] = (byte) (a.length >>> 8);
                body[3] = (byte) a.length;
                System.arraycopy(a, 0, body, 4, a.length);
                return body;
            });
        }
    }
}
