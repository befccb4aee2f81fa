package io.routereflector.testbed.golden;

import io.routereflector.testbed.Binaries;
import io.routereflector.testbed.Testbed;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Re-captures the golden files into {@code bgp-wire/src/test/resources/golden/}. Not part of the
 * normal build (its name matches no test pattern); run it on purpose, see that folder's README:
 * {@code mvn -B verify -pl bgp-wire,src -Djacoco.skip=true -Dtest=none -Dit.test=GoldenRecapture}; add
 * {@code -Dgolden.implementation=frr} (or bird1.6, bird2, gobgp) to re-capture one implementation's files only.
 */
class GoldenRecapture {

    @Test
    void recaptureAll() throws IOException {
        Path dir = Binaries.repoRoot().resolve("bgp-wire/src/test/resources/golden");
        try (Testbed testbed = Testbed.start()) {
            String only = System.getProperty("golden.implementation", "");
            for (GoldenScenario scenario : GoldenScenario.values()) {
                if (!only.isEmpty() && !scenario.fileName().startsWith(only + "-")) {
                    continue;
                }
                GoldenFile golden = scenario.capture(testbed);
                assertTrue(golden.messages().size() >= 3, "too little captured: " + golden);
                assertTrue(golden.endOfRib(), "no End-of-RIB from " + golden + "\n" + testbed.diagnostics());
                golden.write(dir.resolve(scenario.fileName()));
            }
        }
    }
}
