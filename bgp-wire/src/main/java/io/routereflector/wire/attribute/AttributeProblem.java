package io.routereflector.wire.attribute;

import io.routereflector.wire.nlri.AddressFamily;

/**
 * A soft RFC 7606 outcome found while decoding an UPDATE: which attribute (type code, or 0 when
 * the attribute field itself broke before a type could be read), the approach to apply, the family
 * to disable for {@link Rfc7606Action#AFI_SAFI_DISABLE}, and a reason for the log.
 */
public record AttributeProblem(int typeCode, Rfc7606Action action, AddressFamily family, String reason) {

    public AttributeProblem {
        if (typeCode < 0 || typeCode > 0xFF) {
            throw new IllegalArgumentException("type code out of range: " + typeCode);
        }
        if (action == null || action == Rfc7606Action.SESSION_RESET) {
            throw new IllegalArgumentException("a session reset is a WireException, not a problem");
        }
        if ((action == Rfc7606Action.AFI_SAFI_DISABLE) != (family != null)) {
            throw new IllegalArgumentException("a family is given exactly for AFI_SAFI_DISABLE");
        }
        if (reason == null) {
            throw new IllegalArgumentException("reason is required");
        }
    }

    public static AttributeProblem discard(int typeCode, String reason) {
        return new AttributeProblem(typeCode, Rfc7606Action.ATTRIBUTE_DISCARD, null, reason);
    }

    public static AttributeProblem treatAsWithdraw(int typeCode, String reason) {
        return new AttributeProblem(typeCode, Rfc7606Action.TREAT_AS_WITHDRAW, null, reason);
    }

    public static AttributeProblem disable(int typeCode, AddressFamily family, String reason) {
        return new AttributeProblem(typeCode, Rfc7606Action.AFI_SAFI_DISABLE, family, reason);
    }

    @Override
    public String toString() {
        AttributeType type = AttributeType.fromCode(typeCode);
        String name = type != null ? type.name() : "attribute " + typeCode;
        return action + (family != null ? " " + family : "") + " (" + name + "): " + reason;
    }
}
