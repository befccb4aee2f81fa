package io.routereflector.daemon;

import io.routereflector.testbed.Await;
import io.routereflector.testbed.Binaries;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The built jar run as a separate process, as an operator or a container runs it; output goes to a log file. */
final class JarProcess implements AutoCloseable {

    final Process process;
    final Path log;

    private JarProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static Path jar() {
        Path jar = Binaries.repoRoot().resolve("src/target/routereflector.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the *IT tests run after `mvn package`");
        }
        return jar;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts {@code java -jar routereflector.jar ARGS}, its output in {@code log}. */
    static JarProcess start(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-jar", jar().toString()));
        command.addAll(List.of(args));
        return start(command, log);
    }

    static JarProcess start(List<String> command, Path log) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new JarProcess(p, log);
    }

    long pid() {
        return process.pid();
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Waits until the log has a line containing {@code text}. */
    void awaitLog(String text, Duration timeout) {
        Await.until("log line '" + text + "'", timeout, () -> output().contains(text), this::output);
    }

    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
