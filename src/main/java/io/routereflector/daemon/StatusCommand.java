package io.routereflector.daemon;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.routereflector.daemon.ops.StatusModel;
import io.routereflector.daemon.ops.TextFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code routereflector status [PEER]}: the peer table of {@code calicoctl node status}, or one peer in detail. */
@Command(name = "status", description = {"BGP peers and their sessions, per family, like calicoctl node status.",
        "With PEER (an address or a protocol name such as Mesh_10_0_0_2), its detail (like birdc show protocols all)."},
        footer = {"", "PEER TYPE is where Calico's configuration put the peer: node-to-node mesh, global, node specific;",
                "legacy /calico/bgp/v1 peers show as rr mesh (another reflector) or rr client.",
                "Exit status: 0 done, 1 no such peer, 3 the daemon is not reachable."})
public final class StatusCommand implements Callable<Integer> {

    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    AdminClient client = new AdminClient();

    @Parameters(arity = "0..1", paramLabel = "PEER")
    String peer;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AdminClient.Answer a = client.getOrReport(peer == null ? "/status" : "/status/" + AdminClient.encode(peer), err);
        if (a == null) {
            return AdminClient.UNREACHABLE;
        }
        if (a.status() == 404) {
            err.print("routereflector: " + a.body());
            return AdminClient.NOT_FOUND;
        }
        if (a.status() != 200) {
            err.print("routereflector: the admin endpoint answered " + a.status() + ": " + a.body());
            return AdminClient.UNREACHABLE;
        }
        if (client.json) {
            out.println(a.body());
            return 0;
        }
        try {
            out.print(peer == null ? TextFormat.status(JSON.readValue(a.body(), StatusModel.Status.class))
                    : TextFormat.peer(JSON.readValue(a.body(), StatusModel.PeerDetail.class)));
        } catch (java.io.IOException e) {
            err.println("routereflector: unexpected answer from the admin endpoint: " + e.getMessage());
            return AdminClient.UNREACHABLE;
        }
        out.flush();
        return 0;
    }
}
