package io.routereflector.datastore.calico;

import io.routereflector.wire.nlri.IpPrefix;

import java.util.Objects;

/**
 * A Calico {@code IPPool}: its CIDR (host bits dropped, as Go's {@code net.ParseCIDR} does),
 * {@code disableBGPExport}, and {@code disabled} (no new allocations; its blocks are still exported:
 * calico/node's templates never look at it).
 */
public record IpPool(String name, IpPrefix cidr, boolean disableBgpExport, boolean disabled, String source)
        implements PolicyResource {

    public IpPool {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cidr, "cidr");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String kind() {
        return "IPPool";
    }
}
