package io.routereflector.datastore.calico;

import io.routereflector.datastore.ResourceProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.routereflector.datastore.calico.TolerantReadingTest.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 §3 for the export policy's resources: a bad field of an IPPool or a BGPFilter is reported with
 * its key (file and line), field, value and what was expected, as for a BGPConfiguration, and falls back
 * alone; a field that is not Calico's (a typo such as {@code exportv4}) is reported, not passed over.
 * calico/node's export filter is built from an IPPool's {@code cidr} and {@code disableBGPExport} only
 * (bird_ipam.cfg.template), and from a BGPFilter's four rule lists.
 */
class PolicyTolerantReadingTest {

    private static final String POOL = """
            apiVersion: projectcalico.org/v3
            kind: IPPool
            metadata: {name: pods}
            spec:
              cidr: 10.8.0.0/13
              %s
            """;

    private static final String FILTER = """
            apiVersion: projectcalico.org/v3
            kind: BGPFilter
            metadata: {name: f}
            spec:
              exportV4:
                - {action: Reject, matchOperator: In, cidr: 10.11.0.0/24}
              %s
            """;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // field                    | YAML                                   | the report says
            "spec.disableBgpExport       | disableBgpExport: true                 | not a field of a Calico IPPool (value true); ignored",
            "spec.disableBGPExport       | disableBGPExport: 'yes'                | expected true or false, got 'yes': false applies",
            "spec.disabled               | disabled: 1                            | expected true or false, got 1: false applies",
    })
    void aBadFieldOfAnIpPoolFallsBackAlone(String field, String line, String message) {
        ResourceReader.Result r = yaml(POOL.formatted(line));
        List<IpPool> pools = r.resources().stream().filter(IpPool.class::isInstance).map(IpPool.class::cast).toList();
        assertEquals(1, pools.size(), r.problems().toString());
        assertEquals("10.8.0.0/13", pools.get(0).cidr().toString());
        assertEquals(1, r.problems().size(), r.problems().toString());
        ResourceProblem p = r.problems().get(0);
        assertEquals(field, p.field());
        assertEquals("c.yaml:6", p.source());
        assertTrue(p.message().contains(message), p.message());
    }

    @Test
    void anIpPoolWithoutAUsableCidrIsReportedAsLeftOut() {
        ResourceReader.Result r = yaml(POOL.replace("cidr: 10.8.0.0/13", "cidr: 10.8.0.0/33").formatted(""));
        assertTrue(r.resources().stream().noneMatch(IpPool.class::isInstance));
        ResourceProblem p = r.problems().get(0);
        assertEquals("spec.cidr", p.field());
        assertTrue(p.message().contains("'10.8.0.0/33'") && p.message().contains("the IPPool is left out"), p.message());
        ResourceProblem missing = yaml(POOL.replace("cidr: 10.8.0.0/13", "natOutgoing: true").formatted("")).problems().get(0);
        assertEquals("spec.cidr", missing.field());
        assertTrue(missing.message().contains("required") && missing.message().contains("the IPPool is left out"), missing.message());
    }

    @Test
    void calicosOwnIpPoolFieldsThatDoNotShapeExportAreNoProblem() {
        ResourceReader.Result r = yaml(POOL.formatted("""
                ipipMode: CrossSubnet
                  vxlanMode: Never
                  natOutgoing: true
                  blockSize: 26
                  nodeSelector: all()
                  allowedUses: [Workload, Tunnel]
                  assignmentMode: Automatic
                  disableBGPExport: false
                  disabled: false"""));
        assertEquals(List.of(), r.problems());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // field                        | YAML                                                    | the report says
            "spec.exportv4                   | 'exportv4: [{action: Reject, cidr: 10.12.0.0/24, matchOperator: In}]' | not a field of a Calico BGPFilter (value [",
            "spec.importV4                   | 'importV4: {action: Reject}'                            | expected a list of rules, got {",
            "spec.importV4[0].matchOperater  | 'importV4: [{action: Reject, cidr: 10.12.0.0/24, matchOperater: In}]' | not a field of a Calico BGPFilter rule (value 'In')",
            "spec.importV4[0].action         | 'importV4: [{action: reject}]'                          | expected Accept or Reject, got 'reject': rule skipped",
            "spec.importV4[0].prefixLength.mx | 'importV4: [{action: Reject, cidr: 10.12.0.0/16, matchOperator: In, prefixLength: {mx: 24}}]' | not a field of a Calico BGPFilter prefixLength (value 24)",
    })
    void aBadFieldOfABgpFilterIsReportedAndTheOtherRulesApply(String field, String line, String message) {
        ResourceReader.Result r = yaml(FILTER.formatted(line));
        List<BgpFilter> filters = r.resources().stream().filter(BgpFilter.class::isInstance).map(BgpFilter.class::cast).toList();
        assertEquals(1, filters.size(), r.problems().toString());
        assertEquals(1, filters.get(0).exportRules().size(), "the good rule applies: " + filters.get(0));
        // The typo is reported first; what it causes (the rule without its matchOperator is skipped) may follow.
        ResourceProblem p = r.problems().get(0);
        assertEquals(field, p.field(), r.problems().toString());
        assertTrue(r.problems().size() == 1 || field.endsWith("matchOperater") && r.problems().size() == 2, r.problems().toString());
        assertEquals("c.yaml:7", p.source());
        assertTrue(p.message().contains(message), p.message());
    }
}
