package io.routereflector.testbed.golden;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A minimal BGP speaker that records what a real peer sends. It is independent of the codec on
 * purpose (the captures are the codec's golden bytes): its OPEN is written by hand, and it reads
 * no further than the 19-octet header, except for a scan of the peer's capabilities (to know what
 * was negotiated) and the End-of-RIB check that tells it when to stop.
 *
 * <p>Its OPEN offers what a Calico node offers a reflector (CALICO.md): MP for one family, route
 * refresh, enhanced route refresh, AS4 64512, graceful restart 120 s, ADD-PATH send+receive.
 */
public final class CaptureSpeaker implements AutoCloseable {

    public static final int MY_AS = 64512;
    public static final int HOLD_TIME = 240;
    private static final int HEADER = 19;
    private static final int TYPE_OPEN = 1;
    private static final int TYPE_UPDATE = 2;
    private static final byte[] KEEPALIVE = header(HEADER, 4);

    private final ServerSocket server;
    private final boolean ipv6;

    private CaptureSpeaker(ServerSocket server, boolean ipv6) {
        this.server = server;
        this.ipv6 = ipv6;
    }

    /** Listens on {@code address}:179 (198.51.100.1 or 2001:db8::1 of the testbed). */
    public static CaptureSpeaker listen(String address, boolean ipv6) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true); // a previous capture's socket may linger in TIME_WAIT
            server.bind(new InetSocketAddress(InetAddress.getByName(address), 179), 4);
            return new CaptureSpeaker(server, ipv6);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ":179", e);
        }
    }

    /** What one peer sent, with the settings that govern how its UPDATEs are to be read. */
    public record Capture(List<byte[]> messages, boolean fourOctetAs, boolean addPath, boolean endOfRib) {
        public Capture {
            messages = messages.stream().map(byte[]::clone).toList();
        }

        @Override
        public List<byte[]> messages() {
            return messages.stream().map(byte[]::clone).toList();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Capture c && fourOctetAs == c.fourOctetAs && addPath == c.addPath
                    && endOfRib == c.endOfRib && hex().equals(c.hex());
        }

        @Override
        public int hashCode() {
            return hex().hashCode();
        }

        @Override
        public String toString() {
            return "Capture[as4=" + fourOctetAs + ", addPath=" + addPath + ", endOfRib=" + endOfRib + ", "
                    + messages.size() + " messages]";
        }

        public List<String> hex() {
            return messages.stream().map(HexFormat.of()::formatHex).toList();
        }
    }

    /**
     * Accepts one connection, sends the OPEN and KEEPALIVEs, and records every message until the
     * peer's End-of-RIB for the family, or until {@code limit} has passed since the connection.
     */
    public Capture capture(Duration acceptWithin, Duration limit) {
        try {
            server.setSoTimeout((int) acceptWithin.toMillis());
            try (Socket socket = server.accept()) {
                return record(socket, limit);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no peer connected to " + server.getLocalSocketAddress() + " within "
                    + acceptWithin.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Capture record(Socket socket, Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        OutputStream out = socket.getOutputStream();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        out.write(open(ipv6));
        out.flush();
        List<byte[]> messages = new ArrayList<>();
        boolean as4 = false;
        boolean addPath = false;
        long nextKeepalive = 0;
        while (System.nanoTime() - deadline < 0) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            socket.setSoTimeout((int) Math.min(left, 2_000));
            byte[] message;
            try {
                message = readMessage(in);
            } catch (SocketTimeoutException e) {
                message = null;
            } catch (EOFException e) {
                break; // the peer closed: keep what it sent
            }
            if (message != null) {
                messages.add(message);
                int type = message[18] & 0xFF;
                if (type == TYPE_OPEN) {
                    int[] caps = scanCapabilities(message);
                    as4 = caps[0] != 0;
                    addPath = caps[1] != 0;
                    nextKeepalive = 0;
                } else if (type == TYPE_UPDATE && isEndOfRib(message)) {
                    return new Capture(messages, as4, addPath, true);
                }
            }
            if (!messages.isEmpty() && System.nanoTime() - nextKeepalive > 0) {
                out.write(KEEPALIVE); // answers the OPEN, then keeps the session alive
                out.flush();
                nextKeepalive = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            }
        }
        return new Capture(messages, as4, addPath, false);
    }

    /** One whole message; only the header's length field is interpreted. */
    private static byte[] readMessage(DataInputStream in) throws IOException {
        byte[] header = new byte[HEADER];
        in.readFully(header);
        int length = ((header[16] & 0xFF) << 8) | (header[17] & 0xFF);
        if (length < HEADER) {
            throw new IOException("bad length " + length + " in header " + HexFormat.of().formatHex(header));
        }
        byte[] message = new byte[length];
        System.arraycopy(header, 0, message, 0, HEADER);
        in.readFully(message, HEADER, length - HEADER);
        return message;
    }

    /**
     * Looks for AS4 (code 65) and for ADD-PATH (69) with the send bit for our family: the peer then
     * sends path identifiers to us, since we offered to receive them (RFC 7911 §4).
     * Returns {as4, addPath} as 0/1.
     */
    private int[] scanCapabilities(byte[] open) {
        int[] found = new int[2];
        int paramsLength = open[28] & 0xFF;
        int p = 29;
        int end = Math.min(open.length, 29 + paramsLength);
        while (p + 2 <= end) {
            int type = open[p] & 0xFF;
            int len = open[p + 1] & 0xFF;
            if (type == 2) {
                int c = p + 2;
                int capsEnd = Math.min(end, p + 2 + len);
                while (c + 2 <= capsEnd) {
                    int code = open[c] & 0xFF;
                    int capLen = open[c + 1] & 0xFF;
                    if (code == 65) {
                        found[0] = 1;
                    } else if (code == 69) {
                        for (int t = c + 2; t + 4 <= c + 2 + capLen && t + 4 <= capsEnd; t += 4) {
                            int afi = ((open[t] & 0xFF) << 8) | (open[t + 1] & 0xFF);
                            int safi = open[t + 2] & 0xFF;
                            if (afi == afi() && safi == 1 && (open[t + 3] & 0x02) != 0) {
                                found[1] = 1;
                            }
                        }
                    }
                    c += 2 + capLen;
                }
            }
            p += 2 + len;
        }
        return found;
    }

    /**
     * RFC 4724 §2: for IPv4 unicast an UPDATE with nothing in it; for other families an UPDATE
     * whose only attribute is an MP_UNREACH_NLRI holding just the AFI/SAFI.
     */
    private boolean isEndOfRib(byte[] update) {
        int withdrawn = ((update[19] & 0xFF) << 8) | (update[20] & 0xFF);
        if (withdrawn != 0 || update.length < 23) {
            return false;
        }
        int attrs = ((update[21] & 0xFF) << 8) | (update[22] & 0xFF);
        if (!ipv6) {
            return attrs == 0 && update.length == 23;
        }
        if (attrs == 0 || 23 + attrs != update.length) {
            return false;
        }
        int flags = update[23] & 0xFF;
        int type = update[24] & 0xFF;
        boolean extended = (flags & 0x10) != 0;
        int valueAt = extended ? 27 : 26;
        int len = extended ? ((update[25] & 0xFF) << 8) | (update[26] & 0xFF) : update[25] & 0xFF;
        return type == 15 && len == 3 && valueAt + 3 == update.length
                && (((update[valueAt] & 0xFF) << 8) | (update[valueAt + 1] & 0xFF)) == afi()
                && update[valueAt + 2] == 1;
    }

    private int afi() {
        return ipv6 ? 2 : 1;
    }

    /** Our OPEN (RFC 4271 §4.2) with the capabilities in one optional parameter (RFC 5492). */
    static byte[] open(boolean ipv6) {
        int afi = ipv6 ? 2 : 1;
        ByteArrayOutputStream caps = new ByteArrayOutputStream();
        caps.writeBytes(new byte[] {1, 4, 0, (byte) afi, 0, 1});              // MP (RFC 4760)
        caps.writeBytes(new byte[] {2, 0});                                   // route refresh (RFC 2918)
        caps.writeBytes(new byte[] {70, 0});                                  // enhanced refresh (RFC 7313)
        caps.writeBytes(new byte[] {65, 4, 0, 0, (byte) (MY_AS >>> 8), (byte) MY_AS}); // AS4 (RFC 6793)
        // Graceful restart (RFC 4724): restart time 120 s, the family without preserved state.
        caps.writeBytes(new byte[] {64, 6, 0, 120, 0, (byte) afi, 1, 0});
        caps.writeBytes(new byte[] {69, 4, 0, (byte) afi, 1, 3});              // ADD-PATH both ways (RFC 7911)
        byte[] capabilities = caps.toByteArray();
        int length = HEADER + 10 + 2 + capabilities.length;
        byte[] open = header(length, TYPE_OPEN);
        int p = HEADER;
        open[p++] = 4;                                     // version
        open[p++] = (byte) (MY_AS >>> 8);
        open[p++] = (byte) MY_AS;
        open[p++] = (byte) (HOLD_TIME >>> 8);
        open[p++] = (byte) HOLD_TIME;
        open[p++] = (byte) 198;                            // BGP identifier 198.51.100.1
        open[p++] = 51;
        open[p++] = 100;
        open[p++] = 1;
        open[p++] = (byte) (2 + capabilities.length);      // optional parameters length
        open[p++] = 2;                                     // parameter type: capabilities
        open[p++] = (byte) capabilities.length;
        System.arraycopy(capabilities, 0, open, p, capabilities.length);
        return open;
    }

    private static byte[] header(int length, int type) {
        byte[] message = new byte[length];
        for (int i = 0; i < 16; i++) {
            message[i] = (byte) 0xFF;
        }
        message[16] = (byte) (length >>> 8);
        message[17] = (byte) length;
        message[18] = (byte) type;
        return message;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
