package io.routereflector.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.error.WireException;
import io.routereflector.wire.message.MessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BgpFrameDecoderTest {

    static final byte[] KEEPALIVE = Hex.message(MessageType.KEEPALIVE, new byte[0]);
    static final byte[] REFRESH = Hex.message(MessageType.ROUTE_REFRESH, Hex.bytes("0001 00 01"));
    static final byte[] CEASE = Hex.message(MessageType.NOTIFICATION, Hex.bytes("0602 03 616263"));

    private final BgpFrameDecoder decoder = new BgpFrameDecoder();
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void assertNext(byte[] expected) {
        ByteBuf frame = channel.readInbound();
        try {
            byte[] actual = new byte[frame.readableBytes()];
            frame.readBytes(actual);
            assertArrayEquals(expected, actual);
        } finally {
            frame.release();
        }
    }

    private static ByteBuf concat(byte[]... parts) {
        ByteBuf buf = Unpooled.buffer();
        for (byte[] p : parts) {
            buf.writeBytes(p);
        }
        return buf;
    }

    @Test
    void severalMessagesInOneRead() {
        channel.writeInbound(concat(KEEPALIVE, REFRESH, CEASE));
        assertNext(KEEPALIVE);
        assertNext(REFRESH);
        assertNext(CEASE);
        assertNull(channel.readInbound());
    }

    @Test
    void messagesSplitAcrossReads() {
        ByteBuf all = concat(REFRESH, CEASE);
        // One octet at a time: nothing comes out before a message is complete.
        for (int i = 0; i < all.readableBytes(); i++) {
            channel.writeInbound(all.retainedSlice(i, 1));
            if (i == REFRESH.length - 2) {
                assertNull(channel.readInbound(), "one octet short of the first message");
            }
        }
        all.release();
        assertNext(REFRESH);
        assertNext(CEASE);
        assertNull(channel.readInbound());
    }

    @Test
    void aSplitHeader() {
        channel.writeInbound(Unpooled.wrappedBuffer(CEASE, 0, 10));
        assertNull(channel.readInbound());
        channel.writeInbound(Unpooled.wrappedBuffer(CEASE, 10, CEASE.length - 10));
        assertNext(CEASE);
    }

    @Test
    void extendedMessagesOnlyOnceNegotiated() {
        byte[] big = Hex.message(MessageType.NOTIFICATION, new byte[5000]);
        assertEquals(4096, decoder.maxLength());
        decoder.setExtendedMessages(true);
        assertEquals(65535, decoder.maxLength());
        channel.writeInbound(Unpooled.wrappedBuffer(big));
        assertNext(big);
        decoder.setExtendedMessages(false);
        assertEquals(4096, decoder.maxLength());
        DecoderException e = assertThrows(DecoderException.class, () -> channel.writeInbound(Unpooled.wrappedBuffer(big)));
        WireException cause = assertInstanceOf(WireException.class, e.getCause());
        assertEquals(NotificationCode.HEADER_BAD_MESSAGE_LENGTH, cause.code());
        assertArrayEquals(Hex.bytes("139b"), cause.data());
    }

    @Test
    void stopsReadingAfterAnError() {
        byte[] badType = Hex.message(19, 9, new byte[0]);
        // The good message before the bad one is still delivered, then the error.
        DecoderException e = assertThrows(DecoderException.class, () -> channel.writeInbound(concat(KEEPALIVE, badType, REFRESH)));
        WireException cause = assertInstanceOf(WireException.class, e.getCause());
        assertEquals(NotificationCode.HEADER_BAD_MESSAGE_TYPE, cause.code());
        assertArrayEquals(new byte[] {9}, cause.data());
        assertNext(KEEPALIVE);
        assertNull(channel.readInbound(), "nothing after the bad header");
        // Later reads are swallowed without another error.
        assertFalse(channel.writeInbound(Unpooled.wrappedBuffer(KEEPALIVE)));
        assertNull(channel.readInbound());
    }

    @Test
    void badMarker() {
        byte[] bad = KEEPALIVE.clone();
        bad[3] = 0;
        DecoderException e = assertThrows(DecoderException.class, () -> channel.writeInbound(Unpooled.wrappedBuffer(bad)));
        WireException cause = assertInstanceOf(WireException.class, e.getCause());
        assertEquals(NotificationCode.HEADER_CONNECTION_NOT_SYNCHRONIZED, cause.code());
        assertArrayEquals(new byte[0], cause.data());
    }

    @Test
    void headerIsCheckedBeforeTheBodyArrives() {
        // A 19-octet header announcing 5000 octets fails at once, without waiting for the body.
        byte[] header = Hex.message(5000, 2, new byte[0]);
        DecoderException e = assertThrows(DecoderException.class, () -> channel.writeInbound(Unpooled.wrappedBuffer(header)));
        assertEquals(NotificationCode.HEADER_BAD_MESSAGE_LENGTH, ((WireException) e.getCause()).code());
    }
}
