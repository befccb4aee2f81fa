package io.routereflector.packaging;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One set of JVM settings wherever the daemon runs: the launcher's defaults reach the JVM it starts,
 * the image's jvm.options carries the same collector, compiler and initial heap (its maximum follows the
 * container's memory limit instead), and the systemd unit does not replace them. An IT: the launcher needs
 * the packaged jar.
 */
class JvmSettingsIT {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    static final Path LAUNCHER = ROOT.resolve("src/bin/routereflector");

    /** The flags the launcher uses when JAVA_OPTS is not set. */
    static List<String> launcherDefaults() throws IOException {
        Matcher m = Pattern.compile("JAVA_OPTS=\\$\\{JAVA_OPTS-\"([^\"]+)\"}").matcher(Files.readString(LAUNCHER));
        assertTrue(m.find(), "no JAVA_OPTS default in " + LAUNCHER);
        return Arrays.asList(m.group(1).trim().split("\\s+"));
    }

    @Test
    void theLauncherStartsTheJvmWithItsDefaults() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "version").redirectErrorStream(true);
        pb.environment().remove("JAVA_OPTS");
        pb.environment().put("JAVA_EXTRA_OPTS", "-XX:+PrintCommandLineFlags");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        for (String flag : List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:InitialHeapSize=50331648",
                "-XX:MaxHeapSize=1073741824", "-XX:+ExitOnOutOfMemoryError")) {
            assertTrue(out.contains(flag), flag + " not in the JVM's flags: " + out);
        }
        assertTrue(out.contains("routereflector "), out);
    }

    @Test
    void theImageUsesTheLaunchersCollectorCompilerAndInitialHeap() throws Exception {
        List<String> image = new ArrayList<>(Files.readAllLines(ROOT.resolve("docker/image/jvm.options")));
        image.replaceAll(String::trim);
        for (String flag : launcherDefaults()) {
            if (flag.startsWith("-Xmx")) {
                assertTrue(image.contains("-XX:MaxRAMPercentage=70"), "the image's heap cap follows the memory limit: " + image);
                continue;
            }
            assertTrue(image.contains(flag), "docker/image/jvm.options lacks the launcher's " + flag + ": " + image);
        }
        assertFalse(image.stream().anyMatch(l -> l.contains("Shenandoah") || l.contains("InitialRAMPercentage")), image.toString());
    }

    @Test
    void theSystemdUnitKeepsTheLaunchersSettings() throws Exception {
        String unit = Files.readString(ROOT.resolve("docker/systemd/routereflector.service"));
        assertFalse(unit.lines().anyMatch(l -> l.startsWith("Environment=JAVA_OPTS")),
                "the unit replaces the launcher's JVM settings");
        assertTrue(unit.contains("ExecStart=/usr/bin/routereflector run"), unit);
    }
}
