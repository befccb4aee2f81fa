package io.routereflector.daemon.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineLoggingTest {

    @AfterEach
    void reset() {
        LineLogging.configure(Level.INFO, LineLogging.Format.TEXT, System.out);
    }

    @Test
    void jsonLinesCarryThePeerAndParse() throws Exception {
        String line = LineLogging.format(Instant.parse("2024-01-02T03:04:05Z"), Level.WARN, "io.routereflector.X", "loop-1",
                "peer 10.0.0.2 (in): received NOTIFICATION Cease / \"quoted\"\nnext", null, LineLogging.Format.JSON);
        assertFalse(line.contains("\n"), "one line per event");
        JsonNode n = new ObjectMapper().readTree(line);
        assertEquals("2024-01-02T03:04:05Z", n.get("time").asText());
        assertEquals("WARN", n.get("level").asText());
        assertEquals("10.0.0.2", n.get("peer").asText());
        assertEquals("peer 10.0.0.2 (in): received NOTIFICATION Cease / \"quoted\"\nnext", n.get("message").asText());
    }

    @Test
    void textLinesAreTimeLevelThreadLoggerMessage() {
        String line = LineLogging.format(Instant.parse("2024-01-02T03:04:05Z"), Level.INFO, "io.routereflector.daemon.RunCommand",
                "main", "started", null, LineLogging.Format.TEXT);
        assertEquals("2024-01-02T03:04:05Z INFO [main] RunCommand - started", line);
    }

    @Test
    void theSlf4jBindingWritesThroughRedactionAndHonoursTheLevel() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LineLogging.configure(Level.INFO, LineLogging.Format.JSON, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        LineLogging.addSecrets(List.of("hunter2-md5"));
        Logger log = LoggerFactory.getLogger("test.Redaction");
        log.info("peer {}: key {} set", "10.0.0.9", "hunter2-md5");
        log.debug("not shown {}", "hunter2-md5");
        log.warn("failure", new IllegalStateException("password hunter2-md5 in an exception"));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(out.contains("hunter2-md5"), out);
        assertFalse(out.contains("not shown"), out);
        assertTrue(out.contains("key <redacted> set"), out);
        assertTrue(out.contains("password <redacted> in an exception"), out);
        assertEquals(2, out.lines().count(), out);
    }

    @Test
    void calicoSeveritiesMapToSlf4jLevels() {
        assertEquals(Level.DEBUG, LineLogging.fromCalico("Debug"));
        assertEquals(Level.INFO, LineLogging.fromCalico("Info"));
        assertEquals(Level.WARN, LineLogging.fromCalico("Warning"));
        assertEquals(Level.ERROR, LineLogging.fromCalico("Error"));
        assertEquals(Level.ERROR, LineLogging.fromCalico("Fatal"));
        assertThrows(IllegalArgumentException.class, () -> LineLogging.fromCalico("debug"));
    }

    @Test
    void theLevelChangesWhileLoggersAreInUse() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LineLogging.configure(Level.INFO, LineLogging.Format.TEXT, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        Logger log = LoggerFactory.getLogger("test.Live");
        log.debug("first debug");
        assertFalse(log.isDebugEnabled());
        LineLogging.setLevel(Level.DEBUG);
        assertTrue(log.isDebugEnabled());
        log.debug("second debug");
        LineLogging.setLevel(Level.WARN);
        log.info("an info");
        log.warn("a warning");
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(List.of("DEBUG [main] Live - second debug", "WARN [main] Live - a warning"),
                out.lines().map(l -> l.substring(l.indexOf(' ') + 1).replaceFirst("\\[[^]]*]", "[main]")).toList(), out);
    }
}
