package io.routereflector.reflector.session;

import io.routereflector.wire.message.RouteRefresh;
import io.routereflector.wire.message.Update;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that records what it is told, for tests; safe to read from the test thread. */
final class Recording implements SessionListener {

    record Down(PeerSession session, DownReason reason, boolean keep) {
    }

    final List<PeerSession> established = new CopyOnWriteArrayList<>();
    final List<Update> updates = new CopyOnWriteArrayList<>();
    final List<RouteRefresh> refreshes = new CopyOnWriteArrayList<>();
    final List<Down> downs = new CopyOnWriteArrayList<>();

    @Override
    public void established(PeerSession session) {
        established.add(session);
    }

    @Override
    public void update(PeerSession session, Update update) {
        updates.add(update);
    }

    @Override
    public void routeRefresh(PeerSession session, RouteRefresh refresh) {
        refreshes.add(refresh);
    }

    @Override
    public void down(PeerSession session, DownReason reason, boolean keepRoutesForGracefulRestart) {
        downs.add(new Down(session, reason, keepRoutesForGracefulRestart));
    }
}
