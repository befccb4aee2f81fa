package io.routereflector.daemon;

import io.routereflector.daemon.log.LineLogging;
import io.routereflector.datastore.derive.DaemonSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogLevelSettingTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @AfterEach
    void reset() {
        LineLogging.configure(Level.INFO, LineLogging.Format.TEXT, System.out);
    }

    private LogLevelSetting start(Level given) {
        LogLevelSetting setting = new LogLevelSetting(given);
        LineLogging.configure(setting.initial(), LineLogging.Format.TEXT, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return setting;
    }

    @Test
    void withoutAFlagTheDatastoresSeverityAppliesLiveAndItsRemovalMeansInfo() {
        LogLevelSetting setting = start(null);
        assertEquals(Level.INFO, LineLogging.level());
        setting.apply(new DaemonSettings("Debug"));
        assertEquals(Level.DEBUG, LineLogging.level());
        setting.apply(new DaemonSettings("Warning"));
        assertEquals(Level.WARN, LineLogging.level());
        setting.apply(new DaemonSettings("Fatal"));
        assertEquals(Level.ERROR, LineLogging.level());
        setting.apply(DaemonSettings.NONE);
        assertEquals(Level.INFO, LineLogging.level());
        String out = bytes.toString(StandardCharsets.UTF_8);
        // Each change is said at info under whichever level shows it.
        assertTrue(out.contains("log level debug (BGPConfiguration logSeverityScreen Debug), was info"), out);
        assertTrue(out.contains("log level warn (BGPConfiguration logSeverityScreen Warning), was debug"), out);
        assertTrue(out.contains("log level info (BGPConfiguration logSeverityScreen unset), was error"), out);
        assertTrue(!out.contains("logSeverityScreen Fatal"), "said at info while at warn? " + out);
    }

    @Test
    void aGivenLevelWinsOverTheDatastore() {
        LogLevelSetting setting = start(Level.WARN);
        assertEquals(Level.WARN, LineLogging.level());
        setting.apply(new DaemonSettings("Debug"));
        assertEquals(Level.WARN, LineLogging.level());
        setting = start(Level.DEBUG);
        setting.apply(new DaemonSettings("Error"));
        assertEquals(Level.DEBUG, LineLogging.level());
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("logSeverityScreen is Error: ignored"), bytes.toString());
    }
}
