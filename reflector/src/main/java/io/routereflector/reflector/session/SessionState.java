package io.routereflector.reflector.session;

/** The six states of RFC 4271 §8.2.2, named as BIRD prints them. */
public enum SessionState {
    IDLE("Idle"),
    CONNECT("Connect"),
    ACTIVE("Active"),
    OPEN_SENT("OpenSent"),
    OPEN_CONFIRM("OpenConfirm"),
    ESTABLISHED("Established");

    private final String display;

    SessionState(String display) {
        this.display = display;
    }

    /**
     * How far a connection has got, to show the most advanced of a peer's connections: Active (only
     * waiting for the peer) ranks below Connect (dialing), unlike the declaration order.
     */
    public int progress() {
        return switch (this) {
            case IDLE -> 0;
            case ACTIVE -> 1;
            case CONNECT -> 2;
            case OPEN_SENT -> 3;
            case OPEN_CONFIRM -> 4;
            case ESTABLISHED -> 5;
        };
    }

    @Override
    public String toString() {
        return display;
    }
}
