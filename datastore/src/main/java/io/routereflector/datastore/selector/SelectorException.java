package io.routereflector.datastore.selector;

/** A selector that does not parse; {@link #column()} is 1-based and points at the offending character. */
public final class SelectorException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int column;
    private final String reason;

    public SelectorException(String reason, int column) {
        super(reason + " at column " + column);
        this.reason = reason;
        this.column = column;
    }

    public int column() {
        return column;
    }

    /** The message without the column. */
    public String reason() {
        return reason;
    }
}
