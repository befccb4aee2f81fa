package io.routereflector.wire.message;

import io.routereflector.wire.Hex;
import io.routereflector.wire.error.NotificationCode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NotificationTest {

    @Property(tries = 500)
    void shutdownCommunicationIsAPrefixOfAtMost255Octets(
            @ForAll @StringLength(max = 400) @CharRange(from = ' ', to = '\u07ff') @CharRange(from = '\u4e00', to = '\u4eff')
            String message) {
        Notification n = Notification.shutdown(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN, message);
        byte[] data = n.data();
        assertEquals(data.length - 1, data[0] & 0xFF);
        assertTrue(data.length - 1 <= Notification.MAX_SHUTDOWN_COMMUNICATION);
        String text = n.shutdownCommunication().orElse("");
        assertTrue(message.startsWith(text));
        byte[] full = message.getBytes(StandardCharsets.UTF_8);
        if (full.length <= 255) {
            assertEquals(message, text);
        } else {
            // Cut at a character boundary no more than 3 octets short of the limit.
            assertTrue(data.length - 1 > 255 - 4, () -> "cut at " + (data.length - 1));
        }
    }

    @Test
    void utf8IsCutAtACharacterBoundary() {
        // é is 2 octets: 200 of them are 400 octets; octet 255 would split the 128th, so 127 remain.
        Notification n = Notification.shutdown(NotificationCode.CEASE_ADMINISTRATIVE_RESET, "\u00e9".repeat(200));
        assertEquals(1 + 254, n.data().length);
        assertEquals("\u00e9".repeat(127), n.shutdownCommunication().orElseThrow());
        // A 4-octet character at octets 253..256 goes as a whole.
        String emoji = "a".repeat(253) + "\ud83d\ude00";
        assertEquals("a".repeat(253), Notification.shutdown(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN, emoji)
                .shutdownCommunication().orElseThrow());
        // Exactly 255 octets fit.
        assertEquals("b".repeat(255), Notification.shutdown(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN, "b".repeat(255))
                .shutdownCommunication().orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> Notification.shutdown(NotificationCode.CEASE, "x"));
    }

    @Test
    void shutdownCommunicationOnlyWhenWellFormed() {
        assertEquals(Optional.of("maintenance"), new Notification(6, 2, Hex.bytes("0b 6d61696e74656e616e6365")).shutdownCommunication());
        assertEquals(Optional.of("ok"), new Notification(6, 4, Hex.bytes("02 6f6b ffff")).shutdownCommunication(),
                "octets after the communication are not part of it");
        assertEquals(Optional.empty(), new Notification(6, 2, new byte[0]).shutdownCommunication());
        assertEquals(Optional.empty(), new Notification(6, 2, Hex.bytes("00")).shutdownCommunication());
        assertEquals(Optional.empty(), new Notification(6, 2, Hex.bytes("05 6f6b")).shutdownCommunication(), "length overruns");
        assertEquals(Optional.empty(), new Notification(6, 2, Hex.bytes("02 c328")).shutdownCommunication(), "not UTF-8");
        assertEquals(Optional.empty(), new Notification(6, 3, Hex.bytes("02 6f6b")).shutdownCommunication(), "Cease/3");
        assertEquals(Optional.empty(), new Notification(5, 2, Hex.bytes("02 6f6b")).shutdownCommunication(), "not Cease");
    }

    @Test
    void hardResetCarriesItsCause() {
        Notification cause = new Notification(NotificationCode.HOLD_TIMER_EXPIRED);
        Notification reset = Notification.hardReset(cause);
        assertEquals(NotificationCode.CEASE_HARD_RESET, reset.named());
        assertArrayEquals(Hex.bytes("0400"), reset.data());
        assertEquals(Optional.of(cause), reset.hardResetCause());
        Notification withData = Notification.shutdown(NotificationCode.CEASE_ADMINISTRATIVE_RESET, "bye");
        assertEquals(Optional.of(withData), Notification.hardReset(withData).hardResetCause());
        assertEquals(Optional.empty(), new Notification(6, 9, Hex.bytes("04")).hardResetCause(), "too short");
        assertEquals(Optional.empty(), new Notification(6, 8, Hex.bytes("0400")).hardResetCause(), "not a hard reset");
        assertEquals(Optional.empty(), new Notification(3, 9, Hex.bytes("0400")).hardResetCause(), "not Cease");
    }

    @Test
    void toStringNamesThePairAndShowsDataOrCommunication() {
        assertEquals("Hold timer expired", new Notification(NotificationCode.HOLD_TIMER_EXPIRED).toString());
        assertEquals("Cease / Administrative shutdown \"going down\"",
                Notification.shutdown(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN, "going down").toString());
        assertEquals("OPEN message error / Unsupported version number data=0004",
                new Notification(NotificationCode.OPEN_UNSUPPORTED_VERSION, new byte[] {0, 4}).toString());
        assertEquals("Cease / Administrative shutdown data=05616263", new Notification(6, 2, Hex.bytes("05616263")).toString());
        assertEquals("error code 9 / subcode 1", new Notification(9, 1, null).toString());
        assertNull(new Notification(9, 1, null).named());
    }

    @Test
    void valueSemantics() {
        byte[] data = {1, 2};
        Notification n = new Notification(3, 1, data);
        data[0] = 7;
        n.data()[1] = 7;
        assertEquals(new Notification(3, 1, new byte[] {1, 2}), n);
        assertEquals(new Notification(3, 1, new byte[] {1, 2}).hashCode(), n.hashCode());
        assertNotEquals(new Notification(3, 2, new byte[] {1, 2}), n);
        assertNotEquals(new Notification(4, 1, new byte[] {1, 2}), n);
        assertNotEquals(new Notification(3, 1, new byte[] {1}), n);
        assertNotEquals(n, "3/1");
        assertEquals(MessageType.NOTIFICATION, n.type());
        assertThrows(IllegalArgumentException.class, () -> new Notification(256, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new Notification(-1, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new Notification(1, 256, null));
        assertThrows(IllegalArgumentException.class, () -> new Notification(1, -1, null));
    }
}
