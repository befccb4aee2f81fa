package io.routereflector.wire.error;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NotificationCodeTest {

    @Test
    void describe() {
        assertEquals("Cease / Peer de-configured", NotificationCode.describe(6, 3));
        assertEquals("Cease", NotificationCode.describe(6, 0));
        assertEquals("Cease / subcode 42", NotificationCode.describe(6, 42));
        assertEquals("error code 9", NotificationCode.describe(9, 0));
        assertEquals("error code 9 / subcode 4", NotificationCode.describe(9, 4));
        assertEquals("ROUTE-REFRESH message error / Invalid message length", NotificationCode.describe(7, 1));
        assertEquals("Message header error / Bad message type", NotificationCode.HEADER_BAD_MESSAGE_TYPE.toString());
        assertEquals("OPEN message error", NotificationCode.OPEN_MESSAGE_ERROR.toString());
    }

    @Test
    void everyPairIsUniqueAndFoundAgain() {
        Set<Integer> pairs = new HashSet<>();
        for (NotificationCode c : NotificationCode.values()) {
            assertTrue(pairs.add(c.code() << 8 | c.subcode()), c.name());
            assertSame(c, NotificationCode.lookup(c.code(), c.subcode()));
            // Every code has its unspecific (subcode 0) entry, so describe() always names the major code.
            assertTrue(NotificationCode.lookup(c.code(), 0) != null, c.name());
        }
        assertNull(NotificationCode.lookup(2, 5), "Authentication Failure is deprecated and not named");
        assertEquals(6, NotificationCode.CEASE_HARD_RESET.code());
        assertEquals(9, NotificationCode.CEASE_HARD_RESET.subcode());
        assertEquals("Hard reset", NotificationCode.CEASE_HARD_RESET.description());
    }

    @Test
    void exceptionCarriesTheNotification() {
        byte[] data = {0, 4};
        WireException e = new WireException(NotificationCode.OPEN_UNSUPPORTED_VERSION, data, "version 3");
        data[1] = 9;
        e.data()[0] = 9;
        assertArrayEquals(new byte[] {0, 4}, e.data());
        assertEquals("OPEN message error / Unsupported version number: version 3", e.getMessage());
        assertEquals(2, e.toNotification().code());
        assertEquals(1, e.toNotification().subcode());
        assertArrayEquals(new byte[0], new WireException(NotificationCode.CEASE, "x").data());
        assertEquals(0, e.getStackTrace().length, "no stack trace: decoding errors are expected input");
    }
}
