package io.routereflector.reflector.config;

/** What we advertise in the ADD-PATH capability for one family (RFC 7911 §4 Send/Receive field). */
public enum AddPathMode {
    NONE(0),
    RECEIVE(1),
    SEND(2),
    BOTH(3);

    private final int wire;

    AddPathMode(int wire) {
        this.wire = wire;
    }

    public int wire() {
        return wire;
    }

    public boolean receive() {
        return this == RECEIVE || this == BOTH;
    }

    public boolean send() {
        return this == SEND || this == BOTH;
    }
}
