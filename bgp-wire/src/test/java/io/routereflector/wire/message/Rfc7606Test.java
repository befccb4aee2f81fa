package io.routereflector.wire.message;

import io.routereflector.wire.Hex;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.attribute.AttributeProblem;
import io.routereflector.wire.attribute.PathAttribute;
import io.routereflector.wire.attribute.Rfc7606Action;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.error.WireException;
import io.routereflector.wire.nlri.AddressFamily;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * One row per RFC 7606 rule (and the RFC 4760, RFC 6793, RFC 8092 rules it defers to): hand-made
 * UPDATE bodies and either the exact NOTIFICATION (code, subcode, data) of a session reset or the
 * exact list of soft outcomes, written "type:ACTION[:family]".
 */
class Rfc7606Test {

    static final WireSettings AS4 = WireSettings.AS4;
    static final WireSettings AS2 = WireSettings.INITIAL;

    static final String ORIGIN = "40 01 01 00";
    static final String AS_PATH = "40 02 00";
    static final String NEXT_HOP = "40 03 04 0a000001";
    static final String BASE = ORIGIN + AS_PATH + NEXT_HOP;
    static final String NLRI = "18 0a0100";                              // 10.1.0.0/24
    static final String V6_NH = "20010db8000000000000000000000001";
    static final String MP_REACH_V6 = "80 0e 1e 0002 01 10" + V6_NH + "00 40 20010db800000000";
    static final String MP_UNREACH_V6 = "80 0f 0c 0002 01 40 20010db800000001";

    /** One attribute; the length field is computed, two octets when flags carry Extended Length. */
    static String attr(int flags, int code, String value) {
        int length = Hex.bytes(value).length;
        String len = (flags & PathAttribute.EXTENDED_LENGTH) != 0 ? String.format("%04x", length) : String.format("%02x", length);
        return String.format("%02x%02x", flags, code) + len + value;
    }

    /** An UPDATE body with both length fields computed. */
    static String body(String withdrawn, String attributes, String nlri) {
        return String.format("%04x", Hex.bytes(withdrawn).length) + withdrawn
                + String.format("%04x", Hex.bytes(attributes).length) + attributes + nlri;
    }

    static String announce(String attributes) {
        return body("", attributes, NLRI);
    }

    record Reset(NotificationCode code, String data) {
    }

    record Soft(List<String> problems, Consumer<Update> check) {
    }

    static Reset reset(NotificationCode code, String data) {
        return new Reset(code, data.replace(" ", ""));
    }

    static Soft soft(String... problems) {
        return new Soft(List.of(problems), u -> { });
    }

    static Soft soft(Consumer<Update> check, String... problems) {
        return new Soft(List.of(problems), check);
    }

    static final String TAW = ":TREAT_AS_WITHDRAW";
    static final String DISCARD = ":ATTRIBUTE_DISCARD";
    static final String DISABLE_V6 = ":AFI_SAFI_DISABLE:ipv6-unicast";

