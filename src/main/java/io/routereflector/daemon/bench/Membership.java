package io.routereflector.daemon.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How the reflector under test learns that nodes joined or left, the way each is run in production:
 * our daemon through its datastore (a YAML file it watches, or etcd), BIRD through a rewritten
 * configuration and {@code birdc configure} (what confd does), GoBGP through its gRPC API
 * ({@code gobgp neighbor add/del}).
 */
interface Membership extends AutoCloseable {

    /** Makes {@code members} the configured set; {@code added} and {@code removed} are the change. */
    void apply(List<Integer> members, List<Integer> added, List<Integer> removed) throws IOException, InterruptedException;

    @Override
    default void close() {
    }

    /**
     * Parses {@code file:PATH}, {@code etcd:URL}, {@code bird:CONF,SOCKET} or {@code gobgp:API_PORT}.
     * {@code prefix} is a command line run before {@code birdc}/{@code gobgp} (e.g. {@code ip netns exec NS}).
     */
    static Membership parse(String spec, BenchConfigs configs, List<String> prefix) {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--membership " + spec + ": expected file:PATH, etcd:URL, bird:CONF,SOCKET or gobgp:PORT");
        }
        String kind = spec.substring(0, colon);
        String arg = spec.substring(colon + 1);
        switch (kind) {
            case "file":
                return new FileMembership(Path.of(arg), configs);
            case "etcd":
                return new EtcdMembership(arg, configs);
            case "bird": {
                String[] parts = arg.split(",", 2);
                if (parts.length != 2) {
                    throw new IllegalArgumentException("--membership bird:CONF,SOCKET: both are needed, got " + arg);
                }
                return new BirdMembership(Path.of(parts[0]), parts[1], configs, prefix);
            }
            case "gobgp":
                return new GobgpMembership(Integer.parseInt(arg), configs, prefix);
            default:
                throw new IllegalArgumentException("--membership " + spec + ": unknown kind " + kind);
        }
    }

    /** Writes {@code text} to {@code file} through a temporary file and a rename: a watcher never sees half of it. */
    static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".bench-", ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Runs a command, bounded to 30 s; its output goes into the exception when it fails. */
    static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0 || out.contains("rror")) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
        }
    }

    final class FileMembership implements Membership {
        private final Path file;
        private final BenchConfigs configs;

        FileMembership(Path file, BenchConfigs configs) {
            this.file = file;
            this.configs = configs;
        }

        @Override
        public void apply(List<Integer> members, List<Integer> added, List<Integer> removed) throws IOException {
            writeAtomically(file, configs.calicoYaml(members));
        }
    }

    final class BirdMembership implements Membership {
        private final Path conf;
        private final String socket;
        private final BenchConfigs configs;
        private final List<String> prefix;

        BirdMembership(Path conf, String socket, BenchConfigs configs, List<String> prefix) {
            this.conf = conf;
            this.socket = socket;
            this.configs = configs;
            this.prefix = prefix;
        }

        @Override
        public void apply(List<Integer> members, List<Integer> added, List<Integer> removed) throws IOException, InterruptedException {
            writeAtomically(conf, configs.birdConfig(members));
            List<String> cmd = new ArrayList<>(prefix);
            cmd.addAll(List.of("birdc", "-s", socket, "configure"));
            run(cmd);
        }
    }

    final class GobgpMembership implements Membership {
        private final int port;
        private final BenchConfigs configs;
        private final List<String> prefix;

        GobgpMembership(int port, BenchConfigs configs, List<String> prefix) {
            this.port = port;
            this.configs = configs;
            this.prefix = prefix;
        }

        @Override
        public void apply(List<Integer> members, List<Integer> added, List<Integer> removed) throws IOException, InterruptedException {
            for (int i : removed) {
                gobgp(configs.gobgpDel(i));
            }
            for (int i : added) {
                gobgp(configs.gobgpAdd(i));
            }
        }

        private void gobgp(List<String> args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(prefix);
            cmd.addAll(List.of("gobgp", "-p", Integer.toString(port)));
            cmd.addAll(args);
            run(cmd);
        }
    }

    /** Puts and deletes the Node resources in etcd (v3 keyspace, JSON values), as calicoctl would. */
    final class EtcdMembership implements Membership {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final Client client;
        private final BenchConfigs configs;

        EtcdMembership(String endpoints, BenchConfigs configs) {
            this.client = Client.builder().endpoints(endpoints.split(",")).build();
            this.configs = configs;
        }

        /** Writes the whole cluster (what {@code bench config --target etcd} does before the reflector starts). */
        void putAll(List<Integer> members) throws IOException, InterruptedException {
            for (Map.Entry<String, com.fasterxml.jackson.databind.node.ObjectNode> e : configs.calicoResources(members).entrySet()) {
                put(e.getKey(), JSON.writeValueAsString(e.getValue()));
            }
        }

        @Override
        public void apply(List<Integer> members, List<Integer> added, List<Integer> removed) throws IOException, InterruptedException {
            for (int i : removed) {
                try {
                    client.getKVClient().delete(bytes(BenchConfigs.nodeKey(i))).get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    throw new IOException("etcd delete " + BenchConfigs.nodeKey(i) + ": " + e.getMessage(), e);
                }
            }
            for (int i : added) {
                put(BenchConfigs.nodeKey(i), JSON.writeValueAsString(configs.node(i)));
            }
        }

        private void put(String key, String value) throws IOException, InterruptedException {
            try {
                client.getKVClient().put(bytes(key), bytes(value)).get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IOException("etcd put " + key + ": " + e.getMessage(), e);
            }
        }

        private static ByteSequence bytes(String s) {
            return ByteSequence.from(s, StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
