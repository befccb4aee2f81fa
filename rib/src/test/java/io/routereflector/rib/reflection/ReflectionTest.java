package io.routereflector.rib.reflection;

import io.routereflector.rib.Path;
import io.routereflector.rib.PeerRole;
import io.routereflector.rib.RibPeer;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.ClusterList;
import io.routereflector.wire.attribute.Communities;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.MpReachNlri;
import io.routereflector.wire.attribute.MultiExitDisc;
import io.routereflector.wire.attribute.NextHop;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.OriginatorId;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Ipv4Prefix;
import io.routereflector.wire.nlri.Ipv6Prefix;
import io.routereflector.wire.nlri.NlriList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RFC 4456 rules and the eBGP export rules, one row each. */
class ReflectionTest {

    private static final int CLUSTER = Ipv4Prefix.parseAddress("224.0.0.1");
    private static final int ROUTER = Ipv4Prefix.parseAddress("198.51.100.1");

    private static RibPeer peer(int n, PeerRole role) throws Exception {
        return new RibPeer(n, InetAddress.getByName("198.51.100." + n), Ipv4Prefix.parseAddress("198.51.100." + n),
                role == PeerRole.EBGP ? 65000 : 64512, role);
    }

    private static PathAttributes calico(int nextHop) {
        return PathAttributes.builder().add(Origin.INCOMPLETE).add(AsPath.EMPTY).add(new NextHop(nextHop))
                .add(new MultiExitDisc(7)).add(new LocalPref(100)).build();
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
        "CLIENT, CLIENT, true",
        "CLIENT, NON_CLIENT, true",
        "CLIENT, EBGP, true",
        "NON_CLIENT, CLIENT, true",
        "NON_CLIENT, NON_CLIENT, false",
        "NON_CLIENT, EBGP, true",
        "EBGP, CLIENT, true",
        "EBGP, NON_CLIENT, true",
        "EBGP, EBGP, true",
    })
    void rfc4456Section6(PeerRole from, PeerRole to, boolean allowed) {
        assertEquals(allowed, Reflection.mayAdvertise(from, to));
    }

    @Test
    void loopDetection() {
        PathAttributes plain = calico(1);
        assertFalse(Reflection.isLooped(plain, ROUTER, CLUSTER));
        assertTrue(Reflection.isLooped(plain.with(new OriginatorId(ROUTER)), ROUTER, CLUSTER));
        assertTrue(Reflection.isLooped(plain.with(new ClusterList(5, CLUSTER)), ROUTER, CLUSTER));
        assertFalse(Reflection.isLooped(plain.with(new ClusterList(5, 6)), ROUTER, CLUSTER));
    }

    @Test
    void communitiesKeepRoutesWhereTheyBelong() {
        PathAttributes noExport = calico(1).with(new Communities(Communities.NO_EXPORT));
        assertFalse(Reflection.suppressedByCommunity(noExport, PeerRole.CLIENT));
        assertTrue(Reflection.suppressedByCommunity(noExport, PeerRole.EBGP));
        PathAttributes noAdvertise = calico(1).with(new Communities(Communities.NO_ADVERTISE));
        assertTrue(Reflection.suppressedByCommunity(noAdvertise, PeerRole.CLIENT));
    }

    @Test
    void reflectionToIbgpAddsOriginatorAndPrependsTheCluster() throws Exception {
        RibPeer client = peer(11, PeerRole.CLIENT);
        Path path = new Path(client, 0, 1, calico(client.bgpIdentifier()).with(new ClusterList(9)), false, false);
        PathAttributes out = Reflection.export(path, PeerRole.CLIENT, CLUSTER, 64512, null, null);
        assertEquals(new OriginatorId(client.bgpIdentifier()), out.originatorId());
        assertArrayEquals(new int[] {CLUSTER, 9}, out.clusterList().ids());
        assertEquals(path.attributes().nextHop(), out.nextHop(), "never next-hop-self toward iBGP");
        assertEquals(path.attributes().multiExitDisc(), out.multiExitDisc());
    }

    @Test
    void anEbgpRouteTowardIbgpGetsLocalPrefButNoReflectionAttributes() throws Exception {
        RibPeer tor = peer(250, PeerRole.EBGP);
        PathAttributes in = PathAttributes.builder().add(Origin.IGP).add(AsPath.sequence(65000)).add(new NextHop(tor.bgpIdentifier())).build();
        PathAttributes out = Reflection.export(new Path(tor, 0, 1, in, false, false), PeerRole.CLIENT, CLUSTER, 64512, null, null);
        assertEquals(new LocalPref(100), out.localPref());
        assertNull(out.originatorId());
        assertNull(out.clusterList());
    }

    @Test
    void towardEbgpNextHopSelfPrependAndStrip() throws Exception {
        RibPeer client = peer(11, PeerRole.CLIENT);
        byte[] self = InetAddress.getByName("198.51.100.1").getAddress();
        Path path = new Path(client, 0, 1, calico(client.bgpIdentifier()).with(new OriginatorId(3)).with(new ClusterList(4)), false, false);
        PathAttributes out = Reflection.export(path, PeerRole.EBGP, CLUSTER, 64512, self, null);
        assertEquals(new NextHop(ROUTER), out.nextHop());
        assertEquals(AsPath.sequence(64512).segments(), out.asPath().segments());
        assertNull(out.localPref());
        assertNull(out.originatorId());
        assertNull(out.clusterList());
        assertEquals(new MultiExitDisc(7), out.multiExitDisc(), "an iBGP-learned MED may leave the AS");

        RibPeer tor = peer(250, PeerRole.EBGP);
        PathAttributes fromTor = PathAttributes.builder().add(Origin.IGP).add(AsPath.sequence(65000)).add(new NextHop(tor.bgpIdentifier()))
                .add(new MultiExitDisc(9)).build();
        PathAttributes toOtherAs = Reflection.export(new Path(tor, 0, 1, fromTor, false, false), PeerRole.EBGP, CLUSTER, 64512, self, null);
        assertNull(toOtherAs.multiExitDisc(), "RFC 4271 §5.1.4: a neighbour AS's MED is not passed to another AS");
        assertEquals(AsPath.sequence(64512, 65000).segments(), toOtherAs.asPath().segments());
    }

    @Test
    void ipv6NextHopSelfTowardEbgp() throws Exception {
        RibPeer client = peer(11, PeerRole.CLIENT);
        byte[] theirs = Ipv6Prefix.parseAddress("2001:db8::11");
        byte[] ours = Ipv6Prefix.parseAddress("2001:db8::1");
        PathAttributes in = PathAttributes.builder().add(Origin.INCOMPLETE).add(AsPath.EMPTY)
                .add(new MpReachNlri(AddressFamily.IPV6_UNICAST, theirs, NlriList.empty(AddressFamily.IPV6_UNICAST))).build();
        PathAttributes out = Reflection.export(new Path(client, 0, 1, in, false, false), PeerRole.EBGP, CLUSTER, 64512, null, ours);
        assertArrayEquals(ours, out.mpReach().nextHop());
        PathAttributes reflected = Reflection.export(new Path(client, 0, 1, in, false, false), PeerRole.CLIENT, CLUSTER, 64512, null, null);
        assertArrayEquals(theirs, reflected.mpReach().nextHop(), "unchanged toward iBGP");
    }
}
