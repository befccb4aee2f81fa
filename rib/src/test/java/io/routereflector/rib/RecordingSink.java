package io.routereflector.rib;

import io.netty.buffer.ByteBuf;
import io.routereflector.rib.out.UpdateSink;
import io.routereflector.wire.MessageCodec;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.message.BgpMessage;
import io.routereflector.wire.message.Update;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.IpPrefix;
import io.routereflector.wire.nlri.Nlri;
import io.routereflector.wire.nlri.NlriList;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A member's session as the peer sees it: every written message is decoded with our own codec (so
 * the bytes are checked, not just counted) and applied to a table the way a BGP speaker would.
 */
final class RecordingSink implements UpdateSink {

    final WireSettings settings;
    final List<Update> updates = new ArrayList<>();
    /** (prefix, path id) → the UPDATE that announced it, as a receiving speaker would hold them. */
    final Map<Nlri, Update> table = new LinkedHashMap<>();
    final List<AddressFamily> endOfRib = new ArrayList<>();
    /** ROUTE-REFRESH markers received (BoRR/EoRR) and their position in the stream of all messages. */
    final List<String> refreshMarkers = new ArrayList<>();
    final List<Integer> refreshMarkerPositions = new ArrayList<>();
    private int position;
    boolean writable = true;
    /** Writes after which the sink reports itself full (a socket buffer filling up mid-transfer). */
    int writesBeforeFull = Integer.MAX_VALUE;
    int flushes;
    long bytes;

    RecordingSink(WireSettings settings) {
        this.settings = settings;
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    /** A write may carry several whole messages laid end to end (a batch's shared slices), as TCP would. */
    @Override
    public void write(ByteBuf bytesWritten) {
        if (--writesBeforeFull <= 0) {
            writable = false;
        }
        try {
            bytes += bytesWritten.readableBytes();
            while (bytesWritten.isReadable()) {
                int length = bytesWritten.getUnsignedShort(bytesWritten.readerIndex() + 16);
                receive(bytesWritten.readSlice(length));
            }
        } finally {
            bytesWritten.release();
        }
    }

    private void receive(ByteBuf message) {
        {
            BgpMessage decoded = MessageCodec.decode(message, settings);
            position++;
            if (decoded instanceof io.routereflector.wire.message.RouteRefresh refresh) {
                refreshMarkers.add(refresh.subtype() == 1 ? "BoRR" : refresh.subtype() == 2 ? "EoRR" : "request");
                refreshMarkerPositions.add(position);
                return;
            }
            Update update = (Update) decoded;
            if (!update.problems().isEmpty()) {
                throw new AssertionError("we sent an UPDATE with problems: " + update.problems());
            }
            if (update.isEndOfRib()) {
                endOfRib.add(update.endOfRibFamily());
                return;
            }
            updates.add(update);
            for (AddressFamily f : List.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST)) {
                NlriList gone = update.unreachable(f);
                for (int i = 0; i < gone.size(); i++) {
                    table.remove(gone.get(i));
                }
                NlriList reach = update.reachable(f);
                for (int i = 0; i < reach.size(); i++) {
                    table.put(reach.get(i), update);
                }
            }
        }
    }

    @Override
    public void flush() {
        flushes++;
    }

    Update route(String prefix) {
        return route(IpPrefix.parse(prefix), 0);
    }

    Update route(IpPrefix prefix, int pathId) {
        return table.get(new Nlri(prefix, pathId));
    }

    List<Nlri> paths(String prefix) {
        IpPrefix p = IpPrefix.parse(prefix);
        return table.keySet().stream().filter(n -> n.prefix().equals(p)).toList();
    }
}
