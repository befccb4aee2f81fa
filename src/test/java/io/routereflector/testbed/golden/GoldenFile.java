package io.routereflector.testbed.golden;

import io.routereflector.wire.WireSettings;
import io.routereflector.wire.nlri.AddressFamily;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A golden capture file: {@code #} comment lines with the implementation, its version, the date
 * and the negotiated settings ({@code # key: value}), then one whole message (header included)
 * per line in lower-case hex, in the order the peer sent them.
 */
public record GoldenFile(String implementation, String version, boolean ipv6, String date, boolean fourOctetAs,
                         boolean addPath, boolean endOfRib, String peerConfig, List<byte[]> messages) {

    public GoldenFile {
        messages = messages.stream().map(byte[]::clone).toList();
        if (version.contains("\n")) {
            version = version.replace('\n', ' ');
        }
    }

    @Override
    public List<byte[]> messages() {
        return messages.stream().map(byte[]::clone).toList();
    }

    public AddressFamily family() {
        return ipv6 ? AddressFamily.IPV6_UNICAST : AddressFamily.IPV4_UNICAST;
    }

    /** How the peer's messages are read: AS4 as negotiated, path ids iff it sends them to us. */
    public WireSettings settings() {
        return new WireSettings(false, fourOctetAs, addPath ? Set.of(family()) : Set.of());
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("# Golden capture: every message a real BGP speaker sent to the capture speaker\n");
        out.append("# (io.routereflector.testbed.golden.CaptureSpeaker); one whole message per line, in hex.\n");
        out.append("# implementation: ").append(implementation).append('\n');
        out.append("# version: ").append(version).append('\n');
        out.append("# family: ").append(family()).append('\n');
        out.append("# captured: ").append(date).append('\n');
        out.append("# four-octet-as: ").append(fourOctetAs).append('\n');
        out.append("# add-path: ").append(addPath).append('\n');
        out.append("# extended-messages: false\n");
        out.append("# end-of-rib: ").append(endOfRib).append('\n');
        out.append("# peer config:\n");
        for (String line : peerConfig.split("\n")) {
            out.append("#   ").append(line).append('\n');
        }
        for (byte[] message : messages) {
            out.append(HexFormat.of().formatHex(message)).append('\n');
        }
        return out.toString();
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, render());
    }

    /** The messages of a stored file (comment lines skipped). */
    public static List<byte[]> readMessages(Path file) throws IOException {
        List<byte[]> messages = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.trim();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                messages.add(HexFormat.of().parseHex(trimmed));
            }
        }
        return messages;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GoldenFile g && render().equals(g.render());
    }

    @Override
    public int hashCode() {
        return render().hashCode();
    }

    @Override
    public String toString() {
        return "GoldenFile[" + implementation + " " + family() + ", " + messages.size() + " messages]";
    }
}
