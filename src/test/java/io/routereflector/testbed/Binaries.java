package io.routereflector.testbed;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the real peers' programs are, and the loud failure when one is missing: the interop tests
 * never skip (a skipped interop test would pass as green).
 */
public final class Binaries {

    public static final String INSTALL_SCRIPT = "src/scripts/install-test-deps.sh";

    public static final Path IP = Path.of("/usr/sbin/ip");
    public static final Path BIRD2 = Path.of("/usr/sbin/bird");
    public static final Path BIRDC2 = Path.of("/usr/sbin/birdc");
    public static final Path GOBGPD = Path.of("/usr/bin/gobgpd");
    public static final Path GOBGP = Path.of("/usr/bin/gobgp");
    public static final Path ETCD = Path.of("/usr/bin/etcd");
    public static final Path ETCDCTL = Path.of("/usr/bin/etcdctl");
    /** Debian's prometheus-bird-exporter (bird_exporter 1.4.1), the sidecar of the old image. */
    public static final Path BIRD_EXPORTER = Path.of("/usr/bin/prometheus-bird-exporter");
    /** FRR 8.4 (Debian {@code frr}): one zebra and one bgpd per namespace, queried with vtysh. */
    public static final Path FRR_ZEBRA = Path.of("/usr/lib/frr/zebra");
    public static final Path FRR_BGPD = Path.of("/usr/lib/frr/bgpd");
    public static final Path VTYSH = Path.of("/usr/bin/vtysh");

    private Binaries() {
    }

    /** BIRD 1.6 unpacked by the install script (its package conflicts with bird2). */
    public static Path bird16(String name) {
        return repoRoot().resolve(".testbed/bird1.6/usr/sbin").resolve(name);
    }

    /** The repository root: from the build ({@code rr.repo.root}), else found upward from the working dir. */
    public static Path repoRoot() {
        String configured = System.getProperty("rr.repo.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("bgp-wire")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root; set -Drr.repo.root");
    }

    /** Returns {@code binary} if it can run, else fails naming it and the install script. */
    public static Path require(Path binary) {
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("required binary " + binary + " is missing or not executable: run "
                    + INSTALL_SCRIPT + " (as root) to install the test dependencies");
        }
        return binary;
    }
}
