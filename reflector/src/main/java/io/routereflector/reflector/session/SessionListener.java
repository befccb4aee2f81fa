package io.routereflector.reflector.session;

import io.routereflector.wire.message.RouteRefresh;
import io.routereflector.wire.message.Update;

/**
 * The hand-off to the RIB. Calls arrive on the peer's event loop; an implementation hands them to the
 * thread that owns the RIB and returns at once.
 */
public interface SessionListener {

    void established(PeerSession session);

    void update(PeerSession session, Update update);

    /** A ROUTE-REFRESH request, BoRR or EoRR (RFC 7313) for a negotiated family. */
    void routeRefresh(PeerSession session, RouteRefresh refresh);

    /**
     * The session left Established.
     *
     * @param keepRoutesForGracefulRestart the peer negotiated graceful restart and the session broke
     *                                     in a way that RFC 4724 §4.2 (or RFC 8538) lets it restart
     *                                     from: keep its routes as stale for its restart time
     */
    void down(PeerSession session, DownReason reason, boolean keepRoutesForGracefulRestart);

    /** The session's outbound buffer drained below its low-water mark: a member that fell behind may continue. */
    default void writable(PeerSession session) {
    }

    /** A listener that ignores everything (tests, a reflector with no RIB yet). */
    SessionListener NONE = new SessionListener() {
        @Override
        public void established(PeerSession session) {
        }

        @Override
        public void update(PeerSession session, Update update) {
        }

        @Override
        public void routeRefresh(PeerSession session, RouteRefresh refresh) {
        }

        @Override
        public void down(PeerSession session, DownReason reason, boolean keepRoutesForGracefulRestart) {
        }
    };
}
