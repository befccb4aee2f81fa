package io.routereflector.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.AttributeProblem;
import io.routereflector.wire.attribute.NextHop;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.attribute.Rfc7606Action;
import io.routereflector.wire.attribute.UnknownAttribute;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.error.WireException;
import io.routereflector.wire.message.BgpMessage;
import io.routereflector.wire.message.MessageType;
import io.routereflector.wire.message.Notification;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Nlri;
import io.routereflector.wire.nlri.NlriList;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed inputs shaped after published BGP advisories, one row each, with the exact outcome
 * RFC 4271 §6 / RFC 7606 prescribe: a session reset carries its NOTIFICATION's code, subcode and
 * data; a soft outcome names the action and the attribute, and the rest of the UPDATE survives.
 * {@link #rows()} also seeds the Jazzer regression corpus (fuzz/MessageDecoderFuzzTestInputs).
 */
public class AdvisoryInputsTest {

    static final WireSettings TWO_OCTET = WireSettings.INITIAL;
    static final WireSettings AS4 = WireSettings.AS4;
    static final AddressFamily IPV4 = AddressFamily.IPV4_UNICAST;
    static final AddressFamily IPV6 = AddressFamily.IPV6_UNICAST;

    // Well-formed pieces of an iBGP UPDATE on a 4-octet-AS session.
    static final String ORIGIN = "40 01 01 00";
    static final String AS_PATH = "40 02 06 02 01 0000fbf4";      // AS_SEQUENCE [64500]
    static final String NEXT_HOP = "40 03 04 c0000201";           // 192.0.2.1
    static final String LOCAL_PREF = "40 05 04 00000064";
    static final String TWO_ROUTES = "1a 0a000000 1a 0a000040";   // 10.0.0.0/26, 10.0.0.64/26

    /** One advisory row: the message, the settings it is read with, and what must come of it. */
    public record Row(String advisory, WireSettings settings, byte[] message, Consumer<Row> outcome) {
        public Row {
            message = message.clone();
        }

        @Override
        public byte[] message() {
            return message.clone();
        }

        BgpMessage decode() {
            return MessageCodec.decode(Unpooled.wrappedBuffer(message), settings);
        }
    }

    public static List<Row> rows() {
        return List.of(
            // FRR CVE-2022-40302: RFC 9072 extended OPEN whose parameter header (3 octets) is cut to 2; FRR read past it.
            new Row("CVE-2022-40302 extended parameter header cut short", AS4, open("ff ff 0002 02 00"),
                    reset(NotificationCode.OPEN_MESSAGE_ERROR, 2, 0, "")),
            // FRR CVE-2022-40302 (capability parsing): a capability whose length overruns its Capabilities parameter.
            new Row("CVE-2022-40302 capability overruns its parameter", AS4, open("06 02 04 41 06 0000"),
                    reset(NotificationCode.OPEN_MESSAGE_ERROR, 2, 0, "")),
            // FRR CVE-2022-40318: type 0xff announces the extended encoding but its 2-octet length is cut to 1.
            new Row("CVE-2022-40318 extended length marker cut short", AS4, open("ff ff 00"),
                    reset(NotificationCode.OPEN_MESSAGE_ERROR, 2, 0, "")),
            // FRR CVE-2022-43681: an OPEN that ends with the Optional Parameters Length octet (nonzero).
            new Row("CVE-2022-43681 OPEN ends at the parameters length", AS4, open("08"),
                    reset(NotificationCode.OPEN_MESSAGE_ERROR, 2, 0, "")),
            // FRR CVE-2022-43681, extended form: the OPEN ends with the 2-octet extended parameters length.
            new Row("CVE-2022-43681 extended OPEN ends at its length", AS4, open("ff ff 0008"),
                    reset(NotificationCode.OPEN_MESSAGE_ERROR, 2, 0, "")),
            // FRR CVE-2023-38802: a corrupt Tunnel Encapsulation (type 23) reset sessions; unknown to us, it passes byte-exact.
            new Row("CVE-2023-38802 malformed Tunnel Encapsulation attribute", AS4,
                    update("", ORIGIN + AS_PATH + NEXT_HOP + LOCAL_PREF + "c0 17 0b 000800ff01020304050607", TWO_ROUTES),
                    AdvisoryInputsTest::tunnelEncapsulationPassesByteExact),
            // FRR CVE-2023-46752: MP_REACH_NLRI whose next hop length (32) overruns the attribute: IPv6 disabled.
            new Row("CVE-2023-46752 MP_REACH_NLRI next hop overruns", AS4,
                    update("", ORIGIN + AS_PATH + LOCAL_PREF + "80 0e 14 0002 01 20 20010db8000000000000000000000001", ""),
                    soft(u -> {
                        assertProblems(u, AttributeProblem.disable(14, IPV6, ""));
                        assertAttributes(u, 1, 2, 5);
                        assertEquals(Set.of(IPV6), u.disabledFamilies());
                        assertTrue(u.reachable(IPV6).isEmpty());
                    })),
            // FRR CVE-2023-46752: MP_REACH_NLRI with an IPv6 prefix of length 129: IPv6 disabled, the IPv4 NLRI kept.
            new Row("CVE-2023-46752 MP_REACH_NLRI prefix length 129", AS4,
                    update("", ORIGIN + AS_PATH + NEXT_HOP + LOCAL_PREF
                            + "80 0e 27 0002 01 10 20010db8000000000000000000000001 00 81 fd000000000000000000000000000000 00",
                            TWO_ROUTES),
                    soft(u -> {
                        assertProblems(u, AttributeProblem.disable(14, IPV6, ""));
                        assertAttributes(u, 1, 2, 3, 5);
                        assertFalse(u.treatAsWithdraw());
                        assertRoutes(u, "10.0.0.0/26", "10.0.0.64/26");
                    })),
            // FRR CVE-2023-46752: MP_REACH_NLRI too short to hold an AFI/SAFI: no family to disable, so a reset (RFC 4760 §7).
            new Row("CVE-2023-46752 MP_REACH_NLRI without AFI/SAFI", AS4,
                    update("", ORIGIN + AS_PATH + "80 0e 02 0002", ""),
                    reset(NotificationCode.UPDATE_OPTIONAL_ATTRIBUTE_ERROR, 3, 9, "800e020002")),
            // FRR CVE-2023-46753: NLRI with only an unknown transitive attribute (no mandatory ones) crashed bgpd.
            new Row("CVE-2023-46753 only an unknown attribute, with NLRI", AS4,
                    update("", "c0 1f 10 000102030405060708090a0b0c0d0e0f", TWO_ROUTES),
                    soft(u -> {
                        assertProblems(u, AttributeProblem.treatAsWithdraw(1, ""), AttributeProblem.treatAsWithdraw(2, ""),
                                AttributeProblem.treatAsWithdraw(3, ""));
                        assertAttributes(u, 31);
                        assertTrue(u.treatAsWithdraw());
                        assertRoutes(u, "10.0.0.0/26", "10.0.0.64/26");
                    })),
            // FRR CVE-2023-46753: the same attribute without NLRI: nothing is announced, so nothing is missing.
            new Row("CVE-2023-46753 only an unknown attribute, no NLRI", AS4,
                    update("", "c0 1f 10 000102030405060708090a0b0c0d0e0f", ""),
                    soft(u -> {
                        assertProblems(u);
                        assertAttributes(u, 31);
                        assertFalse(u.isEndOfRib());
                        assertTrue(u.reachable(IPV4).isEmpty());
                    })),
            // BIRD CVE-2019-16159: a shutdown communication whose length octet (255) runs past the data overflowed a buffer.
            new Row("CVE-2019-16159 shutdown communication length past the data", AS4,
                    notification(6, 2, Hex.bytes("ff 48656c6c6f212121")),
                    shutdown(Optional.empty())),
            // BIRD CVE-2019-16159: longer than RFC 8203's 128 octets, within RFC 9003's 255: 85 three-octet characters.
            new Row("CVE-2019-16159 shutdown communication of 255 octets", AS4,
                    notification(6, 2, communication(255, "€".repeat(85).getBytes(StandardCharsets.UTF_8))),
                    shutdown(Optional.of("€".repeat(85)))),
            // BIRD CVE-2019-16159: length 129 over invalid UTF-8 (RFC 9003 §4: log it, do not use it).
            new Row("CVE-2019-16159 shutdown communication not UTF-8", AS4,
                    notification(6, 4, communication(129, filled(129, (byte) 0xC3))),
                    shutdown(Optional.empty())),
            // OpenBGPD CVE-2023-38283: path attribute lengths mishandled into a reset; AGGREGATOR of 5 octets is discarded.
            new Row("CVE-2023-38283 optional transitive AGGREGATOR of bad length", AS4,
                    update("", ORIGIN + AS_PATH + NEXT_HOP + LOCAL_PREF + "c0 07 05 0000fbf4c0", TWO_ROUTES),
                    soft(u -> {
                        assertProblems(u, AttributeProblem.discard(7, ""));
                        assertAttributes(u, 1, 2, 3, 5);
                        assertFalse(u.treatAsWithdraw());
                        assertRoutes(u, "10.0.0.0/26", "10.0.0.64/26");
                    })),
            // OpenBGPD CVE-2023-38283: an unknown optional transitive attribute with Partial and Extended Length set.
            new Row("CVE-2023-38283 unknown attribute with extended length", AS4,
                    update("", ORIGIN + AS_PATH + NEXT_HOP + "f0 63 0003 aabbcc" + LOCAL_PREF, TWO_ROUTES),
                    soft(u -> {
                        assertProblems(u);
                        assertAttributes(u, 1, 2, 3, 99, 5);
                        assertEquals(new UnknownAttribute(0xF0, 99, Hex.bytes("aabbcc")), u.attributes().get(99));
                    }).andThen(AdvisoryInputsTest::reencodesByteExact)),
            // CERT VU#347067: malformed attributes reset sessions; COMMUNITIES of 5 octets is treat-as-withdraw (RFC 7606 §7.8).
            new Row("VU#347067 COMMUNITIES of bad length", AS4,
                    update("", ORIGIN + AS_PATH + NEXT_HOP + LOCAL_PREF + "c0 08 05 fc00006400", TWO_ROUTES),
                    soft(u -> {
                        assertProblems(u, AttributeProblem.treatAsWithdraw(8, ""));
                        assertAttributes(u, 1, 2, 3, 5);
                        assertRoutes(u, "10.0.0.0/26", "10.0.0.64/26");
                    })),
            // CERT VU#347067: ORIGIN flagged optional, an attribute flags error: treat-as-withdraw (RFC 7606 §3 c).
            new Row("VU#347067 ORIGIN with optional flag", AS4,
                    update("", "80 01 01 00" + AS_PATH + NEXT_HOP + LOCAL_PREF, TWO_ROUTES),
                    soft(u -> {
                        assertProblems(u, AttributeProblem.treatAsWithdraw(1, ""));
                        assertAttributes(u, 2, 3, 5);
                        assertRoutes(u, "10.0.0.0/26", "10.0.0.64/26");
                    })),
            // CERT VU#347067: the last attribute overruns Total Path Attribute Length: treat-as-withdraw, NLRI still found (RFC 7606 §4).
            new Row("VU#347067 last attribute overruns the attribute field", AS4,
                    update("", ORIGIN + AS_PATH + NEXT_HOP + "c0 08 08 fc000064", TWO_ROUTES),
                    soft(u -> {
                        assertProblems(u, AttributeProblem.treatAsWithdraw(8, ""));
                        assertAttributes(u, 1, 2, 3);
                        assertRoutes(u, "10.0.0.0/26", "10.0.0.64/26");
                    })),
            // AS4_PATH before AS_PATH from a 2-octet speaker: order is free (RFC 6793 §4.2.3); both kept, wire order kept.
            new Row("AS4_PATH before AS_PATH", TWO_OCTET,
                    update("", ORIGIN + "c0 11 06 02 01 00030d40" + "40 02 04 02 01 5ba0" + NEXT_HOP, TWO_ROUTES),
                    soft(u -> {
                        assertProblems(u);
                        assertAttributes(u, 1, 17, 2, 3);
                        assertEquals(List.of(AsPath.Segment.sequence(200000)), u.attributes().as4Path().segments());
                        assertEquals(AsPath.sequence(AsPath.AS_TRANS), u.attributes().asPath());
                    }).andThen(AdvisoryInputsTest::reencodesByteExact)),
            // AS4_PATH before AS_PATH from a 4-octet speaker: it must not send AS4_PATH; discarded (RFC 6793 §6).
            new Row("AS4_PATH before AS_PATH on a 4-octet session", AS4,
                    update("", ORIGIN + "c0 11 06 02 01 00030d40" + "40 02 06 02 01 00030d40" + NEXT_HOP, TWO_ROUTES),
                    soft(u -> {
                        assertProblems(u, AttributeProblem.discard(17, ""));
                        assertAttributes(u, 1, 2, 3);
                        assertEquals(AsPath.sequence(200000), u.attributes().asPath());
                    })),
            // AS4_PATH with no AS_PATH at all: nothing to merge into, discarded; AS_PATH missing is treat-as-withdraw.
            new Row("AS4_PATH without AS_PATH", TWO_OCTET,
                    update("", ORIGIN + "c0 11 06 02 01 00030d40" + NEXT_HOP, TWO_ROUTES),
                    soft(u -> {
                        assertProblems(u, AttributeProblem.discard(17, ""), AttributeProblem.treatAsWithdraw(2, ""));
                        assertAttributes(u, 1, 3);
                        assertTrue(u.treatAsWithdraw());
                    })),
            // AS4_PATH with a malformed AS_PATH (found by Jazzer): nothing left to merge into, so AS4_PATH goes too.
            new Row("AS4_PATH with a malformed AS_PATH", TWO_OCTET,
                    update("", ORIGIN + "c0 11 06 02 01 00030d40" + "40 02 04 fd01 5ba0" + NEXT_HOP, TWO_ROUTES),
                    soft(u -> {
                        assertProblems(u, AttributeProblem.treatAsWithdraw(2, ""), AttributeProblem.discard(17, ""));
                        assertAttributes(u, 1, 3);
                        assertRoutes(u, "10.0.0.0/26", "10.0.0.64/26");
                    })),
            // NEXT_HOP of 3 octets: syntactically incorrect, treat-as-withdraw (RFC 7606 §7.3), not "missing" as well.
            new Row("NEXT_HOP of 3 octets", AS4,
                    update("", ORIGIN + AS_PATH + "40 03 03 c00002" + LOCAL_PREF, TWO_ROUTES),
                    soft(u -> {
                        assertProblems(u, AttributeProblem.treatAsWithdraw(3, ""));
                        assertAttributes(u, 1, 2, 5);
                        assertNull(u.attributes().nextHop());
                        assertRoutes(u, "10.0.0.0/26", "10.0.0.64/26");
                    })),
            // NEXT_HOP of 0 octets: the same.
            new Row("NEXT_HOP of 0 octets", AS4,
                    update("", ORIGIN + AS_PATH + "40 03 00" + LOCAL_PREF, TWO_ROUTES),
                    soft(u -> {
                        assertProblems(u, AttributeProblem.treatAsWithdraw(3, ""));
                        assertAttributes(u, 1, 2, 5);
                        assertRoutes(u, "10.0.0.0/26", "10.0.0.64/26");
                    })));
    }

    @TestFactory
    Stream<DynamicTest> everyAdvisory() {
        return rows().stream().map(row -> DynamicTest.dynamicTest(row.advisory(), () -> row.outcome().accept(row)));
    }

    // ---- outcomes ----

    /** A session reset: exactly this NOTIFICATION (code and subcode spelled out as on the wire). */
    static Consumer<Row> reset(NotificationCode code, int wireCode, int wireSubcode, String dataHex) {
        return row -> {
            assertEquals(wireCode, code.code(), code.name());
            assertEquals(wireSubcode, code.subcode(), code.name());
            WireException e = assertThrows(WireException.class, row::decode, row.advisory());
            assertEquals(code, e.code(), e.getMessage());
            assertArrayEquals(Hex.bytes(dataHex), e.data(), () -> "data " + Hex.of(e.data()) + " of " + e.getMessage());
        };
    }

    /** Decodes to an UPDATE, without a session reset, and passes {@code check}. */
    static Consumer<Row> soft(Consumer<Update> check) {
        return row -> check.accept(assertInstanceOf(Update.class, row.decode(), row.advisory()));
    }

    /** A NOTIFICATION that decodes safely, re-encodes byte-exact and yields {@code expected} as its communication. */
    static Consumer<Row> shutdown(Optional<String> expected) {
        return row -> {
            Notification n = assertInstanceOf(Notification.class, row.decode());
            assertEquals(expected, n.shutdownCommunication());
            assertEquals(row.message().length - MessageHeader.LENGTH - 2, n.data().length, "data kept whole");
            assertFalse(n.toString().isEmpty());
            reencodesByteExact(row);
        };
    }

    private static void tunnelEncapsulationPassesByteExact(Row row) {
        Update u = assertInstanceOf(Update.class, row.decode());
        assertProblems(u);
        assertAttributes(u, 1, 2, 3, 5, 23);
        UnknownAttribute tunnel = (UnknownAttribute) u.attributes().get(23);
        assertEquals(new UnknownAttribute(0xC0, 23, Hex.bytes("000800ff01020304050607")), tunnel);
        // Passed on unrecognized, it gains the Partial bit (RFC 4271 §5) and nothing else.
        assertEquals(0xE0, tunnel.withPartial().flags());
        assertEquals(NextHop.of("192.0.2.1"), u.attributes().nextHop());
        assertRoutes(u, "10.0.0.0/26", "10.0.0.64/26");
        reencodesByteExact(row);
    }

    static void reencodesByteExact(Row row) {
        ByteBuf out = Unpooled.buffer();
        try {
            MessageCodec.encode(row.decode(), row.settings(), out);
            assertEquals(Hex.of(row.message()), Hex.hex(out), row.advisory());
        } finally {
            out.release();
        }
    }

    /** The problems' type codes and actions, in order; the reasons are for the log and are not compared. */
    static void assertProblems(Update u, AttributeProblem... expected) {
        List<String> want = Arrays.stream(expected).map(p -> p.typeCode() + " " + p.action() + " " + p.family()).toList();
        List<String> got = u.problems().stream().map(p -> p.typeCode() + " " + p.action() + " " + p.family()).toList();
        assertEquals(want, got, () -> "problems " + u.problems());
        assertEquals(expected.length == 0 ? null : strongest(expected), u.strongestAction());
    }

    private static Rfc7606Action strongest(AttributeProblem... problems) {
        return Arrays.stream(problems).map(AttributeProblem::action).min(Enum::compareTo).orElseThrow();
    }

    /** The attributes kept, by type code in wire order. */
    static void assertAttributes(Update u, int... typeCodes) {
        PathAttributes a = u.attributes();
        int[] got = a.asList().stream().mapToInt(p -> p.typeCode()).toArray();
        assertArrayEquals(typeCodes, got, () -> "attributes " + a);
    }

    static void assertRoutes(Update u, String... prefixes) {
        NlriList nlri = u.reachable(IPV4);
        assertEquals(List.of(prefixes), nlri.stream().map(Nlri::toString).toList());
    }

    // ---- message builders ----

    /** An OPEN: version 4, AS 64512, hold time 180, identifier 198.51.100.1, then {@code tail} from Opt Parm Len on. */
    static byte[] open(String tail) {
        return Hex.message(MessageType.OPEN, Hex.bytes("04 fc00 00b4 c6336401" + tail));
    }

    static byte[] update(String withdrawn, String attributes, String nlri) {
        byte[] w = Hex.bytes(withdrawn);
        byte[] a = Hex.bytes(attributes);
        byte[] n = Hex.bytes(nlri);
        byte[] body = new byte[4 + w.length + a.length + n.length];
        body[0] = (byte) (w.length >>> 8);
        body[1] = (byte) w.length;
        System.arraycopy(w, 0, body, 2, w.length);
        body[2 + w.length] = (byte) (a.length >>> 8);
        body[3 + w.length] = (byte) a.length;
        System.arraycopy(a, 0, body, 4 + w.length, a.length);
        System.arraycopy(n, 0, body, 4 + w.length + a.length, n.length);
        return Hex.message(MessageType.UPDATE, body);
    }

    static byte[] notification(int code, int subcode, byte[] data) {
        byte[] body = new byte[2 + data.length];
        body[0] = (byte) code;
        body[1] = (byte) subcode;
        System.arraycopy(data, 0, body, 2, data.length);
        return Hex.message(MessageType.NOTIFICATION, body);
    }

    /** An RFC 9003 shutdown communication: a length octet, then {@code text}. */
    static byte[] communication(int lengthOctet, byte[] text) {
        byte[] data = new byte[1 + text.length];
        data[0] = (byte) lengthOctet;
        System.arraycopy(text, 0, data, 1, text.length);
        return data;
    }

    static byte[] filled(int length, byte value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        return bytes;
    }
}
