package io.routereflector.wire.capability;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * FQDN (draft-walton-bgp-hostname-capability, code 73): hostname length (1), hostname, domain name
 * length (1), domain name. The text is UTF-8 (ASCII in practice). Both together must fit in the
 * one-octet capability length: 2 + hostname + domain name &le; 255 octets. A received value that is
 * not valid UTF-8 is kept as an {@link UnknownCapability} instead, so it still re-encodes byte-exact.
 */
public record Fqdn(String hostname, String domainName) implements Capability {

    public static final int CODE = 73;

    public Fqdn {
        if (hostname == null || domainName == null) {
            throw new IllegalArgumentException("hostname and domain name are required (may be empty)");
        }
        int total = 2 + utf8Length(hostname) + utf8Length(domainName);
        if (total > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("FQDN capability of " + total + " octets exceeds " + MAX_VALUE_LENGTH);
        }
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int valueLength() {
        return 2 + utf8Length(hostname) + utf8Length(domainName);
    }

    @Override
    public void writeValue(ByteBuf out) {
        byte[] host = hostname.getBytes(StandardCharsets.UTF_8);
        byte[] domain = domainName.getBytes(StandardCharsets.UTF_8);
        out.writeByte(host.length);
        out.writeBytes(host);
        out.writeByte(domain.length);
        out.writeBytes(domain);
    }
}
