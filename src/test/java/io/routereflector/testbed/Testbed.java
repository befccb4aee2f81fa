package io.routereflector.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A small network of namespaces for real peers (TESTBED.md): namespace {@code rrt-br} holds bridge
 * {@code br0}; veth {@code rrt-root} in the test's own namespace carries 198.51.100.1/24 and
 * 2001:db8::1/64 so an in-JVM reflector can listen there; {@link #host(int)} adds namespace
 * {@code rrt-hN} whose eth0 is 198.51.100.N/24 and 2001:db8::N/64. Peers get their own
 * namespaces because BIRD and GoBGP reject loopback next hops.
 *
 * <p>Everything is named {@code rrt-…}; leftovers of a crashed run are removed at start, and
 * everything made here (namespaces, veths, processes by their own pids) at close. A lock file
 * makes concurrent test JVMs on one machine take turns instead of deleting each other's testbed.
 */
public final class Testbed implements AutoCloseable {

    public static final String PREFIX = "rrt-";
    public static final String BRIDGE_NS = PREFIX + "br";
    public static final String ROOT_VETH = PREFIX + "root";
    public static final String REFLECTOR_IPV4 = "198.51.100.1";
    public static final String REFLECTOR_IPV6 = "2001:db8::1";

    private static final Path LOCK_FILE = Path.of("/tmp/rrt-testbed.lock");
    private static final Duration LOCK_WAIT = Duration.ofMinutes(15);
    private static final Duration ADDRESS_WAIT = Duration.ofSeconds(15);

    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Path workDir;
    private final Map<Integer, Host> hosts = new LinkedHashMap<>();
    private final List<ManagedProcess> processes = new ArrayList<>();
    private final java.util.Set<Integer> rootAddresses = new java.util.HashSet<>();
    private final List<Runnable> cleanups = new ArrayList<>();
    private boolean closed;

    private Testbed(FileChannel lockChannel, FileLock lock, Path workDir) {
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.workDir = workDir;
    }

    /** Takes the machine-wide testbed lock, clears leftovers and builds the bridge and root veth. */
    public static Testbed start() {
        Binaries.require(Binaries.IP);
        FileChannel channel = null;
        FileLock lock = null;
        try {
            channel = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = awaitLock(channel);
            Testbed testbed = new Testbed(channel, lock, Files.createTempDirectory(PREFIX));
            try {
                removeLeftovers();
                testbed.buildBridge();
                return testbed;
            } catch (RuntimeException | Error e) {
                testbed.close();
                throw e;
            }
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            if (lock == null) {
                closeQuietly(channel);
            }
            throw e;
        }
    }

    private static FileLock awaitLock(FileChannel channel) {
        return Await.value("the testbed lock " + LOCK_FILE + " (another test JVM holds it)", LOCK_WAIT,
                () -> {
                    try {
                        return java.util.Optional.ofNullable(channel.tryLock());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, () -> "");
    }

    /**
     * Runs {@code check} while holding the machine-wide testbed lock: no other testbed (another test
     * JVM on this machine) is alive meanwhile, so a look at the {@code rrt-} space sees only leftovers.
     */
    public static <T> T whileNoOtherTestbed(java.util.function.Supplier<T> check) {
        try (FileChannel channel = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = awaitLock(channel);
            try {
                return check.get();
            } finally {
                lock.release();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void buildBridge() {
        ip("netns", "add", BRIDGE_NS);
        ipIn(BRIDGE_NS, "link", "set", "lo", "up");
        ipIn(BRIDGE_NS, "link", "add", "br0", "type", "bridge");
        ipIn(BRIDGE_NS, "link", "set", "br0", "up");
        ip("link", "add", ROOT_VETH, "type", "veth", "peer", "name", ROOT_VETH + "-p");
        ip("link", "set", ROOT_VETH + "-p", "netns", BRIDGE_NS);
        ipIn(BRIDGE_NS, "link", "set", ROOT_VETH + "-p", "master", "br0", "up");
        ip("addr", "add", REFLECTOR_IPV4 + "/24", "dev", ROOT_VETH);
        ip("addr", "add", REFLECTOR_IPV6 + "/64", "dev", ROOT_VETH, "nodad");
        ip("link", "set", ROOT_VETH, "up");
        awaitAddresses(null, ROOT_VETH);
    }

    /**
     * A further root-side address 198.51.100.N/24 and 2001:db8::N/64 on the root veth, for a second
     * in-JVM speaker (two reflectors of ours); host N can then not be added. Gone with the veth at close.
     */
    public synchronized String addRootAddress(int n) {
        if (n < 2 || n > 254 || hosts.containsKey(n) || rootAddresses.contains(n)) {
            throw new IllegalArgumentException("root address number must be 2..254 and not yet used: " + n);
        }
        rootAddresses.add(n);
        ip("addr", "add", "198.51.100." + n + "/24", "dev", ROOT_VETH);
        ip("addr", "add", "2001:db8::" + n + "/64", "dev", ROOT_VETH, "nodad");
        awaitAddresses(null, ROOT_VETH);
        return "198.51.100." + n;
    }

    /** Adds host N (2..254): namespace rrt-hN with eth0 = 198.51.100.N/24 and 2001:db8::N/64. */
    public synchronized Host host(int n) {
        if (n < 2 || n > 254) {
            throw new IllegalArgumentException("host number must be 2..254 (1 is the reflector): " + n);
        }
        if (hosts.containsKey(n)) {
            return hosts.get(n);
        }
        if (rootAddresses.contains(n)) {
            throw new IllegalArgumentException("198.51.100." + n + " is a root-side address here");
        }
        String ns = PREFIX + "h" + n;
        String bridgeSide = PREFIX + "h" + n + "-p";
        ip("netns", "add", ns);
        Host host = new Host(this, n, ns);
        hosts.put(n, host);
        ipIn(ns, "link", "set", "lo", "up");
        ip("link", "add", ns, "type", "veth", "peer", "name", bridgeSide);
        ip("link", "set", ns, "netns", ns);
        ipIn(ns, "link", "set", ns, "name", "eth0");
        ip("link", "set", bridgeSide, "netns", BRIDGE_NS);
        ipIn(BRIDGE_NS, "link", "set", bridgeSide, "master", "br0", "up");
        ipIn(ns, "addr", "add", host.ipv4() + "/24", "dev", "eth0");
        ipIn(ns, "addr", "add", host.ipv6() + "/64", "dev", "eth0", "nodad");
        ipIn(ns, "link", "set", "eth0", "up");
        awaitAddresses(ns, "eth0");
        return host;
    }

    /** IPv6 is usable once the link is up and no address on it is still tentative. */
    private static void awaitAddresses(String ns, String device) {
        List<String> show = new ArrayList<>();
        if (ns != null) {
            show.addAll(List.of(Binaries.IP.toString(), "-n", ns));
        } else {
            show.add(Binaries.IP.toString());
        }
        show.addAll(List.of("-o", "addr", "show", "dev", device));
        String[] command = show.toArray(String[]::new);
        Await.until("addresses on " + device + (ns == null ? "" : " in " + ns) + " to be usable", ADDRESS_WAIT,
                () -> {
                    String out = Shell.check(command);
                    return out.contains(" inet6 ") && !out.contains("tentative")
                            && Shell.check(commandFor(ns, "link", "show", "dev", device)).contains("LOWER_UP");
                }, () -> Shell.run(command).output());
    }

    /** Starts a long-running program inside namespace {@code ns}, stopped at {@link #close()}. */
    synchronized ManagedProcess startIn(String ns, String name, List<String> command) {
        if (closed) {
            throw new IllegalStateException("testbed is closed");
        }
        List<String> full = new ArrayList<>(List.of(Binaries.IP.toString(), "netns", "exec", ns));
        full.addAll(command);
        // `ip netns exec` execs the program in place, so the process's pid is the program's own.
        ManagedProcess process = ManagedProcess.start(name, full, workDir.resolve(name + ".log"));
        processes.add(process);
        return process;
    }

    /**
     * Runs {@code cleanup} at close, after every program started here has stopped and before the
     * namespaces go: for what lives outside the work directory (an FRR pathspace).
     */
    synchronized void onClose(Runnable cleanup) {
        cleanups.add(cleanup);
    }

    /** A private directory for configs, sockets and logs; deleted at close. */
    public Path workDir() {
        return workDir;
    }

    public synchronized List<Host> hosts() {
        return List.copyOf(hosts.values());
    }

    /** The logs of every program started here, for failure messages. */
    public synchronized String diagnostics() {
        StringBuilder text = new StringBuilder();
        for (ManagedProcess process : processes) {
            text.append(process.diagnostics()).append('\n');
        }
        return text.toString();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (int i = processes.size() - 1; i >= 0; i--) {
                processes.get(i).stop();
            }
            for (int i = cleanups.size() - 1; i >= 0; i--) {
                cleanups.get(i).run();
            }
            for (Host host : hosts.values()) {
                Shell.run(Binaries.IP.toString(), "netns", "del", host.namespace());
            }
            Shell.run(Binaries.IP.toString(), "link", "del", ROOT_VETH);
            Shell.run(Binaries.IP.toString(), "netns", "del", BRIDGE_NS);
            deleteTree(workDir);
        } finally {
            try {
                lock.release();
            } catch (IOException ignored) {
                // closing the channel releases it as well
            }
            closeQuietly(lockChannel);
        }
    }

    /** Names of namespaces in the {@code rrt-} space, for clean-up checks. */
    public static List<String> namespaces() {
        return Stream.of(Shell.check(Binaries.IP.toString(), "netns", "list").split("\n"))
                .map(line -> line.split(" ")[0].trim())
                .filter(name -> name.startsWith(PREFIX))
                .toList();
    }

    /** Links of the test's own namespace in the {@code rrt-} space, for clean-up checks. */
    public static List<String> rootLinks() {
        return Stream.of(Shell.check(Binaries.IP.toString(), "-o", "link", "show").split("\n"))
                .map(line -> line.split(":"))
                .filter(parts -> parts.length > 1)
                .map(parts -> parts[1].trim().split("@")[0])
                .filter(name -> name.startsWith(PREFIX))
                .toList();
    }

    /** A crashed earlier run may have left namespaces, their programs, the root veth and FRR pathspaces. */
    private static void removeLeftovers() {
        for (String ns : namespaces()) {
            String pids = Shell.run(Binaries.IP.toString(), "netns", "pids", ns).output();
            for (String pid : pids.split("\\s+")) {
                if (pid.matches("\\d+")) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            Shell.check(Binaries.IP.toString(), "netns", "del", ns);
        }
        for (String link : rootLinks()) {
            Shell.check(Binaries.IP.toString(), "link", "del", link);
        }
        FrrPathspace.removeLeftovers();
    }

    private static String[] commandFor(String ns, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Binaries.IP.toString());
        if (ns != null) {
            command.add("-n");
            command.add(ns);
        }
        command.addAll(List.of(args));
        return command.toArray(String[]::new);
    }

    private static void ip(String... args) {
        Shell.check(commandFor(null, args));
    }

    private static void ipIn(String ns, String... args) {
        Shell.check(commandFor(ns, args));
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // nothing to add to the failure being reported
        }
    }
}
