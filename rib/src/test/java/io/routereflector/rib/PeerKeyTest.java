package io.routereflector.rib;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerKeyTest {

    @Test
    void port179ReadsAsTheBareAddressOtherPortsAreShown() throws Exception {
        assertEquals("10.0.0.1", PeerKey.of(InetAddress.getByName("10.0.0.1")).toString());
        assertEquals("10.0.0.1:1790", new PeerKey(InetAddress.getByName("10.0.0.1"), 1790).toString());
        assertEquals("fd00:0:0:0:0:0:0:1", PeerKey.of(InetAddress.getByName("fd00::1")).toString());
        assertEquals("[fd00:0:0:0:0:0:0:1]:1790", new PeerKey(InetAddress.getByName("fd00::1"), 1790).toString());
    }

    @Test
    void parsesBothFormsAndRoundTrips() throws Exception {
        InetAddress v4 = InetAddress.getByName("10.0.0.1");
        InetAddress v6 = InetAddress.getByName("fd00::1");
        assertEquals(PeerKey.of(v4), PeerKey.parse("10.0.0.1"));
        assertEquals(PeerKey.of(v4), PeerKey.parse("10.0.0.1:179"));
        assertEquals(new PeerKey(v4, 1790), PeerKey.parse("10.0.0.1:1790"));
        assertEquals(PeerKey.of(v6), PeerKey.parse("fd00::1"));
        assertEquals(PeerKey.of(v6), PeerKey.parse("[fd00::1]"));
        assertEquals(new PeerKey(v6, 1790), PeerKey.parse("[fd00::1]:1790"));
        for (PeerKey k : List.of(PeerKey.of(v4), new PeerKey(v4, 1790), PeerKey.of(v6), new PeerKey(v6, 1790))) {
            assertEquals(k, PeerKey.parse(k.toString()));
        }
        assertNotEquals(PeerKey.parse("10.0.0.1"), PeerKey.parse("10.0.0.1:1790"));
    }

    @Test
    void refusesWhatIsNoPeerWithoutLookingAnythingUp() {
        for (String bad : List.of("", "localhost", "example.com:179", "10.0.0.1:0", "10.0.0.1:65536", "10.0.0.1:x",
                "[10.0.0.1]:179", "[fd00::1]:", "10.0.0", "fd00::1:1790:")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeerKey.parse(bad), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void sortsIpv4FirstThenByAddressThenByPort() {
        List<PeerKey> sorted = List.of(PeerKey.parse("10.0.0.1"), PeerKey.parse("10.0.0.1:1790"), PeerKey.parse("10.0.0.2"),
                PeerKey.parse("fd00::1"), PeerKey.parse("[fd00::1]:1790"));
        List<PeerKey> shuffled = new ArrayList<>(sorted);
        Collections.reverse(shuffled);
        Collections.sort(shuffled);
        assertEquals(sorted, shuffled);
    }
}
