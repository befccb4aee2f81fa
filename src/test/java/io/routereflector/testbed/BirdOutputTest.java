package io.routereflector.testbed;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The birdc parsers on answers recorded from BIRD 1.6.8 and 2.0.12 on this testbed: GoBGP reflected
 * two paths for 10.12.0.0/26 (ADD-PATH) and one route with every community kind and a MED.
 */
class BirdOutputTest {

    @Test
    void bird16ProtocolShowsCapabilityWordsAndRouteCounts() throws IOException {
        BirdProtocol p = BirdProtocol.parse(resource("bird16-protocol.txt"));
        assertEquals("gobgp", p.name());
        assertEquals("up", p.state());
        assertEquals("Established", p.info());
        assertTrue(p.established());
        assertEquals("198.51.100.13", p.neighborAddress());
        assertEquals(List.of("refresh", "AS4", "add-path-rx", "add-path-tx"), p.neighborCapabilities());
        assertEquals("internal multihop AS4 add-path-rx add-path-tx", p.session());
        assertEquals(2, p.imported());
        assertEquals(1, p.exported());
    }

    @Test
    void bird2ProtocolListsCapabilityNamesOfTheTree() throws IOException {
        BirdProtocol p = BirdProtocol.parse(resource("bird2-protocol.txt"));
        assertTrue(p.established());
        assertEquals(List.of("Multiprotocol", "Route refresh", "Extended next hop", "4-octet AS numbers", "ADD-PATH",
                "Hostname: vm"), p.neighborCapabilities());
        assertEquals("internal multihop AS4", p.session());
        assertEquals(3, p.imported()); // both paths of 10.12.0.0/26 count
        assertEquals(0, p.exported());
    }

    @Test
    void bird16RoutesKeepBothPathsOfAPrefixAndEveryCommunityKind() throws IOException {
        List<PeerRoute> routes = BirdRoutes.parse(resource("bird16-routes.txt"));
        assertEquals(4, routes.size(), routes.toString());
        PeerRoute second = routes.get(1);
        assertEquals("10.12.0.0/26", second.prefix());
        assertEquals("gobgp", second.from());
        assertFalse(second.best());
        assertEquals(List.of(65001L), second.asPath());
        assertEquals("198.51.100.13", second.originatorId());
        assertEquals(List.of("10.0.0.13"), second.clusterList());
        PeerRoute full = routes.get(2);
        assertEquals("10.13.0.0/26", full.prefix());
        assertTrue(full.best());
        assertEquals("198.51.100.13", full.nextHop());
        assertEquals(10, full.med());
        assertEquals(100, full.localPref());
        assertEquals("igp", full.origin());
        assertEquals(List.of(), full.asPath());
        assertEquals(List.of("64512:200"), full.communities());
        assertEquals(List.of("64512:3:4"), full.largeCommunities());
        assertEquals(List.of("rt:64512:10"), full.extCommunities());
    }

    @Test
    void bird2RoutesTakeTheNextHopAttributeAndTheSecondPathOnAnIndentedLine() throws IOException {
        List<PeerRoute> routes = BirdRoutes.parse(resource("bird2-routes.txt"));
        assertEquals(4, routes.size(), routes.toString());
        PeerRoute first = routes.get(1);
        PeerRoute second = routes.get(2);
        assertEquals("10.12.0.0/26", first.prefix());
        assertEquals("10.12.0.0/26", second.prefix());
        assertEquals("198.51.100.12", first.nextHop());
        assertEquals("198.51.100.13", second.nextHop());
        assertTrue(first.best());
        assertFalse(second.best());
        assertEquals("198.51.100.12", first.originatorId());
        PeerRoute full = routes.get(3);
        assertEquals(List.of("64512:200"), full.communities());
        assertEquals(List.of("64512:3:4"), full.largeCommunities());
        assertEquals(List.of("rt:64512:10"), full.extCommunities());
    }

    @Test
    void anAnswerWithoutProtocolTableIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> BirdProtocol.parse("BIRD 2.0.12 ready.\nsyntax error\n"));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = BirdOutputTest.class.getResourceAsStream("/birdc/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource birdc/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
