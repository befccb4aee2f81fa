package io.routereflector.wire;

import io.routereflector.wire.nlri.AddressFamily;

import java.util.Set;

/**
 * What was negotiated for one direction of a session and changes how bytes are read or written:
 * RFC 8654 extended messages (65535 octets), RFC 6793 four-octet AS numbers in AS_PATH/AGGREGATOR,
 * and the families whose NLRI carry RFC 7911 path identifiers in this direction.
 */
public record WireSettings(boolean extendedMessages, boolean fourOctetAs, Set<AddressFamily> addPath) {

    public static final int MAX_LENGTH = 4096;
    public static final int MAX_EXTENDED_LENGTH = 65535;

    /** Before the OPEN exchange: standard sizes, 2-octet AS fields, no path ids. */
    public static final WireSettings INITIAL = new WireSettings(false, false, Set.of());

    /** What Calico's BIRD negotiates with us: 4-octet AS, standard message size, no path ids. */
    public static final WireSettings AS4 = new WireSettings(false, true, Set.of());

    public WireSettings {
        addPath = Set.copyOf(addPath);
    }

    public int maxMessageLength() {
        return extendedMessages ? MAX_EXTENDED_LENGTH : MAX_LENGTH;
    }

    public boolean addPath(AddressFamily family) {
        return addPath.contains(family);
    }

    public WireSettings withAddPath(Set<AddressFamily> families) {
        return new WireSettings(extendedMessages, fourOctetAs, families);
    }

    public WireSettings withExtendedMessages(boolean extended) {
        return new WireSettings(extended, fourOctetAs, addPath);
    }

    public WireSettings withFourOctetAs(boolean as4) {
        return new WireSettings(extendedMessages, as4, addPath);
    }
}
