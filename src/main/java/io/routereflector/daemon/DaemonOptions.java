package io.routereflector.daemon;

import io.routereflector.datastore.derive.Identity;
import io.routereflector.datastore.etcd.EtcdSettings;
import io.routereflector.reflector.config.PeerConfig;
import io.routereflector.reflector.config.ReflectorConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Options shared by {@code run} and {@code check-config}. Each flag falls back to the environment
 * variable of the old calico/routereflector image (CALICO_X overrides X); flags win over both.
 */
public final class DaemonOptions {

    @Option(names = "--ip", paramLabel = "IPV4", description = "Our IPv4 address: router id, source address, identity (env IP).")
    String ip;

    @Option(names = "--ip6", paramLabel = "IPV6", description = "Our IPv6 address; unset = IPv6 off (env IP6).")
    String ip6;

    @Option(names = "--node", paramLabel = "NAME", description = "Our Calico Node name, for a reflector that is a v3 Node (env NODENAME).")
    String node;

    @Option(names = "--datastore-type", paramLabel = "TYPE",
            description = "file, etcdv3 or kubernetes (env DATASTORE_TYPE; default: file when a datastore path is given, else etcdv3).")
    String datastoreType;

    @Option(names = "--datastore-path", paramLabel = "PATH",
            description = "Directory or file of calicoctl resources for the file datastore (env DATASTORE_PATH).")
    Path datastorePath;

    @Option(names = "--etcd-endpoints", paramLabel = "URLS",
            description = "Comma-separated etcd URLs, http:// or https:// (env ETCD_ENDPOINTS; older images: ETCD_SCHEME"
                    + " (default http) + ETCD_AUTHORITY host:port; default http://127.0.0.1:2379).")
    String etcdEndpoints;

    @Option(names = "--etcd-ca-cert-file", paramLabel = "PEM", description = "CA bundle for etcd's certificate (env ETCD_CA_CERT_FILE).")
    Path etcdCaCertFile;

    @Option(names = "--etcd-cert-file", paramLabel = "PEM", description = "Client certificate for etcd (env ETCD_CERT_FILE).")
    Path etcdCertFile;

    @Option(names = "--etcd-key-file", paramLabel = "PEM",
            description = "Client key for etcd: PKCS#1, PKCS#8 or EC PEM (env ETCD_KEY_FILE).")
    Path etcdKeyFile;

    @Option(names = "--etcd-username", paramLabel = "USER", description = "etcd user (env ETCD_USERNAME).")
    String etcdUsername;

    @Option(names = "--etcd-password", paramLabel = "PASSWORD",
            description = "etcd password (env ETCD_PASSWORD; prefer the environment: flags show in ps).")
    String etcdPassword;

    @Mixin
    KubernetesOptions kubernetes = new KubernetesOptions();

    @Option(names = "--secrets-dir", paramLabel = "DIR",
            description = "Where BGPPeer secretKeyRef passwords are read, as <dir>/<secret>/<key> (env SECRETS_DIR).")
    Path secretsDir;

    @Option(names = "--router-id", paramLabel = "IPV4|hash",
            description = "The router id: an IPv4 address, or hash (derived from the node name as calico/node does);"
                    + " default our IPv4 address; needed by an IPv6-only reflector (env CALICO_ROUTER_ID).")
    String routerId;

    /** {@link #routerId} or the environment's, resolved by {@link #identity}; null = our IPv4 address. */
    private Inet4Address resolvedRouterId;

    @Option(names = "--cluster-id", paramLabel = "IPV4", description = "Override the cluster id (default: from the datastore, else the router id).")
    String clusterId;

    @Option(names = "--as", paramLabel = "ASN", description = "Override the local AS number.")
    Long as;

    @Option(names = "--listen", split = ",", paramLabel = "ADDRESS", description = "Override the addresses to listen on.")
    List<String> listen = new ArrayList<>();

