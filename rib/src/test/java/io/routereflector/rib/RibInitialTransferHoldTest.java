package io.routereflector.rib;

import io.routereflector.wire.nlri.AddressFamily;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.routereflector.rib.RibFixtures.announce;
import static io.routereflector.rib.RibFixtures.calico;
import static io.routereflector.rib.RibFixtures.key;
import static io.routereflector.rib.RibFixtures.peer;
import static io.routereflector.rib.RibFixtures.rib;
import static io.routereflector.rib.RibFixtures.withdraw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 4724 §4.1 selection deferral after our restart: nothing leaves until the hold is released. */
class RibInitialTransferHoldTest {

    private final Rib rib = rib();

    private RecordingSink up(RibPeer peer) {
        RecordingSink sink = new RecordingSink(key(PeerRole.CLIENT, false).sendSettings());
        rib.peerUp(peer, key(PeerRole.CLIENT, false), sink);
        return sink;
    }

    @Test
    void heldMembersGetNeitherRoutesNorEndOfRibUntilReleasedThenTheFinalTableOnce() {
        rib.holdInitialTransfer();
        RibPeer c1 = peer(11, PeerRole.CLIENT);
        RibPeer c2 = peer(12, PeerRole.CLIENT);
        RecordingSink s1 = up(c1);
        RecordingSink s2 = up(c2);
        rib.update(c1, announce(calico(c1), "10.1.0.0/26", "10.1.0.64/26"));
        rib.flush();
        rib.update(c2, announce(calico(c2), "10.2.0.0/26"));
        rib.update(c1, withdraw("10.1.0.64/26"));
        rib.flush();
        rib.writable(c1);
        assertEquals(0, s1.bytes + s2.bytes, "nothing written while held");
        assertTrue(s1.endOfRib.isEmpty() && s2.endOfRib.isEmpty(), "no End-of-RIB while held");
        assertEquals(2, rib.prefixCount(AddressFamily.IPV4_UNICAST), "the RIB itself keeps learning");

        rib.releaseInitialTransfer();
        rib.flush();
        assertNotNull(s2.route("10.1.0.0/26"));
        assertNull(s2.route("10.1.0.64/26"), "a route withdrawn during the hold is never sent");
        assertNotNull(s1.route("10.2.0.0/26"));
        assertEquals(List.of(AddressFamily.IPV4_UNICAST), s1.endOfRib, "End-of-RIB once, after the table");
        assertEquals(List.of(AddressFamily.IPV4_UNICAST), s2.endOfRib);
        assertEquals(1, s2.updates.size(), "the final table, not the history of the hold");
    }

    @Test
    void aHoldOnlyStartsBeforeAnyPeerIsUp() {
        up(peer(11, PeerRole.CLIENT));
        assertThrows(IllegalStateException.class, rib::holdInitialTransfer);
    }

    @Test
    void withoutAHoldTheTableLeavesAtTheFirstFlush() {
        RibPeer c1 = peer(11, PeerRole.CLIENT);
        up(c1);
        RecordingSink s2 = up(peer(12, PeerRole.CLIENT));
        rib.update(c1, announce(calico(c1), "10.1.0.0/26"));
        rib.flush();
        assertNotNull(s2.route("10.1.0.0/26"));
        assertEquals(List.of(AddressFamily.IPV4_UNICAST), s2.endOfRib);
    }
}
