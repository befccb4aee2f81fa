package io.routereflector.wire.attribute;

/**
 * The error-handling approaches of RFC 7606 §2, strongest first: when one UPDATE has several
 * errors, the strongest approach applies (RFC 7606 §3 h), so {@code ordinal()} orders them.
 * Only the softer three travel as {@link AttributeProblem}s; a session reset is a
 * {@link io.routereflector.wire.error.WireException}.
 */
public enum Rfc7606Action {
    SESSION_RESET,
    AFI_SAFI_DISABLE,
    TREAT_AS_WITHDRAW,
    ATTRIBUTE_DISCARD;

    /** True when this approach is stronger than {@code other} (RFC 7606 §3 h). */
    public boolean isStrongerThan(Rfc7606Action other) {
        return ordinal() < other.ordinal();
    }
}
