package io.routereflector.reflector.session;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.attribute.AttributeProblem;
import io.routereflector.wire.attribute.AttributeType;
import io.routereflector.wire.message.MessageType;
import io.routereflector.wire.message.Notification;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a peer's session has done since it was configured, across its connections: messages in and
 * out by type, NOTIFICATIONs by (code, subcode) and direction, RFC 7606 outcomes by action and
 * attribute, session flaps. Written on the peer's event loop (and by the RIB thread for UPDATEs
 * it writes), read by metrics scrapes and status queries: {@link LongAdder}s, no locks.
 */
public final class SessionCounters {

    /** The BGP header's type octet sits after the 16-octet marker and the 2-octet length (RFC 4271 §4.1). */
    private static final int TYPE_OFFSET = 18;
    private static final int LENGTH_OFFSET = 16;

    private final LongAdder[] received = adders();
    private final LongAdder[] sent = adders();
    private final Map<Integer, LongAdder> notificationsSent = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> notificationsReceived = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rfc7606 = new ConcurrentHashMap<>();
    private final LongAdder establishedTransitions = new LongAdder();

    private static LongAdder[] adders() {
        LongAdder[] a = new LongAdder[MessageType.values().length];
        for (int i = 0; i < a.length; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    void countReceived(MessageType type) {
        received[type.ordinal()].increment();
    }

    void countSent(MessageType type) {
        sent[type.ordinal()].increment();
    }

    /**
     * Pre-encoded bytes handed to the channel: one or several whole messages (a group's batch is one
     * buffer). Each is counted by the type in its header, stepping by the header's length field.
     */
    void countSent(ByteBuf messages) {
        int at = messages.readerIndex();
        int end = messages.writerIndex();
        while (end - at > TYPE_OFFSET) {
            int length = messages.getUnsignedShort(at + LENGTH_OFFSET);
            MessageType type = MessageType.fromCode(messages.getUnsignedByte(at + TYPE_OFFSET));
            if (type != null) {
                countSent(type);
            }
            if (length <= TYPE_OFFSET) {
                return; // not a header: our own encoder never writes one, so stop rather than loop
            }
            at += length;
        }
    }

    void notificationSent(Notification n) {
        notificationsSent.computeIfAbsent(n.code() << 8 | n.subcode(), k -> new LongAdder()).increment();
    }

    void notificationReceived(Notification n) {
        notificationsReceived.computeIfAbsent(n.code() << 8 | n.subcode(), k -> new LongAdder()).increment();
    }

    void problem(AttributeProblem p) {
        AttributeType type = AttributeType.fromCode(p.typeCode());
        String attribute = type != null ? type.name() : Integer.toString(p.typeCode());
        rfc7606.computeIfAbsent(p.action().name() + "/" + attribute, k -> new LongAdder()).increment();
    }

    void established() {
        establishedTransitions.increment();
    }

    public long received(MessageType type) {
        return received[type.ordinal()].sum();
    }

    public long sent(MessageType type) {
        return sent[type.ordinal()].sum();
    }

    /** NOTIFICATIONs sent, keyed by {@code code << 8 | subcode}. */
    public Map<Integer, Long> notificationsSent() {
        return snapshot(notificationsSent);
    }

    /** NOTIFICATIONs received, keyed by {@code code << 8 | subcode}. */
    public Map<Integer, Long> notificationsReceived() {
        return snapshot(notificationsReceived);
    }

    /** RFC 7606 outcomes, keyed by {@code ACTION/ATTRIBUTE} (e.g. {@code TREAT_AS_WITHDRAW/ORIGIN}). */
    public Map<String, Long> rfc7606() {
        return snapshot(rfc7606);
    }

    /** How many times the session reached Established. */
    public long establishedTransitions() {
        return establishedTransitions.sum();
    }

    private static <K> Map<K, Long> snapshot(Map<K, LongAdder> map) {
        Map<K, Long> out = new java.util.HashMap<>();
        map.forEach((k, v) -> out.put(k, v.sum()));
        return Map.copyOf(out);
    }
}
