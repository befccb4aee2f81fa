package io.routereflector.daemon.birdctl;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * BIRD 1.6's {@code timeformat protocol} choices for the {@code since} column of {@code show protocols}.
 * The column is read by two clients that want different things:
 * <ul>
 *   <li>bird_exporter turns it into {@code bird_protocol_uptime}: it understands {@code H:MM:SS} as a
 *       duration (so BIRD's default time of day comes out wrong), {@code YYYY-MM-DD HH:MM:SS} and a
 *       plain number of seconds since the epoch; anything else (a bare date) gives 0.</li>
 *   <li>calicoctl splits the row on blanks and takes the fifth field as SINCE, the sixth as the BGP
 *       state: a time with a blank in it shifts every later column.</li>
 * </ul>
 * Only {@link #UNIX} (BIRD's {@code timeformat protocol "%s"}) is right for both, so it is our default.
 */
public enum BirdTimeFormat {
    /** BIRD's default ({@code iso short}): {@code HH:MM:SS} within 20 hours, else {@code YYYY-MM-DD}. */
    ISO_SHORT("iso-short"),
    /** {@code iso long}: {@code YYYY-MM-DD HH:MM:SS}; exact uptime for bird_exporter, two fields for calicoctl. */
    ISO_LONG("iso-long"),
    /** {@code old short}: {@code HH:MM} within 20 hours, {@code MmmDD} within 360 days, else the year. */
    OLD_SHORT("old-short"),
    /** {@code old long}: {@code DD-MM-YYYY HH:MM:SS}. */
    OLD_LONG("old-long"),
    /** {@code "%s"}: seconds since the epoch, one field, an exact uptime. */
    UNIX("unix");

    private static final Duration SHORT_LIMIT = Duration.ofHours(20);
    private static final Duration OLD_DATE_LIMIT = Duration.ofDays(360);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter LONG = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter OLD_TIME = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter OLD_DAY = DateTimeFormatter.ofPattern("MMMdd", Locale.ROOT);
    private static final DateTimeFormatter OLD_LONG_FORMAT = DateTimeFormatter.ofPattern("dd-MM-yyyy HH:mm:ss");

    private final String option;

    BirdTimeFormat(String option) {
        this.option = option;
    }

    /** The word the {@code --bird-timeformat} option takes. */
    public String option() {
        return option;
    }

    public static BirdTimeFormat parse(String text) {
        for (BirdTimeFormat f : values()) {
            if (f.option.equalsIgnoreCase(text)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown time format " + text + ": expected iso-short, iso-long, old-short, old-long or unix");
    }

    /** {@code when} as BIRD prints it at {@code now} (BIRD's limits count from now, not from midnight). */
    public String format(Instant when, Instant now, ZoneId zone) {
        ZonedDateTime at = when.atZone(zone);
        Duration age = Duration.between(when, now);
        return switch (this) {
            case ISO_SHORT -> (age.compareTo(SHORT_LIMIT) < 0 ? TIME : DATE).format(at);
            case ISO_LONG -> LONG.format(at);
            case OLD_SHORT -> age.compareTo(SHORT_LIMIT) < 0 ? OLD_TIME.format(at)
                    : age.compareTo(OLD_DATE_LIMIT) < 0 ? OLD_DAY.format(at) : Integer.toString(at.getYear());
            case OLD_LONG -> OLD_LONG_FORMAT.format(at);
            case UNIX -> Long.toString(when.getEpochSecond());
        };
    }
}
