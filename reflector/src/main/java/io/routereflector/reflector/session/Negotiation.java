package io.routereflector.reflector.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.routereflector.reflector.config.AddPathMode;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.wire.capability.AddPath;
import io.routereflector.wire.capability.Capability;
import io.routereflector.wire.capability.CapabilityCodec;
import io.routereflector.wire.capability.EnhancedRouteRefresh;
import io.routereflector.wire.capability.ExtendedMessage;
import io.routereflector.wire.capability.FourOctetAs;
import io.routereflector.wire.capability.GracefulRestart;
import io.routereflector.wire.capability.LongLivedGracefulRestart;
import io.routereflector.wire.capability.Multiprotocol;
import io.routereflector.wire.capability.RouteRefreshCapability;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.error.WireException;
import io.routereflector.wire.message.Open;
import io.routereflector.wire.nlri.AddressFamily;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Our OPEN, the checks of a received OPEN that need local configuration (RFC 4271 §6.2, RFC 6793,
 * RFC 5492), and the negotiated result — all pure functions of configuration and OPENs.
 */
public final class Negotiation {

    private static final Comparator<AddressFamily> FAMILY_ORDER =
            Comparator.comparingInt(AddressFamily::afi).thenComparingInt(AddressFamily::safi);

    private Negotiation() {
    }

    /** What we say about ourselves to one peer. */
    public record Local(long localAs, int routerId, boolean restarted) {
    }

    /**
     * Our OPEN: AS4 always (RFC 6793), MP per configured family, route refresh and enhanced route
     * refresh, graceful restart with our restart time, LLGR awareness (an LLGR capability without
     * families: we keep a peer's LLGR-marked routes, we ask for none), ADD-PATH where configured,
     * extended messages where configured.
     */
    public static Open localOpen(Local local, PeerConfig peer) {
        List<AddressFamily> families = sorted(peer.families());
        List<Capability> caps = new ArrayList<>();
        for (AddressFamily f : families) {
            caps.add(new Multiprotocol(f));
        }
        caps.add(RouteRefreshCapability.INSTANCE);
        caps.add(EnhancedRouteRefresh.INSTANCE);
        caps.add(new FourOctetAs(local.localAs()));
        // The Forwarding State bit says "keep forwarding with my old routes": a reflector forwards
        // nothing itself, so after our restart it only means "keep what I reflected", which is what
        // the clients must do to avoid a cluster-wide flap. Before any restart it is clear.
        List<GracefulRestart.Entry> gr = new ArrayList<>();
        for (AddressFamily f : families) {
            gr.add(new GracefulRestart.Entry(f, local.restarted()));
        }
        caps.add(GracefulRestart.of(local.restarted(), false, peer.gracefulRestartTime(), gr));
        caps.add(new LongLivedGracefulRestart(List.of()));
        List<AddPath.Entry> addPath = new ArrayList<>();
        for (AddressFamily f : families) {
            AddPathMode mode = peer.addPath(f);
            if (mode != AddPathMode.NONE) {
                addPath.add(new AddPath.Entry(f, mode.wire()));
            }
        }
        if (!addPath.isEmpty()) {
            caps.add(new AddPath(addPath));
        }
        if (peer.extendedMessages()) {
            caps.add(ExtendedMessage.INSTANCE);
        }
        return Open.of(local.localAs(), peer.holdTime(), local.routerId(), caps);
    }

