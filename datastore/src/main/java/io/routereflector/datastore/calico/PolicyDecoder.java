package io.routereflector.datastore.calico;

import com.fasterxml.jackson.databind.JsonNode;
import io.routereflector.datastore.ResourceProblem;
import io.routereflector.rib.policy.CommunityTag;
import io.routereflector.rib.policy.FilterRule;
import io.routereflector.rib.policy.Prefixes;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes the export-policy resources field by field: IPPool and BGPFilter, and the policy parts of a
 * BGPPeer ({@code spec.filters}) and a BGPConfiguration (service CIDRs, {@code communities},
 * {@code prefixAdvertisements}). A bad value is reported with its field and skipped alone (one bad
 * rule, one bad CIDR), never the rest of the resource.
 */
final class PolicyDecoder {

    /** The kinds that are only policy. */
    static final Set<String> KINDS = Set.of("IPPool", "BGPFilter");

    /**
     * An IPPool's fields: calico/node's export filter is built from {@code cidr} and {@code disableBGPExport}
     * (bird_ipam.cfg.template; {@code disabled} only stops new allocations); the others govern allocation and
     * encapsulation on the nodes (the last two are v1 spellings the v3 API still carries).
     */
    private static final Set<String> POOL_FIELDS = Set.of("cidr", "disableBGPExport", "disabled", "ipipMode", "vxlanMode",
            "natOutgoing", "blockSize", "nodeSelector", "allowedUses", "assignmentMode", "ipip", "nat-outgoing");
    private static final Set<String> FILTER_FIELDS = Set.of("exportV4", "exportV6", "importV4", "importV6");
    private static final Set<String> RULE_FIELDS = Set.of("action", "matchOperator", "cidr", "prefixLength", "source", "interface");
    private static final Set<String> LENGTH_FIELDS = Set.of("min", "max");

    private final String prefix;
    private final ResourceDecoder.Locator locator;
    private final List<ResourceProblem> problems;

    private PolicyDecoder(String prefix, ResourceDecoder.Locator locator, List<ResourceProblem> problems) {
        this.prefix = prefix;
        this.locator = locator;
        this.problems = problems;
    }

    /** Adds the policy resource {@code node} makes (if any) to {@code out}. */
    static void decode(String kind, JsonNode node, String prefix, ResourceDecoder.Locator locator,
                       List<CalicoResource> out, List<ResourceProblem> problems) {
        PolicyDecoder d = new PolicyDecoder(prefix, locator, problems);
        String name = node.path("metadata").path("name").asText("");
        if (name.isEmpty()) {
            if (KINDS.contains(kind)) {
                d.problem("metadata.name", "metadata.name is required");
            }
            return;
        }
        JsonNode spec = node.path("spec");
        String source = locator.at(prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix);
        CalicoResource r = switch (kind) {
            case "IPPool" -> d.pool(name, spec, source);
            case "BGPFilter" -> d.filter(name, spec, source);
            case "BGPPeer" -> d.peerFilters(name, spec, source);
            case "BGPConfiguration" -> d.exportSettings(name, spec, source);
            default -> null;
        };
        if (r != null) {
            out.add(r);
        }
    }

    private void problem(String field, String message) {
        String path = prefix + field;
        problems.add(new ResourceProblem(locator.at(path), path, message));
    }

    /** Reports each field of {@code object} that is not among {@code known}: not Calico's, so a typo. */
    private void unknownFields(String at, JsonNode object, Set<String> known, String what) {
        if (!object.isObject()) {
            return;
        }
        object.fields().forEachRemaining(f -> {
            if (!known.contains(f.getKey())) {
                problem(at + f.getKey(), "not a field of a Calico " + what + " (value " + FieldBinder.shown(f.getValue()) + "); ignored");
            }
        });
    }

    private IpPrefix cidr(String field, JsonNode value) {
        if (!value.isTextual()) {
            problem(field, "expected a CIDR string, got " + FieldBinder.shown(value));
            return null;
        }
        try {
            return Prefixes.parseCidr(value.asText());
        } catch (IllegalArgumentException e) {
            problem(field, "'" + value.asText() + "': " + e.getMessage());
            return null;
        }
    }

