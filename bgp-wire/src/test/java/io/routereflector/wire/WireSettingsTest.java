package io.routereflector.wire;

import io.routereflector.wire.nlri.AddressFamily;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WireSettingsTest {

    @Test
    void withersChangeOneThing() {
        WireSettings s = WireSettings.INITIAL.withFourOctetAs(true);
        assertEquals(WireSettings.AS4, s);
        assertEquals(4096, s.maxMessageLength());
        WireSettings extended = s.withExtendedMessages(true);
        assertEquals(65535, extended.maxMessageLength());
        assertTrue(extended.fourOctetAs());
        Set<AddressFamily> families = new HashSet<>(Set.of(AddressFamily.IPV4_UNICAST));
        WireSettings addPath = extended.withAddPath(families);
        families.add(AddressFamily.IPV6_UNICAST);
        assertTrue(addPath.addPath(AddressFamily.IPV4_UNICAST));
        assertFalse(addPath.addPath(AddressFamily.IPV6_UNICAST), "the set was copied");
        assertTrue(addPath.extendedMessages());
        assertFalse(WireSettings.INITIAL.addPath(AddressFamily.IPV4_UNICAST));
    }
}
