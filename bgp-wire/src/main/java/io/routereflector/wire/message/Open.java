package io.routereflector.wire.message;

/** STUB — replaced by the OPEN/capabilities work. */
public record Open(int version) implements BgpMessage {
    @Override
    public MessageType type() {
        return MessageType.OPEN;
    }
}
