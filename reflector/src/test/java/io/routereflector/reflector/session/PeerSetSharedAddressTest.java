package io.routereflector.reflector.session;

import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.rib.PeerKey;
import io.routereflector.wire.capability.FourOctetAs;
import io.routereflector.wire.message.Open;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static io.routereflector.reflector.session.PeerSetLoopbackTest.await;
import static io.routereflector.reflector.session.PeerSetLoopbackTest.freePort;
import static io.routereflector.reflector.session.PeerSetLoopbackTest.ip;
import static io.routereflector.reflector.session.PeerSetLoopbackTest.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several peers on one address, each on its own port (Calico keys peerings by address and port), over
 * real sockets on 127.0.0.x. A connection they open to us comes from an arbitrary port, so its OPEN says
 * whose it is: the peer AS, else the BGP identifier seen on an earlier session; otherwise it is refused
 * and we dial.
 */
@Timeout(30)
class PeerSetSharedAddressTest {

    static final long OUR_AS = 64512;
    static final String US = "127.0.0.1";
    static final String THEM = "127.0.0.2";
    final List<PeerSet> sets = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (PeerSet s : sets) {
            s.close();
        }
    }

    PeerSet speaker(String routerId, long as, String address, int port, PeerConfig... peers) throws Exception {
        PeerSet set = new PeerSet(Transport.detect(), 1, new Recording());
        sets.add(set);
        set.apply(new ReflectorConfig((Inet4Address) ip(routerId), null, as, List.of(ip(address)), port, List.of(peers), false));
        return set;
    }

    static PeerConfig.Builder peer(String address, int port, long as, String source) throws Exception {
        return PeerConfig.builder(ip(address), as).port(port).holdTime(3).connectRetryTime(1).sourceAddress(ip(source));
    }

    static boolean up(PeerSet set, PeerKey key) {
        PeerSession s = set.session(key);
        return s != null && s.state() == SessionState.ESTABLISHED;
    }

    @Test
    void eachAcceptedConnectionGoesToThePeerWhoseAsItsOpenNames() throws Exception {
        int ours = freePort();
        int portB = freePort();
        int portC = freePort();
        // We only listen: every session below is one the peers opened to us from some port of 127.0.0.2.
        PeerSet rr = speaker(US, OUR_AS, US, ours, peer(THEM, portB, 65001, US).passive(true).build(),
                peer(THEM, portC, 65002, US).passive(true).build());
        speaker(THEM, 65001, THEM, portB, peer(US, ours, OUR_AS, THEM).build());
        speaker(THEM, 65002, THEM, portC, peer(US, ours, OUR_AS, THEM).build());
        PeerKey b = new PeerKey(ip(THEM), portB);
        PeerKey c = new PeerKey(ip(THEM), portC);
        await(Duration.ofSeconds(10), () -> up(rr, b) && up(rr, c), "both sessions on 127.0.0.2 Established");
        assertEquals(65001, rr.session(b).negotiated().peerAs());
        assertEquals(65002, rr.session(c).negotiated().peerAs());
        assertNotEquals(rr.session(b).channel(), rr.session(c).channel());
    }

    @Test
    void anOpenThatDoesNotTellWhichPeerItIsIsRefusedUntilItsIdentifierIsKnown() throws Exception {
        int ours = freePort();
        int portB = freePort();
        int portC = freePort();
        // Two peers in one AS on one address: we dial both (their own ports); they only listen.
        PeerSet rr = speaker(US, OUR_AS, US, ours, peer(THEM, portB, 65001, US).build(), peer(THEM, portC, 65001, US).build());
        PeerKey b = new PeerKey(ip(THEM), portB);
        PeerKey c = new PeerKey(ip(THEM), portC);
        // Before any session: the AS fits both, no identifier is known. Refused, nothing else sent.
        assertEquals("ff".repeat(16) + "0015" + "03" + "0605", refusedOrAnswered(Open.of(65001, 3, 0x0A000003,
                List.of(new FourOctetAs(65001)))));
        speaker("10.0.0.2", 65001, THEM, portB, peer(US, ours, OUR_AS, THEM).passive(true).build());
        speaker("10.0.0.3", 65001, THEM, portC, peer(US, ours, OUR_AS, THEM).passive(true).build());
        await(Duration.ofSeconds(10), () -> up(rr, b) && up(rr, c), "both Established by our dialling");
        assertEquals(0x0A000003, rr.session(c).lastPeerIdentifier());
        // Now 10.0.0.3 is known to be the peer on portC: its connection is taken (we answer with our OPEN).
        assertEquals("OPEN", refusedOrAnswered(Open.of(65001, 3, 0x0A000003, List.of(new FourOctetAs(65001)))));
        // An identifier neither session has had: refused; an AS neither has: refused.
        assertTrue(refusedOrAnswered(Open.of(65001, 3, 0x0A000009, List.of(new FourOctetAs(65001)))).endsWith("0605"));
        assertTrue(refusedOrAnswered(Open.of(65009, 3, 0x0A000002, List.of(new FourOctetAs(65009)))).endsWith("0605"));
    }

    /** Opens a connection from 127.0.0.2, sends {@code open}; "OPEN" when we answered with ours, else the bytes we sent. */
    String refusedOrAnswered(Open open) throws Exception {
        int ours = sets.get(0).listening().get(0).getPort();
        try (Socket raw = new Socket()) {
            raw.bind(new InetSocketAddress(ip(THEM), 0));
            raw.connect(new InetSocketAddress(ip(US), ours), 2000);
            raw.setSoTimeout(3000);
            write(raw.getOutputStream(), open);
            DataInputStream in = new DataInputStream(raw.getInputStream());
            byte[] header = new byte[19];
            in.readFully(header);
            if (header[18] == 1) {
                return "OPEN";
            }
            byte[] rest = new byte[2];
            in.readFully(rest);
            assertEquals(-1, in.read(), "closed after the NOTIFICATION");
            return HexFormat.of().formatHex(header) + HexFormat.of().formatHex(rest);
        }
    }
}
