package io.routereflector.daemon.birdctl;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.routereflector.daemon.birdctl.RequestLineDecoder.RequestLine;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pieces of BIRD 1.6's control protocol, each against the bytes real BIRD 1.6.8 wrote for the same request. */
class BirdProtocolTest {

    @Test
    void continuationLinesOfTheSameCodeStartWithABlankAcrossCommands() {
        BirdReply r = new BirdReply();
        r.last(1, "BIRD 1.6.8 ready.");
        r.more(2002, "name     proto    table    state  since       info");
        r.more(1002, "device1  Device   master   up     05:50:38    ");
        r.more(1002, "Mesh_127_0_0_2 BGP      master   start  05:50:38    Active        Socket: Connection refused");
        r.last(0, "");
        // BIRD remembers the last code per connection: the next reply's first 1018 line still gets its code.
        r.more(1018, "BIRD memory usage");
        r.more(1018, "Total:              45 kB");
        r.last(0, "");
        assertEquals("0001 BIRD 1.6.8 ready.\n"
                + "2002-name     proto    table    state  since       info\n"
                + "1002-device1  Device   master   up     05:50:38    \n"
                + " Mesh_127_0_0_2 BGP      master   start  05:50:38    Active        Socket: Connection refused\n"
                + "0000 \n"
                + "1018-BIRD memory usage\n"
                + " Total:              45 kB\n"
                + "0000 \n", r.take());
        assertEquals("", r.take());
    }

    @Test
    void anOverlongLineIsBirdsLineOverflow() {
        BirdReply r = new BirdReply();
        r.more(1006, "x".repeat(600));
        r.last(9002, "y".repeat(600) + " is not a protocol");
        assertEquals("8000-<line overflow>\n8000 <line overflow>\n", r.take());
    }

    @Test
    void commandsAreParsedAsBirdsCaseSensitiveGrammar() {
        assertEquals(new BirdCommand.ShowStatus(), BirdCommand.parse("show status"));
        assertEquals(new BirdCommand.ShowMemory(), BirdCommand.parse("show memory"));
        assertEquals(new BirdCommand.ShowRouteCount(), BirdCommand.parse("show   route\tcount"));
        assertEquals(new BirdCommand.ShowProtocols(false, null, null), BirdCommand.parse("show protocols"));
        assertEquals(new BirdCommand.ShowProtocols(true, null, null), BirdCommand.parse("show protocols all"));
        assertEquals(new BirdCommand.ShowProtocols(true, "Mesh_10_0_0_2", null), BirdCommand.parse("show protocols all Mesh_10_0_0_2"));
        assertEquals(new BirdCommand.ShowProtocols(false, null, "Node_*"), BirdCommand.parse("show protocols \"Node_*\""));
        for (String bad : new String[]{"", "foo", "show", "SHOW PROTOCOLS", "show proto", "show protocols all a b", "show protocols \"x",
                "show protocols 10.0.0.1"}) {
            assertEquals(BirdCommand.SYNTAX_ERROR, BirdCommand.parse(bad), bad);
        }
        assertEquals(new BirdCommand.Refused(9001, "Symbol too long"), BirdCommand.parse("show protocols " + "x".repeat(65)));
    }

    @Test
    void patternsMatchLikeBirdsPatmatch() {
        assertTrue(BirdCommand.matches("Mesh*", "Mesh_10_0_0_1"));
        assertTrue(BirdCommand.matches("*_1", "Mesh_10_0_0_1"));
        assertTrue(BirdCommand.matches("Node_10_0_0_?", "Node_10_0_0_7"));
        assertFalse(BirdCommand.matches("Node_10_0_0_?", "Node_10_0_0_17"));
        assertFalse(BirdCommand.matches("X*", "Mesh_10_0_0_1"));
    }

    @Test
    void requestLinesDropCarriageReturnsAndAreTooLongFrom4094Characters() {
        EmbeddedChannel ch = new EmbeddedChannel(new RequestLineDecoder());
        String ok = "show route count" + " ".repeat(RequestLineDecoder.LIMIT - 1 - 16);
        ch.writeInbound(Unpooled.copiedBuffer("show sta", StandardCharsets.US_ASCII));
        assertNull(ch.readInbound(), "no line before its newline");
        ch.writeInbound(Unpooled.copiedBuffer("tus\r\n" + ok + "\n" + ok + " \nshow memory\n", StandardCharsets.US_ASCII));
        assertEquals(new RequestLine("show status", false), ch.readInbound());
        assertEquals(new RequestLine(ok, false), ch.readInbound());
        assertEquals(new RequestLine(null, true), ch.readInbound());
        assertEquals(new RequestLine("show memory", false), ch.readInbound());
        // A line that never ends is discarded as it comes: nothing grows.
        for (int i = 0; i < 100; i++) {
            ch.writeInbound(Unpooled.copiedBuffer("x".repeat(10_000), StandardCharsets.US_ASCII));
        }
        ch.writeInbound(Unpooled.copiedBuffer("\n", StandardCharsets.US_ASCII));
        assertEquals(new RequestLine(null, true), ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void timeFormatsAreBirdsChoices() {
        Instant now = Instant.parse("2024-05-02T10:00:00Z");
        Instant recent = Instant.parse("2024-05-01T14:15:07Z"); // 19 h 45 min ago: still "short"
        Instant old = Instant.parse("2024-05-01T13:59:59Z");    // more than 20 h ago
        assertEquals("14:15:07", BirdTimeFormat.ISO_SHORT.format(recent, now, ZoneOffset.UTC));
        assertEquals("2024-05-01", BirdTimeFormat.ISO_SHORT.format(old, now, ZoneOffset.UTC));
        assertEquals("2024-05-01 13:59:59", BirdTimeFormat.ISO_LONG.format(old, now, ZoneOffset.UTC));
        assertEquals("14:15", BirdTimeFormat.OLD_SHORT.format(recent, now, ZoneOffset.UTC));
        assertEquals("May01", BirdTimeFormat.OLD_SHORT.format(old, now, ZoneOffset.UTC));
        assertEquals("2022", BirdTimeFormat.OLD_SHORT.format(Instant.parse("2022-05-01T00:00:00Z"), now, ZoneOffset.UTC));
        assertEquals("01-05-2024 13:59:59", BirdTimeFormat.OLD_LONG.format(old, now, ZoneOffset.UTC));
        assertEquals(Long.toString(old.getEpochSecond()), BirdTimeFormat.UNIX.format(old, now, ZoneOffset.UTC));
        assertEquals(BirdTimeFormat.ISO_LONG, BirdTimeFormat.parse("ISO-long"));
    }

    @Test
    void memorySizesArePrintedLikeBirdsPrintSize() {
        assertEquals("Routing tables:   9144  B", BirdCli.size("Routing tables:", 9144));
        assertEquals("Total:              45 kB", BirdCli.size("Total:", 45 * 1024 + 100));
        assertEquals("Total:             129 MB", BirdCli.size("Total:", 129L * 1024 * 1024));
    }
}