    @Option(names = "--port", paramLabel = "PORT", description = "Override the BGP port (default: BGPConfiguration listenPort, else 179).")
    Integer port;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "trace, debug, info, warn or error (env LOG_LEVEL); when unset, BGPConfiguration"
                    + " logSeverityScreen applies and is followed live, else info.")
    String logLevel;

    /** {@code --max-prefixes} when not given: far above a Calico node's routes, far below a leaked full table. */
    public static final String DEFAULT_MAX_PREFIXES = "20000";

    @Option(names = "--max-prefixes", paramLabel = "N", defaultValue = DEFAULT_MAX_PREFIXES,
            description = "Routes per address family a peer may send; one more ends its session with Cease / Maximum"
                    + " Number of Prefixes Reached (RFC 4486); 0 = no limit (default: ${DEFAULT-VALUE}). A BGPPeer"
                    + " annotation routereflector.io/max-prefixes overrides it for the peers it makes.")
    int maxPrefixes;

    @Option(names = "--prefix-limit-restart", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long a session ended for exceeding its prefix limit stays down before it starts again"
                    + " (default: ${DEFAULT-VALUE}).")
    int prefixLimitRestart;

    /** The daemon-wide prefix limit (0: none) and the idle time after a breach. */
    record PrefixLimits(int maxPrefixes, Duration restart) { }

    PrefixLimits prefixLimits() throws ConfigError {
        if (maxPrefixes < 0) {
            throw new ConfigError("--max-prefixes " + maxPrefixes + ": expected 0 (no limit) or more");
        }
        if (prefixLimitRestart < 1 || prefixLimitRestart > 86_400) {
            throw new ConfigError("--prefix-limit-restart " + prefixLimitRestart + ": expected 1..86400 seconds");
        }
        return new PrefixLimits(maxPrefixes, Duration.ofSeconds(prefixLimitRestart));
    }

    // Session attributes Calico's BGPPeer has no field for: one setting for every peer.
    @Option(names = "--extended-messages", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Advertise RFC 8654 extended messages (up to 65535 octets; used only when the peer advertises them too). Default: on.")
    boolean extendedMessages = true;

    @Option(names = "--delay-open-time", paramLabel = "SECONDS", defaultValue = "0",
            description = "RFC 4271 DelayOpen: wait this long for the peer's OPEN before sending ours, 0..240; 0 (default) = off.")
    int delayOpenTime;

    @Option(names = "--passive", description = "Never dial, only accept (BIRD's \"passive on\"). Only for peers that all dial us:"
            + " a Calico node is passive toward a peer with a higher address. Default: off.")
    boolean passive;

    @Option(names = "--damp-peer-oscillations", description = "RFC 4271 §8.1.1: double the wait before redialing a peer"
            + " after each failure (connect retry time up to 60 s), forgotten after 60 s Established. Default: off.")
    boolean dampPeerOscillations;

    /** A start-up error: one clear line, what and where and what was expected. */
    public static final class ConfigError extends Exception {
        public ConfigError(String message) {
            super(message);
        }
    }

    enum DatastoreType { FILE, ETCDV3, KUBERNETES }

    DatastoreType datastoreType(Environment env) throws ConfigError {
        String type = datastoreType != null ? datastoreType : env.get("DATASTORE_TYPE");
        if (type == null) {
            return datastorePath(env) != null ? DatastoreType.FILE : DatastoreType.ETCDV3;
        }
        switch (type.toLowerCase()) {
            case "file":
                return DatastoreType.FILE;
            case "etcdv3":
                return DatastoreType.ETCDV3;
            case "kubernetes":
                return DatastoreType.KUBERNETES;
            default:
                throw new ConfigError("DATASTORE_TYPE=" + type + ": expected file, etcdv3 or kubernetes");
        }
    }

    Path datastorePath(Environment env) {
        if (datastorePath != null) {
            return datastorePath;
        }
        String path = env.get("DATASTORE_PATH");
        return path == null ? null : Path.of(path);
    }

    /** The etcd endpoints, TLS files and credentials: flags first, then the old image's variables. */
    EtcdSettings etcdSettings(Environment env) throws ConfigError {
        List<URI> endpoints;
        try {
            endpoints = EtcdSettings.endpoints(etcdEndpoints != null ? etcdEndpoints : env.get("ETCD_ENDPOINTS"),
                    env.get("ETCD_SCHEME"), env.get("ETCD_AUTHORITY"));
        } catch (IllegalArgumentException e) {
            throw new ConfigError(e.getMessage());
        }
        Path ca = file("ETCD_CA_CERT_FILE", etcdCaCertFile, env);
        Path cert = file("ETCD_CERT_FILE", etcdCertFile, env);
        Path key = file("ETCD_KEY_FILE", etcdKeyFile, env);
        String user = etcdUsername != null ? etcdUsername : env.get("ETCD_USERNAME");
        String password = etcdPassword != null ? etcdPassword : env.get("ETCD_PASSWORD");
        try {
            return EtcdSettings.of(endpoints, ca, cert, key, user, password);
        } catch (IllegalArgumentException e) {
            throw new ConfigError(e.getMessage());
        }
    }

    private static Path file(String variable, Path flag, Environment env) throws ConfigError {
        String value = env.get(variable);
        Path f = flag != null ? flag : value == null ? null : Path.of(value);
        if (f != null && !Files.isReadable(f)) {
            throw new ConfigError(variable + " " + f + ": no such readable file (a PEM file is expected)");
        }
        return f;
    }

    Path secretsDir(Environment env) throws ConfigError {
        Path dir = secretsDir;
        if (dir == null) {
            String value = env.get("SECRETS_DIR");
            dir = value == null ? null : Path.of(value);
        }
        if (dir != null && !Files.isDirectory(dir)) {
            throw new ConfigError("--secrets-dir " + dir + ": not a directory");
        }
        return dir;
    }

    /** The level given by {@code --log-level} or {@code LOG_LEVEL}; null when neither is (the datastore's then applies). */
    String logLevel(Environment env) throws ConfigError {
        String level = logLevel != null ? logLevel : env.get("LOG_LEVEL");
        if (level == null) {
            return null;
        }
        level = level.toLowerCase();
        if (!List.of("trace", "debug", "info", "warn", "error").contains(level)) {
            throw new ConfigError("--log-level " + level + ": expected trace, debug, info, warn or error");
        }
        return level;
    }

    Identity identity(Environment env) throws ConfigError {
        String nodeName = node != null ? node : env.get("NODENAME");
        String v4 = ip != null ? ip : env.get("IP");
        String v6 = ip6 != null ? ip6 : env.get("IP6");
        Inet4Address address4 = v4 == null ? null : ipv4("IP", v4);
        Inet6Address address6 = v6 == null ? null : ipv6("IP6", v6);
        String id = routerId != null ? routerId : env.get("ROUTER_ID");
        if (id != null && !id.isEmpty()) {
            if (id.equals("hash")) {
                if (nodeName == null) {
                    throw new ConfigError("router id hash: derived from the node name, so give --node or NODENAME=");
                }
                resolvedRouterId = Identity.hashRouterId(nodeName);
            } else {
                resolvedRouterId = ipv4("router id (--router-id or CALICO_ROUTER_ID)", id);
            }
        }
        if (nodeName != null) {
            return Identity.node(nodeName).withRouterId(resolvedRouterId);
        }
        if (address4 == null && (address6 == null || resolvedRouterId == null)) {
            throw new ConfigError("IP is not set: give our IPv4 address with --ip or IP=, or our Calico node name with --node or"
                    + " NODENAME=; an IPv6-only reflector gives IP6= and a router id (--router-id or CALICO_ROUTER_ID)");
        }
        return new Identity(null, address4, address6, resolvedRouterId);
    }

    /** Applies the command-line overrides on top of what the datastore derived. */
    ReflectorConfig override(ReflectorConfig derived) throws ConfigError {
        Inet4Address router = resolvedRouterId == null ? derived.routerId() : resolvedRouterId;
        Inet4Address cluster = clusterId == null ? derived.clusterId() : ipv4("--cluster-id", clusterId);
        long localAs = as == null ? derived.localAs() : as;
        List<InetAddress> addresses = derived.listenAddresses();
        if (!listen.isEmpty()) {
            addresses = new ArrayList<>();
            for (String a : listen) {
                addresses.add(literal("--listen", a));
            }
        }
        int bgpPort = port == null ? derived.port() : port;
        if (bgpPort < 0 || bgpPort > 65535) {
            throw new ConfigError("--port " + bgpPort + ": expected 0..65535");
        }
        if (delayOpenTime < 0 || delayOpenTime > 240) {
            throw new ConfigError("--delay-open-time " + delayOpenTime + ": expected 0..240 seconds");
        }
        List<PeerConfig> peers = new ArrayList<>();
        for (PeerConfig p : derived.peers()) {
            peers.add(p.toBuilder().extendedMessages(extendedMessages).delayOpenTime(delayOpenTime)
                    .dampPeerOscillations(dampPeerOscillations).passive(passive).build());
        }
        try {
            return new ReflectorConfig(router, cluster, localAs, addresses, bgpPort, peers, derived.restarted());
        } catch (IllegalArgumentException e) {
            throw new ConfigError("configuration after overrides: " + e.getMessage());
        }
    }

    private static Inet4Address ipv4(String what, String text) throws ConfigError {
        InetAddress a = literal(what, text);
        if (!(a instanceof Inet4Address v4)) {
            throw new ConfigError(what + "=" + text + ": expected an IPv4 address such as 10.0.0.1");
        }
        return v4;
    }

    private static Inet6Address ipv6(String what, String text) throws ConfigError {
        InetAddress a = literal(what, text);
        if (!(a instanceof Inet6Address v6)) {
            throw new ConfigError(what + "=" + text + ": expected an IPv6 address such as fd00::1");
        }
        return v6;
    }

    /** Parses an address literal; host names are never resolved (no DNS lookups at start-up). */
    public static InetAddress literal(String what, String text) throws ConfigError {
        String t = text.strip();
        try {
            if (t.indexOf(':') >= 0) {
                return InetAddress.getByAddress(io.routereflector.wire.nlri.Ipv6Prefix.parseAddress(t));
            }
            int v4 = io.routereflector.wire.nlri.Ipv4Prefix.parseAddress(t);
            return InetAddress.getByAddress(new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4});
        } catch (IllegalArgumentException | UnknownHostException e) {
            throw new ConfigError(what + "=" + text + ": expected an IP address such as 10.0.0.1 or fd00::1");
        }
    }
}
