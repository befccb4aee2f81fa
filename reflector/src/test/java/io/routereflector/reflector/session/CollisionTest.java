package io.routereflector.reflector.session;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class CollisionTest {

    private static int id(String dotted) {
        String[] p = dotted.split("\\.");
        return Integer.parseInt(p[0]) << 24 | Integer.parseInt(p[1]) << 16 | Integer.parseInt(p[2]) << 8 | Integer.parseInt(p[3]);
    }

    @ParameterizedTest(name = "{0} AS{1} vs {2} AS{3}: keep ours = {4}")
    @CsvSource({
        "10.0.0.1, 64512, 10.0.0.2, 64512, false",
        "10.0.0.2, 64512, 10.0.0.1, 64512, true",
        // Unsigned comparison: 192.168.0.1 > 10.0.0.1 although negative as an int.
        "192.168.0.1, 64512, 10.0.0.1, 64512, true",
        "10.0.0.1, 64512, 192.168.0.1, 64512, false",
        "255.255.255.255, 1, 0.0.0.1, 1, true",
        // RFC 6286 §2.3: equal identifiers across ASes: the larger AS keeps its connection.
        "10.0.0.1, 65001, 10.0.0.1, 65000, true",
        "10.0.0.1, 65000, 10.0.0.1, 65001, false",
    })
    void higherIdentifierKeepsTheConnectionItInitiated(String local, long localAs, String remote, long remoteAs, boolean keepOurs) {
        assertEquals(keepOurs, Collision.keepLocallyInitiated(id(local), localAs, id(remote), remoteAs));
        // The peer evaluates the same rule with the roles swapped and must agree.
        assertNotEquals(keepOurs, Collision.keepLocallyInitiated(id(remote), remoteAs, id(local), localAs));
    }
}
