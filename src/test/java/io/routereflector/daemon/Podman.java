package io.routereflector.daemon;

import io.routereflector.testbed.Binaries;
import io.routereflector.testbed.Shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * podman with the runc runtime and the two defaults this sandbox refuses switched off (TESTBED.md
 * "Containers"): the same engine commands an operator runs, {@code docker} spelled {@code podman}.
 */
final class Podman {

    static final Path PODMAN = Path.of("/usr/bin/podman");
    static final Path RUNC = Path.of("/usr/sbin/runc");
    static final Path DEBOOTSTRAP = Path.of("/usr/sbin/debootstrap");

    private final Path conf;

    Podman(Path testbedDir) {
        Binaries.require(PODMAN);
        Binaries.require(RUNC);
        Binaries.require(DEBOOTSTRAP);
        this.conf = testbedDir.resolve("image/containers.conf");
        try {
            Files.createDirectories(conf.getParent());
            Files.writeString(conf, "[containers]\ndefault_ulimits = []\npids_limit = 0\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Map<String, String> environment() {
        return Map.of("CONTAINERS_CONF", conf.toString());
    }

    /** {@code podman --runtime runc ARGS…} and the engine arguments in front of {@code args}. */
    List<String> command(String... args) {
        List<String> out = new ArrayList<>(List.of(PODMAN.toString(), "--runtime", RUNC.toString()));
        out.addAll(List.of(args));
        return out;
    }

    Shell.Result run(Duration timeout, String... args) {
        return Shell.run(command(args), environment(), timeout);
    }

    Shell.Result run(String... args) {
        return run(Duration.ofSeconds(60), args);
    }
}
