package io.routereflector.daemon.birdctl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** A plain blocking client of a BIRD control socket: reads whole lines, a reply up to its final {@code \d{4} } line. */
public final class BirdSocketClient implements AutoCloseable {

    private static final Pattern FINAL = Pattern.compile("\\d{4} .*");

    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(8192).flip();

    private BirdSocketClient(SocketChannel channel) {
        this.channel = channel;
    }

    public static BirdSocketClient connect(Path path) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(path));
        return new BirdSocketClient(ch);
    }

    public String greeting() throws IOException {
        return line() + "\n";
    }

    public void send(String request) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** Sends {@code request}, returns its reply up to and including the final line. */
    public String query(String request) throws IOException {
        send(request);
        StringBuilder reply = new StringBuilder();
        while (true) {
            String line = line();
            reply.append(line).append('\n');
            if (FINAL.matcher(line).matches()) {
                return reply.toString();
            }
        }
    }

    public String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            if (!in.hasRemaining()) {
                in.clear();
                if (channel.read(in) < 0) {
                    throw new IOException("closed after '" + line.toString(StandardCharsets.UTF_8) + "'");
                }
                in.flip();
                continue;
            }
            byte b = in.get();
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
    }

    /**
     * {@code clients} connections at once, 16 at a time, alternating over {@code sockets}, each greeted and
     * sending {@code request}: their replies, each complete within 30 s.
     */
    public static List<String> concurrently(List<Path> sockets, int clients, String request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Path socket = sockets.get(i % sockets.size());
                answers.add(pool.submit(() -> {
                    try (BirdSocketClient c = connect(socket)) {
                        c.greeting();
                        return c.query(request);
                    }
                }));
            }
            List<String> replies = new ArrayList<>();
            for (Future<String> a : answers) {
                replies.add(a.get(30, TimeUnit.SECONDS));
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
