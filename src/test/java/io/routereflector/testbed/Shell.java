package io.routereflector.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;

/** Runs short commands (ip, birdc, gobgp, etcdctl) with a time limit and their output captured. */
public final class Shell {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private Shell() {
    }

    /** Exit status and the merged stdout/stderr of one finished command. */
    public record Result(List<String> command, int exitCode, String output) {
        public Result {
            command = List.copyOf(command);
        }

        public boolean ok() {
            return exitCode == 0;
        }

        /** The output, or an IllegalStateException naming the command when it failed. */
        public String orThrow() {
            if (exitCode != 0) {
                throw new IllegalStateException(
                        "`" + String.join(" ", command) + "` exited with " + exitCode + ":\n" + output);
            }
            return output;
        }
    }

    public static Result run(String... command) {
        return run(List.of(command), Map.of(), DEFAULT_TIMEOUT);
    }

    public static String check(String... command) {
        return run(command).orThrow();
    }

    public static Result run(List<String> command, Map<String, String> environment, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run `" + String.join(" ", command) + "`: " + e.getMessage()
                    + " (install test dependencies with " + Binaries.INSTALL_SCRIPT + ")", e);
        }
        // Read in the background so that a chatty command never blocks on a full pipe.
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = process.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output lost: " + e.getMessage() + ")";
            }
        });
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return new Result(command, -1, output.getNow("") + "\n(killed after " + timeout + ")");
            }
            return new Result(command, process.exitValue(), output.get(5, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            return new Result(command, process.exitValue(), "(output unreadable: " + e + ")");
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running `" + String.join(" ", command) + "`", e);
        }
    }
}
