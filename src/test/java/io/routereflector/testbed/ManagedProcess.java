package io.routereflector.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A long-running program of the testbed (bird, gobgpd, etcd) with its output in a log file.
 * Stopped by its own pid only: SIGTERM, then SIGKILL after a grace period.
 */
public final class ManagedProcess implements AutoCloseable {

    private static final int LOG_TAIL_CHARS = 12_000;

    private final String name;
    private final List<String> command;
    private final Path log;
    private final Process process;

    private ManagedProcess(String name, List<String> command, Path log, Process process) {
        this.name = name;
        this.command = List.copyOf(command);
        this.log = log;
        this.process = process;
    }

    /** Starts {@code command} with stdout and stderr appended to {@code log}. */
    public static ManagedProcess start(String name, List<String> command, Path log) {
        Binaries.require(Path.of(command.get(0)));
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new ManagedProcess(name, command, log, process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + " (`" + String.join(" ", command) + "`): "
                    + e.getMessage() + "; install test dependencies with " + Binaries.INSTALL_SCRIPT, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return log;
    }

    /** The end of the program's own log, for failure messages. */
    public String log() {
        try {
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (text.length() > LOG_TAIL_CHARS) {
                text = "…" + text.substring(text.length() - LOG_TAIL_CHARS);
            }
            return text;
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** The command, its state and its log: what a failure message needs. */
    public String diagnostics() {
        String state = process.isAlive() ? "running as pid " + pid() : "exited with " + process.exitValue();
        return "--- " + name + " (" + state + "): " + String.join(" ", command) + "\n" + log() + "--- end of "
                + name + " log";
    }

    /** Fails with the log when the program died right after starting (bad config, port in use). */
    public void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " did not stay up\n" + diagnostics());
        }
    }

    /** Stops the program and waits for it; safe to call twice. */
    public void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL by the program's own pid (a crash, for graceful-restart tests), and waits for it to go. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
