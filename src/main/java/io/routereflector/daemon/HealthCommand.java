package io.routereflector.daemon;

import io.routereflector.daemon.ops.StatusModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code routereflector health}: for exec probes; the same rules as /livez and /readyz. */
@Command(name = "health", description = {"Liveness and readiness of the running daemon, for exec probes.",
        "Live = the RIB thread and every event loop answer; ready = calico/node's rule (see README)."},
        footer = {"", "Exit status: 0 healthy, 1 not live or not ready, 3 the daemon is not reachable."})
public final class HealthCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    AdminClient client = new AdminClient();

    @Option(names = "--live", description = "Check liveness only (a reflector with no peer up is still alive).")
    boolean liveOnly;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AdminClient.Answer a = client.getOrReport("/health", err);
        if (a == null) {
            return AdminClient.UNREACHABLE;
        }
        StatusModel.Health h;
        try {
            h = StatusCommand.JSON.readValue(a.body(), StatusModel.Health.class);
        } catch (java.io.IOException e) {
            err.println("routereflector: unexpected answer from the admin endpoint (" + a.status() + "): " + a.body());
            return AdminClient.UNREACHABLE;
        }
        boolean ok = h.live() && (liveOnly || h.ready());
        if (client.json) {
            out.println(a.body());
        } else {
            out.println((ok ? "healthy: " : "unhealthy: ") + "live=" + h.live() + " ready=" + h.ready() + " (" + h.reason() + ")");
        }
        out.flush();
        return ok ? 0 : AdminClient.NOT_FOUND;
    }
}
