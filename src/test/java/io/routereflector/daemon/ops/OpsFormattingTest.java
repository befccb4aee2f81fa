package io.routereflector.daemon.ops;

import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.PeerKind;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.reflector.session.SessionState;
import io.routereflector.wire.nlri.Ipv4Prefix;
import io.routereflector.wire.nlri.Ipv6Prefix;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpsFormattingTest {

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void protocolNamesAreCalicosBirdNames() throws Exception {
        assertEquals("Mesh_10_0_0_1", PeerKind.NODE_MESH.protocolName(ip("10.0.0.1")));
        assertEquals("Global_192_168_1_254", PeerKind.GLOBAL.protocolName(ip("192.168.1.254")));
        assertEquals("Node_fd00__1", PeerKind.NODE_SPECIFIC.protocolName(ip("fd00::1")));
        assertEquals("Node_2001_db8__1_0_0_2", PeerKind.NODE_SPECIFIC.protocolName(ip("2001:db8:0:0:1:0:0:2")));
        assertEquals("Global_fd00_0_1_2_3_4_5_6", PeerKind.GLOBAL.protocolName(ip("fd00:0:1:2:3:4:5:6")));
        assertEquals("node-to-node mesh", PeerKind.NODE_MESH.toString());
        assertEquals("node specific", PeerKind.NODE_SPECIFIC.toString());
    }

    @Test
    void statesAndInfoAreWordedAsBirdDoes() {
        assertEquals("up", BirdWords.protocolState(SessionState.ESTABLISHED));
        assertEquals("start", BirdWords.protocolState(SessionState.ACTIVE));
        assertEquals("start", BirdWords.protocolState(SessionState.OPEN_SENT));
        assertEquals("down", BirdWords.protocolState(SessionState.IDLE));
        assertEquals("Established", BirdWords.info(SessionState.ESTABLISHED, "Socket: Connection refused"));
        assertEquals("Active Socket: Connection refused", BirdWords.info(SessionState.ACTIVE, "Socket: Connection refused"));
        assertEquals("Connect", BirdWords.info(SessionState.CONNECT, null));
    }

    @Test
    void sinceIsTheTimeTodayAndTheDateBefore() {
        Instant now = Instant.parse("2024-05-02T10:00:00Z");
        assertEquals("09:15:07", BirdWords.since(Instant.parse("2024-05-02T09:15:07Z"), now, ZoneOffset.UTC));
        assertEquals("2024-05-01", BirdWords.since(Instant.parse("2024-05-01T23:59:59Z"), now, ZoneOffset.UTC));
    }

    @Test
    void statusTableHasCalicoctlsColumnsPerFamily() {
        StatusModel.PeerRow up = new StatusModel.PeerRow("10.0.0.2", "node-to-node mesh", "IPv4", "Mesh_10_0_0_2", "up", "12:00:01", 0,
                "Established", "Established");
        StatusModel.PeerRow down = new StatusModel.PeerRow("10.0.0.3", "global", "IPv4", "Global_10_0_0_3", "start", "12:00:02", 0,
                "Active", "Active Socket: Connection refused");
        String text = TextFormat.status(new StatusModel.Status("10.0.0.1", "224.0.0.1", 64512, List.of("10.0.0.1:179"), "HEALTHY",
                List.of(up, down)));
        List<String> lines = text.lines().toList();
        int header = lines.indexOf("IPv4 BGP status");
        assertEquals("| PEER ADDRESS |     PEER TYPE     | STATE |  SINCE   |               INFO                |", lines.get(header + 2));
        assertEquals("| 10.0.0.2     | node-to-node mesh | up    | 12:00:01 | Established                       |", lines.get(header + 4));
        assertEquals("| 10.0.0.3     | global            | start | 12:00:02 | Active Socket: Connection refused |", lines.get(header + 5));
        assertTrue(text.contains("IPv6 BGP status\nNo IPv6 peers found."), text);
    }

    @Test
    void readinessFollowsCalicoNode() {
        Duration early = Duration.ofSeconds(5);
        Duration late = Duration.ofSeconds(31);
        assertTrue(Readiness.evaluate(0, 0, false, early).ready());
        assertFalse(Readiness.evaluate(3, 2, false, early).ready());
        assertTrue(Readiness.evaluate(3, 3, false, early).ready());
        assertFalse(Readiness.evaluate(3, 3, true, early).ready(), "GR in progress during start-up");
        assertTrue(Readiness.evaluate(3, 1, true, late).ready());
        assertFalse(Readiness.evaluate(3, 0, false, late).ready());
        assertEquals("no peer Established (0/3)", Readiness.evaluate(3, 0, false, late).reason());
    }

    @Test
    void routeFiltersCoverLikeShowRouteFor() {
        assertTrue(RouteQuery.covers(Ipv4Prefix.parse("10.0.0.0/8"), RouteQuery.parse("10.1.2.3")));
        assertFalse(RouteQuery.covers(Ipv4Prefix.parse("10.0.0.0/16"), RouteQuery.parse("10.1.2.3")));
        assertTrue(RouteQuery.covers(Ipv4Prefix.parse("0.0.0.0/0"), RouteQuery.parse("192.0.2.1")));
        assertTrue(RouteQuery.covers(Ipv6Prefix.parse("fd00::/8"), RouteQuery.parse("fd12::1")));
        assertTrue(RouteQuery.covers(Ipv6Prefix.parse("fd00:0:0:1::/64"), RouteQuery.parse("fd00:0:0:1:ffff::1")));
        assertFalse(RouteQuery.covers(Ipv6Prefix.parse("fd00:0:0:1:8000::/65"), RouteQuery.parse("fd00:0:0:1:7fff::1")));
        assertFalse(RouteQuery.covers(Ipv4Prefix.parse("10.0.0.0/8"), RouteQuery.parse("fd00::1")));
    }

    @Test
    void configChangesNameWhatChangedButNeverThePassword() throws Exception {
        PeerConfig a = PeerConfig.builder(ip("10.0.0.2"), 64512).kind(PeerKind.NODE_MESH).password("s3cret-one").build();
        PeerConfig b = PeerConfig.builder(ip("10.0.0.3"), 64512).build();
        ReflectorConfig before = ReflectorConfig.of((Inet4Address) ip("10.0.0.1"), 64512, List.of(), 179, List.of(a, b));
        PeerConfig a2 = a.toBuilder().password("s3cret-two").holdTime(90).build();
        PeerConfig c = PeerConfig.builder(ip("10.0.0.4"), 64512).kind(PeerKind.GLOBAL).build();
        String text = ConfigChange.describe(before, before.withPeers(List.of(a2, c)));
        assertEquals("1 peers added: 10.0.0.4 (global, rr client); 1 removed: 10.0.0.3; "
                + "1 changed: 10.0.0.2 (password, holdTime, keepaliveTime)", text);
        assertFalse(ConfigChange.describe(null, before).contains("s3cret"));
        assertTrue(ConfigChange.describe(null, before).startsWith("initial: router id 10.0.0.1"));
    }
}
