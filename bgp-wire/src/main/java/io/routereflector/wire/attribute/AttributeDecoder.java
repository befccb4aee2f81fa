package io.routereflector.wire.attribute;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.error.WireException;
import io.routereflector.wire.nlri.AddressFamily;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the Path Attributes field of an UPDATE with the error handling of RFC 7606: soft outcomes
 * become {@link AttributeProblem}s, the session-reset cases raise {@link WireException} carrying the
 * NOTIFICATION of RFC 4271 §6.3 (data: the whole erroneous attribute, flags to value).
 */
public final class AttributeDecoder {

    /** The attributes kept, in wire order, and what went wrong with the others. */
    public record Decoded(PathAttributes attributes, List<AttributeProblem> problems) {
        public Decoded {
            problems = List.copyOf(problems);
        }
    }

    private static final int ORIGIN = AttributeType.ORIGIN.code();
    private static final int AS_PATH = AttributeType.AS_PATH.code();
    private static final int NEXT_HOP = AttributeType.NEXT_HOP.code();
    private static final int MP_REACH = AttributeType.MP_REACH_NLRI.code();
    private static final int MP_UNREACH = AttributeType.MP_UNREACH_NLRI.code();
    private static final int AS4_PATH = AttributeType.AS4_PATH.code();
    private static final int AS4_AGGREGATOR = AttributeType.AS4_AGGREGATOR.code();

    private final ByteBuf buf;
    private final WireSettings settings;
    private final List<PathAttribute> kept = new ArrayList<>(8);
    private List<AttributeProblem> problems = List.of();
    /** Type codes seen on the wire, malformed or not: duplicates and presence checks use it. */
    private final long[] seen = new long[4];

    private AttributeDecoder(ByteBuf buf, WireSettings settings) {
        this.buf = buf;
        this.settings = settings;
    }

    /**
     * Decodes the attributes in [start, end) of {@code buf}. {@code ipv4Nlri} tells whether the
     * UPDATE's NLRI field is non-empty, which makes NEXT_HOP mandatory (RFC 4760 §3, RFC 7606 §3 d).
     */
    public static Decoded decode(ByteBuf buf, int start, int end, WireSettings settings, boolean ipv4Nlri) {
        AttributeDecoder d = new AttributeDecoder(buf, settings);
        d.decodeAll(start, end);
        d.checkAs4Path();
        d.checkMandatory(ipv4Nlri);
        return new Decoded(PathAttributes.wrap(d.kept), d.problems);
    }

    private void decodeAll(int start, int end) {
        int i = start;
        while (i < end) {
            int remaining = end - i;
            int flags = buf.getUnsignedByte(i);
            boolean extended = (flags & PathAttribute.EXTENDED_LENGTH) != 0;
            int header = extended ? 4 : 3;
            if (remaining < header) {
                // RFC 7606 §4: not even a minimal attribute left; the total length still locates the NLRI.
                problem(AttributeProblem.treatAsWithdraw(remaining >= 2 ? buf.getUnsignedByte(i + 1) : 0,
                        remaining + " octets left in the attribute field, too few for an attribute header"));
                return;
            }
            int code = buf.getUnsignedByte(i + 1);
            int length = extended ? buf.getUnsignedShort(i + 2) : buf.getUnsignedByte(i + 2);
            int value = i + header;
            if (length > end - value) {
                overrun(i, end, code, length);
                return;
            }
            decodeOne(i, flags, code, value, length);
            i = value + length;
        }
    }

    /** RFC 7606 §4: the last attribute's length runs past the field. */
    private void overrun(int at, int end, int code, int length) {
        String reason = "attribute of length " + length + " overruns the attribute field";
        if (code == MP_REACH || code == MP_UNREACH) {
            // Its NLRI cannot be parsed (RFC 7606 §3 j): disable the family if it can be read at all.
            int value = at + ((buf.getUnsignedByte(at) & PathAttribute.EXTENDED_LENGTH) != 0 ? 4 : 3);
            if (end - value < 3) {
                throw new WireException(NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST, reason + "; no AFI/SAFI to locate");
            }
            problem(AttributeProblem.disable(code, family(value), reason));
            return;
        }
        problem(AttributeProblem.treatAsWithdraw(code, reason));
    }

    private AddressFamily family(int index) {
        return AddressFamily.of(buf.getUnsignedShort(index), buf.getUnsignedByte(index + 2));
    }

