package io.routereflector.wire.fuzz;

import io.routereflector.wire.AdvisoryInputsTest;
import io.routereflector.wire.Hex;
import io.routereflector.wire.WireSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * One-off tool, not a test: writes the golden captures and the advisory rows as binary inputs of
 * {@link MessageDecoderFuzzTest} (first byte: the index of the settings, then one whole message).
 * Run by hand after adding captures or rows, from bgp-wire with the test class path:
 * {@code java -cp ... io.routereflector.wire.fuzz.FuzzCorpusSeeder src/test/resources/golden
 * src/test/resources/io/routereflector/wire/fuzz/MessageDecoderFuzzTestInputs/decode}.
 */
public final class FuzzCorpusSeeder {

    private FuzzCorpusSeeder() {
    }

    public static void main(String[] args) throws IOException {
        Path golden = Path.of(args[0]);
        Path corpus = Path.of(args[1]);
        Files.createDirectories(corpus);
        int written = 0;
        try (Stream<Path> files = Files.list(golden)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".hex")).sorted().toList()) {
                written += seedCapture(file, corpus);
            }
        }
        for (AdvisoryInputsTest.Row row : AdvisoryInputsTest.rows()) {
            write(corpus.resolve("advisory-" + slug(row.advisory())), selector(row.settings()), row.message());
            written++;
        }
        System.out.println(written + " inputs written to " + corpus);
    }

    /** Every message of one capture; the settings follow its header (add-path, four-octet-as). */
    private static int seedCapture(Path file, Path corpus) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        boolean addPath = lines.contains("# add-path: true");
        boolean as4 = lines.contains("# four-octet-as: true");
        int selector = addPath ? 2 : as4 ? 1 : 0;
        String name = file.getFileName().toString().replace(".hex", "");
        int n = 0;
        for (String line : lines) {
            if (!line.startsWith("#") && !line.isBlank()) {
                write(corpus.resolve(String.format(Locale.ROOT, "golden-%s-%02d", name, ++n)), selector, Hex.bytes(line));
            }
        }
        return n;
    }

    /** The index into MessageDecoderFuzzTest's settings that reads messages as {@code settings} does. */
    private static int selector(WireSettings settings) {
        return !settings.addPath().isEmpty() ? 2 : settings.fourOctetAs() ? 1 : 0;
    }

    private static void write(Path path, int selector, byte[] message) throws IOException {
        byte[] input = new byte[1 + message.length];
        input[0] = (byte) selector;
        System.arraycopy(message, 0, input, 1, message.length);
        Files.write(path, input);
    }

    private static String slug(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
