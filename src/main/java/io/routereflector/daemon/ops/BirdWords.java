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

    /** The INFO column: the BGP state, then the last error when not Established. */
    public static String info(SessionState state, String lastErrorInfo) {
        if (state == SessionState.ESTABLISHED || lastErrorInfo == null) {
            return state.toString();
        }
        return state + " " + lastErrorInfo;
    }

    public static String info(PeerSession s) {
        return info(s.state(), s.lastErrorInfo());
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
