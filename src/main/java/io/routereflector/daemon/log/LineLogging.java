package io.routereflector.daemon.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.slf4j.event.Level;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The daemon's log output: one line per event, plain text (the default) or JSON lines, at a level that
 * may change while the daemon runs ({@link #setLevel}: the datastore's logSeverityScreen). Every line passes through {@link #redact}: the secrets the daemon knows of (TCP
 * MD5 passwords, the etcd password) are replaced wherever they appear, whatever a caller formatted.
 */
public final class LineLogging {

    public enum Format { TEXT, JSON }

    /** "peer 10.0.0.1: ..." — the convention of every per-peer line; JSON lines lift the peer into a field. */
    private static final Pattern PEER = Pattern.compile("^peer ([0-9A-Fa-f.:\\[\\]]+)(?: \\((?:in|out)\\))?: ");
    private static final JsonFactory JSON = new JsonFactory();
    static final String REDACTED = "<redacted>";

    private static volatile Level threshold = Level.INFO;
    private static volatile Format format = Format.TEXT;
    private static volatile PrintStream out = System.out;
    private static volatile List<String> secrets = List.of();

    private LineLogging() {
    }

    public static void configure(Level level, Format lineFormat, PrintStream stream) {
        threshold = level;
        format = lineFormat;
        out = stream;
    }

    public static Level parseLevel(String text) {
        return Level.valueOf(text.toUpperCase(Locale.ROOT));
    }

    /** Changes the level at run time; loggers read it on every call, so the next line already obeys it. */
    public static void setLevel(Level level) {
        threshold = java.util.Objects.requireNonNull(level, "level");
    }

    public static Level level() {
        return threshold;
    }

    /**
     * Calico's {@code logSeverityScreen} (Trace, Debug, Info, Warning, Error, Fatal) as an slf4j level. slf4j has
     * no fatal: Fatal shows errors, the nearest that still shows what a fatal-only setting would.
     */
    public static Level fromCalico(String severity) {
        return switch (severity) {
            case "Trace" -> Level.TRACE;
            case "Debug" -> Level.DEBUG;
            case "Info" -> Level.INFO;
            case "Warning" -> Level.WARN;
            case "Error", "Fatal" -> Level.ERROR;
            default -> throw new IllegalArgumentException("not a Calico log severity: " + severity);
        };
    }

    /** Adds secrets never to be printed (empty and null ones are ignored). */
    public static void addSecrets(Collection<String> more) {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(secrets);
        for (String s : more) {
            if (s != null && !s.isEmpty()) {
                all.add(s);
            }
        }
        // Longest first, so that a secret containing another is replaced whole.
        secrets = all.stream().sorted((a, b) -> b.length() - a.length()).toList();
    }

    static boolean enabled(Level level) {
        return level.toInt() >= threshold.toInt();
    }

    static String redact(String text) {
        String result = text;
        for (String s : secrets) {
            if (result.contains(s)) {
                result = result.replace(s, REDACTED);
            }
        }
        return result;
    }

    static void emit(Instant time, Level level, String logger, String thread, String message, Throwable error) {
        String line = format(time, level, logger, thread, message, error, format);
        PrintStream stream = out;
        synchronized (stream) {
            stream.println(line);
        }
    }

    /** One event as one line (a stack trace, in text format, follows on the next lines). */
    static String format(Instant time, Level level, String logger, String thread, String message, Throwable error,
                         Format lineFormat) {
        String text = redact(message == null ? "" : message);
        String trace = error == null ? null : redact(stackTrace(error));
        String shortLogger = logger.substring(logger.lastIndexOf('.') + 1);
        if (lineFormat == Format.TEXT) {
            return time + " " + level + " [" + thread + "] " + shortLogger + " - " + text + (trace == null ? "" : System.lineSeparator() + trace.stripTrailing());
        }
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("time", time.toString());
            g.writeStringField("level", level.toString());
            g.writeStringField("logger", logger);
            g.writeStringField("thread", thread);
            Matcher m = PEER.matcher(text);
            if (m.find()) {
                g.writeStringField("peer", m.group(1));
            }
            g.writeStringField("message", text);
            if (trace != null) {
                g.writeStringField("error", trace);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    private static String stackTrace(Throwable error) {
        StringWriter w = new StringWriter();
        error.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
