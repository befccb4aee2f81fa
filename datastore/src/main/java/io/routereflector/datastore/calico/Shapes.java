package io.routereflector.datastore.calico;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;
import java.util.Map;

/**
 * The JSON/YAML shapes of the calicoctl resources as {@link FieldBinder} binds them, field by field,
 * before validation. Every field is optional here (validation says what is missing); a field no shape
 * binds is refused or explained by {@link CalicoFields}. AS numbers bind as text: they may be numbers or
 * asdot strings.
 */
public final class Shapes {

    private Shapes() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Metadata(String name, Map<String, String> labels, Map<String, String> annotations) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Node(Metadata metadata, NodeSpec spec) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NodeSpec(NodeBgp bgp) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NodeBgp(String ipv4Address, String ipv6Address, String asNumber, String routeReflectorClusterID) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BgpPeer(Metadata metadata, BgpPeerSpec spec) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BgpPeerSpec(String node, String nodeSelector, String peerIP, String peerSelector, String asNumber,
                              Password password, Boolean keepOriginalNextHop, String maxRestartTime, Integer ttlSecurity,
                              String sourceAddress, String keepaliveTime, Integer numAllowedLocalASNumbers,
                              String nextHopMode, String reversePeering, String reachableBy, String localWorkloadSelector) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Password(SecretKeyRef secretKeyRef) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SecretKeyRef(String name, String key) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BgpConfiguration(Metadata metadata, BgpConfigurationSpec spec) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BgpConfigurationSpec(Boolean nodeToNodeMeshEnabled, String asNumber, String logSeverityScreen, Integer listenPort,
                                       Password nodeMeshPassword, String nodeMeshMaxRestartTime, String bindMode,
                                       List<Community> communities) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Community(String name, String value) {
    }
}
