package io.routereflector.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One FRR instance's pathspace ({@code -N NAME}, TESTBED.md): its config in {@code /etc/frr/NAME/},
 * its vty sockets and pid files in {@code /var/run/frr/NAME/}, both owned by user {@code frr}. Named
 * after the testbed host's namespace ({@code rrt-hN}), so leftovers of a crashed run are found by
 * the testbed's prefix and removed before the next run, as its namespaces are.
 */
final class FrrPathspace {

    static final Path CONFIG_ROOT = Path.of("/etc/frr");
    static final Path RUN_ROOT = Path.of("/var/run/frr");

    private final String name;

    private FrrPathspace(String name) {
        this.name = name;
    }

    /** Creates both folders afresh with an empty vtysh.conf and {@code config} as frr.conf. */
    static FrrPathspace create(String name, String config) {
        if (!name.startsWith(Testbed.PREFIX)) {
            throw new IllegalArgumentException("FRR pathspaces of the testbed are named " + Testbed.PREFIX + "…: " + name);
        }
        FrrPathspace space = new FrrPathspace(name);
        space.delete();
        try {
            Files.createDirectories(space.configDir());
            Files.createDirectories(space.runDir());
            Files.writeString(space.configDir().resolve("vtysh.conf"), "");
            Files.writeString(space.configFile(), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Shell.check("chown", "-R", "frr:frr", space.configDir().toString(), space.runDir().toString());
        return space;
    }

    String name() {
        return name;
    }

    Path configDir() {
        return CONFIG_ROOT.resolve(name);
    }

    Path configFile() {
        return configDir().resolve("frr.conf");
    }

    Path runDir() {
        return RUN_ROOT.resolve(name);
    }

    /** A daemon's vty socket: present once it accepts vtysh. */
    Path vty(String daemon) {
        return runDir().resolve(daemon + ".vty");
    }

    /** Removes both folders (the daemons must be stopped). */
    void delete() {
        Testbed.deleteTree(configDir());
        Testbed.deleteTree(runDir());
    }

    /** Pathspaces in the testbed's space left by a crashed run (their daemons died with their namespaces). */
    static void removeLeftovers() {
        for (Path root : List.of(CONFIG_ROOT, RUN_ROOT)) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(Testbed.PREFIX)).toList()) {
                    Testbed.deleteTree(dir);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
