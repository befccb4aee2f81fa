package io.routereflector.daemon;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.error.WireException;
import io.routereflector.wire.message.BgpMessage;
import io.routereflector.wire.nlri.AddressFamily;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Decodes BGP messages given as hex (one message per line, as tshark's {@code -e tcp.payload} or our
 * golden files print them) and prints what the codec makes of them: the fields, or the NOTIFICATION
 * a session would send. Lines starting with {@code #} are comments.
 */
@Command(name = "decode",
        description = "Decode BGP messages given as hex, one per line (from files, arguments or stdin).",
        footer = {"", "Examples:",
                "  routereflector decode ffffffffffffffffffffffffffffffff001304",
                "  tshark -r bgp.pcap -Y bgp -T fields -e tcp.payload | routereflector decode --add-path ipv4 -"})
public final class DecodeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "HEX|FILE|-", description = "Hex messages, files of them, or - for stdin (the default).")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--two-octet-as", description = "Decode AS_PATH/AGGREGATOR with 2-octet AS numbers (no AS4 negotiated).")
    boolean twoOctetAs;

    @Option(names = "--extended", description = "RFC 8654 extended messages negotiated (up to 65535 octets).")
    boolean extended;

    @Option(names = "--add-path", split = ",", paramLabel = "FAMILY",
            description = "Families whose NLRI carry RFC 7911 path ids: ipv4, ipv6.")
    List<String> addPath = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        WireSettings settings = new WireSettings(extended, !twoOctetAs, families());
        List<String> lines = new ArrayList<>();
        if (inputs.isEmpty()) {
            inputs.add("-");
        }
        for (String input : inputs) {
            lines.addAll(read(input));
        }
        int failures = 0;
        int number = 0;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            number++;
            byte[] bytes;
            try {
                bytes = HexFormat.of().parseHex(line.replace(":", "").replace(" ", ""));
            } catch (IllegalArgumentException e) {
                err.printf("message %d: not hex: %s%n", number, e.getMessage());
                failures++;
                continue;
            }
            ByteBuf buf = Unpooled.wrappedBuffer(bytes);
            try {
                BgpMessage message = MessageCodec.decode(buf, settings);
                out.printf("message %d: %s%n", number, message);
            } catch (WireException e) {
                out.printf("message %d: error, a session would send NOTIFICATION %s (%s)%n",
                        number, e.toNotification(), e.getMessage());
                failures++;
            }
        }
        out.flush();
        return failures == 0 ? 0 : 1;
    }

    private Set<AddressFamily> families() {
        Set<AddressFamily> families = new LinkedHashSet<>();
        for (String name : addPath) {
            switch (name.strip().toLowerCase()) {
                case "ipv4" -> families.add(AddressFamily.IPV4_UNICAST);
                case "ipv6" -> families.add(AddressFamily.IPV6_UNICAST);
                default -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "--add-path: unknown family '" + name + "', expected ipv4 or ipv6");
            }
        }
        return families;
    }

    private static List<String> read(String input) throws IOException {
        if (input.equals("-")) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            return reader.lines().toList();
        }
        Path path = Path.of(input);
        if (Files.isRegularFile(path)) {
            return Files.readAllLines(path, StandardCharsets.UTF_8);
        }
        return List.of(input);
    }
}