    private static IpPrefix cidrOrNull(String text) {
        try {
            return Prefixes.parseCidr(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String cidrError(String text) {
        try {
            Prefixes.parseCidr(text);
            return "";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private boolean flag(String field, JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            problem(field, "expected true or false, got " + FieldBinder.shown(value) + ": false applies");
            return false;
        }
        return value.asBoolean();
    }

    private IpPool pool(String name, JsonNode spec, String source) {
        unknownFields("spec.", spec, POOL_FIELDS, "IPPool");
        JsonNode value = spec.path("cidr");
        if (value.isMissingNode() || value.isNull()) {
            problem("spec.cidr", "spec.cidr is required: the IPPool is left out");
            return null;
        }
        IpPrefix cidr = value.isTextual() ? cidrOrNull(value.asText()) : null;
        if (cidr == null) {
            problem("spec.cidr", "expected a CIDR such as 10.244.0.0/16, got " + FieldBinder.shown(value)
                    + (value.isTextual() ? " (" + cidrError(value.asText()) + ")" : "") + ": the IPPool is left out");
            return null;
        }
        return new IpPool(name, cidr, flag("spec.disableBGPExport", spec.path("disableBGPExport")),
                flag("spec.disabled", spec.path("disabled")), source);
    }

    private BgpFilter filter(String name, JsonNode spec, String source) {
        unknownFields("spec.", spec, FILTER_FIELDS, "BGPFilter");
        List<FilterRule> export = new ArrayList<>();
        List<FilterRule> imports = new ArrayList<>();
        rules(name, spec, "exportV4", AddressFamily.IPV4_UNICAST, export);
        rules(name, spec, "exportV6", AddressFamily.IPV6_UNICAST, export);
        rules(name, spec, "importV4", AddressFamily.IPV4_UNICAST, imports);
        rules(name, spec, "importV6", AddressFamily.IPV6_UNICAST, imports);
        return new BgpFilter(name, export, imports, source);
    }

    private void rules(String filter, JsonNode spec, String list, AddressFamily family, List<FilterRule> out) {
        JsonNode rules = spec.path(list);
        if (rules.isMissingNode() || rules.isNull()) {
            return;
        }
        if (!rules.isArray()) {
            problem("spec." + list, "expected a list of rules, got " + FieldBinder.shown(rules) + ": none applies");
            return;
        }
        for (int i = 0; i < rules.size(); i++) {
            FilterRule r = rule(filter, "spec." + list + "[" + i + "].", rules.get(i), family);
            if (r != null) {
                out.add(r);
            }
        }
    }

    /** One rule as confd's {@code filterStatement} accepts it; anything it would refuse is reported and the rule skipped. */
    private FilterRule rule(String filter, String at, JsonNode r, AddressFamily family) {
        unknownFields(at, r, RULE_FIELDS, "BGPFilter rule");
        unknownFields(at + "prefixLength.", r.path("prefixLength"), LENGTH_FIELDS, "BGPFilter prefixLength");
        String action = r.path("action").asText("");
        if (!action.equals("Accept") && !action.equals("Reject")) {
            problem(at + "action", "expected Accept or Reject, got '" + action + "': rule skipped");
            return null;
        }
        IpPrefix cidr = null;
        FilterRule.MatchOperator operator = null;
        JsonNode cidrNode = r.path("cidr");
        if (cidrNode.isTextual() && !cidrNode.asText().isEmpty()) {
            cidr = cidr(at + "cidr", cidrNode);
            if (cidr == null) {
                return null;
            }
            if (cidr.family() != family) {
                problem(at + "cidr", cidr + " is not " + family + ": rule skipped");
                return null;
            }
            String op = r.path("matchOperator").asText("");
            operator = switch (op) {
                case "Equal" -> FilterRule.MatchOperator.EQUAL;
                case "NotEqual" -> FilterRule.MatchOperator.NOT_EQUAL;
                case "In" -> FilterRule.MatchOperator.IN;
                case "NotIn" -> FilterRule.MatchOperator.NOT_IN;
                default -> null;
            };
            if (operator == null) {
                problem(at + "matchOperator", "expected Equal, NotEqual, In or NotIn with a cidr, got '" + op + "': rule skipped");
                return null;
            }
        }
        int width = family == AddressFamily.IPV4_UNICAST ? 32 : 128;
        int min = -1;
        int max = -1;
        JsonNode length = r.path("prefixLength");
        if (!length.isMissingNode() && !length.isNull()) {
            if (cidr == null) {
                problem(at + "prefixLength", "prefixLength needs a cidr: rule skipped");
                return null;
            }
            min = length(at + "prefixLength.min", length.path("min"), width);
            max = length(at + "prefixLength.max", length.path("max"), width);
            if (min == -2 || max == -2) {
                return null;
            }
        }
        String source = r.path("source").asText("");
        if (!source.isEmpty() && !source.equals("RemotePeers")) {
            problem(at + "source", "expected RemotePeers, got '" + source + "': rule skipped");
            return null;
        }
        String iface = r.path("interface").asText("");
        return new FilterRule(filter, family, cidr, operator, min, max, !source.isEmpty(), iface.isEmpty() ? null : iface,
                action.equals("Accept"));
    }

    /** -1 = unset, -2 = invalid (reported). */
    private int length(String field, JsonNode value, int width) {
        if (value.isMissingNode() || value.isNull()) {
            return -1;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 0 || value.asInt() > width) {
            problem(field, "expected 0.." + width + ", got " + value + ": rule skipped");
            return -2;
        }
        return value.asInt();
    }

    private PeerFilters peerFilters(String name, JsonNode spec, String source) {
        JsonNode filters = spec.path("filters");
        if (filters.isMissingNode() || filters.isNull()) {
            return null;
        }
        if (!filters.isArray()) {
            problem("spec.filters", "expected a list of BGPFilter names");
            return null;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            if (filters.get(i).isTextual() && !filters.get(i).asText().isEmpty()) {
                names.add(filters.get(i).asText());
            } else {
                problem("spec.filters[" + i + "]", "expected a BGPFilter name, got " + filters.get(i));
            }
        }
        return new PeerFilters(name, names, source);
    }

    private ExportSettings exportSettings(String name, JsonNode spec, String source) {
        List<IpPrefix> clusterIps = serviceCidrs(spec, "serviceClusterIPs");
        List<IpPrefix> externalIps = serviceCidrs(spec, "serviceExternalIPs");
        List<IpPrefix> loadBalancerIps = serviceCidrs(spec, "serviceLoadBalancerIPs");
        List<CommunityTag> advertisements = prefixAdvertisements(spec);
        if (clusterIps == null && externalIps == null && loadBalancerIps == null && advertisements == null) {
            return null;
        }
        return new ExportSettings(name, clusterIps, externalIps, loadBalancerIps, advertisements, source);
    }

    /** {@code [{cidr: ...}, ...]}; null when the field is not set. */
    private List<IpPrefix> serviceCidrs(JsonNode spec, String field) {
        JsonNode list = spec.path(field);
        if (list.isMissingNode() || list.isNull()) {
            return null;
        }
        List<IpPrefix> out = new ArrayList<>();
        if (!list.isArray()) {
            problem("spec." + field, "expected a list of {cidr: ...}");
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            IpPrefix p = cidr("spec." + field + "[" + i + "].cidr", list.get(i).path("cidr"));
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    private List<CommunityTag> prefixAdvertisements(JsonNode spec) {
        JsonNode list = spec.path("prefixAdvertisements");
        if (list.isMissingNode() || list.isNull()) {
            return null;
        }
        Map<String, String> named = new HashMap<>();
        JsonNode communities = spec.path("communities");
        for (int i = 0; i < communities.size(); i++) {
            named.put(communities.get(i).path("name").asText(""), communities.get(i).path("value").asText(""));
        }
        List<CommunityTag> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "spec.prefixAdvertisements[" + i + "].";
            IpPrefix cidr = cidr(at + "cidr", list.get(i).path("cidr"));
            if (cidr == null) {
                continue;
            }
            List<Integer> standard = new ArrayList<>();
            List<Integer> large = new ArrayList<>();
            JsonNode values = list.get(i).path("communities");
            for (int j = 0; j < values.size(); j++) {
                String text = values.get(j).asText("");
                String value = named.getOrDefault(text, text);
                if (!community(value, standard, large)) {
                    problem(at + "communities[" + j + "]", "'" + text + "' is neither a name in spec.communities nor"
                            + " a community aa:nn or aa:nn:mm: skipped");
                }
            }
            if (out.size() == io.routereflector.rib.policy.ExportPolicy.MAX_COMMUNITY_TAGS) {
                problem(at + "cidr", "more than " + out.size() + " prefix advertisements: skipped");
                continue;
            }
            out.add(new CommunityTag(cidr, standard.stream().mapToInt(Integer::intValue).toArray(),
                    large.stream().mapToInt(Integer::intValue).toArray()));
        }
        return out;
    }

    /** {@code aa:nn} (16-bit parts) or {@code aa:nn:mm} (32-bit parts), as calico/node's validator accepts them. */
    private static boolean community(String text, List<Integer> standard, List<Integer> large) {
        String[] parts = text.split(":", -1);
        try {
            if (parts.length == 2) {
                long a = Long.parseLong(parts[0]);
                long b = Long.parseLong(parts[1]);
                if (a < 0 || a > 0xFFFF || b < 0 || b > 0xFFFF) {
                    return false;
                }
                standard.add((int) (a << 16 | b));
                return true;
            }
            if (parts.length == 3) {
                for (String p : parts) {
                    long v = Long.parseLong(p);
                    if (v < 0 || v > 0xFFFF_FFFFL) {
                        return false;
                    }
                }
                for (String p : parts) {
                    large.add((int) Long.parseLong(p));
                }
                return true;
            }
        } catch (NumberFormatException e) {
            return false;
        }
        return false;
    }
}
