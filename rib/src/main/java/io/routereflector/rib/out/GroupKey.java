package io.routereflector.rib.out;

import io.routereflector.rib.PeerRole;
import io.routereflector.rib.policy.ExportPolicy;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.nlri.AddressFamily;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Set;

/**
 * What makes two peers receive byte-identical UPDATEs: role (what reflection lets through), families,
 * the families with ADD-PATH send, AS4 and extended messages (how it is encoded), and for eBGP peers
 * our own addresses on the session (next hop self), and whether the peer understands long-lived stale
 * routes (RFC 9494), and the export policy (Calico's IPPools, service CIDRs, the peer's BGPFilters and
 * prefix advertisements). Peers with equal keys share one update group.
 */
public record GroupKey(PeerRole role, Set<AddressFamily> families, Set<AddressFamily> addPathSend,
                       boolean fourOctetAs, boolean extendedMessages, InetAddress nextHopSelfV4, InetAddress nextHopSelfV6,
                       boolean longLivedGracefulRestart, ExportPolicy exportPolicy) {

    public GroupKey(PeerRole role, Set<AddressFamily> families, Set<AddressFamily> addPathSend, boolean fourOctetAs,
                    boolean extendedMessages, InetAddress nextHopSelfV4, InetAddress nextHopSelfV6, boolean longLivedGracefulRestart) {
        this(role, families, addPathSend, fourOctetAs, extendedMessages, nextHopSelfV4, nextHopSelfV6, longLivedGracefulRestart,
                ExportPolicy.ALL);
    }

    public GroupKey {
        Objects.requireNonNull(exportPolicy, "exportPolicy");
        families = Set.copyOf(families);
        addPathSend = Set.copyOf(addPathSend);
        if (!families.containsAll(addPathSend)) {
            throw new IllegalArgumentException("ADD-PATH send on a family that is not negotiated: " + addPathSend);
        }
        if (role.isIbgp() && (nextHopSelfV4 != null || nextHopSelfV6 != null)) {
            // iBGP groups never rewrite the next hop; keeping these null lets all clients share a group.
            throw new IllegalArgumentException("next hop self applies to eBGP groups only");
        }
    }

    public static GroupKey ibgp(PeerRole role, Set<AddressFamily> families, Set<AddressFamily> addPathSend) {
        return new GroupKey(role, families, addPathSend, true, false, null, null, false);
    }

    /** The same key for a peer that did (or did not) advertise RFC 9494 long-lived graceful restart. */
    public GroupKey withLongLivedGracefulRestart(boolean llgr) {
        return new GroupKey(role, families, addPathSend, fourOctetAs, extendedMessages, nextHopSelfV4, nextHopSelfV6, llgr,
                exportPolicy);
    }

    /** The same key under another export policy (a datastore change: the peer moves group, its session stays). */
    public GroupKey withExportPolicy(ExportPolicy policy) {
        return new GroupKey(role, families, addPathSend, fourOctetAs, extendedMessages, nextHopSelfV4, nextHopSelfV6,
                longLivedGracefulRestart, policy);
    }

    public WireSettings sendSettings() {
        return new WireSettings(extendedMessages, fourOctetAs, addPathSend);
    }
}