    /**
     * The checks of a received OPEN against configuration; the codec has already made those that
     * need none (version, hold time 1–2, identifier 0, malformed parameters).
     *
     * @throws WireException carrying the exact NOTIFICATION to send
     */
    public static void check(Open theirs, PeerConfig peer, Local local) {
        FourOctetAs as4 = theirs.capability(FourOctetAs.class).orElse(null);
        // RFC 6793 §4.1: with the capability, My AS is AS_TRANS or the same (2-octet) number.
        if (as4 != null && theirs.myAs() != Open.AS_TRANS && theirs.myAs() != as4.asn()) {
            throw new WireException(NotificationCode.OPEN_BAD_PEER_AS,
                    "My AS " + theirs.myAs() + " contradicts the 4-octet AS capability " + as4.asn());
        }
        long asn = theirs.asNumber();
        if (asn != peer.remoteAs()) {
            throw new WireException(NotificationCode.OPEN_BAD_PEER_AS,
                    "peer says AS " + asn + (as4 == null && asn == Open.AS_TRANS ? " (AS_TRANS without the 4-octet AS capability)" : "")
                            + ", configured " + peer.remoteAs());
        }
        // RFC 6286 §2.2: within one AS the identifiers must differ; across ASes they may be equal.
        if (peer.remoteAs() == local.localAs() && theirs.bgpIdentifier() == local.routerId()) {
            throw new WireException(NotificationCode.OPEN_BAD_BGP_IDENTIFIER,
                    "peer uses our own BGP identifier " + dotted(local.routerId()));
        }
        if (commonFamilies(theirs, peer).isEmpty()) {
            // RFC 5492 §5: name the capabilities we cannot do without, i.e. our MP capabilities.
            ByteBuf data = Unpooled.buffer();
            try {
                for (AddressFamily f : sorted(peer.families())) {
                    CapabilityCodec.encode(new Multiprotocol(f), data);
                }
                byte[] bytes = new byte[data.readableBytes()];
                data.readBytes(bytes);
                throw new WireException(NotificationCode.OPEN_UNSUPPORTED_CAPABILITY, bytes,
                        "no address family in common: we run " + sorted(peer.families()) + ", peer offers " + offered(theirs));
            } finally {
                data.release();
            }
        }
    }

    /** The agreement of our OPEN ({@code ours}, built by {@link #localOpen}) with the peer's. */
    public static Negotiated negotiate(Open ours, Open theirs, PeerConfig peer) {
        Set<AddressFamily> families = commonFamilies(theirs, peer);
        Set<AddressFamily> receive = new HashSet<>();
        Set<AddressFamily> send = new HashSet<>();
        AddPath ourAddPath = ours.capability(AddPath.class).orElse(null);
        AddPath theirAddPath = theirs.capability(AddPath.class).orElse(null);
        if (ourAddPath != null && theirAddPath != null) {
            for (AddressFamily f : families) {
                AddPath.Entry mine = ourAddPath.entry(f).orElse(null);
                AddPath.Entry other = theirAddPath.entry(f).orElse(null);
                if (mine == null || other == null) {
                    continue;
                }
                // RFC 7911 §4: we receive path ids when we can receive and they can send, and vice versa.
                if (mine.canReceive() && other.canSend()) {
                    receive.add(f);
                }
                if (mine.canSend() && other.canReceive()) {
                    send.add(f);
                }
            }
        }
        int hold = Math.min(ours.holdTime(), theirs.holdTime());
        int keepalive = hold == 0 ? 0 : Math.max(1, Math.min(peer.keepaliveTime(), hold / 3));
        boolean weExtended = ours.capability(ExtendedMessage.class).isPresent();
        boolean theyExtended = theirs.capability(ExtendedMessage.class).isPresent();
        return new Negotiated(theirs.asNumber(), theirs.bgpIdentifier(), hold, keepalive, families, receive, send,
                ours.capability(FourOctetAs.class).isPresent() && theirs.capability(FourOctetAs.class).isPresent(),
                weExtended, weExtended && theyExtended,
                theirs.capability(RouteRefreshCapability.class).isPresent(),
                theirs.capability(EnhancedRouteRefresh.class).isPresent(),
                theirs.capability(GracefulRestart.class).orElse(null),
                theirs.capability(LongLivedGracefulRestart.class).orElse(null));
    }

    /** RFC 4760 §8: a speaker that sends no MP capability is taken to do IPv4 unicast only. */
    static Set<AddressFamily> offered(Open theirs) {
        Set<AddressFamily> offered = new HashSet<>();
        for (Capability c : theirs.capabilities()) {
            if (c instanceof Multiprotocol mp) {
                offered.add(mp.family());
            }
        }
        return offered.isEmpty() ? Set.of(AddressFamily.IPV4_UNICAST) : offered;
    }

    static Set<AddressFamily> commonFamilies(Open theirs, PeerConfig peer) {
        Set<AddressFamily> common = new HashSet<>(offered(theirs));
        common.retainAll(peer.families());
        return Set.copyOf(common);
    }

    private static List<AddressFamily> sorted(Set<AddressFamily> families) {
        return families.stream().sorted(FAMILY_ORDER).toList();
    }

    public static String dotted(int id) {
        return (id >>> 24) + "." + (id >>> 16 & 0xFF) + "." + (id >>> 8 & 0xFF) + "." + (id & 0xFF);
    }
}
