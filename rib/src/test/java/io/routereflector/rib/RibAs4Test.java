package io.routereflector.rib;

import io.routereflector.rib.out.GroupKey;
import io.routereflector.wire.attribute.As4Path;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.nlri.AddressFamily;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.routereflector.rib.RibFixtures.announce;
import static io.routereflector.rib.RibFixtures.calico;
import static io.routereflector.rib.RibFixtures.peer;
import static io.routereflector.rib.RibFixtures.rib;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * RFC 6793 between NEW (4-octet) and OLD (2-octet AS) speakers, as each client decodes what it is
 * sent: the path an OLD speaker carried in AS4_PATH is rebuilt on receipt, and generated again toward
 * OLD clients, so no 4-octet ASN is lost on the way through the reflector.
 */
class RibAs4Test {

    static final int NEW_AS = (int) 4_200_000_001L;
    static final Set<AddressFamily> V4 = Set.of(AddressFamily.IPV4_UNICAST);

    private static GroupKey client(boolean fourOctetAs) {
        return new GroupKey(PeerRole.CLIENT, V4, Set.of(), fourOctetAs, false, null, null, false);
    }

    @Test
    void aPathCarriedInAs4PathReachesNewClientsWholeAndOldClientsWithAs4Path() {
        Rib rib = rib();
        RibPeer oldSender = peer(1, PeerRole.CLIENT);
        RibPeer newClient = peer(2, PeerRole.CLIENT);
        RibPeer oldClient = peer(3, PeerRole.CLIENT);
        RecordingSink ignored = new RecordingSink(client(false).sendSettings());
        RecordingSink toNew = new RecordingSink(client(true).sendSettings());
        RecordingSink toOld = new RecordingSink(client(false).sendSettings());
        rib.peerUp(oldSender, client(false), ignored);
        rib.peerUp(newClient, client(true), toNew);
        rib.peerUp(oldClient, client(false), toOld);
        rib.flush();

        // What the decoder hands over from an OLD session: AS_TRANS in AS_PATH, the real path in AS4_PATH.
        PathAttributes received = calico(oldSender).with(AsPath.sequence(65009, AsPath.AS_TRANS, 65001))
                .with(new As4Path(List.of(AsPath.Segment.sequence(NEW_AS, 65001))));
        rib.update(oldSender, announce(received, "10.9.0.0/24"));
        rib.flush();

        Update atNew = toNew.updates.get(toNew.updates.size() - 1);
        assertEquals(AsPath.sequence(65009, NEW_AS, 65001), atNew.attributes().asPath(), "AS_PATH at a 4-octet client");
        assertNull(atNew.attributes().as4Path(), "AS4_PATH sent to a 4-octet client");
        Update atOld = toOld.updates.get(toOld.updates.size() - 1);
        assertEquals(AsPath.sequence(65009, AsPath.AS_TRANS, 65001), atOld.attributes().asPath(), "AS_PATH at a 2-octet client");
        assertEquals(List.of(AsPath.Segment.sequence(65009, NEW_AS, 65001)), atOld.attributes().as4Path().segments(),
                "AS4_PATH at a 2-octet client");
    }
}
