package io.routereflector.daemon;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as an operator meets it: exit codes and what is printed. */
class MainTest {

    private record Run(int exit, String out, String err) { }

    private static Run run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void decodesAKeepalive() {
        Run run = run("decode", "ffffffffffffffffffffffffffffffff001304");
        assertEquals(0, run.exit());
        assertEquals("message 1: Keepalive[]", run.out().strip());
    }

    @Test
    void reportsTheNotificationABadHeaderWouldEarn() {
        // Marker broken in its first octet: Connection Not Synchronized (1/1).
        Run run = run("decode", "7fffffffffffffffffffffffffffffff001304");
        assertEquals(1, run.exit());
        assertTrue(run.out().contains("Message header error / Connection not synchronized"), run.out());
    }

    @Test
    void rejectsTextThatIsNotHex() {
        Run run = run("decode", "not-hex");
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("message 1: not hex"), run.err());
    }

    @Test
    void rejectsAnUnknownAddPathFamily() {
        Run run = run("decode", "--add-path", "ipx", "ffffffffffffffffffffffffffffffff001304");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("unknown family 'ipx'"), run.err());
    }

    @Test
    void printsItsVersion() {
        Run run = run("version");
        assertEquals(0, run.exit());
        assertTrue(run.out().startsWith("routereflector "), run.out());
    }

    @Test
    void helpListsEveryCommand() {
        Run run = run("--help");
        assertEquals(0, run.exit());
        assertTrue(run.out().contains("Usage: routereflector"), run.out());
        for (String command : new String[] {"run", "check-config", "decode", "version"}) {
            assertTrue(run.out().contains(command), command + " missing in " + run.out());
        }
    }

    /** The summary `--help` lists for each command is its first description line: a whole sentence. */
    @Test
    void everyCommandSummaryIsASentence() {
        CommandLine cli = Main.commandLine();
        for (var entry : cli.getSubcommands().entrySet()) {
            if (entry.getKey().equals("help")) {
                continue;
            }
            String[] description = entry.getValue().getCommandSpec().usageMessage().description();
            assertTrue(description.length > 0, entry.getKey() + " has no description");
            String summary = description[0].strip();
            assertTrue(summary.endsWith("."), "summary of " + entry.getKey() + " ends mid-sentence: " + summary);
        }
    }

    /** `routereflector COMMAND --help` (and `bench config --help`) prints that command's usage and exits 0. */
    @Test
    void everyCommandAnswersHelp() {
        List<String[]> paths = new ArrayList<>();
        collect(Main.commandLine(), new String[0], paths);
        for (String[] path : paths) {
            String[] args = Arrays.copyOf(path, path.length + 1);
            args[path.length] = "--help";
            Run run = run(args);
            String shown = String.join(" ", args);
            assertEquals(0, run.exit(), shown + ": " + run.err());
            assertTrue(run.out().contains("Usage: routereflector " + String.join(" ", path)), shown + ": " + run.out());
        }
    }

    private static void collect(CommandLine cli, String[] path, List<String[]> paths) {
        for (var entry : cli.getSubcommands().entrySet()) {
            if (entry.getKey().equals("help")) {
                continue;
            }
            String[] sub = Arrays.copyOf(path, path.length + 1);
            sub[path.length] = entry.getKey();
            paths.add(sub);
            collect(entry.getValue(), sub, paths);
        }
    }
}
