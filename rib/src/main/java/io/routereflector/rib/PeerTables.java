package io.routereflector.rib;

import io.routereflector.rib.policy.ImportFilter;

import io.routereflector.rib.table.RefIntSet;
import io.routereflector.wire.nlri.AddressFamily;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The Adj-RIB-In of one peer, per family: which (Loc-RIB entry, received path id) pairs it
 * announced. The paths themselves live only in the entries (found by peer id and path id), so a
 * route costs the peer one 8-byte slot, not a map node, an NLRI and a prefix.
 */
final class PeerTables {
    RibPeer peer;
    final Map<AddressFamily, RefIntSet<RouteEntry>> adjIn = new HashMap<>();
    // Route change counters (PeerRouteStats), per NLRI; RIB thread only.
    long updatesReceived;
    long updatesRejected;
    long updatesIgnored;
    long withdrawsReceived;
    long withdrawsIgnored;
    /** Families disabled for the rest of the session (RFC 7606 §2 "AFI/SAFI disable", RFC 4760 §7). */
    final Set<AddressFamily> disabled = new HashSet<>(2);
    /** The peer's BGPFilter import rules; a route they reject is not kept (counted rejected). */
    ImportFilter importFilter = ImportFilter.ALL;

    PeerTables(RibPeer peer) {
        this.peer = peer;
    }

    RefIntSet<RouteEntry> in(AddressFamily family) {
        // Entries are unique per prefix, so the prefix's hash serves as the entry's.
        return adjIn.computeIfAbsent(family, f -> new RefIntSet<>(e -> e.prefix().hashCode()));
    }

    int received() {
        int n = 0;
        for (RefIntSet<RouteEntry> in : adjIn.values()) {
            n += in.size();
        }
        return n;
    }
}
