package io.routereflector.reflector.session;

import io.routereflector.reflector.config.AddPathMode;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.capability.AddPath;
import io.routereflector.wire.capability.Capability;
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
import io.routereflector.wire.message.OptionalParameter;
import io.routereflector.wire.nlri.AddressFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.routereflector.wire.nlri.AddressFamily.IPV4_UNICAST;
import static io.routereflector.wire.nlri.AddressFamily.IPV6_UNICAST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our OPEN, the configuration-dependent OPEN checks and the negotiation, as pure functions. */
class NegotiationTest {

    static final int OUR_ID = 0x0A000001;
    static final Negotiation.Local LOCAL = new Negotiation.Local(64512, OUR_ID, false);

    static PeerConfig.Builder peer(long as) throws Exception {
        return PeerConfig.builder(InetAddress.getByName("10.0.0.2"), as);
    }

    static Open theirs(long as, int id, int hold, Capability... caps) {
        return Open.of(as, hold, id, List.of(caps));
    }

    @Test
    void ourOpenCarriesTheCalicoCapabilitySet() throws Exception {
        PeerConfig p = peer(64512).families(Set.of(IPV6_UNICAST, IPV4_UNICAST))
                .addPath(Map.of(IPV4_UNICAST, AddPathMode.BOTH)).extendedMessages(true).build();
        Open open = Negotiation.localOpen(new Negotiation.Local(4_200_000_000L, OUR_ID, true), p);
        assertEquals(Open.AS_TRANS, open.myAs(), "a 4-octet AS is AS_TRANS in My AS");
        assertEquals(4_200_000_000L, open.asNumber());
        assertEquals(240, open.holdTime());
        List<Capability> caps = open.capabilities();
        assertEquals(new Multiprotocol(IPV4_UNICAST), caps.get(0), "families in AFI order");
        assertEquals(new Multiprotocol(IPV6_UNICAST), caps.get(1));
        assertTrue(caps.contains(RouteRefreshCapability.INSTANCE));
        assertTrue(caps.contains(EnhancedRouteRefresh.INSTANCE));
        assertTrue(caps.contains(ExtendedMessage.INSTANCE));
        assertTrue(caps.contains(new LongLivedGracefulRestart(List.of())));
        GracefulRestart gr = open.capability(GracefulRestart.class).orElseThrow();
        assertTrue(gr.restartState(), "restart flag set after our restart");
        assertEquals(120, gr.restartTime());
        assertTrue(gr.families().stream().allMatch(GracefulRestart.Entry::forwardingState));
        assertEquals(List.of(new AddPath.Entry(IPV4_UNICAST, AddPath.BOTH)), open.capability(AddPath.class).orElseThrow().families());

        Open plain = Negotiation.localOpen(LOCAL, peer(64512).build());
        assertTrue(plain.capability(AddPath.class).isEmpty());
        assertTrue(plain.capability(ExtendedMessage.class).isPresent(), "RFC 8654 advertised by default");
        Open without = Negotiation.localOpen(LOCAL, peer(64512).extendedMessages(false).build());
        assertTrue(without.capability(ExtendedMessage.class).isEmpty(), "--no-extended-messages");
        assertFalse(plain.capability(GracefulRestart.class).orElseThrow().restartState());
    }

    private static NotificationCode refusal(Open theirs, PeerConfig p) {
        return assertThrows(WireException.class, () -> Negotiation.check(theirs, p, LOCAL)).code();
    }

    @Test
    void peerAsChecksTwoAndFourOctetForms() throws Exception {
        PeerConfig two = peer(64512).build();
        Negotiation.check(theirs(64512, 2, 240, new FourOctetAs(64512)), two, LOCAL);
        Negotiation.check(theirs(64512, 2, 240), two, LOCAL); // an old speaker without AS4
        assertEquals(NotificationCode.OPEN_BAD_PEER_AS, refusal(theirs(64513, 2, 240, new FourOctetAs(64513)), two));

        PeerConfig four = peer(4_200_000_000L).build();
        Negotiation.check(theirs(4_200_000_000L, 2, 240, new FourOctetAs(4_200_000_000L)), four, LOCAL);
        // AS_TRANS without the capability cannot be the configured 4-octet AS.
        assertEquals(NotificationCode.OPEN_BAD_PEER_AS, refusal(theirs(Open.AS_TRANS, 2, 240), four));
        // My AS neither AS_TRANS nor the capability's number.
        Open contradicting = new Open(4, 100, 240, 2, List.of(OptionalParameter.Capabilities.of(new FourOctetAs(4_200_000_000L))), false);
        assertEquals(NotificationCode.OPEN_BAD_PEER_AS, refusal(contradicting, four));
    }

    @Test
    void ourOwnIdentifierIsRefusedOnlyWithinTheAs() throws Exception {
        assertEquals(NotificationCode.OPEN_BAD_BGP_IDENTIFIER, refusal(theirs(64512, OUR_ID, 240, new FourOctetAs(64512)), peer(64512).build()));
        Negotiation.check(theirs(65000, OUR_ID, 240, new FourOctetAs(65000)), peer(65000).build(), LOCAL); // RFC 6286 §2.2
    }

