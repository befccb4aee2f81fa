package io.routereflector.wire.attribute;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.WireSettings;

/** ATOMIC_AGGREGATE (RFC 4271 §5.1.6): well-known discretionary, no value (RFC 7606 §7.6: else discard). */
public record AtomicAggregate(int flags) implements PathAttribute {

    public static final AtomicAggregate INSTANCE = new AtomicAggregate(AttributeType.ATOMIC_AGGREGATE.canonicalFlags());

    public AtomicAggregate {
        AttributeType.ATOMIC_AGGREGATE.checkFlags(flags);
    }

    static AtomicAggregate decode(int flags, ByteBuf buf, int index, int length, WireSettings settings) {
        if (length != 0) {
            throw MalformedAttributeException.length("ATOMIC_AGGREGATE", length, "0");
        }
        return flags == INSTANCE.flags ? INSTANCE : new AtomicAggregate(flags);
    }

    @Override
    public int typeCode() {
        return AttributeType.ATOMIC_AGGREGATE.code();
    }

    @Override
    public int valueLength(WireSettings settings) {
        return 0;
    }

    @Override
    public void encodeValue(ByteBuf out, WireSettings settings) {
        // No value.
    }
}
