package io.routereflector.rib.policy;

import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;

import java.util.Objects;

/**
 * One rule of a BGPFilter ({@code exportV4}, {@code importV6}, ...), as calico/node turns it into a
 * BIRD statement (confd {@code template_funcs.go}, {@code filterStatement}): the conditions that are
 * set are ANDed; a rule with none applies its action to every route of its family.
 *
 * @param filter       the BGPFilter's name (explanations only)
 * @param family       the family of the rule list it came from ({@code *V4} or {@code *V6})
 * @param cidr         null = no CIDR condition
 * @param operator     how {@code cidr} is compared (required with a CIDR)
 * @param minLength    {@code prefixLength.min}, -1 = unset
 * @param maxLength    {@code prefixLength.max}, -1 = unset
 * @param remotePeers  {@code source: RemotePeers}: the route was learned over BGP (every route a
 *                     reflector holds was)
 * @param iface        {@code interface} glob; a reflector's routes have no interface, so such a rule
 *                     never matches here (README: where we differ)
 * @param accept       {@code action: Accept} (else Reject)
 */
public record FilterRule(String filter, AddressFamily family, IpPrefix cidr, MatchOperator operator, int minLength,
                         int maxLength, boolean remotePeers, String iface, boolean accept) {

    /** The four {@code matchOperator} values and their BIRD operators (confd {@code operatorLUT}). */
    public enum MatchOperator {
        /** {@code net = cidr}. */
        EQUAL("Equal"),
        /** {@code net != cidr}. */
        NOT_EQUAL("NotEqual"),
        /** {@code net ~ cidr}: inside, equal included. */
        IN("In"),
        /** {@code net !~ cidr}. */
        NOT_IN("NotIn");

        private final String calicoName;

        MatchOperator(String calicoName) {
            this.calicoName = calicoName;
        }

        /** As written in a BGPFilter. */
        @Override
        public String toString() {
            return calicoName;
        }
    }

    public FilterRule {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(family, "family");
        if (cidr != null) {
            Objects.requireNonNull(operator, "a CIDR condition needs a matchOperator");
            if (cidr.family() != family) {
                throw new IllegalArgumentException("filter " + filter + ": " + cidr + " in a rule list of " + family);
            }
        }
    }

    /** True when every condition of the rule holds for {@code prefix}; the rule's family is checked first. */
    public boolean matches(IpPrefix prefix) {
        if (prefix.family() != family) {
            return false;
        }
        if (iface != null) {
            return false;
        }
        return cidr == null || cidrMatches(prefix);
    }

    /**
     * With {@code prefixLength} calico/node compares against the set {@code [cidr{min,max}]}, min
     * raised to the CIDR's length and max capped at the family's width ({@code filterMatchPrefixLength});
     * {@code =} against such a set is the same membership test as {@code ~}.
     */
    private boolean cidrMatches(IpPrefix prefix) {
        boolean inside;
        if (minLength >= 0 || maxLength >= 0) {
            int width = family == AddressFamily.IPV4_UNICAST ? 32 : 128;
            int min = Math.max(cidr.length(), minLength);
            int max = maxLength < 0 ? width : Math.min(width, maxLength);
            inside = Prefixes.covers(cidr, prefix) && prefix.length() >= min && prefix.length() <= max;
            return switch (operator) {
                case EQUAL, IN -> inside;
                case NOT_EQUAL, NOT_IN -> !inside;
            };
        }
        return switch (operator) {
            case EQUAL -> prefix.equals(cidr);
            case NOT_EQUAL -> !prefix.equals(cidr);
            case IN -> Prefixes.covers(cidr, prefix);
            case NOT_IN -> !Prefixes.covers(cidr, prefix);
        };
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(accept ? "Accept" : "Reject");
        if (cidr != null) {
            b.append(' ').append(operator).append(' ').append(cidr);
            if (minLength >= 0 || maxLength >= 0) {
                b.append(" prefixLength ").append(minLength < 0 ? "" : minLength).append("..").append(maxLength < 0 ? "" : maxLength);
            }
        }
        if (remotePeers) {
            b.append(" source RemotePeers");
        }
        if (iface != null) {
            b.append(" interface ").append(iface);
        }
        return b.toString();
    }
}