    private void decodeOne(int at, int flags, int code, int value, int length) {
        if (received(code)) {
            // RFC 7606 §3 g: MP attributes twice reset the session; other duplicates are dropped.
            if (code == MP_REACH || code == MP_UNREACH) {
                throw new WireException(NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST,
                        "attribute " + AttributeType.fromCode(code) + " appears twice");
            }
            problem(AttributeProblem.discard(code, "attribute appears more than once; the first is kept"));
            return;
        }
        seen[code >>> 6] |= 1L << code;
        AttributeType type = AttributeType.fromCode(code);
        if (type == null) {
            if ((flags & PathAttribute.OPTIONAL) == 0) {
                throw new WireException(NotificationCode.UPDATE_UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE, raw(at, value + length),
                        "unrecognized well-known attribute type " + code);   // RFC 4271 §6.3
            }
            kept.add(UnknownAttribute.decode(flags, code, buf, value, length));
            return;
        }
        if ((code == AS4_PATH || code == AS4_AGGREGATOR) && settings.fourOctetAs()) {
            problem(AttributeProblem.discard(code, type + " from a 4-octet AS speaker (RFC 6793 §6)"));
            return;
        }
        if (!type.flagsMatch(flags)) {
            String reason = "flags 0x" + Integer.toHexString(flags) + " conflict with the type's Optional/Transitive bits";
            failed(type, at, value, length, reason, length >= 3 ? family(value) : null, type.flagsErrorAction());
            return;
        }
        try {
            PathAttribute attribute = type.decoder().decode(flags, buf, value, length, settings);
            if (attribute instanceof As4Path as4 && as4.hasConfederationSegments()) {
                attribute = as4.withoutConfederationSegments();
                problem(AttributeProblem.discard(code, "confederation segments removed from AS4_PATH (RFC 6793 §6)"));
            }
            if (attribute != null) {
                kept.add(attribute);
            }
        } catch (MalformedAttributeException e) {
            failed(type, at, value, length, e.getMessage(), e.family(), type.malformedAction());
        }
    }

    private void failed(AttributeType type, int at, int value, int length, String reason, AddressFamily family,
                        Rfc7606Action action) {
        if (action == Rfc7606Action.AFI_SAFI_DISABLE) {
            if (family == null) {
                // RFC 4760 §7 / RFC 7606 §7.11: the family cannot be located, so the session goes.
                throw new WireException(NotificationCode.UPDATE_OPTIONAL_ATTRIBUTE_ERROR, raw(at, value + length),
                        type + ": " + reason);
            }
            problem(AttributeProblem.disable(type.code(), family, reason));
        } else {
            problem(new AttributeProblem(type.code(), action, null, reason));
        }
    }

    /**
     * RFC 6793 §4.2.3 merges AS4_PATH into AS_PATH; without a kept AS_PATH (absent, or malformed and
     * dropped) there is nothing to amend, and keeping it would make the set re-decode differently.
     */
    private void checkAs4Path() {
        if (!received(AS4_PATH)) {
            return;
        }
        int as4 = -1;
        for (int i = 0; i < kept.size(); i++) {
            int code = kept.get(i).typeCode();
            if (code == AS_PATH) {
                return;
            }
            if (code == AS4_PATH) {
                as4 = i;
            }
        }
        if (as4 >= 0) {
            kept.remove(as4);
            problem(AttributeProblem.discard(AS4_PATH, received(AS_PATH) ? "AS4_PATH with a malformed AS_PATH"
                    : "AS4_PATH without AS_PATH"));
        }
    }

    /** RFC 7606 §3 d: missing well-known mandatory attributes, when there are routes to carry them. */
    private void checkMandatory(boolean ipv4Nlri) {
        if (!ipv4Nlri && !received(MP_REACH)) {
            return;
        }
        if (!received(ORIGIN)) {
            problem(AttributeProblem.treatAsWithdraw(ORIGIN, "missing well-known mandatory ORIGIN"));
        }
        if (!received(AS_PATH)) {
            problem(AttributeProblem.treatAsWithdraw(AS_PATH, "missing well-known mandatory AS_PATH"));
        }
        // NEXT_HOP only serves the NLRI field; MP_REACH_NLRI carries its own (RFC 4760 §3).
        if (ipv4Nlri && !received(NEXT_HOP)) {
            problem(AttributeProblem.treatAsWithdraw(NEXT_HOP, "missing NEXT_HOP for the NLRI field"));
        }
    }

    private boolean received(int code) {
        return (seen[code >>> 6] & (1L << code)) != 0;
    }

    private byte[] raw(int from, int to) {
        byte[] bytes = new byte[to - from];
        buf.getBytes(from, bytes);
        return bytes;
    }

    private void problem(AttributeProblem problem) {
        if (problems.isEmpty()) {
            problems = new ArrayList<>(2);
        }
        problems.add(problem);
    }
}
