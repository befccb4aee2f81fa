package io.routereflector.daemon.ops;

import io.routereflector.daemon.ops.StatusModel.Changes;
import io.routereflector.daemon.ops.StatusModel.Routes;
import io.routereflector.rib.PeerRouteStats;

/**
 * A peer's {@code Routes:} line and {@code Route change stats:} table as BIRD counts them. The one
 * mapping from our RIB counters to BIRD's columns: the control socket prints it, {@code /metrics}
 * exports it as the {@code bird_protocol_*} series and {@code routereflector status PEER} shows it, so
 * the three always agree. We run no filters: nothing is ever "filtered", every export is "accepted".
 */
public record BirdStats(Routes routes, Changes importUpdates, Changes importWithdraws, Changes exportUpdates,
                        Changes exportWithdraws) {

    public static BirdStats of(PeerRouteStats r) {
        return new BirdStats(new Routes(r.imported(), r.exported(), r.preferred(), 0),
                new Changes(r.importUpdatesReceived(), r.importUpdatesRejected(), 0, r.importUpdatesIgnored(), r.importUpdatesAccepted()),
                new Changes(r.importWithdrawsReceived(), 0, 0, r.importWithdrawsIgnored(), r.importWithdrawsAccepted()),
                new Changes(r.exportUpdates(), 0, 0, 0, r.exportUpdates()),
                new Changes(r.exportWithdraws(), 0, 0, 0, r.exportWithdraws()));
    }

    /** In BIRD's row order: import updates, import withdraws, export updates, export withdraws. */
    public java.util.List<Changes> rows() {
        return java.util.List.of(importUpdates, importWithdraws, exportUpdates, exportWithdraws);
    }
}
