package io.routereflector.wire.message;

/** STUB — replaced by the OPEN/capabilities work. */
public record RouteRefresh(int afi) implements BgpMessage {
    @Override
    public MessageType type() {
        return MessageType.ROUTE_REFRESH;
    }
}
