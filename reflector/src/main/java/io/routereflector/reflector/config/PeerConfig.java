package io.routereflector.reflector.config;

import io.routereflector.rib.PeerKey;
import io.routereflector.rib.PeerRole;
import io.routereflector.rib.policy.ExportPolicy;
import io.routereflector.rib.policy.ImportFilter;

import io.routereflector.wire.capability.GracefulRestart;
import io.routereflector.wire.nlri.AddressFamily;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One configured BGP neighbour. Defaults follow what Calico's BIRD uses (CALICO.md): port 179, hold
 * 240 s, keepalive hold/3, connect retry 5 s, graceful restart 120 s. {@link #toString()} never shows
 * the password.
 *
 * @param role             null = derived by {@link ReflectorConfig} from the AS numbers
 * @param password         TCP MD5 key (RFC 2385), null for none
 * @param ttlSecurityHops  GTSM (RFC 5082): 0 = off, else the peer is at most this many hops away
 * @param keepaliveTime    seconds; a negative value means hold/3 (resolved here)
 * @param delayOpenTime    RFC 4271 DelayOpen in seconds, 0 = off
 * @param sourceAddress    local address to bind before dialing, null = chosen by the kernel
 * @param extendedMessages advertise RFC 8654 extended messages (on by default; used when both sides do)
 * @param dampPeerOscillations RFC 4271 §8.1.1: stretch IdleHold exponentially for a peer that keeps failing
 * @param kind             where the peer comes from (status and metric names only); null = global
 * @param maxPrefixes      routes per address family the peer may send (RFC 4486 Cease/1 beyond): 0 = no
 *                         limit, {@link #DEFAULT_MAX_PREFIXES} = the daemon's {@code --max-prefixes}
 * @param keepOriginalNextHop BGPPeer {@code keepOriginalNextHop}: toward this eBGP peer the next hop is
 *                         passed on as received instead of set to ours (BIRD's {@code next hop keep})
 * @param allowedLocalAs   BGPPeer {@code numAllowedLocalASNumbers}: from this eBGP peer, routes whose AS_PATH
 *                         holds our AS up to this many times are accepted (BIRD's {@code allow local as}); 0 = none
 * @param protocolPort     the port calico/node writes into the peer's BIRD protocol name ({@code _port_N}): the one
 *                         given in {@code peerIP} or the peer node's configured listen port; 0 = none
 * @param warnings         what an operator should know about how this peer was configured (e.g. a password that
 *                         could not be read, so the session runs without TCP MD5); shown with the peer's status,
 *                         never a reason to reset its session
 * @param exportPolicy     what calico/node would send this peer (IPPools, service CIDRs, its BGPFilters'
 *                         export rules, prefix advertisements); a change regroups the peer, no reset
 * @param importFilter     its BGPFilters' import rules; a change resets the session (BIRD restarts the protocol)
 */
public record PeerConfig(InetAddress address, int port, long remoteAs, PeerRole role, String password, int ttlSecurityHops,
                         int holdTime, int keepaliveTime, int connectRetryTime, int gracefulRestartTime,
                         Set<AddressFamily> families, Map<AddressFamily, AddPathMode> addPath, boolean passive,
                         InetAddress sourceAddress, int delayOpenTime, boolean extendedMessages,
                         boolean dampPeerOscillations, PeerKind kind, int maxPrefixes,
                         boolean keepOriginalNextHop, int allowedLocalAs, int protocolPort, List<String> warnings,
                         ExportPolicy exportPolicy, ImportFilter importFilter) {

    public static final int DEFAULT_PORT = PeerKey.DEFAULT_PORT;
    public static final int DEFAULT_HOLD_TIME = 240;
    public static final int DEFAULT_CONNECT_RETRY = 5;
    public static final int DEFAULT_RESTART_TIME = 120;
    /** {@link #maxPrefixes()}: the daemon-wide limit applies. */
    public static final int DEFAULT_MAX_PREFIXES = -1;
    /** Linux TCP_MD5SIG_MAXKEYLEN. */
    public static final int MAX_PASSWORD_LENGTH = 80;

    public PeerConfig {
        Objects.requireNonNull(address, "peer address is required");
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("peer " + address.getHostAddress() + ": port " + port + " is not 1..65535");
        }
        if (remoteAs < 1 || remoteAs > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("peer " + address.getHostAddress() + ": AS " + remoteAs + " is not 1..4294967295");
        }
        if (password != null && (password.isEmpty() || password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_LENGTH)) {
            throw new IllegalArgumentException("peer " + address.getHostAddress() + ": a TCP MD5 password has 1.."
                    + MAX_PASSWORD_LENGTH + " octets");
        }
        if (ttlSecurityHops < 0 || ttlSecurityHops > 254) {
            throw new IllegalArgumentException("peer " + address.getHostAddress() + ": TTL security hops " + ttlSecurityHops
                    + " is not 0 (off) ..254");
        }
        // RFC 4271 §4.2: zero or at least three seconds.
        if (holdTime != 0 && (holdTime < 3 || holdTime > 0xFFFF)) {
            throw new IllegalArgumentException("peer " + address.getHostAddress() + ": hold time " + holdTime + " is not 0 or 3..65535");
        }
        if (keepaliveTime < 0) {
            keepaliveTime = holdTime / 3;
        }
        if (holdTime == 0 ? keepaliveTime != 0 : keepaliveTime > holdTime / 3 || keepaliveTime == 0) {
            throw new IllegalArgumentException("peer " + address.getHostAddress() + ": keepalive " + keepaliveTime
                    + " s must be 1..hold/3 (" + holdTime / 3 + " s), or 0 with hold time 0");
        }
        if (connectRetryTime < 1 || connectRetryTime > 0xFFFF) {
            throw new IllegalArgumentException("peer " + address.getHostAddress() + ": connect retry " + connectRetryTime + " s is not 1..65535");
        }
        if (gracefulRestartTime < 0 || gracefulRestartTime > GracefulRestart.MAX_RESTART_TIME) {
            throw new IllegalArgumentException("peer " + address.getHostAddress() + ": graceful restart time "
                    + gracefulRestartTime + " s is not 0..4095 (RFC 4724 §3)");
        }
        families = Set.copyOf(Objects.requireNonNull(families, "families"));
        if (families.isEmpty()) {
            throw new IllegalArgumentException("peer " + address.getHostAddress() + ": at least one address family is required");
        }
        for (AddressFamily f : families) {
            if (!f.isSupported()) {
                throw new IllegalArgumentException("peer " + address.getHostAddress() + ": family " + f + " is not routed here");
            }
        }
        addPath = Map.copyOf(Objects.requireNonNull(addPath, "addPath"));
        for (AddressFamily f : addPath.keySet()) {
            if (!families.contains(f)) {
                throw new IllegalArgumentException("peer " + address.getHostAddress() + ": ADD-PATH for " + f
                        + " which is not among the families " + families);
            }
        }
        if (sourceAddress != null && (sourceAddress instanceof Inet4Address) != (address instanceof Inet4Address)) {
            throw new IllegalArgumentException("peer " + address.getHostAddress() + ": source address "
                    + sourceAddress.getHostAddress() + " is of the other IP version");
        }
        if (delayOpenTime < 0 || delayOpenTime > 240) {
            throw new IllegalArgumentException("peer " + address.getHostAddress() + ": delay open " + delayOpenTime + " s is not 0..240");
        }
        if (kind == null) {
            kind = PeerKind.GLOBAL;
        }
        if (maxPrefixes < DEFAULT_MAX_PREFIXES) {
            throw new IllegalArgumentException("peer " + address.getHostAddress() + ": max prefixes " + maxPrefixes
                    + " is not 0 (no limit) or more");
        }
        warnings = List.copyOf(Objects.requireNonNull(warnings, "warnings"));
        if (exportPolicy == null) {
            exportPolicy = ExportPolicy.ALL;
        }
        if (importFilter == null) {
            importFilter = ImportFilter.ALL;
        }
        if (allowedLocalAs < 0) {
            throw new IllegalArgumentException("peer " + address.getHostAddress() + ": allowed local AS numbers " + allowedLocalAs
                    + " is not 0 or more");
        }
    }

    /** Defaults for {@code address} in {@code remoteAs}: the family of the address, no ADD-PATH. */
    public static Builder builder(InetAddress address, long remoteAs) {
        return new Builder(address, remoteAs);
    }

    public Builder toBuilder() {
        Builder b = new Builder(address, remoteAs);
        b.port = port;
        b.role = role;
        b.password = password;
        b.ttlSecurityHops = ttlSecurityHops;
        b.holdTime = holdTime;
        b.keepaliveTime = keepaliveTime;
        b.connectRetryTime = connectRetryTime;
        b.gracefulRestartTime = gracefulRestartTime;
        b.families = families;
        b.addPath = addPath;
        b.passive = passive;
        b.sourceAddress = sourceAddress;
        b.delayOpenTime = delayOpenTime;
        b.extendedMessages = extendedMessages;
        b.dampPeerOscillations = dampPeerOscillations;
        b.kind = kind;
        b.maxPrefixes = maxPrefixes;
        b.keepOriginalNextHop = keepOriginalNextHop;
        b.allowedLocalAs = allowedLocalAs;
        b.protocolPort = protocolPort;
        b.warnings = warnings;
        b.exportPolicy = exportPolicy;
        b.importFilter = importFilter;
        return b;
    }

    public PeerConfig withRole(PeerRole newRole) {
        return toBuilder().role(newRole).build();
    }

    /** What names this peer among the others: its address and port. */
    public PeerKey key() {
        return new PeerKey(address, port);
    }

    /** calico/node's BIRD protocol name: {@code Node_10_0_0_1}, {@code Global_fd00__1_port_1790}. */
    public String protocolName() {
        return kind.protocolName(address) + (protocolPort > 0 ? "_port_" + protocolPort : "");
    }

    public AddPathMode addPath(AddressFamily family) {
        return addPath.getOrDefault(family, AddPathMode.NONE);
    }

    /** The session is reset when one of these differs (RFC 4486 Cease / Other Configuration Change). */
    public boolean needsResetFor(PeerConfig next) {
        return remoteAs != next.remoteAs || role != next.role || !Objects.equals(password, next.password)
                || !families.equals(next.families) || !addPath.equals(next.addPath)
                || extendedMessages != next.extendedMessages || ttlSecurityHops != next.ttlSecurityHops
                || keepOriginalNextHop != next.keepOriginalNextHop || allowedLocalAs != next.allowedLocalAs
                || !importFilter.equals(next.importFilter);
    }

    @Override
    public String toString() {
        return "PeerConfig[" + address.getHostAddress() + ":" + port + " AS" + remoteAs + " " + role
                + (password != null ? " password=<set>" : "") + (ttlSecurityHops > 0 ? " ttl-security=" + ttlSecurityHops : "")
                + " hold=" + holdTime + " keepalive=" + keepaliveTime + " connect-retry=" + connectRetryTime
                + " gr=" + gracefulRestartTime + " families=" + families + (addPath.isEmpty() ? "" : " add-path=" + addPath)
                + (passive ? " passive" : "") + (sourceAddress != null ? " source=" + sourceAddress.getHostAddress() : "")
                + (delayOpenTime > 0 ? " delay-open=" + delayOpenTime : "") + (extendedMessages ? "" : " no-extended-messages")
                + (dampPeerOscillations ? " damp-peer-oscillations" : "")
                + (maxPrefixes >= 0 ? " max-prefixes=" + maxPrefixes : "")
                + (keepOriginalNextHop ? " keep-next-hop" : "") + (allowedLocalAs > 0 ? " allow-local-as=" + allowedLocalAs : "")
                + " " + kind.name().toLowerCase(java.util.Locale.ROOT) + "]";
    }

    /** Mutable only until {@link #build()}; the record validates. */
    public static final class Builder {
        private final InetAddress address;
        private final long remoteAs;
        private int port = DEFAULT_PORT;
        private PeerRole role;
        private String password;
        private int ttlSecurityHops;
        private int holdTime = DEFAULT_HOLD_TIME;
        private int keepaliveTime = -1;
        private int connectRetryTime = DEFAULT_CONNECT_RETRY;
        private int gracefulRestartTime = DEFAULT_RESTART_TIME;
        private Set<AddressFamily> families;
        private Map<AddressFamily, AddPathMode> addPath = Map.of();
        private boolean passive;
        private InetAddress sourceAddress;
        private int delayOpenTime;
        private boolean extendedMessages = true;
        private boolean dampPeerOscillations;
        private PeerKind kind;
        private int maxPrefixes = DEFAULT_MAX_PREFIXES;
        private boolean keepOriginalNextHop;
        private int allowedLocalAs;
        private int protocolPort;
        private List<String> warnings = List.of();
        private ExportPolicy exportPolicy = ExportPolicy.ALL;
        private ImportFilter importFilter = ImportFilter.ALL;

        private Builder(InetAddress address, long remoteAs) {
            this.address = address;
            this.remoteAs = remoteAs;
            this.families = address instanceof Inet4Address ? Set.of(AddressFamily.IPV4_UNICAST) : Set.of(AddressFamily.IPV6_UNICAST);
        }

        public Builder port(int value) { port = value; return this; }
        public Builder role(PeerRole value) { role = value; return this; }
        public Builder password(String value) { password = value; return this; }
        public Builder ttlSecurityHops(int value) { ttlSecurityHops = value; return this; }
        /** Also resets the keepalive to hold/3 unless set afterwards. */
        public Builder holdTime(int value) { holdTime = value; keepaliveTime = -1; return this; }
        public Builder keepaliveTime(int value) { keepaliveTime = value; return this; }
        public Builder connectRetryTime(int value) { connectRetryTime = value; return this; }
        public Builder gracefulRestartTime(int value) { gracefulRestartTime = value; return this; }
        public Builder families(Set<AddressFamily> value) { families = value; return this; }
        public Builder addPath(Map<AddressFamily, AddPathMode> value) { addPath = value; return this; }
        public Builder passive(boolean value) { passive = value; return this; }
        public Builder sourceAddress(InetAddress value) { sourceAddress = value; return this; }
        public Builder delayOpenTime(int value) { delayOpenTime = value; return this; }
        public Builder extendedMessages(boolean value) { extendedMessages = value; return this; }
        public Builder dampPeerOscillations(boolean value) { dampPeerOscillations = value; return this; }
        public Builder kind(PeerKind value) { kind = value; return this; }
        public Builder maxPrefixes(int value) { maxPrefixes = value; return this; }
        public Builder keepOriginalNextHop(boolean value) { keepOriginalNextHop = value; return this; }
        public Builder allowedLocalAs(int value) { allowedLocalAs = value; return this; }
        public Builder protocolPort(int value) { protocolPort = value; return this; }
        public Builder warnings(List<String> value) { warnings = value; return this; }
        public Builder exportPolicy(ExportPolicy value) { exportPolicy = value; return this; }
        public Builder importFilter(ImportFilter value) { importFilter = value; return this; }

        public PeerConfig build() {
            return new PeerConfig(address, port, remoteAs, role, password, ttlSecurityHops, holdTime, keepaliveTime,
                    connectRetryTime, gracefulRestartTime, families, addPath, passive, sourceAddress, delayOpenTime, extendedMessages,
                    dampPeerOscillations, kind, maxPrefixes, keepOriginalNextHop, allowedLocalAs, protocolPort, warnings,
                    exportPolicy, importFilter);
        }
    }
}
