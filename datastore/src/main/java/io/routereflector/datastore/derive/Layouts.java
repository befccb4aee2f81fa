package io.routereflector.datastore.derive;

import io.routereflector.datastore.ResourceProblem;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.rib.PeerRole;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Both layouts at once. The v3 resources win wherever both speak — router id, cluster id, AS, listen
 * port, and any peer address both name — because they are what today's calico/node itself reads and
 * they carry the per-peer settings (password, timers, TTL security) the legacy keys cannot express.
 * The legacy keys add only the peers the v3 resources do not name.
 */
public final class Layouts {

    private Layouts() {
    }

    public static Derivation combine(Derivation v3, Derivation legacy) {
        List<ResourceProblem> problems = new ArrayList<>(v3.problems());
        problems.addAll(legacy.problems());
        if (v3.config() == null || legacy.config() == null) {
            return new Derivation(v3.config() != null ? v3.config() : legacy.config(), problems, v3.settings());
        }
        ReflectorConfig base = v3.config();
        ReflectorConfig old = legacy.config();
        // A legacy cluster id equal to the router id is the fallback of a layout that names none: no conflict.
        if (!old.clusterId().equals(base.clusterId()) && !old.clusterId().equals(old.routerId())) {
            problems.add(new ResourceProblem(LegacyDerivation.PREFIX + "rr_v4", "cluster_id", "legacy cluster id "
                    + old.clusterId().getHostAddress() + " differs from the v3 one " + base.clusterId().getHostAddress() + ", which applies"));
        }
        if (old.localAs() != base.localAs()) {
            problems.add(new ResourceProblem(LegacyDerivation.PREFIX + "global/as_num", "", "legacy AS " + old.localAs()
                    + " differs from the v3 one " + base.localAs() + ", which applies"));
        }
        List<PeerConfig> peers = new ArrayList<>(base.peers());
        Set<InetAddress> named = new HashSet<>();
        base.peers().forEach(p -> named.add(p.address()));
        for (PeerConfig p : old.peers()) {
            if (named.add(p.address())) {
                // The role must agree with the AS that applies now (ReflectorConfig checks it).
                PeerRole role = p.remoteAs() != base.localAs() ? PeerRole.EBGP : p.role().isIbgp() ? p.role() : PeerRole.CLIENT;
                peers.add(p.withRole(role));
            }
        }
        return new Derivation(base.withPeers(peers), problems, v3.settings());
    }
}
