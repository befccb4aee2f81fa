package io.routereflector.datastore.calico;

import java.util.List;
import java.util.Objects;

/** A BGPPeer's {@code spec.filters}: the BGPFilter names applied to its peerings, in order. {@code name} is the BGPPeer's. */
public record PeerFilters(String name, List<String> filters, String source) implements PolicyResource {

    public PeerFilters {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        filters = List.copyOf(filters);
    }

    @Override
    public String kind() {
        return "BGPPeer";
    }
}