    @Test
    void noCommonFamilyIsUnsupportedCapabilityNamingOurs() throws Exception {
        WireException e = assertThrows(WireException.class, () -> Negotiation.check(
                theirs(64512, 2, 240, new Multiprotocol(IPV6_UNICAST), new FourOctetAs(64512)), peer(64512).build(), LOCAL));
        assertEquals(NotificationCode.OPEN_UNSUPPORTED_CAPABILITY, e.code());
        assertEquals("0104" + "00010001", HexFormat.of().formatHex(e.data()), "our MP capability for IPv4 unicast");
        // No MP capability at all means IPv4 unicast (RFC 4760 §8).
        Negotiation.check(theirs(64512, 2, 240, new FourOctetAs(64512)), peer(64512).build(), LOCAL);
    }

    /** RFC 7911 §4: receive = our receive ∧ their send; send = our send ∧ their receive. */
    @ParameterizedTest(name = "ours {0}, theirs {1} -> receive {2}, send {3}")
    @CsvSource({
        "BOTH, 3, true, true",
        "BOTH, 1, false, true",
        "BOTH, 2, true, false",
        "RECEIVE, 3, true, false",
        "SEND, 3, false, true",
        "SEND, 2, false, false",
        "RECEIVE, 1, false, false",
        "NONE, 3, false, false",
        "BOTH, 0, false, false",
        "BOTH, -1, false, false",
    })
    void addPathDirections(AddPathMode ours, int theirMode, boolean receive, boolean send) throws Exception {
        PeerConfig p = peer(64512).addPath(ours == AddPathMode.NONE ? Map.of() : Map.of(IPV4_UNICAST, ours)).build();
        List<Capability> caps = new ArrayList<>(List.of(new Multiprotocol(IPV4_UNICAST), new FourOctetAs(64512)));
        if (theirMode >= 0) {
            caps.add(new AddPath(List.of(new AddPath.Entry(IPV4_UNICAST, theirMode))));
        }
        Negotiated n = Negotiation.negotiate(Negotiation.localOpen(LOCAL, p), theirs(64512, 2, 240, caps.toArray(new Capability[0])), p);
        assertEquals(receive, n.addPathReceive().contains(IPV4_UNICAST));
        assertEquals(send, n.addPathSend().contains(IPV4_UNICAST));
        assertEquals(receive, n.receiveSettings().addPath(IPV4_UNICAST));
        assertEquals(send, n.sendSettings().addPath(IPV4_UNICAST));
    }

    @ParameterizedTest(name = "hold ours {0} theirs {1} -> {2}, keepalive {3}")
    @CsvSource({
        "240, 240, 240, 80",
        "240, 90, 90, 30",
        "90, 240, 90, 30",
        "240, 0, 0, 0",
        "0, 240, 0, 0",
        "240, 3, 3, 1",
    })
    void holdIsTheMinimumAndKeepaliveAThird(int ours, int theirs, int hold, int keepalive) throws Exception {
        PeerConfig p = peer(64512).holdTime(ours).build();
        Negotiated n = Negotiation.negotiate(Negotiation.localOpen(LOCAL, p), theirs(64512, 2, theirs, new FourOctetAs(64512)), p);
        assertEquals(hold, n.holdTime());
        assertEquals(keepalive, n.keepaliveTime());
    }

    @Test
    void configuredKeepaliveIsKeptWhenItFits() throws Exception {
        PeerConfig p = peer(64512).holdTime(240).keepaliveTime(20).build();
        Negotiated n = Negotiation.negotiate(Negotiation.localOpen(LOCAL, p), theirs(64512, 2, 240, new FourOctetAs(64512)), p);
        assertEquals(20, n.keepaliveTime());
    }

    @Test
    void familiesAs4ExtendedRefreshAndGracefulRestart() throws Exception {
        PeerConfig p = peer(64512).families(Set.of(IPV4_UNICAST, IPV6_UNICAST)).extendedMessages(true).build();
        GracefulRestart gr = GracefulRestart.of(false, false, 90, List.of(new GracefulRestart.Entry(IPV6_UNICAST, true),
                new GracefulRestart.Entry(new AddressFamily(1, 2), true)));
        Open bird = theirs(64512, 2, 240, new Multiprotocol(IPV6_UNICAST), RouteRefreshCapability.INSTANCE,
                EnhancedRouteRefresh.INSTANCE, new FourOctetAs(64512), gr);
        Negotiated n = Negotiation.negotiate(Negotiation.localOpen(LOCAL, p), bird, p);
        assertEquals(Set.of(IPV6_UNICAST), n.families());
        assertTrue(n.fourOctetAs());
        assertTrue(n.routeRefresh() && n.enhancedRouteRefresh());
        assertTrue(n.extendedReceive(), "we advertised it, so we accept large messages");
        assertFalse(n.extendedSend(), "the peer did not, so we never send them");
        assertEquals(Set.of(IPV6_UNICAST), n.gracefulRestartFamilies());
        assertEquals(90, n.peerGracefulRestart().restartTime());
        assertEquals(new WireSettings(true, true, Set.of()), n.receiveSettings());
        assertEquals(WireSettings.AS4, n.sendSettings());

        Open old = theirs(64512, 2, 240); // no capabilities at all
        Negotiated legacy = Negotiation.negotiate(Negotiation.localOpen(LOCAL, p), old, p);
        assertFalse(legacy.fourOctetAs());
        assertEquals(Set.of(IPV4_UNICAST), legacy.families());
        assertEquals(WireSettings.INITIAL, legacy.sendSettings());
        assertArrayEquals(new Object[0], legacy.gracefulRestartFamilies().toArray());
    }
}