    static Stream<Arguments> rules() {
        List<Arguments> rows = new ArrayList<>();
        // §3 b: field lengths overrunning the message.
        rows.add(arguments("withdrawn length overruns the message", AS4, "0010 0000",
                reset(NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST, "")));
        rows.add(arguments("total attribute length overruns the message", AS4, "0000 0010" + ORIGIN,
                reset(NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST, "")));
        rows.add(arguments("body too short for its length fields", AS4, "00",
                reset(NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST, "")));
        // §4: attribute lengths against the attribute field; the NLRI are still found.
        rows.add(arguments("attribute length overruns the attribute field", AS4, announce(BASE + "40 05 08 00000064"),
                soft(u -> assertEquals(1, u.nlri().size()), "5" + TAW)));
        rows.add(arguments("two octets left: no room for a header", AS4, announce(BASE + "40 05"), soft("5" + TAW)));
        rows.add(arguments("one octet left", AS4, announce(BASE + "40"), soft("0" + TAW)));
        rows.add(arguments("extended-length header cut short", AS4, announce(BASE + "50 05 00"), soft("5" + TAW)));
        rows.add(arguments("MP_REACH_NLRI overruns the field, family readable", AS4,
                body("", BASE + "80 0e 40 0002 01 10", ""), soft("14" + DISABLE_V6)));
        rows.add(arguments("MP_REACH_NLRI overruns the field, no family", AS4, body("", BASE + "80 0e 40 0002", ""),
                reset(NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST, "")));
        // §3 g: duplicates.
        rows.add(arguments("MP_REACH_NLRI twice", AS4, body("", MP_REACH_V6 + BASE + MP_REACH_V6, ""),
                reset(NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST, "")));
        rows.add(arguments("MP_UNREACH_NLRI twice", AS4, body("", MP_UNREACH_V6 + MP_UNREACH_V6, ""),
                reset(NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST, "")));
        rows.add(arguments("LOCAL_PREF twice: the first is kept", AS4,
                announce(BASE + "40 05 04 00000064" + "40 05 04 000000c8"),
                soft(u -> assertEquals(100, u.attributes().localPref().value()), "5" + DISCARD)));
        rows.add(arguments("unknown optional attribute twice", AS4, announce(BASE + "c0 c8 01 01" + "c0 c8 01 02"),
                soft(u -> assertEquals("c0c80101", Hex.of(encodeAttribute(u, 200))), "200" + DISCARD)));
        // §3 c: Optional/Transitive bits in conflict with the type.
        rows.add(arguments("ORIGIN flagged optional", AS4, announce("c0 01 01 00" + AS_PATH + NEXT_HOP), soft("1" + TAW)));
        rows.add(arguments("MULTI_EXIT_DISC flagged transitive", AS4, announce(BASE + "c0 04 04 00000001"), soft("4" + TAW)));
        rows.add(arguments("LOCAL_PREF flagged optional", AS4, announce(BASE + "80 05 04 00000064"), soft("5" + TAW)));
        rows.add(arguments("Partial on a well-known attribute is no conflict", AS4,
                announce("60 01 01 00" + AS_PATH + NEXT_HOP), soft()));
        // §5.3: MP attributes with wrong flags are "incorrect": AFI/SAFI disable.
        rows.add(arguments("MP_REACH_NLRI flagged well-known", AS4, body("", "40" + MP_REACH_V6.substring(2) + BASE, ""),
                soft("14" + DISABLE_V6)));
        rows.add(arguments("MP_UNREACH_NLRI flagged transitive, too short to locate", AS4, body("", "c0 0f 02 0002", ""),
                reset(NotificationCode.UPDATE_OPTIONAL_ATTRIBUTE_ERROR, "c00f020002")));
        // §7.1 ORIGIN.
        rows.add(arguments("ORIGIN of length 2", AS4, announce("40 01 02 0000" + AS_PATH + NEXT_HOP), soft("1" + TAW)));
        rows.add(arguments("ORIGIN of length 0", AS4, announce("40 01 00" + AS_PATH + NEXT_HOP), soft("1" + TAW)));
        rows.add(arguments("ORIGIN value 3", AS4, announce("40 01 01 03" + AS_PATH + NEXT_HOP), soft("1" + TAW)));
        // §7.2 AS_PATH.
        rows.add(arguments("AS_PATH unknown segment type", AS4, announce(ORIGIN + "40 02 06 05 01 0000fde8" + NEXT_HOP),
                soft("2" + TAW)));
        rows.add(arguments("AS_PATH segment of length zero", AS4, announce(ORIGIN + "40 02 02 02 00" + NEXT_HOP),
                soft("2" + TAW)));
        rows.add(arguments("AS_PATH segment overruns the attribute", AS4, announce(ORIGIN + "40 02 06 02 02 0000fde8" + NEXT_HOP),
                soft("2" + TAW)));
        rows.add(arguments("AS_PATH single octet after the last segment", AS4,
                announce(ORIGIN + "40 02 07 02 01 0000fde8 02" + NEXT_HOP), soft("2" + TAW)));
        rows.add(arguments("AS_PATH with 2-octet ASNs read on a 4-octet session", AS4,
                announce(ORIGIN + "40 02 04 02 01 fde8" + NEXT_HOP), soft("2" + TAW)));
        // §7.3 to §7.5.
        rows.add(arguments("NEXT_HOP shorter than 4 octets", AS4, announce(ORIGIN + AS_PATH + "40 03 03 0a0000"),
                soft("3" + TAW)));
        rows.add(arguments("NEXT_HOP longer than 4 octets", AS4, announce(ORIGIN + AS_PATH + "40 03 05 0a00000100"),
                soft("3" + TAW)));
        rows.add(arguments("MULTI_EXIT_DISC of length 3", AS4, announce(BASE + "80 04 03 000001"), soft("4" + TAW)));
        rows.add(arguments("LOCAL_PREF of length 5", AS4, announce(BASE + "40 05 05 0000000064"), soft("5" + TAW)));
        // §7.6, §7.7: attribute discard.
        rows.add(arguments("ATOMIC_AGGREGATE of length 1", AS4, announce(BASE + "40 06 01 00"),
                soft(u -> assertEquals(3, u.attributes().size()), "6" + DISCARD)));
        rows.add(arguments("AGGREGATOR of 6 octets on a 4-octet session", AS4, announce(BASE + "c0 07 06 fde8 0a000001"),
                soft("7" + DISCARD)));
        rows.add(arguments("AGGREGATOR of 8 octets on a 2-octet session", AS2, announce(BASE + "c0 07 08 0000fde8 0a000001"),
                soft("7" + DISCARD)));
        // §7.8 to §7.10, §7.14, RFC 8092 §6.
        rows.add(arguments("COMMUNITIES of length 0", AS4, announce(BASE + "c0 08 00"), soft("8" + TAW)));
        rows.add(arguments("COMMUNITIES of length 5", AS4, announce(BASE + "c0 08 05 ffffff0100"), soft("8" + TAW)));
        rows.add(arguments("ORIGINATOR_ID of length 3", AS4, announce(BASE + "80 09 03 0a0000"), soft("9" + TAW)));
        rows.add(arguments("CLUSTER_LIST of length 6", AS4, announce(BASE + "80 0a 06 0a0000fe0000"), soft("10" + TAW)));
        rows.add(arguments("CLUSTER_LIST of length 0", AS4, announce(BASE + "80 0a 00"), soft("10" + TAW)));
        rows.add(arguments("EXTENDED_COMMUNITIES of length 12", AS4, announce(BASE + "c0 10 0c 000000000000000000000000"),
                soft("16" + TAW)));
        rows.add(arguments("LARGE_COMMUNITY of length 8", AS4, announce(BASE + "c0 20 08 0000000000000000"),
                soft("32" + TAW)));
        // RFC 6793 §6.
        rows.add(arguments("AS4_PATH of length 5", AS2, announce(BASE + "c0 11 05 0201000000"), soft("17" + DISCARD)));
        rows.add(arguments("AS4_PATH with an unknown segment type", AS2, announce(BASE + "c0 11 06 0901 00010000"),
                soft("17" + DISCARD)));
        rows.add(arguments("AS4_AGGREGATOR of length 6", AS2, announce(BASE + "c0 12 06 fde8 0a000001"), soft("18" + DISCARD)));
        rows.add(arguments("AS4_PATH from a 4-octet speaker", AS4, announce(BASE + "c0 11 06 0201 00010000"),
                soft(u -> assertEquals(null, u.attributes().as4Path()), "17" + DISCARD)));
        rows.add(arguments("AS4_AGGREGATOR from a 4-octet speaker", AS4, announce(BASE + "c0 12 08 00010000 0a000001"),
                soft("18" + DISCARD)));
        rows.add(arguments("AS4_PATH before AS_PATH is kept", AS2,
                announce(ORIGIN + "c0 11 06 0201 00010000" + "40 02 04 0201 5ba0" + NEXT_HOP),
                soft(u -> assertEquals(65536, u.attributes().as4Path().segments().get(0).asn(0)))));
        rows.add(arguments("AS4_PATH without AS_PATH", AS2, body("", ORIGIN + "c0 11 06 0201 00010000", ""),
                soft(u -> assertEquals(null, u.attributes().as4Path()), "17" + DISCARD)));
        rows.add(arguments("AS4_PATH confederation segments removed", AS2,
                announce(BASE + "c0 11 0c 0301 00010001 0201 00010000"),
                soft(u -> assertEquals(1, u.attributes().as4Path().segments().size()), "17" + DISCARD)));
        // §3 d: missing well-known mandatory attributes.
        rows.add(arguments("ORIGIN missing", AS4, announce(AS_PATH + NEXT_HOP), soft("1" + TAW)));
        rows.add(arguments("AS_PATH missing", AS4, announce(ORIGIN + NEXT_HOP), soft("2" + TAW)));
        rows.add(arguments("NEXT_HOP missing with IPv4 NLRI", AS4, announce(ORIGIN + AS_PATH), soft("3" + TAW)));
        rows.add(arguments("all three missing", AS4, announce(""), soft("1" + TAW, "2" + TAW, "3" + TAW)));
        rows.add(arguments("MP_REACH_NLRI needs ORIGIN and AS_PATH, not NEXT_HOP", AS4, body("", MP_REACH_V6, ""),
                soft("1" + TAW, "2" + TAW)));
        rows.add(arguments("IPv6 announcement without NEXT_HOP is complete", AS4, body("", MP_REACH_V6 + ORIGIN + AS_PATH, ""),
                soft()));
        rows.add(arguments("a pure withdrawal needs no attributes", AS4, body(NLRI, "", ""),
                soft(u -> assertEquals(1, u.withdrawn().size()))));
        // RFC 4271 §6.3: an unrecognized well-known attribute; unknown optional ones survive.
        rows.add(arguments("unrecognized well-known attribute", AS4, announce(BASE + "40 c8 02 abcd"),
                reset(NotificationCode.UPDATE_UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE, "40c802abcd")));
        rows.add(arguments("unrecognized optional transitive attribute kept", AS4, announce(BASE + "e0 c8 02 abcd"),
                soft(u -> assertEquals("e0c802abcd", Hex.of(encodeAttribute(u, 200))))));
        // §7.11, §7.12, RFC 4760 §7: MP attributes.
        rows.add(arguments("MP_REACH_NLRI IPv6 next hop of 5 octets", AS4,
                body("", ORIGIN + AS_PATH + "80 0e 13 0002 01 05 20010db800 00 40 20010db800000000", ""), soft("14" + DISABLE_V6)));
        rows.add(arguments("MP_REACH_NLRI IPv4 next hop of 16 octets", AS4,
                body("", ORIGIN + AS_PATH + "80 0e 19 0001 01 10" + V6_NH + "00 18 0a0100", ""),
                soft("14:AFI_SAFI_DISABLE:ipv4-unicast")));
        rows.add(arguments("MP_REACH_NLRI next hop overruns the attribute", AS4,
                body("", ORIGIN + AS_PATH + "80 0e 06 0002 01 10 2001", ""), soft("14" + DISABLE_V6)));
        rows.add(arguments("MP_REACH_NLRI of length 4", AS4, body("", ORIGIN + AS_PATH + "80 0e 04 0002 01 00", ""),
                soft("14" + DISABLE_V6)));
        rows.add(arguments("MP_REACH_NLRI of length 2: no family", AS4, body("", ORIGIN + AS_PATH + "80 0e 02 0002", ""),
                reset(NotificationCode.UPDATE_OPTIONAL_ATTRIBUTE_ERROR, "800e020002")));
        rows.add(arguments("MP_REACH_NLRI prefix of length 129", AS4,
                body("", ORIGIN + AS_PATH + "80 0e 16 0002 01 10" + V6_NH + "00 81", ""), soft("14" + DISABLE_V6)));
        rows.add(arguments("MP_UNREACH_NLRI prefix overruns", AS4, body("", "80 0f 06 0002 01 40 2001", ""),
                soft("15" + DISABLE_V6)));
        rows.add(arguments("MP_REACH_NLRI of an undecoded family is kept raw", AS4,
                body("", ORIGIN + AS_PATH + "80 0e 0a 0019 46 04 0a000001 00 ff", ""),
                soft(u -> assertEquals(new AddressFamily(25, 70), u.attributes().mpReach().family()))));
        // §5.3: the IPv4 NLRI fields.
        rows.add(arguments("NLRI prefix of length 33", AS4, body("", BASE, "21 0a010000 00"),
                reset(NotificationCode.UPDATE_INVALID_NETWORK_FIELD, "")));
        rows.add(arguments("NLRI prefix overruns the field", AS4, body("", BASE, "18 0a01"),
                reset(NotificationCode.UPDATE_INVALID_NETWORK_FIELD, "")));
        rows.add(arguments("withdrawn prefix overruns the field", AS4, body("18 0a01", "", ""),
                reset(NotificationCode.UPDATE_INVALID_NETWORK_FIELD, "")));
        // RFC 4724 §2: End-of-RIB.
        rows.add(arguments("End-of-RIB IPv4", AS4, "0000 0000",
                soft(u -> assertEquals(AddressFamily.IPV4_UNICAST, u.endOfRibFamily()))));
        rows.add(arguments("End-of-RIB IPv6", AS4, body("", "80 0f 03 0002 01", ""),
                soft(u -> assertEquals(AddressFamily.IPV6_UNICAST, u.endOfRibFamily()))));
        // §3 h: several errors, the strongest approach wins.
        rows.add(arguments("several errors", AS4,
                body("", ORIGIN + "40 02 02 02 00" + NEXT_HOP + "40 06 01 00" + "40 0e 1e" + MP_REACH_V6.substring(8), NLRI),
                soft(u -> assertEquals(Rfc7606Action.AFI_SAFI_DISABLE, u.strongestAction()),
                        "2" + TAW, "6" + DISCARD, "14" + DISABLE_V6)));
        return rows.stream();
    }

    static byte[] encodeAttribute(Update update, int typeCode) {
        io.netty.buffer.ByteBuf out = io.netty.buffer.Unpooled.buffer();
        update.attributes().get(typeCode).encode(out, AS4);
        return Hex.drain(out);
    }

    static String describe(AttributeProblem p) {
        return p.typeCode() + ":" + p.action() + (p.family() != null ? ":" + p.family() : "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void rule(String name, WireSettings settings, String body, Object expected) {
        if (expected instanceof Reset reset) {
            WireException e = assertThrows(WireException.class, () -> UpdateCodec.decode(Hex.buf(body), settings));
            assertEquals(reset.code(), e.code(), e.getMessage());
            assertEquals(reset.data(), Hex.of(e.data()));
        } else if (expected instanceof Soft soft) {
            Update update = UpdateCodec.decode(Hex.buf(body), settings);
            assertEquals(soft.problems(), update.problems().stream().map(Rfc7606Test::describe).toList(),
                    update.problems().toString());
            soft.check().accept(update);
            assertEquals(soft.problems().stream().anyMatch(p -> p.endsWith(TAW)), update.treatAsWithdraw());
        } else {
            fail("unknown expectation " + expected);
        }
    }
}
