package io.routereflector.wire.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.error.WireException;
import io.routereflector.wire.message.BgpMessage;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.nlri.AddressFamily;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Jazzer target for the whole-message decoder. In a normal build it runs the regression corpus under
 * src/test/resources/io/routereflector/wire/fuzz/MessageDecoderFuzzTestInputs/decode; with
 * {@code JAZZER_FUZZ=1} it fuzzes (see the README). The contract: any bytes either decode to a message
 * that re-decodes from its own encoding to an equal message (for an UPDATE with RFC 7606 problems: to
 * the same kept fields), or raise {@link WireException}; nothing else.
 */
class MessageDecoderFuzzTest {

    private static final WireSettings[] SETTINGS = {
        WireSettings.INITIAL,
        WireSettings.AS4,
        new WireSettings(true, true, Set.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST)),
    };

    @FuzzTest
    void decode(byte[] input) {
        if (input.length == 0) {
            return;
        }
        // The first byte picks the negotiated settings so one corpus covers every decoder mode.
        WireSettings settings = SETTINGS[(input[0] & 0xFF) % SETTINGS.length];
        ByteBuf buf = Unpooled.wrappedBuffer(input, 1, input.length - 1);
        BgpMessage message;
        try {
            message = MessageCodec.decode(buf, settings);
        } catch (WireException expected) {
            return;
        }
        ByteBuf again = Unpooled.buffer();
        try {
            MessageCodec.encode(message, settings, again);
            BgpMessage redecoded = MessageCodec.decode(again, settings);
            if (message instanceof Update update && update.hasProblems()) {
                // RFC 7606 problems are never encoded and what they discarded is gone: what was kept must survive.
                assertEquals(kept(update), kept((Update) redecoded), "re-decoding our own encoding");
            } else {
                assertEquals(message, redecoded, "re-decoding our own encoding");
            }
        } finally {
            again.release();
        }
    }

    private static Update kept(Update update) {
        return new Update(update.withdrawn(), update.attributes(), update.nlri());
    }
}
