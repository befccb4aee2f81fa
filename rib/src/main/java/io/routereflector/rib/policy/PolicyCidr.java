package io.routereflector.rib.policy;

import io.routereflector.wire.nlri.IpPrefix;

import java.util.Objects;

/** A CIDR the export policy accepts or rejects, with where it came from ("IPPool default-ipv4-ippool"). */
public record PolicyCidr(IpPrefix cidr, String origin) {

    public PolicyCidr {
        Objects.requireNonNull(cidr, "cidr");
        Objects.requireNonNull(origin, "origin");
    }

    @Override
    public String toString() {
        return origin + " " + cidr;
    }
}
