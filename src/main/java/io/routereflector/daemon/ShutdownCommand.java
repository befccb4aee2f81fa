package io.routereflector.daemon;

import io.routereflector.wire.message.Notification;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Decommissions a running daemon: leaves the RFC 9003 message as a request file in the daemon's state
 * directory, then sends it SIGTERM ({@link ProcessHandle#destroy()}); the daemon's stop finds the
 * request and ends every session with Cease / Administrative Shutdown and the message instead of the
 * graceful-restart close. Works wherever the state directory is shared: the host, {@code docker exec},
 * {@code kubectl exec}.
 */
@Command(name = "shutdown",
        description = "Decommission the running daemon: Cease / Administrative Shutdown with a message to every peer, then exit.",
        footer = {"", "Examples:",
                "  routereflector shutdown --message \"moving to new hardware, ticket OPS-42\"",
                "  routereflector shutdown --state-dir /tmp/rr --message \"maintenance\""})
public final class ShutdownCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    LifecycleOptions lifecycleOptions = new LifecycleOptions();

    @Option(names = {"-m", "--message"}, required = true, paramLabel = "TEXT",
            description = "The shutdown communication sent to every peer (RFC 9003: at most 255 octets of UTF-8, longer is cut).")
    String message;

    @Option(names = "--pid", paramLabel = "PID", description = "The daemon's process id (default: read from <state-dir>/running).")
    Long pid;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "15", description = "How long to wait for the daemon to exit (default ${DEFAULT-VALUE}).")
    int timeout;

    Environment env = Environment.system();

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path stateDir = lifecycleOptions.stateDir(env);
        if (message.isBlank()) {
            err.println("routereflector shutdown: --message is empty; say why the peers are being shut down");
            return 2;
        }
        if (message.getBytes(StandardCharsets.UTF_8).length > Notification.MAX_SHUTDOWN_COMMUNICATION) {
            err.println("routereflector shutdown: the message is longer than 255 octets of UTF-8 and will be cut");
        }
        long target;
        try {
            target = pid != null ? pid : Long.parseLong(Files.readString(stateDir.resolve(Lifecycle.MARKER)).strip());
        } catch (NoSuchFileException e) {
            err.println("routereflector shutdown: no daemon runs with state directory " + stateDir + " (" + e.getFile()
                    + " is missing); give --state-dir or --pid");
            return 1;
        } catch (IOException | NumberFormatException e) {
            err.println("routereflector shutdown: cannot read the daemon's pid from " + stateDir.resolve(Lifecycle.MARKER) + ": " + e);
            return 1;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(target);
        if (process.isEmpty() || !process.get().isAlive()) {
            err.println("routereflector shutdown: process " + target + " is not running");
            return 1;
        }
        try {
            Lifecycle.write(stateDir.resolve(Lifecycle.SHUTDOWN_REQUEST), message);
        } catch (IOException e) {
            err.println("routereflector shutdown: cannot write the request into " + stateDir + ": " + e);
            return 1;
        }
        if (!process.get().destroy()) { // SIGTERM on Unix
            err.println("routereflector shutdown: cannot signal process " + target + " (not ours?)");
            return 1;
        }
        try {
            process.get().onExit().get(timeout, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            err.println("routereflector shutdown: process " + target + " still running after " + timeout + " s");
            return 1;
        } catch (ExecutionException e) {
            err.println("routereflector shutdown: " + e.getCause());
            return 1;
        }
        out.println("routereflector (pid " + target + ") decommissioned: Cease / Administrative Shutdown \"" + message + "\" sent to its peers");
        return 0;
    }
}
