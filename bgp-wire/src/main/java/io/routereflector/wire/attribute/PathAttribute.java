package io.routereflector.wire.attribute;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.WireSettings;

/**
 * One path attribute (RFC 4271 §4.3). Every record keeps the flags octet as received, so an
 * attribute passed on unchanged re-encodes to the very same bytes, the Extended Length bit of a
 * short attribute included; records built by code carry their type's canonical flags. The encoder
 * sets Extended Length itself when a value outgrows 255 octets.
 */
public sealed interface PathAttribute permits Origin, AsPath, NextHop, MultiExitDisc, LocalPref, AtomicAggregate,
        Aggregator, Communities, OriginatorId, ClusterList, MpReachNlri, MpUnreachNlri, ExtendedCommunities,
        As4Path, As4Aggregator, LargeCommunities, UnknownAttribute {

    int OPTIONAL = 0x80;
    int TRANSITIVE = 0x40;
    int PARTIAL = 0x20;
    int EXTENDED_LENGTH = 0x10;

    int typeCode();

    /** The flags octet, as received or canonical. */
    int flags();

    /** Octets of the value as {@link #encodeValue} writes them under {@code settings}. */
    int valueLength(WireSettings settings);

    /** Writes the value only (no flags, type or length). */
    void encodeValue(ByteBuf out, WireSettings settings);

    /** The recognized type, or null for an {@link UnknownAttribute}. */
    default AttributeType type() {
        return AttributeType.fromCode(typeCode());
    }

    default boolean isOptional() {
        return (flags() & OPTIONAL) != 0;
    }

    default boolean isTransitive() {
        return (flags() & TRANSITIVE) != 0;
    }

    default boolean isPartial() {
        return (flags() & PARTIAL) != 0;
    }

    /** Octets of the whole attribute: header and value. */
    default int encodedLength(WireSettings settings) {
        int length = valueLength(settings);
        return length + (length > 0xFF || (flags() & EXTENDED_LENGTH) != 0 ? 4 : 3);
    }

    /** Writes flags, type code, length (one or two octets) and value. */
    default void encode(ByteBuf out, WireSettings settings) {
        int length = valueLength(settings);
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("attribute " + typeCode() + " value of " + length + " octets");
        }
        int flags = flags();
        if (length > 0xFF) {
            flags |= EXTENDED_LENGTH;
        }
        // One write for the whole header: this runs for every attribute of every UPDATE sent.
        if ((flags & EXTENDED_LENGTH) != 0) {
            out.writeInt((flags << 24) | (typeCode() << 16) | length);
        } else {
            out.writeMedium((flags << 16) | (typeCode() << 8) | length);
        }
        int before = out.writerIndex();
        encodeValue(out, settings);
        assert out.writerIndex() - before == length : "valueLength disagrees with encodeValue for " + this;
    }
}
