package io.routereflector.packaging;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
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
        for (String flag : List.of("-XX:SharedArchiveFile=", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:InitialHeapSize=50331648",
                "-XX:MaxHeapSize=1073741824", "-XX:+ExitOnOutOfMemoryError")) {
            assertTrue(out.contains(flag), flag + " not in the JVM's flags: " + out);
        }
        assertTrue(out.contains("routereflector "), out);
    }

    /** The launcher run with JAVA_EXTRA_OPTS, its output (stdout and stderr) after it ended with 0. */
    static String runLauncher(Path launcher, String extraOpts, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("JAVA_OPTS");
        pb.environment().put("JAVA_EXTRA_OPTS", extraOpts);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "launcher did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** Our classes come from the archive's top layer, not from the jar. */
    static boolean ourClassesFromTheArchive(String classLoadLog) {
        return classLoadLog.lines().anyMatch(l -> l.contains(" io.routereflector.") && l.contains("shared objects file (top)"));
    }

    @Test
    void theLauncherMapsTheClassArchivePackageBuiltForItsJar() throws Exception {
        assertTrue(Files.isRegularFile(ROOT.resolve("src/target/routereflector.jsa")), "mvn package built no class archive");
        String out = runLauncher(LAUNCHER, "-Xlog:class+load=info", "version");
        assertTrue(ourClassesFromTheArchive(out), "our classes were loaded from the jar, not the archive");
        assertFalse(out.contains("[cds"), out);
    }

    /**
     * An install elsewhere, as the systemd unit's: the jar and the archive copied next to the launcher do not
     * match (an archive holds its jar's path), so the launcher starts without it and says how to rebuild,
     * the JVM printing no warning; routereflector-class-archive there builds one the launcher then maps.
     */
    @Test
    void anArchiveForAnotherJarIsLeftOutAndRebuiltWhereTheJarIs() throws Exception {
        Path bin = Files.createTempDirectory("rr-install").resolve("bin");
        Files.createDirectories(bin);
        try {
            for (String name : List.of("routereflector.jar", "routereflector.jsa", "routereflector.jsa.stamp")) {
                Files.copy(ROOT.resolve("src/target").resolve(name), bin.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
            }
            for (String name : List.of("routereflector", "routereflector-class-archive")) {
                Files.copy(ROOT.resolve("src/bin").resolve(name), bin.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
            }
            String stale = runLauncher(bin.resolve("routereflector"), "-Xlog:class+load=info", "version");
            assertTrue(stale.contains("was built for another jar or Java, starting without it (rebuild it: "
                    + bin.resolve("routereflector-class-archive")), stale);
            assertFalse(ourClassesFromTheArchive(stale), "a stale archive was mapped");
            assertFalse(stale.contains("[cds"), stale);

            Process build = new ProcessBuilder(bin.resolve("routereflector-class-archive").toString())
                    .redirectErrorStream(true).start();
            String built = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(build.waitFor(120, TimeUnit.SECONDS), built);
            assertEquals(0, build.exitValue(), built);
            assertTrue(Files.readString(bin.resolve("routereflector.jsa.stamp")).startsWith(bin.resolve("routereflector.jar") + " "));

            String fresh = runLauncher(bin.resolve("routereflector"), "-Xlog:class+load=info", "version");
            assertTrue(ourClassesFromTheArchive(fresh), "the rebuilt archive was not mapped");
            assertFalse(fresh.contains("starting without it"), fresh);
        } finally {
            try (var files = Files.walk(bin.getParent())) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
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
