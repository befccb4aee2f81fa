package io.routereflector.datastore.calico;

import io.routereflector.rib.policy.FilterRule;

import java.util.List;
import java.util.Objects;

/** A Calico {@code BGPFilter}: its export rules ({@code exportV4} then {@code exportV6}) and import rules, in order. */
public record BgpFilter(String name, List<FilterRule> exportRules, List<FilterRule> importRules, String source)
        implements PolicyResource {

    public BgpFilter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        exportRules = List.copyOf(exportRules);
        importRules = List.copyOf(importRules);
    }

    @Override
    public String kind() {
        return "BGPFilter";
    }
}
