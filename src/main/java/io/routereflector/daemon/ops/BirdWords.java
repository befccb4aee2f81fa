package io.routereflector.daemon.ops;

import io.routereflector.reflector.session.PeerSession;
import io.routereflector.reflector.session.SessionState;
import io.routereflector.wire.nlri.AddressFamily;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/** Session states, times and errors worded as BIRD prints them, which is what calicoctl shows. */
public final class BirdWords {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");

    private BirdWords() {
    }

    /** BIRD's protocol state: {@code up} once Established, {@code down} when stopped, else {@code start}. */
    public static String protocolState(SessionState state) {
        return switch (state) {
            case ESTABLISHED -> "up";
            case IDLE -> "down";
            default -> "start";
        };
    }

    /**
     * BIRD's BGP state words ({@code bgp_state_dsc}): {@code Down} for a stopped protocol, {@code Passive}
     * while a passive peer waits for the peer to dial, else the RFC 4271 state.
     */
    public static String bgpState(SessionState state, boolean passive) {
        if (state == SessionState.IDLE) {
            return "Down";
        }
        return passive && state == SessionState.ACTIVE ? "Passive" : state.toString();
    }

    /**
     * The info column of BIRD 1.6's {@code show protocols} exactly as BIRD pads it ({@code bgp_get_status}):
     * the BGP state left-justified in 14 characters, then the last error ({@code Socket: Connection refused});
     * a stopped protocol shows the error alone. This one string feeds the control socket, the
     * {@code state} label of {@code bird_protocol_up} (bird_exporter trims the trailing blanks) and,
     * split on blanks as calicoctl reads it, the INFO of {@code routereflector status}.
     */
    public static String infoColumn(SessionState state, boolean passive, String lastErrorInfo) {
        String error = state == SessionState.ESTABLISHED || lastErrorInfo == null ? "" : lastErrorInfo;
        if (state == SessionState.IDLE) {
            return error;
        }
        return String.format("%-14s%s", bgpState(state, passive), error);
    }

    public static String infoColumn(PeerSession s) {
        return infoColumn(s.state(), s.config().passive(), s.lastErrorInfo());
    }

    /** The INFO column as {@code calicoctl node status} prints it: BIRD's info with its blanks collapsed. */
    public static String info(SessionState state, String lastErrorInfo) {
        return calicoctl(infoColumn(state, false, lastErrorInfo));
    }

    public static String info(PeerSession s) {
        return calicoctl(infoColumn(s));
    }

    private static String calicoctl(String column) {
        return String.join(" ", column.trim().split("\\s+"));
    }

    /** BIRD's short time: the time of day for today, the date for anything older. */
    public static String since(Instant when, Instant now, ZoneId zone) {
        ZonedDateTime at = when.atZone(zone);
        LocalDate today = now.atZone(zone).toLocalDate();
        return at.toLocalDate().equals(today) ? TIME.format(at) : DATE.format(at);
    }

    /** {@code IPv4}, {@code IPv6} or both, as calicoctl titles its tables. */
    public static String family(Set<AddressFamily> families) {
        boolean v4 = families.contains(AddressFamily.IPV4_UNICAST);
        boolean v6 = families.contains(AddressFamily.IPV6_UNICAST);
        return v4 && v6 ? "IPv4+IPv6" : v6 ? "IPv6" : "IPv4";
    }

    /** A duration in seconds as BIRD's {@code 0:02:03} style is hard to read in scripts: plain seconds with unit. */
    public static String seconds(long s) {
        return s < 0 ? "-" : s + " s";
    }
}
