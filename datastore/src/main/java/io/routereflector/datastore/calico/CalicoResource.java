package io.routereflector.datastore.calico;

/** One validated calicoctl resource (projectcalico.org/v3), with where it came from for later problems. */
public sealed interface CalicoResource permits CalicoNode, BgpPeer, BgpConfiguration, PolicyResource {

    /** The calicoctl kind: {@code Node}, {@code BGPPeer} or {@code BGPConfiguration}. */
    String kind();

    String name();

    /** {@code file:line} or the etcd key. */
    String source();
}
