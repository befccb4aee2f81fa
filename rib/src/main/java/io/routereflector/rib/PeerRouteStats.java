package io.routereflector.rib;

/**
 * One peer's routes as BIRD's {@code show protocols all} counts them, since its session came up.
 * Routes: {@code imported} paths in its Adj-RIB-In, {@code preferred} of them best in the Loc-RIB,
 * {@code exported} paths we currently advertise to it. Route changes, per NLRI: an import update is
 * rejected when the route is dropped (RFC 7606 treat-as-withdraw, a reflection loop, our AS in an
 * eBGP path), ignored when it repeats what is stored; a withdrawal is ignored when nothing was stored.
 * We have no filters, so nothing is ever "filtered".
 */
public record PeerRouteStats(int imported, int preferred, long exported,
                             long importUpdatesReceived, long importUpdatesRejected, long importUpdatesIgnored,
                             long importUpdatesAccepted, long importWithdrawsReceived, long importWithdrawsIgnored,
                             long importWithdrawsAccepted, long exportUpdates, long exportWithdraws) {

    public static final PeerRouteStats NONE = new PeerRouteStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
