package io.routereflector.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.routereflector.wire.error.WireException;
import io.routereflector.wire.message.BgpMessage;
import io.routereflector.wire.nlri.AddressFamily;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever bytes a peer sends, the decoders raise nothing but {@link WireException}. Random bytes
 * alone rarely pass the header check, so most inputs here carry a valid header (marker, matching
 * length, a real type) around a random body, which sends them deep into each message decoder.
 */
class ArbitraryBytesProperties {

    private static final WireSettings[] SETTINGS = {
        WireSettings.INITIAL,
        WireSettings.AS4,
        new WireSettings(true, true, Set.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST)),
    };

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }

    private static byte[] framed(int type, byte[] body) {
        int length = 19 + body.length;
        byte[] message = new byte[length];
        for (int i = 0; i < 16; i++) {
            message[i] = (byte) 0xFF;
        }
        message[16] = (byte) (length >>> 8);
        message[17] = (byte) length;
        message[18] = (byte) type;
        System.arraycopy(body, 0, message, 19, body.length);
        return message;
    }

    private static void decodeOrWireException(byte[] bytes, WireSettings settings) {
        try {
            BgpMessage message = MessageCodec.decode(Unpooled.wrappedBuffer(bytes), settings);
            // What decodes must survive its own encoding unchanged.
            ByteBuf again = Unpooled.buffer();
            MessageCodec.encode(message, settings, again);
            assertEquals(message, MessageCodec.decode(again, settings));
        } catch (WireException expected) {
            assertTrue(expected.code() != null);
        }
    }

    @Property(tries = 3000)
    void framedRandomBodiesOnlyRaiseWireException(@ForAll @IntRange(min = 0, max = 6) int type,
                                                  @ForAll("bodies") byte[] body,
                                                  @ForAll @IntRange(min = 0, max = 2) int settings) {
        decodeOrWireException(framed(type, body), SETTINGS[settings]);
    }

    @Property(tries = 1000)
    void rawRandomBytesOnlyRaiseWireException(@ForAll @Size(max = 64) byte[] bytes,
                                              @ForAll @IntRange(min = 0, max = 2) int settings) {
        decodeOrWireException(bytes, SETTINGS[settings]);
    }

    /** The frame decoder in a channel: random chunks give messages or one WireException, nothing else. */
    @Property(tries = 500)
    void frameDecoderOnlyRaisesWireException(@ForAll("bodies") byte[] body, @ForAll @IntRange(min = 1, max = 5) int type) {
        EmbeddedChannel channel = new EmbeddedChannel(new BgpFrameDecoder());
        byte[] stream = framed(type, body);
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(stream));
            ByteBuf frame = channel.readInbound();
            if (frame != null) {
                assertEquals(stream.length, frame.readableBytes());
                frame.release();
            }
        } catch (DecoderException e) {
            assertTrue(e.getCause() instanceof WireException, () -> "unexpected " + e.getCause());
        } finally {
            channel.finishAndReleaseAll();
        }
    }
}
