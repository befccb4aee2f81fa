package io.routereflector.reflector;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.attribute.AsPath;
import io.routereflector.wire.attribute.LocalPref;
import io.routereflector.wire.attribute.NextHop;
import io.routereflector.wire.attribute.Origin;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.capability.Capability;
import io.routereflector.wire.capability.FourOctetAs;
import io.routereflector.wire.capability.Multiprotocol;
import io.routereflector.wire.message.BgpMessage;
import io.routereflector.wire.message.Keepalive;
import io.routereflector.wire.message.Open;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Ipv4Prefix;
import io.routereflector.wire.nlri.NlriList;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

/**
 * A hand-driven iBGP speaker on a blocking loopback socket: sends an OPEN on connect and reads
 * only when told to, so a test sees every message the reflector sends, in order.
 */
final class RawSpeaker implements AutoCloseable {

    final Socket socket = new Socket();
    final OutputStream out;
    final DataInputStream in;
    final int id;

    RawSpeaker(String address, int port, long as) throws IOException {
        this(address, port, as, List.of(new Multiprotocol(AddressFamily.IPV4_UNICAST), new FourOctetAs(as)));
    }

    /** With the capabilities of its OPEN given (graceful restart, more families). */
    RawSpeaker(String address, int port, long as, List<Capability> capabilities) throws IOException {
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        id = Ipv4Prefix.parseAddress(address);
        write(Open.of(as, 240, id, capabilities));
    }

    /** Completes the OPEN exchange: the reflector's OPEN, our KEEPALIVE, its KEEPALIVE. */
    Open establish() throws IOException {
        Open theirs = (Open) readOne();
        write(Keepalive.INSTANCE);
        BgpMessage ack = readOne();
        if (!(ack instanceof Keepalive)) {
            throw new IOException("expected the reflector's KEEPALIVE, got " + ack);
        }
        return theirs;
    }

    void announce(List<Ipv4Prefix> prefixes) throws IOException {
        PathAttributes attributes = PathAttributes.of(Origin.IGP, AsPath.EMPTY, new NextHop(id), new LocalPref(100));
        write(Update.announce(attributes, NlriList.ofPrefixes(AddressFamily.IPV4_UNICAST, prefixes)));
    }

    void write(BgpMessage message) throws IOException {
        ByteBuf buf = MessageCodec.encode(message, WireSettings.AS4, ByteBufAllocator.DEFAULT);
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            out.write(bytes);
            out.flush();
        } finally {
            buf.release();
        }
    }

    /** The next message other than a KEEPALIVE or an UPDATE. */
    BgpMessage readControl() throws IOException {
        while (true) {
            BgpMessage m = readOne();
            if (!(m instanceof Keepalive) && !(m instanceof Update)) {
                return m;
            }
        }
    }

    BgpMessage readOne() throws IOException {
        byte[] header = new byte[19];
        in.readFully(header);
        int length = (header[16] & 0xFF) << 8 | header[17] & 0xFF;
        byte[] message = new byte[length];
        System.arraycopy(header, 0, message, 0, 19);
        in.readFully(message, 19, length - 19);
        return MessageCodec.decode(Unpooled.wrappedBuffer(message), WireSettings.AS4);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
