package io.routereflector.daemon.ops;

import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import io.routereflector.rib.policy.ExportPolicy;

/**
 * One line on the export policy in force (start-up log, {@code check-config}, {@code status}): what
 * calico/node's policy is built from, or that no IPPool is known and everything is exported, as the
 * old reflector image did.
 */
public final class ExportSummary {

    /** Said when no IPPool is known. */
    public static final String EXPORT_ALL = "no IPPool known: every route is exported to every peer (as the old"
            + " calico/routereflector image did); define IPPools to export as calico/node does";

    private ExportSummary() {
    }

    public static String describe(ReflectorConfig config) {
        if (config == null || config.peers().isEmpty()) {
            return "no peers";
        }
        ExportPolicy any = config.peers().get(0).exportPolicy();
        if (!any.poolsKnown()) {
            return EXPORT_ALL;
        }
        long filtered = config.peers().stream().filter(p -> !p.exportPolicy().filters().isEmpty()).count();
        long importFiltered = config.peers().stream().filter(p -> !p.importFilter().acceptsAll()).count();
        return "calico/node's: " + any.pools().size() + " IPPool CIDRs exported" + (any.noExportPools().isEmpty() ? ""
                : ", " + any.noExportPools().size() + " with disableBGPExport") + ", " + any.services().size() + " service CIDRs"
                + (any.communities().isEmpty() ? "" : ", " + any.communities().size() + " prefix advertisements")
                + ", BGPFilters on " + filtered + " export and " + importFiltered + " import peerings, the rest withheld";
    }

    /** True when at least one peer's policy has no IPPool to go by. */
    public static boolean exportsAll(ReflectorConfig config) {
        return config != null && config.peers().stream().map(PeerConfig::exportPolicy).anyMatch(p -> !p.poolsKnown());
    }
}
