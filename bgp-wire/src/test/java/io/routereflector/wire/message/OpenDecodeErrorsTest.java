package io.routereflector.wire.message;

import io.netty.buffer.Unpooled;
import io.routereflector.wire.Hex;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.error.NotificationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.routereflector.wire.error.NotificationCode.HEADER_BAD_MESSAGE_LENGTH;
import static io.routereflector.wire.error.NotificationCode.OPEN_BAD_BGP_IDENTIFIER;
import static io.routereflector.wire.error.NotificationCode.OPEN_MESSAGE_ERROR;
import static io.routereflector.wire.error.NotificationCode.OPEN_UNACCEPTABLE_HOLD_TIME;
import static io.routereflector.wire.error.NotificationCode.OPEN_UNSUPPORTED_OPTIONAL_PARAMETER;
import static io.routereflector.wire.error.NotificationCode.OPEN_UNSUPPORTED_VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every OPEN error the decoder raises, with its exact code, subcode and data (RFC 4271 §6.2, RFC 9072). */
class OpenDecodeErrorsTest {

    static Stream<Arguments> errors() {
        return Stream.of(
            // Version: data is the 2-octet version we speak, whether the bid is lower or higher.
            Arguments.of("version 3", "03 fde8 005a 00000001 00", OPEN_UNSUPPORTED_VERSION, "0004"),
            Arguments.of("version 5", "05 fde8 005a 00000001 00", OPEN_UNSUPPORTED_VERSION, "0004"),
            Arguments.of("version 0 before a bad hold time", "00 fde8 0001 00000000 00", OPEN_UNSUPPORTED_VERSION, "0004"),
            Arguments.of("hold time 1", "04 fde8 0001 00000001 00", OPEN_UNACCEPTABLE_HOLD_TIME, ""),
            Arguments.of("hold time 2", "04 fde8 0002 00000001 00", OPEN_UNACCEPTABLE_HOLD_TIME, ""),
            Arguments.of("identifier 0.0.0.0", "04 fde8 005a 00000000 00", OPEN_BAD_BGP_IDENTIFIER, ""),
            // Optional parameter framing: subcode 0, no data.
            Arguments.of("length overruns the OPEN", "04 fde8 005a 00000001 05 0203 0200", OPEN_MESSAGE_ERROR, ""),
            Arguments.of("octets after the parameters", "04 fde8 005a 00000001 02 0200 0200", OPEN_MESSAGE_ERROR, ""),
            Arguments.of("octets after a zero length", "04 fde8 005a 00000001 00 0200", OPEN_MESSAGE_ERROR, ""),
            Arguments.of("nonzero length, nothing follows", "04 fde8 005a 00000001 04", OPEN_MESSAGE_ERROR, ""),
            Arguments.of("parameter overruns", "04 fde8 005a 00000001 04 0205 0200 02", OPEN_MESSAGE_ERROR, ""),
            Arguments.of("parameter header cut", "04 fde8 005a 00000001 03 0200 02", OPEN_MESSAGE_ERROR, ""),
            Arguments.of("capability overruns its parameter", "04 fde8 005a 00000001 06 0202 4104 0000", OPEN_MESSAGE_ERROR, ""),
            Arguments.of("capability of a wrong length", "04 fde8 005a 00000001 06 0204 4102 fde8", OPEN_MESSAGE_ERROR, ""),
            // Unknown parameter types, including the RFC 9072 marker anywhere but first.
            Arguments.of("parameter type 1", "04 fde8 005a 00000001 03 0101 ab", OPEN_UNSUPPORTED_OPTIONAL_PARAMETER, ""),
            Arguments.of("parameter type 255 second", "04 fde8 005a 00000001 04 0200 ff00", OPEN_UNSUPPORTED_OPTIONAL_PARAMETER, ""),
            Arguments.of("unknown after a good one", "04 fde8 005a 00000001 06 0202 0200 0300", OPEN_UNSUPPORTED_OPTIONAL_PARAMETER, ""),
            // RFC 9072 extended encoding.
            Arguments.of("extended length cut short", "04 fde8 005a 00000001 ff ff 00", OPEN_MESSAGE_ERROR, ""),
            Arguments.of("extended length overruns", "04 fde8 005a 00000001 ff ff 0004 02 0000", OPEN_MESSAGE_ERROR, ""),
            Arguments.of("extended length leaves octets", "04 fde8 005a 00000001 ff ff 0003 02 0000 00", OPEN_MESSAGE_ERROR, ""),
            Arguments.of("extended parameter header cut", "04 fde8 005a 00000001 ff ff 0005 02 0000 02 00", OPEN_MESSAGE_ERROR, ""),
            Arguments.of("extended parameter overruns", "04 fde8 005a 00000001 ff ff 0005 02 0003 0200", OPEN_MESSAGE_ERROR, ""),
            Arguments.of("extended unknown parameter", "04 fde8 005a 00000001 ff ff 0004 01 0001 00", OPEN_UNSUPPORTED_OPTIONAL_PARAMETER, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void throughMessageCodec(String name, String body, NotificationCode code, String data) {
        byte[] message = Hex.message(MessageType.OPEN, Hex.bytes(body));
        Hex.assertNotification(code, Hex.bytes(data),
                () -> MessageCodec.decode(Unpooled.wrappedBuffer(message), WireSettings.INITIAL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void directlyOnTheBody(String name, String body, NotificationCode code, String data) {
        Hex.assertNotification(code, Hex.bytes(data), () -> OpenCodec.decode(Hex.buf(body)));
    }

    @Test
    void bodyShorterThanTheFixedFieldsIsABadLength() {
        // The header check refuses it first (OPEN minimum 29); a direct caller gets the same answer.
        Hex.assertNotification(HEADER_BAD_MESSAGE_LENGTH, Hex.bytes("001c"), () -> OpenCodec.decode(Hex.buf("04 fde8 005a 00000001")));
        Hex.assertNotification(HEADER_BAD_MESSAGE_LENGTH, Hex.bytes("001c"), () -> MessageCodec.decode(
                Unpooled.wrappedBuffer(Hex.message(MessageType.OPEN, Hex.bytes("04 fde8 005a 00000001"))), WireSettings.INITIAL));
    }

    @Test
    void notificationFromTheException() {
        Notification n = Hex.assertNotification(OPEN_UNSUPPORTED_VERSION, Hex.bytes("0004"),
                () -> OpenCodec.decode(Hex.buf("03 fde8 005a 00000001 00"))).toNotification();
        assertEquals(new Notification(2, 1, new byte[] {0, 4}), n);
    }
}
