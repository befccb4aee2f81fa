package io.routereflector.daemon;

import io.routereflector.daemon.ops.StatusModel;
import io.routereflector.daemon.ops.TextFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code routereflector routes [PREFIX]}: Loc-RIB entries with every path (like birdc show route all). */
@Command(name = "routes", description = {"Loc-RIB entries with every path and the peers each path was advertised to.",
        "Each path shows its source, ORIGINATOR_ID, CLUSTER_LIST and communities; * marks the best,",
        "with the decision step that chose it.",
        "PREFIX with a length (10.65.0.0/26) is that prefix; an address alone, every prefix covering it."},
        footer = {"", "Exit status: 0 done, 1 no route matched PREFIX, 2 bad PREFIX, 3 the daemon is not reachable."})
public final class RoutesCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    AdminClient client = new AdminClient();

    @Parameters(arity = "0..1", paramLabel = "PREFIX")
    String prefix;

    @Option(names = "--limit", paramLabel = "N", description = "List at most N prefixes (default 1000).")
    Integer limit;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StringBuilder path = new StringBuilder("/routes");
        String sep = "?";
        if (prefix != null) {
            path.append(sep).append("prefix=").append(AdminClient.encode(prefix));
            sep = "&";
        }
        if (limit != null) {
            path.append(sep).append("limit=").append(limit);
        }
        AdminClient.Answer a = client.getOrReport(path.toString(), err);
        if (a == null) {
            return AdminClient.UNREACHABLE;
        }
        if (a.status() == 400) {
            err.print("routereflector: " + a.body());
            return 2;
        }
        if (a.status() != 200) {
            err.print("routereflector: the admin endpoint answered " + a.status() + ": " + a.body());
            return AdminClient.UNREACHABLE;
        }
        StatusModel.RoutesAnswer routes;
        try {
            routes = StatusCommand.JSON.readValue(a.body(), StatusModel.RoutesAnswer.class);
        } catch (java.io.IOException e) {
            err.println("routereflector: unexpected answer from the admin endpoint: " + e.getMessage());
            return AdminClient.UNREACHABLE;
        }
        out.print(client.json ? a.body() + "\n" : TextFormat.routes(routes));
        out.flush();
        return prefix != null && routes.total() == 0 ? AdminClient.NOT_FOUND : 0;
    }
}
