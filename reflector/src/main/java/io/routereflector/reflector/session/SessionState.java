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

    @Override
    public String toString() {
        return display;
    }
}
