package io.routereflector.wire.message;

/** STUB — replaced by the UPDATE/attributes work. */
public record Update(int size) implements BgpMessage {
    @Override
    public MessageType type() {
        return MessageType.UPDATE;
    }
}
