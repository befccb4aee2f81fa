package io.routereflector.datastore.calico;

import java.util.List;
import java.util.Objects;

/**
 * A Calico {@code BGPConfiguration}: {@code default} (cluster-wide) or {@code node.<name>} (one node).
 * Unset fields are null so that a node's configuration can fall back to the default one.
 *
 * @param communities {@code name=value} pairs as written; they matter for prefix advertisement, not reflection
 */
public record BgpConfiguration(String name, Boolean nodeToNodeMeshEnabled, Long asNumber, String logSeverityScreen,
                               Integer listenPort, SecretKeyRef nodeMeshPassword, Integer nodeMeshMaxRestartTime,
                               String bindMode, List<String> communities, String source) implements CalicoResource {

    public static final String DEFAULT = "default";
    public static final String NODE_PREFIX = "node.";
    /**
     * The values Calico accepts for {@code logSeverityScreen}: its CRD's pattern
     * {@code ^(?i)(Trace|Debug|Info|Warning|Error|Fatal)?$}, in any case (confd lower-cases it).
     */
    public static final List<String> LOG_SEVERITIES = List.of("Trace", "Debug", "Info", "Warning", "Error", "Fatal");

    public BgpConfiguration {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        communities = List.copyOf(communities);
    }

    /** {@code text} as one of {@link #LOG_SEVERITIES}, whatever its case; null when it is none of them. */
    public static String severity(String text) {
        for (String s : LOG_SEVERITIES) {
            if (s.equalsIgnoreCase(text)) {
                return s;
            }
        }
        return null;
    }

    @Override
    public String kind() {
        return "BGPConfiguration";
    }

    /** The node this configuration is for, or null for {@code default}. */
    public String nodeName() {
        return name.startsWith(NODE_PREFIX) ? name.substring(NODE_PREFIX.length()) : null;
    }
}
