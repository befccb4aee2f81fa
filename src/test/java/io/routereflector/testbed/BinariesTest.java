package io.routereflector.testbed;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A missing peer program fails loudly, naming itself and the install script; it never skips. */
class BinariesTest {

    @Test
    void aMissingBinaryNamesItselfAndTheInstallScript() {
        Path missing = Path.of("/nonexistent/rrt/bird");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Binaries.require(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(Binaries.INSTALL_SCRIPT), e.getMessage());
    }

    @Test
    void bird16LivesUnderTheRepositorysTestbedFolder() {
        assertEquals(Binaries.repoRoot().resolve(".testbed/bird1.6/usr/sbin/bird6"), Binaries.bird16("bird6"));
        assertTrue(Binaries.repoRoot().resolve("bgp-wire").toFile().isDirectory());
    }
}
