package io.routereflector.datastore.calico;

import io.routereflector.datastore.ResourceProblem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 §3: one bad field falls back alone, as calico/node's confd converts each field on its own
 * ({@code updateBGPConfigCache}: one getter per field; {@code updatePeersV1}: the peering only goes when
 * peerIP or reachableBy cannot be used). Each row: a field, a bad value, and what the report must say.
 */
class TolerantReadingTest {

    static ResourceReader.Result yaml(String text) {
        return ResourceReader.read("c.yaml", text.getBytes(StandardCharsets.UTF_8), false);
    }

    private static final String CONFIG = """
            apiVersion: projectcalico.org/v3
            kind: BGPConfiguration
            metadata: {name: default}
            spec:
              asNumber: 64513
              nodeToNodeMeshEnabled: false
              %s
            """;

    /** BGPConfiguration default: the AS (and the mesh switch) survive any one bad field. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // field                       | YAML                                  | the report says
            "spec.logSeverityScreen         | logSeverityScreen: verbose            | 'verbose' is not one of Trace, Debug, Info, Warning, Error, Fatal (in any case); the default (Info) applies",
            "spec.listenPort                | listenPort: 70000                     | listenPort 70000 is not 1..65535; 179 applies",
            "spec.listenPort                | listenPort: high                      | expected a whole number, not 'high'; left unset",
            "spec.bindMode                  | bindMode: nodeip                      | bindMode 'nodeip' is not None or NodeIP; None applies (listen on every address)",
            "spec.nodeMeshMaxRestartTime    | nodeMeshMaxRestartTime: soon          | 'soon' is not a duration such as 120s, 2m or 1m30s; 120 s applies",
            "spec.nodeMeshPassword.secretKeyRef | 'nodeMeshPassword: {secretKeyRef: {name: ../x, key: k}}' | '../x' is not a Secret name or key",
            "spec.communities[0]            | 'communities: [{name: a, value: x}]'  | a community needs a name and a value aa:nn or aa:nn:mm; this one is left out",
            "spec.serviceClusterIPs[0].cidr | 'serviceClusterIPs: [{cidr: 10.96.0.300/12}]' | '10.96.0.300/12': not a dotted-quad IPv4 address",
            "spec.nodeToNodeMesh            | nodeToNodeMesh: true                  | not a field of a Calico BGPConfiguration (value true); ignored",
    })
    void aBadFieldOfTheDefaultConfigurationFallsBackAlone(String field, String line, String message) {
        ResourceReader.Result r = yaml(CONFIG.formatted(line));
        // the export policy's part of the resource (service CIDRs) is a resource of its own
        List<CalicoResource> read = r.resources().stream().filter(x -> !(x instanceof PolicyResource)).toList();
        assertEquals(1, read.size(), r.problems().toString());
        BgpConfiguration c = (BgpConfiguration) read.get(0);
        assertEquals(64513L, c.asNumber());
        assertEquals(Boolean.FALSE, c.nodeToNodeMeshEnabled());
        assertEquals(1, r.problems().size(), r.problems().toString());
        ResourceProblem p = r.problems().get(0);
        assertEquals(field, p.field());
        assertEquals("c.yaml:7", p.source());
        assertTrue(p.message().contains(message), p.message());
    }

    @Test
    void fieldsOfCalicoNodesOwnHostAreNoProblem() {
        ResourceReader.Result r = yaml(CONFIG.formatted("ignoredInterfaces: [eth9]\n  programClusterRoutes: Enabled\n"
                + "  ipv4NormalRoutePriority: 1024\n  localWorkloadPeeringIPV4: 169.254.0.179"));
        assertEquals(List.of(), r.problems());
        assertTrue(CalicoFields.nodeOnly("BGPConfiguration", "spec.ignoredInterfaces"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "logSeverityScreen: info    | Info",
            "logSeverityScreen: WARNING | Warning",
            "logSeverityScreen: trace   | Trace",
            "logSeverityScreen: Fatal   | Fatal",
    })
    void logSeverityScreenIsReadInAnyCaseAsCalicosPatternAllows(String line, String severity) {
        ResourceReader.Result r = yaml(CONFIG.formatted(line));
        assertEquals(List.of(), r.problems());
        assertEquals(severity, ((BgpConfiguration) r.resources().get(0)).logSeverityScreen());
    }

    private static final String PEER = """
            apiVersion: projectcalico.org/v3
            kind: BGPPeer
            metadata: {name: tor}
            spec:
              peerIP: 10.0.0.254
              asNumber: 65009
              %s
            """;

    /** A BGPPeer: a bad setting falls back alone; the peering stays. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "spec.keepaliveTime          | keepaliveTime: 0s               | keepaliveTime 0s is not 1 s..21845 s; hold time / 3 applies",
            "spec.maxRestartTime         | maxRestartTime: 2h              | maxRestartTime 2h exceeds 4095 s (RFC 4724 §3); 120 s applies",
            "spec.ttlSecurity            | ttlSecurity: 300                | ttlSecurity 300 is not 0..254 hops; off",
            "spec.sourceAddress          | sourceAddress: NodeIP           | sourceAddress 'NodeIP' is not UseNodeIP or None; UseNodeIP applies",
            "spec.nextHopMode            | nextHopMode: keep               | nextHopMode 'keep' is not Auto, Self or Keep; Auto applies",
            "spec.reversePeering         | reversePeering: Sometimes       | reversePeering 'Sometimes' is not Auto or Manual; Auto applies",
            "spec.password.secretKeyRef  | 'password: {secretKeyRef: {name: s}}' | secretKeyRef needs both name and key; no TCP MD5",
            "spec.keepOriginalNextHop    | keepOriginalNextHop: sometimes  | expected true or false, not 'sometimes'; left unset",
            "spec.filters                | 'filters: f1'                   | expected a list of BGPFilter names",
            "spec.localASNumber          | localASNumber: 65100            | not applied: a reflector speaks one AS to every peer",
            "spec.reachableBy            | reachableBy: 10.0.0.1           | not applied: routereflector programs no kernel routes",
            "spec.peerIp                 | peerIp: 10.0.0.9                | not a field of a Calico BGPPeer (value '10.0.0.9'); ignored",
    })
    void aBadFieldOfABgpPeerFallsBackAlone(String field, String line, String message) {
        ResourceReader.Result r = yaml(PEER.formatted(line));
        assertEquals(1, r.resources().size(), r.problems().toString());
        BgpPeer p = (BgpPeer) r.resources().get(0);
        assertEquals(65009L, p.asNumber());
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertEquals(field, r.problems().get(0).field());
        assertTrue(r.problems().get(0).message().contains(message), r.problems().get(0).message());
    }

    /** Without these the BGPPeer means nothing: calico/node's updatePeersV1 makes no peering either. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "spec.peerIP                 | peerIP: 10.0.0.300              | '10.0.0.300' is not an IPv4 address; the resource is skipped",
            "spec.reachableBy            | reachableBy: 'fd00::1'          | reachableBy fd00::1 is not of peerIP's address family; the resource is skipped",
            "spec.localWorkloadSelector  | localWorkloadSelector: all()    | a reflector has none: no peering; the resource is skipped",
            // A YAML block scalar's line break ends the selector: libcalico-go's tokenizer refuses it, it matches nothing.
            "spec.nodeSelector           | 'nodeSelector: \"rack == ''a''\\n\"' | (matches nothing); the resource is skipped",
    })
    void aBgpPeerWithoutAUsablePeerMakesNothing(String field, String line, String message) {
        ResourceReader.Result r = yaml(PEER.formatted(line).replace("peerIP: 10.0.0.254\n  asNumber: 65009\n  peerIP: 10.0.0.300",
                "asNumber: 65009\n  peerIP: 10.0.0.300"));
        assertEquals(List.of(), r.resources(), r.problems().toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.field().equals(field) && p.message().contains(message)),
                r.problems().toString());
    }

    @Test
    void nextHopModeOverridesKeepOriginalNextHopAsCalicoNodesGetNextHopMode() {
        ResourceReader.Result r = yaml(PEER.formatted("keepOriginalNextHop: true\n  nextHopMode: Self"));
        assertEquals(BgpPeer.NextHop.SELF, ((BgpPeer) r.resources().get(0)).nextHop());
        r = yaml(PEER.formatted("keepOriginalNextHop: true"));
        assertEquals(BgpPeer.NextHop.KEEP, ((BgpPeer) r.resources().get(0)).nextHop());
        r = yaml(PEER.formatted("reversePeering: Manual"));
        assertTrue(((BgpPeer) r.resources().get(0)).manualReverse());
    }

    @Test
    void aNodeWithOneBadAddressKeepsTheOther() {
        ResourceReader.Result r = yaml("""
                apiVersion: projectcalico.org/v3
                kind: Node
                metadata: {name: w1}
                spec: {bgp: {ipv4Address: 10.0.0.300/24, ipv6Address: fd00::11/64, asNumber: 65000, ipv4IPIPTunnelAddr: 10.1.0.1}}
                """);
        CalicoNode n = (CalicoNode) r.resources().get(0);
        assertNull(n.ipv4());
        assertEquals(65000L, n.asNumber());
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertTrue(r.problems().get(0).message().endsWith("; no IPv4 peering with this node"), r.problems().toString());
    }
}
