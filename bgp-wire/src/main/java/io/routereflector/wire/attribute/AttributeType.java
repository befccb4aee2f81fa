package io.routereflector.wire.attribute;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.WireSettings;

import static io.routereflector.wire.attribute.Rfc7606Action.AFI_SAFI_DISABLE;
import static io.routereflector.wire.attribute.Rfc7606Action.ATTRIBUTE_DISCARD;
import static io.routereflector.wire.attribute.Rfc7606Action.TREAT_AS_WITHDRAW;

/**
 * The one table of the path attributes we recognize (the idea of BIRD's {@code bgp_attr_table}):
 * type code, name, the Optional and Transitive bits the type must carry, its value decoder, and the
 * RFC 7606 approach for a malformed instance (RFC 7606 §7, RFC 6793 §6, RFC 8092 §6). A type code
 * not in this table is unrecognized: kept as {@link UnknownAttribute} when optional, a session reset
 * when well-known (RFC 4271 §6.3).
 */
public enum AttributeType {
    ORIGIN(1, false, true, TREAT_AS_WITHDRAW, Origin::decode),                   // RFC 7606 §7.1
    AS_PATH(2, false, true, TREAT_AS_WITHDRAW, AsPath::decode),                  // §7.2
    NEXT_HOP(3, false, true, TREAT_AS_WITHDRAW, NextHop::decode),                // §7.3
    MULTI_EXIT_DISC(4, true, false, TREAT_AS_WITHDRAW, MultiExitDisc::decode),   // §7.4
    LOCAL_PREF(5, false, true, TREAT_AS_WITHDRAW, LocalPref::decode),            // §7.5
    ATOMIC_AGGREGATE(6, false, true, ATTRIBUTE_DISCARD, AtomicAggregate::decode),// §7.6
    AGGREGATOR(7, true, true, ATTRIBUTE_DISCARD, Aggregator::decode),            // §7.7
    COMMUNITIES(8, true, true, TREAT_AS_WITHDRAW, Communities::decode),          // §7.8
    ORIGINATOR_ID(9, true, false, TREAT_AS_WITHDRAW, OriginatorId::decode),      // §7.9
    CLUSTER_LIST(10, true, false, TREAT_AS_WITHDRAW, ClusterList::decode),       // §7.10
    MP_REACH_NLRI(14, true, false, AFI_SAFI_DISABLE, MpReachNlri::decode),       // §7.11, RFC 4760 §7
    MP_UNREACH_NLRI(15, true, false, AFI_SAFI_DISABLE, MpUnreachNlri::decode),   // §7.12
    EXTENDED_COMMUNITIES(16, true, true, TREAT_AS_WITHDRAW, ExtendedCommunities::decode), // §7.14
    AS4_PATH(17, true, true, ATTRIBUTE_DISCARD, As4Path::decode),                // RFC 6793 §6
    AS4_AGGREGATOR(18, true, true, ATTRIBUTE_DISCARD, As4Aggregator::decode),    // RFC 6793 §6
    LARGE_COMMUNITY(32, true, true, TREAT_AS_WITHDRAW, LargeCommunities::decode);// RFC 8092 §6

    /** Decodes the value octets [index, index + length) of one attribute; throws only MalformedAttributeException. */
    @FunctionalInterface
    interface ValueDecoder {
        PathAttribute decode(int flags, ByteBuf buf, int index, int length, WireSettings settings);
    }

    private static final AttributeType[] BY_CODE = new AttributeType[256];

    static {
        for (AttributeType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final boolean optional;
    private final boolean transitive;
    private final Rfc7606Action malformedAction;
    private final ValueDecoder decoder;

    AttributeType(int code, boolean optional, boolean transitive, Rfc7606Action malformedAction, ValueDecoder decoder) {
        this.code = code;
        this.optional = optional;
        this.transitive = transitive;
        this.malformedAction = malformedAction;
        this.decoder = decoder;
    }

    /** The recognized type for {@code code}, or null. */
    public static AttributeType fromCode(int code) {
        return code >= 0 && code < 256 ? BY_CODE[code] : null;
    }

    public int code() {
        return code;
    }

    public boolean optional() {
        return optional;
    }

    public boolean transitive() {
        return transitive;
    }

    /** What RFC 7606 prescribes for a malformed instance of this type. */
    public Rfc7606Action malformedAction() {
        return malformedAction;
    }

    /**
     * What conflicting Optional/Transitive bits mean: treat-as-withdraw (RFC 7606 §3 c), except for
     * the MP attributes, whose flags make them "incorrect" and so AFI/SAFI disable (RFC 7606 §5.3).
     */
    public Rfc7606Action flagsErrorAction() {
        return malformedAction == AFI_SAFI_DISABLE ? AFI_SAFI_DISABLE : TREAT_AS_WITHDRAW;
    }

    /** The flags octet a record built by code carries: the type's Optional/Transitive bits only. */
    public int canonicalFlags() {
        return (optional ? PathAttribute.OPTIONAL : 0) | (transitive ? PathAttribute.TRANSITIVE : 0);
    }

    /** True when the Optional and Transitive bits of {@code flags} are those of this type. */
    public boolean flagsMatch(int flags) {
        return (flags & (PathAttribute.OPTIONAL | PathAttribute.TRANSITIVE)) == canonicalFlags();
    }

    /** Validation for record constructors: an octet whose Optional/Transitive bits fit the type. */
    int checkFlags(int flags) {
        if (flags < 0 || flags > 0xFF) {
            throw new IllegalArgumentException("flags out of range: " + flags);
        }
        if (!flagsMatch(flags)) {
            throw new IllegalArgumentException(name() + " with flags 0x" + Integer.toHexString(flags)
                    + ", expected Optional/Transitive 0x" + Integer.toHexString(canonicalFlags()));
        }
        return flags;
    }

    ValueDecoder decoder() {
        return decoder;
    }
}
