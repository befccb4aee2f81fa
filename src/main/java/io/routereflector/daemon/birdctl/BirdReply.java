package io.routereflector.daemon.birdctl;

/**
 * Writes reply lines the way BIRD's {@code cli_printf} does. Every line starts with a four-digit code,
 * then {@code -} when the reply goes on or a blank when it is the reply's last line; a continuation line
 * whose code equals the previous line's code is written with a single leading blank instead. The
 * previous code belongs to the connection, not the reply: it carries over from one command to the next,
 * as in BIRD. Clients depend on these bytes: bird_exporter waits for a line {@code \d{4} }, calicoctl
 * reads {@code 1002-} rows and rows that start with a blank, birdc stops at the first final line.
 */
public final class BirdReply {

    /** BIRD's {@code CLI_LINE_SIZE} less the code and the newline; a longer line is BIRD's overflow. */
    static final int MAX_TEXT = 512 - 6;

    private static final int OVERFLOW = 8000;

    private final StringBuilder out = new StringBuilder();
    private int lastCode;

    /** A line that more lines follow. */
    public BirdReply more(int code, String text) {
        if (text.length() > MAX_TEXT) {
            return more(OVERFLOW, "<line overflow>");
        }
        if (code == lastCode) {
            out.append(' ');
        } else {
            out.append(String.format("%04d-", code));
        }
        return text(code, text);
    }

    /** The reply's last line. */
    public BirdReply last(int code, String text) {
        if (text.length() > MAX_TEXT) {
            return last(OVERFLOW, "<line overflow>");
        }
        out.append(String.format("%04d ", code));
        return text(code, text);
    }

    private BirdReply text(int code, String text) {
        lastCode = code;
        out.append(text).append('\n');
        return this;
    }

    /** Everything written since the last call, for the socket. */
    public String take() {
        String s = out.toString();
        out.setLength(0);
        return s;
    }
}
