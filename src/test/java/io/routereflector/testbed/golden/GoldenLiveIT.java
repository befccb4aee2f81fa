package io.routereflector.testbed.golden;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.routereflector.testbed.Testbed;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.message.BgpMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Captures from the real peers again in every build, so the codec meets the versions installed
 * today and not only the stored files: each message must decode and re-encode byte for byte.
 */
class GoldenLiveIT {

    @ParameterizedTest
    @EnumSource(GoldenScenario.class)
    void everyMessageOfARealPeerDecodesAndReencodesByteExact(GoldenScenario scenario) {
        GoldenFile golden;
        try (Testbed testbed = Testbed.start()) {
            golden = scenario.capture(testbed);
        }
        List<byte[]> messages = golden.messages();
        assertTrue(golden.endOfRib(), "no End-of-RIB: " + golden);
        assertTrue(golden.fourOctetAs(), "every peer here offers AS4");
        assertEquals(1, messages.get(0)[18], "the first message is the peer's OPEN");
        assertTrue(messages.stream().filter(m -> m[18] == 2).count() >= 2, "UPDATEs and the End-of-RIB");
        WireSettings settings = golden.settings();
        for (byte[] message : messages) {
            String hex = HexFormat.of().formatHex(message);
            BgpMessage decoded = MessageCodec.decode(Unpooled.wrappedBuffer(message), settings);
            ByteBuf out = Unpooled.buffer();
            try {
                MessageCodec.encode(decoded, settings, out);
                byte[] encoded = new byte[out.readableBytes()];
                out.readBytes(encoded);
                assertArrayEquals(message, encoded, "re-encoding " + decoded + " of " + scenario + ": " + hex);
            } finally {
                out.release();
            }
        }
    }
}
