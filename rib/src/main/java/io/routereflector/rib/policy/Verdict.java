package io.routereflector.rib.policy;

/**
 * What a policy decided for one prefix and which rule decided it (for {@code routes PREFIX}).
 *
 * @param accepted sent (export) or kept (import)
 * @param rule     the deciding rule in words, e.g. {@code "BGPFilter tor-out exportV4[0]: Reject IN 10.9.0.0/16"}
 */
public record Verdict(boolean accepted, String rule) {

    static final Verdict EXPORT_ALL = new Verdict(true, "no IPPool known: export all");
}
