package io.routereflector.rib;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.routereflector.rib.out.GroupKey;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.NextHop;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.PathAttribute;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;
import io.routereflector.wire.nlri.Ipv4Prefix;
import io.routereflector.wire.nlri.Nlri;
import io.routereflector.wire.nlri.NlriList;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Calico-shaped peers and UPDATEs for RIB tests. */
final class RibFixtures {

    static final int ROUTER_ID = Ipv4Prefix.parseAddress("198.51.100.1");
    static final int CLUSTER_ID = Ipv4Prefix.parseAddress("224.0.0.1");
    static final long AS = 64512;

    private RibFixtures() {
    }

    static Rib rib() {
        return new Rib(ROUTER_ID, CLUSTER_ID, AS, UnpooledByteBufAllocator.DEFAULT);
    }

    static RibPeer peer(int n, PeerRole role) {
        try {
            String address = "198.51.100." + n;
            return new RibPeer(n, InetAddress.getByName(address), Ipv4Prefix.parseAddress(address),
                    role == PeerRole.EBGP ? 65000 + n : AS, role);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static GroupKey key(PeerRole role, boolean addPath) {
        Set<AddressFamily> v4 = Set.of(AddressFamily.IPV4_UNICAST);
        return GroupKey.ibgp(role, v4, addPath ? v4 : Set.of());
    }

    /** What a Calico node announces for its blocks: ORIGIN incomplete, empty AS_PATH, NEXT_HOP itself, LOCAL_PREF 100. */
    static PathAttributes calico(RibPeer node, PathAttribute... extra) {
        List<PathAttribute> all = new ArrayList<>(List.of(Origin.INCOMPLETE, AsPath.EMPTY,
                new NextHop(node.bgpIdentifier()), new LocalPref(100)));
        all.addAll(List.of(extra));
        PathAttributes.Builder b = PathAttributes.builder();
        all.forEach(b::add);
        return b.build();
    }

    static Update announce(PathAttributes attributes, String... prefixes) {
        return Update.announce(attributes, nlri(prefixes));
    }

    static Update withdraw(String... prefixes) {
        return Update.withdraw(nlri(prefixes));
    }

    static NlriList nlri(String... prefixes) {
        List<Nlri> list = new ArrayList<>();
        for (String p : prefixes) {
            list.add(Nlri.of(IpPrefix.parse(p)));
        }
        return NlriList.of(AddressFamily.IPV4_UNICAST, false, list);
    }
}
