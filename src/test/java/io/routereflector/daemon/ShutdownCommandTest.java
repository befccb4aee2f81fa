package io.routereflector.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code shutdown} when there is nothing to shut down: clear errors, exit codes, no request left behind. */
class ShutdownCommandTest {

    private record Run(int exit, String err) { }

    private static Run run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        return new Run(cli.execute(args), err.toString());
    }

    @Test
    void withoutARunningDaemonItSaysSo(@TempDir Path state) {
        Run r = run("shutdown", "--state-dir", state.toString(), "--message", "bye");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("no daemon runs with state directory " + state), r.err());
    }

    @Test
    void aStaleMarkerNamesADeadProcessAndLeavesNoRequest(@TempDir Path state) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(state.resolve(Lifecycle.MARKER), Long.toString(gone.pid()));
        Run r = run("shutdown", "--state-dir", state.toString(), "--message", "bye");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("process " + gone.pid() + " is not running"), r.err());
        assertFalse(Files.exists(state.resolve(Lifecycle.SHUTDOWN_REQUEST)));
    }

    @Test
    void anEmptyMessageIsRefused(@TempDir Path state) {
        Run r = run("shutdown", "--state-dir", state.toString(), "--message", " ");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--message is empty"), r.err());
    }
}
