package io.routereflector.rib.policy;

import io.routereflector.wire.nlri.IpPrefix;

import java.util.List;

/**
 * What calico/node accepts from one BGP peer: its BGPFilters' import rules in order, first match
 * decides; no match accepts ({@code bird.cfg.template}: the import functions, then {@code accept},
 * "prior to BGP Filters we used import all").
 */
public record ImportFilter(List<FilterRule> rules) {

    public static final ImportFilter ALL = new ImportFilter(List.of());

    public ImportFilter {
        rules = List.copyOf(rules);
    }

    public boolean acceptsAll() {
        return rules.isEmpty();
    }

    public Verdict evaluate(IpPrefix prefix) {
        for (FilterRule rule : rules) {
            if (rule.matches(prefix)) {
                return new Verdict(rule.accept(), "BGPFilter " + rule.filter() + ": " + rule);
            }
        }
        return new Verdict(true, "no import rule matched: accept");
    }
}
