package io.routereflector.wire.message;

import io.routereflector.wire.capability.Capability;
import io.routereflector.wire.capability.FourOctetAs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * OPEN (RFC 4271 §4.2) with its optional parameters as received, so that it re-encodes byte-exact.
 * Checks that need local configuration (peer AS, our own identifier, required capabilities) are the
 * session's; {@link OpenCodec} makes only those that need none.
 *
 * @param myAs               the 2-octet My Autonomous System field: AS_TRANS when the real AS needs 4
 *                           octets (RFC 6793 §4.1); see {@link #asNumber()}
 * @param bgpIdentifier      an IPv4 address as a big-endian int
 * @param extendedParameters whether the RFC 9072 encoding is (or was) used; forced on when the
 *                           parameters do not fit the RFC 4271 encoding
 */
public record Open(int version, int myAs, int holdTime, int bgpIdentifier, List<OptionalParameter> parameters,
                   boolean extendedParameters) implements BgpMessage {

    public static final int VERSION = 4;
    /** RFC 6793 §9: the 2-octet stand-in for an AS number above 65535. */
    public static final int AS_TRANS = 23456;
    /** The largest Optional Parameters Length of the RFC 4271 encoding. */
    public static final int MAX_PARAMETERS_LENGTH = 255;

    public Open {
        if (version < 0 || version > 0xFF) {
            throw new IllegalArgumentException("version is one octet: " + version);
        }
        if (myAs < 0 || myAs > 0xFFFF) {
            throw new IllegalArgumentException("My AS is two octets: " + myAs);
        }
        if (holdTime < 0 || holdTime > 0xFFFF) {
            throw new IllegalArgumentException("hold time is two octets: " + holdTime);
        }
        parameters = List.copyOf(parameters);
        // RFC 9072 §2: the extended encoding MUST be used when the RFC 4271 one cannot hold the parameters.
        extendedParameters = extendedParameters || standardLength(parameters) > MAX_PARAMETERS_LENGTH;
    }

    /**
     * The OPEN we send: version 4, AS_TRANS in My AS when {@code asn} needs 4 octets, and every
     * capability in one Capabilities parameter (none at all when the list is empty).
     */
    public static Open of(long asn, int holdTime, int bgpIdentifier, List<Capability> capabilities) {
        if (asn < 0 || asn > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("AS number out of range: " + asn);
        }
        int myAs = asn > 0xFFFF ? AS_TRANS : (int) asn;
        List<OptionalParameter> parameters = capabilities.isEmpty()
                ? List.of() : List.of(new OptionalParameter.Capabilities(capabilities));
        return new Open(VERSION, myAs, holdTime, bgpIdentifier, parameters, false);
    }

    /** Octets of the parameters in the RFC 4271 encoding (type and length octets included). */
    static int standardLength(List<OptionalParameter> parameters) {
        int total = 0;
        for (OptionalParameter p : parameters) {
            total += 2 + p.valueLength();
        }
        return total;
    }

    /** Every capability of every Capabilities parameter, in order of appearance. */
    public List<Capability> capabilities() {
        List<Capability> all = new ArrayList<>();
        for (OptionalParameter p : parameters) {
            if (p instanceof OptionalParameter.Capabilities c) {
                all.addAll(c.capabilities());
            }
        }
        return List.copyOf(all);
    }

    /** The first capability of the given kind. */
    public <T extends Capability> Optional<T> capability(Class<T> kind) {
        for (Capability c : capabilities()) {
            if (kind.isInstance(c)) {
                return Optional.of(kind.cast(c));
            }
        }
        return Optional.empty();
    }

    /** The sender's AS: the 4-octet AS capability when present (RFC 6793 §4.1), else My AS. */
    public long asNumber() {
        return capability(FourOctetAs.class).map(FourOctetAs::asn).orElse((long) myAs);
    }

    @Override
    public MessageType type() {
        return MessageType.OPEN;
    }
}
