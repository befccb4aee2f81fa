package io.routereflector.wire.attribute;

import io.routereflector.wire.nlri.AddressFamily;

/**
 * Internal signal from a value decoder to {@link AttributeDecoder}: the attribute is malformed and
 * the type's RFC 7606 action applies. It never leaves this package. For MP_REACH/MP_UNREACH it
 * carries the family when the AFI/SAFI could be read (AFI/SAFI disable), else none (session reset).
 */
final class MalformedAttributeException extends RuntimeException {

    private final transient AddressFamily family;

    MalformedAttributeException(String reason) {
        this(reason, null);
    }

    MalformedAttributeException(String reason, AddressFamily family) {
        super(reason, null, false, false);
        this.family = family;
    }

    AddressFamily family() {
        return family;
    }

    static MalformedAttributeException length(String name, int length, String expected) {
        return new MalformedAttributeException(name + " of length " + length + ", expected " + expected);
    }
}
