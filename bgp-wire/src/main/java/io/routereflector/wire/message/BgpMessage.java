package io.routereflector.wire.message;

/** A decoded BGP message. Immutable; holds no ByteBuf. */
public sealed interface BgpMessage permits Open, Update, Notification, Keepalive, RouteRefresh {

    MessageType type();
}
