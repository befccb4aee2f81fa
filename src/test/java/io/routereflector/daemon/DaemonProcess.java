package io.routereflector.daemon;

import io.routereflector.testbed.Binaries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The daemon as an operator runs it: {@code java -jar routereflector.jar run …} as a separate process
 * with exactly the environment given (the old image's variables), stdout and stderr in a log file.
 * Stopped by its own pid: SIGTERM, then SIGKILL after {@link #STOP_WAIT}. Failure messages carry its log.
 */
public final class DaemonProcess implements AutoCloseable {

    /** Set by failsafe (src/pom.xml): the shaded jar the {@code package} phase built. */
    public static final String JAR_PROPERTY = "rr.daemon.jar";
    static final Duration START_WAIT = Duration.ofSeconds(30);
    static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private static final int LOG_TAIL_CHARS = 16_000;

    private final String name;
    private final List<String> command;
    private final Path log;
    private final Process process;

    private DaemonProcess(String name, List<String> command, Path log, Process process) {
        this.name = name;
        this.command = List.copyOf(command);
        this.log = log;
        this.process = process;
    }

    /** The built jar; fails loudly (never skips) when it is missing. */
    public static Path jar() {
        String configured = System.getProperty(JAR_PROPERTY);
        Path jar = configured != null && !configured.isBlank() ? Path.of(configured)
                : Binaries.repoRoot().resolve("src/target/routereflector.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the daemon jar " + jar + " is missing: build it with `mvn -B -DskipTests package`");
        }
        return jar;
    }

    /** {@code java -jar routereflector.jar ARGS} with the test JVM's own java and a small heap. */
    public static DaemonProcess startJar(String name, List<String> args, Map<String, String> env, Path logDir) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar().toString()));
        command.addAll(args);
        if (!args.isEmpty() && args.get(0).equals("run") && !args.contains("--admin-listen")) {
            // Several daemons run side by side in one test: each gets its own admin and metrics ports.
            command.addAll(List.of("--admin-listen", "127.0.0.1:" + freePort(), "--metrics-listen", "127.0.0.1:" + freePort()));
        }
        return start(name, command, env, logDir.resolve(name + ".log"), null);
    }

    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Starts {@code command} with only PATH from the test's environment plus {@code env}: the daemon
     * sees the variables a test names and no others (a stray IP or NODENAME would change its identity).
     */
    public static DaemonProcess start(String name, List<String> command, Map<String, String> env, Path log, Path workDir) {
        try {
            Files.createDirectories(log.getParent());
            // SIGHUP at its default, as systemd, Kubernetes and podman start the daemon, whatever the test run
            // inherited (under nohup it is ignored, and a JVM started so never reloads on SIGHUP).
            List<String> withDefaultHangup = new ArrayList<>(List.of("env", "--default-signal=HUP"));
            withDefaultHangup.addAll(command);
            ProcessBuilder builder = new ProcessBuilder(withDefaultHangup).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            builder.environment().clear();
            builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            // The locale decides how the JVM decodes arguments (a UTF-8 shutdown message): keep the test's.
            for (String locale : List.of("LANG", "LC_ALL", "LC_CTYPE")) {
                String value = System.getenv(locale);
                if (value != null) {
                    builder.environment().put(locale, value);
                }
            }
            builder.environment().putIfAbsent("LANG", "C.UTF-8");
            builder.environment().putAll(env);
            if (!env.containsKey("STATE_DIRECTORY")) {
                // A private state directory: the machine's /var/lib/routereflector must neither be
                // written by tests nor make a test daemon believe it is restarting.
                Path state = Files.createDirectories(log.getParent().resolve(name + "-state"));
                builder.environment().put("STATE_DIRECTORY", state.toString());
            }
            return new DaemonProcess(name, command, log, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
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

    /** The whole log (tests grep it). */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Lines of the log that contain {@code text}. */
    public List<String> lines(String text) {
        return log().lines().filter(l -> l.contains(text)).toList();
    }

    /** Waits for the first log line containing {@code text}; fails with the log when the daemon exits first. */
    public String awaitLine(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> line = log().lines().filter(l -> l.contains(text)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited before logging '" + text + "'\n" + diagnostics());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(name + " did not log '" + text + "' within " + timeout.toSeconds() + " s\n" + diagnostics());
            }
            sleep(50);
        }
    }

    /** Waits for the "started:" line the run command logs once its first configuration is applied. */
    public String awaitStarted() {
        return awaitLine("started:", START_WAIT);
    }

    /** Waits for the process to end by itself (a start-up error). */
    public void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still runs after " + timeout.toSeconds() + " s\n" + diagnostics());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The process itself, for tests that drive its end by hand. */
    public Process process() {
        return process;
    }

    /** Sends signal {@code name} (e.g. HUP) to the process by its own pid. */
    public void signal(String name) throws java.io.IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
        }
    }

    public int exitCode() {
        return process.exitValue();
    }

    /** SIGTERM by our own pid; SIGKILL when it has not gone after {@link #STOP_WAIT}. Returns the exit code. */
    public int stop() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** SIGTERM: the shutdown hook runs ("stopping") and the JVM ends with 128 + 15 within the bound. */
    static void assertStopsOnSigterm(DaemonProcess daemon) {
        long t0 = System.nanoTime();
        int code = daemon.stop();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        if (code != 143 || daemon.lines("stopping").isEmpty() || millis >= STOP_WAIT.toMillis()) {
            throw new AssertionError("SIGTERM: exit " + code + " after " + millis + " ms\n" + daemon.diagnostics());
        }
    }

    /** The command, its state and the end of its log. */
    public String diagnostics() {
        String text = log();
        if (text.length() > LOG_TAIL_CHARS) {
            text = "…" + text.substring(text.length() - LOG_TAIL_CHARS);
        }
        String state = process.isAlive() ? "running as pid " + pid() : "exited with " + process.exitValue();
        return "--- " + name + " (" + state + "): " + String.join(" ", command) + "\n" + text + "--- end of " + name + " log\n";
    }

    @Override
    public void close() {
        stop();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
