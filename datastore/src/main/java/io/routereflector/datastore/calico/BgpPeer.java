package io.routereflector.datastore.calico;

import io.routereflector.datastore.selector.Selector;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A Calico {@code BGPPeer}. Exactly one of {@code peerIp} and {@code peerSelector} is set; at most one of
 * {@code node} and {@code nodeSelector} (neither = global, CALICO.md rule 1).
 *
 * @param peerPort       0 = not given (the peer's listen port applies)
 * @param asNumber       required with {@code peerIp}, absent with {@code peerSelector}
 * @param password       null = no TCP MD5
 * @param maxRestartTime seconds; null = 120 s, BIRD's default
 * @param ttlSecurity    GTSM hops, 0 = off
 * @param useNodeIp      {@code sourceAddress}: UseNodeIP (default, true) or None
 * @param keepaliveTime  seconds; null = hold/3
 * @param numAllowedLocalASNumbers times our AS may appear in a route's AS_PATH from this eBGP peer (0 = none)
 * @param maxPrefixes    annotation {@value #MAX_PREFIXES_ANNOTATION}: routes per family (0 = no limit); null = the daemon's
 * @param nextHop        {@code nextHopMode}, else {@code keepOriginalNextHop} as {@link NextHop#KEEP} (calico/node's
 *                       {@code getNextHopMode}: the mode, when set, overrides the older flag)
 * @param manualReverse  {@code reversePeering: Manual}: the selected peers do not peer back automatically
 */
public record BgpPeer(String name, String node, Selector nodeSelector, InetAddress peerIp, int peerPort, Selector peerSelector,
                      Long asNumber, SecretKeyRef password, NextHop nextHop, Integer maxRestartTime, int ttlSecurity,
                      boolean useNodeIp, Integer keepaliveTime, String source, Integer maxPrefixes,
                      int numAllowedLocalASNumbers, boolean manualReverse) implements CalicoResource {

    /** BGPPeer {@code nextHopMode} (Calico v3.30): BGP's default, BIRD's {@code next hop self}, {@code next hop keep}. */
    public enum NextHop { AUTO, SELF, KEEP }

    /** Calico's BGPPeer has no prefix limit field: ours rides on an annotation, which calicoctl keeps. */
    public static final String MAX_PREFIXES_ANNOTATION = "routereflector.io/max-prefixes";

    public BgpPeer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(nextHop, "nextHop");
        if (node != null && nodeSelector != null) {
            throw new IllegalArgumentException("node and nodeSelector are exclusive");
        }
        if ((peerIp == null) == (peerSelector == null)) {
            throw new IllegalArgumentException("exactly one of peerIP and peerSelector is required");
        }
    }

    @Override
    public String kind() {
        return "BGPPeer";
    }

    /** Rule 1: a peer with neither {@code node} nor {@code nodeSelector} applies to every node. */
    public boolean isGlobal() {
        return node == null && nodeSelector == null;
    }

    /** Whether this BGPPeer applies to the node {@code n} (rules 1 and 2). */
    public boolean appliesTo(CalicoNode n) {
        if (node != null) {
            return node.equals(n.name());
        }
        return nodeSelector == null || nodeSelector.evaluate(n.labels());
    }
}
