package io.routereflector.reflector.session;

import io.routereflector.wire.WireSettings;
import io.routereflector.wire.capability.GracefulRestart;
import io.routereflector.wire.capability.LongLivedGracefulRestart;
import io.routereflector.wire.nlri.AddressFamily;

import java.util.Optional;
import java.util.Set;

/**
 * What two OPENs agreed on (RFC 5492: a capability is in force only when both sides advertise it,
 * and per direction for ADD-PATH and extended messages).
 *
 * @param addPathReceive     families whose NLRI from the peer carry path ids (RFC 7911 §4)
 * @param addPathSend        families whose NLRI to the peer carry path ids
 * @param extendedReceive    we advertised RFC 8654 extended messages: accept up to 65535 octets
 * @param extendedSend       both did: we may send up to 65535 octets
 * @param peerGracefulRestart the peer's GR capability (RFC 4724), null when it sent none
 * @param peerLongLived      the peer's LLGR capability (RFC 9494), null when it sent none
 * @param keepaliveTime      0 when the hold time is 0: no KEEPALIVEs at all (RFC 4271 §4.4)
 */
public record Negotiated(long peerAs, int peerIdentifier, int holdTime, int keepaliveTime, Set<AddressFamily> families,
                         Set<AddressFamily> addPathReceive, Set<AddressFamily> addPathSend, boolean fourOctetAs,
                         boolean extendedReceive, boolean extendedSend, boolean routeRefresh, boolean enhancedRouteRefresh,
                         GracefulRestart peerGracefulRestart, LongLivedGracefulRestart peerLongLived) {

    public Negotiated {
        families = Set.copyOf(families);
        addPathReceive = Set.copyOf(addPathReceive);
        addPathSend = Set.copyOf(addPathSend);
        if (!families.containsAll(addPathReceive) || !families.containsAll(addPathSend)) {
            throw new IllegalArgumentException("ADD-PATH outside the negotiated families " + families);
        }
    }

    /** How the peer's messages are read. */
    public WireSettings receiveSettings() {
        return new WireSettings(extendedReceive, fourOctetAs, addPathReceive);
    }

    /** How messages to the peer are written (also what an update group shares). */
    public WireSettings sendSettings() {
        return new WireSettings(extendedSend, fourOctetAs, addPathSend);
    }

    public Optional<GracefulRestart> gracefulRestart() {
        return Optional.ofNullable(peerGracefulRestart);
    }

    /** Families for which the peer announced GR (RFC 4724 §3) that are also in use on this session. */
    public Set<AddressFamily> gracefulRestartFamilies() {
        if (peerGracefulRestart == null) {
            return Set.of();
        }
        return peerGracefulRestart.families().stream().map(GracefulRestart.Entry::family)
                .filter(families::contains).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
