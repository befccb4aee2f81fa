package io.routereflector.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.routereflector.wire.attribute.Communities;
import io.routereflector.wire.attribute.ExtendedCommunities;
import io.routereflector.wire.attribute.LargeCommunities;
import io.routereflector.wire.attribute.MpReachNlri;
import io.routereflector.wire.attribute.MultiExitDisc;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.capability.AddPath;
import io.routereflector.wire.capability.FourOctetAs;
import io.routereflector.wire.capability.GracefulRestart;
import io.routereflector.wire.capability.Multiprotocol;
import io.routereflector.wire.message.BgpMessage;
import io.routereflector.wire.message.Keepalive;
import io.routereflector.wire.message.Open;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;
import io.routereflector.wire.nlri.Ipv4Prefix;
import io.routereflector.wire.nlri.Ipv6Prefix;
import io.routereflector.wire.nlri.Nlri;
import io.routereflector.wire.nlri.NlriList;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every golden capture under {@code golden/} (what BIRD 1.6, BIRD 2, GoBGP and FRR really sent, see its
 * README): each message decodes and re-encodes byte-exact, and carries what the peer's configuration
 * (quoted in the file's header) says it must. The expectations are read from that configuration, so a
 * new capture is checked the same way without touching this class.
 */
class GoldenFilesTest {

    /** Eight captures exist today (four implementations × two families); fewer means some went missing. */
    private static final int MIN_FILES = 8;
    /** The AS of the testbed's Calico-like peers and of the capture speaker (golden/README.md). */
    private static final long CALICO_AS = 64512;

    @Test
    void allCapturesAreFound() {
        assertTrue(goldenFiles().size() >= MIN_FILES, "golden captures found: " + goldenFiles());
    }

    @TestFactory
    Stream<DynamicTest> everyCapture() {
        return goldenFiles().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
                () -> check(Capture.read(file))));
    }

    static List<Path> goldenFiles() {
        URL dir = GoldenFilesTest.class.getClassLoader().getResource("golden");
        assertNotNull(dir, "no golden/ directory on the test class path");
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".hex")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(Capture capture) {
        List<BgpMessage> messages = new ArrayList<>();
        for (int i = 0; i < capture.messages.size(); i++) {
            messages.add(decodeReencode(capture, i));
        }
        assertTrue(messages.size() >= 3, "an OPEN, a KEEPALIVE and UPDATEs");
        checkOpen(capture, assertInstanceOf(Open.class, messages.get(0), "the first message is the OPEN"));
        assertInstanceOf(Keepalive.class, messages.get(1), "the OPEN is confirmed by a KEEPALIVE");

        Map<IpPrefix, PathAttributes> announced = new LinkedHashMap<>();
        boolean endOfRib = false;
        for (BgpMessage m : messages.subList(2, messages.size())) {
            Update update = assertInstanceOf(Update.class, m, "after the KEEPALIVE only UPDATEs");
            assertTrue(update.problems().isEmpty(), () -> "RFC 7606 problems: " + update.problems());
            if (update.isEndOfRib()) {
                assertEquals(capture.family, update.endOfRibFamily(), "End-of-RIB of the capture's family");
                endOfRib = true;
                continue;
            }
            NlriList routes = update.reachable(capture.family);
            assertFalse(routes.isEmpty(), "each UPDATE announces routes of " + capture.family);
            assertEquals(capture.settings.addPath(capture.family), routes.withPathIds(), "path ids as negotiated");
            checkNextHop(capture, update.attributes());
            for (Nlri nlri : routes) {
                assertNull(announced.put(nlri.prefix(), update.attributes()), "announced once: " + nlri);
            }
        }
        assertEquals(capture.endOfRib, endOfRib, "End-of-RIB as the header says");
        assertTrue(endOfRib, "the capture ends with the End-of-RIB (RFC 4724)");
        assertEquals(capture.expectedRoutes.keySet(), announced.keySet(), "routes of the peer's configuration");
        announced.forEach((prefix, attributes) -> checkRoute(capture.expectedRoutes.get(prefix), attributes, prefix));
    }

    private static BgpMessage decodeReencode(Capture capture, int i) {
        byte[] wire = capture.messages.get(i);
        BgpMessage message = MessageCodec.decode(Unpooled.wrappedBuffer(wire), capture.settings);
        ByteBuf again = Unpooled.buffer();
        try {
            MessageCodec.encode(message, capture.settings, again);
            assertEquals(Hex.of(wire), Hex.hex(again), "message " + (i + 1) + " re-encodes byte-exact: " + message);
        } finally {
            again.release();
        }
        return message;
    }

    /** The capabilities a Calico-like peer sends (golden/README.md): MP, AS4 64512, GR, ADD-PATH. */
    private static void checkOpen(Capture capture, Open open) {
        assertEquals(Open.VERSION, open.version());
        assertEquals(CALICO_AS, open.myAs(), "My AS");
        assertEquals(CALICO_AS, open.capability(FourOctetAs.class).orElseThrow().asn(), "4-octet AS capability");
        assertEquals(Ipv4Prefix.parseAddress(capture.config("router[ -]id\\s*=?\\s*\"?([0-9.]+)")), open.bgpIdentifier(),
                "BGP identifier is the configured router id");
        assertTrue(open.holdTime() >= 3, "a usable hold time: " + open.holdTime());
        assertTrue(open.capabilities().contains(new Multiprotocol(capture.family)), "MP capability for " + capture.family);
        GracefulRestart gr = open.capability(GracefulRestart.class).orElseThrow();
        // 120 s: GoBGP's configured restart-time and BIRD's default.
        assertEquals(120, gr.restartTime());
        assertTrue(gr.families().stream().anyMatch(e -> e.family().equals(capture.family)), "GR for the family: " + gr);
        AddPath.Entry addPath = open.capability(AddPath.class).orElseThrow().entry(capture.family).orElseThrow();
        assertEquals(capture.settings.addPath(capture.family), addPath.canSend(), "the peer sends path ids: " + addPath);
        assertTrue(addPath.canReceive(), "ADD-PATH receive is configured: " + addPath);
    }

    /** The next hop is the peer's configured local address: NEXT_HOP for IPv4, MP_REACH_NLRI's for IPv6. */
    private static void checkNextHop(Capture capture, PathAttributes attributes) {
        String local = capture.config("(?:local |local-address = \"|update-source )([0-9a-fA-F.:]+)");
        if (capture.family.equals(AddressFamily.IPV4_UNICAST)) {
            assertNotNull(attributes.nextHop(), "NEXT_HOP");
            assertEquals(Ipv4Prefix.parseAddress(local), attributes.nextHop().address(), "NEXT_HOP " + attributes.nextHop());
            assertNull(attributes.mpReach());
        } else {
            MpReachNlri reach = attributes.mpReach();
            assertNotNull(reach, "MP_REACH_NLRI");
            assertArrayEquals(Ipv6Prefix.parseAddress(local), reach.globalNextHop(), "global next hop " + reach);
        }
        assertTrue(attributes.asPath().isEmpty(), "iBGP: the AS_PATH is empty");
        assertEquals(100, attributes.localPref().value(), "iBGP default LOCAL_PREF");
    }

    private static void checkRoute(Expected expected, PathAttributes a, IpPrefix prefix) {
        String where = " of " + prefix + ": " + a;
        assertEquals(expected.communities, a.communities() == null ? Set.of() : set(a.communities().values()),
                "communities" + where);
        Set<List<Integer>> large = new LinkedHashSet<>();
        LargeCommunities lc = a.largeCommunities();
        for (int i = 0; lc != null && i < lc.size(); i++) {
            large.add(List.of(lc.globalAdministrator(i), lc.localData1(i), lc.localData2(i)));
        }
        assertEquals(expected.large, large, "large communities" + where);
        ExtendedCommunities ext = a.extendedCommunities();
        Set<Long> extended = new TreeSet<>();
        for (int i = 0; ext != null && i < ext.size(); i++) {
            extended.add(ext.get(i));
        }
        assertEquals(expected.routeTargets, extended, "route targets" + where);
        MultiExitDisc med = a.multiExitDisc();
        assertEquals(expected.med, med == null ? -1 : med.value(), "MED" + where);
    }

    private static Set<Integer> set(int[] values) {
        Set<Integer> s = new TreeSet<>();
        Arrays.stream(values).forEach(s::add);
        return s;
    }

    /** What the configuration attaches to one route; routes it does not mention carry nothing. */
    static final class Expected {
        final Set<Integer> communities = new TreeSet<>();
        final Set<List<Integer>> large = new LinkedHashSet<>();
        final Set<Long> routeTargets = new TreeSet<>();
        long med = -1;
    }

    /** One parsed .hex file: the header settings, the quoted peer configuration and the messages. */
    static final class Capture {
        private static final Pattern HEADER = Pattern.compile("^#\\s*([a-z0-9-]+):\\s*(.*)$");
        // BIRD's "route P blackhole;" and GoBGP's "StaticRoute[prefix=P, ...".
        private static final Pattern ROUTE = Pattern.compile("(?:\\broute |prefix=)([0-9a-fA-F.:]+/\\d+)");
        private static final Pattern BIRD_FILTER = Pattern.compile("if net = (\\S+) then \\{(.*)}");
        private static final Pattern BIRD_COMMUNITY = Pattern.compile("bgp_community\\.add\\(\\((\\d+),(\\d+)\\)\\)");
        private static final Pattern BIRD_LARGE = Pattern.compile("bgp_large_community\\.add\\(\\((\\d+),(\\d+),(\\d+)\\)\\)");
        private static final Pattern GOBGP_ROUTE = Pattern.compile("prefix=([^,]+), communities=\\[([^]]*)], "
                + "largeCommunities=\\[([^]]*)], routeTargets=\\[([^]]*)], med=(-?\\d+)");

        final Path file;
        final AddressFamily family;
        final WireSettings settings;
        final boolean endOfRib;
        final String config;
        final Map<IpPrefix, Expected> expectedRoutes = new HashMap<>();
        final List<byte[]> messages = new ArrayList<>();

        private Capture(Path file, Map<String, String> header, String config, List<byte[]> messages) {
            this.file = file;
            this.family = switch (required(header, "family")) {
                case "ipv4-unicast" -> AddressFamily.IPV4_UNICAST;
                case "ipv6-unicast" -> AddressFamily.IPV6_UNICAST;
                default -> throw new AssertionError(file + ": unknown family " + header.get("family"));
            };
            boolean addPath = Boolean.parseBoolean(required(header, "add-path"));
            this.settings = new WireSettings(Boolean.parseBoolean(required(header, "extended-messages")),
                    Boolean.parseBoolean(required(header, "four-octet-as")), addPath ? Set.of(family) : Set.of());
            this.endOfRib = Boolean.parseBoolean(required(header, "end-of-rib"));
            this.config = config;
            this.messages.addAll(messages);
            readExpectedRoutes();
        }

        static Capture read(Path file) throws IOException {
            Map<String, String> header = new HashMap<>();
            StringBuilder config = new StringBuilder();
            List<byte[]> messages = new ArrayList<>();
            boolean inConfig = false;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                if (!line.startsWith("#")) {
                    messages.add(Hex.bytes(line.trim()));
                    continue;
                }
                Matcher m = HEADER.matcher(line);
                if (!inConfig && m.matches()) {
                    header.put(m.group(1), m.group(2).trim());
                } else if (line.startsWith("# peer config:")) {
                    inConfig = true;
                } else if (inConfig) {
                    config.append(line.substring(1)).append('\n');
                }
            }
            return new Capture(file, header, config.toString(), messages);
        }

        private String required(Map<String, String> header, String key) {
            String value = header.get(key);
            if (value == null) {
                fail(file + ": header line '# " + key + ": ...' missing");
            }
            return value;
        }

        /** The first group of the first match of {@code regex} in the peer configuration. */
        String config(String regex) {
            Matcher m = Pattern.compile(regex).matcher(config);
            if (!m.find()) {
                fail(file + ": nothing in the peer config matches " + regex);
            }
            return m.group(1);
        }

        private void readExpectedRoutes() {
            Matcher routes = ROUTE.matcher(config);
            while (routes.find()) {
                expectedRoutes.put(prefix(routes.group(1)), new Expected());
            }
            if (expectedRoutes.isEmpty()) {
                fail(file + ": the peer config lists no routes");
            }
            Matcher bird = BIRD_FILTER.matcher(config);
            while (bird.find()) {
                Expected e = expected(bird.group(1));
                Matcher c = BIRD_COMMUNITY.matcher(bird.group(2));
                while (c.find()) {
                    e.communities.add(Communities.of(Integer.parseInt(c.group(1)), Integer.parseInt(c.group(2))));
                }
                Matcher l = BIRD_LARGE.matcher(bird.group(2));
                while (l.find()) {
                    e.large.add(List.of(Integer.parseUnsignedInt(l.group(1)), Integer.parseUnsignedInt(l.group(2)),
                            Integer.parseUnsignedInt(l.group(3))));
                }
            }
            Matcher gobgp = GOBGP_ROUTE.matcher(config);
            while (gobgp.find()) {
                Expected e = expected(gobgp.group(1));
                for (String c : items(gobgp.group(2))) {
                    String[] p = c.split(":");
                    e.communities.add(Communities.of(Integer.parseInt(p[0]), Integer.parseInt(p[1])));
                }
                for (String c : items(gobgp.group(3))) {
                    String[] p = c.split(":");
                    e.large.add(List.of(Integer.parseUnsignedInt(p[0]), Integer.parseUnsignedInt(p[1]),
                            Integer.parseUnsignedInt(p[2])));
                }
                for (String rt : items(gobgp.group(4))) {
                    // RFC 4360 §4: two-octet-AS-specific route target, type 0x00 subtype 0x02.
                    String[] p = rt.split(":");
                    e.routeTargets.add((0x0002L << 48) | (Long.parseLong(p[0]) << 32) | Long.parseLong(p[1]));
                }
                e.med = Long.parseLong(gobgp.group(5));
                if (e.med == -1 && config.contains("frr defaults")) {
                    // FRR gives a `network` route the metric of its RIB route as MED: 0, as there is none
                    // (`no bgp network import-check`).
                    e.med = 0;
                }
            }
        }

        private Expected expected(String prefix) {
            Expected e = expectedRoutes.get(prefix(prefix));
            if (e == null) {
                fail(file + ": the config sets attributes on " + prefix + ", which it does not announce");
            }
            return e;
        }

        private static List<String> items(String list) {
            return list.isBlank() ? List.of() : Arrays.stream(list.split(",")).map(String::trim).toList();
        }

        private IpPrefix prefix(String text) {
            return family.equals(AddressFamily.IPV4_UNICAST) ? Ipv4Prefix.parse(text) : Ipv6Prefix.parse(text);
        }
    }
}
