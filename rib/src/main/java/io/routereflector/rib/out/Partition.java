package io.routereflector.rib.out;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.routereflector.wire.WireSettings;
import io.routereflector.wire.attribute.PathAttributes;
import io.routereflector.wire.nlri.AddressFamily;
import io.routereflector.wire.nlri.Nlri;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Announcements and withdrawals bound for the same members, per family. */
final class Partition {
    private final Map<AddressFamily, LinkedHashMap<PathAttributes, List<Nlri>>> announce = new LinkedHashMap<>();
    private final Map<AddressFamily, List<Nlri>> withdraw = new LinkedHashMap<>();
    int announced;
    int withdrawn;

    void announce(AddressFamily f, PathAttributes attributes, Nlri nlri) {
        announced++;
        announce.computeIfAbsent(f, k -> new LinkedHashMap<>()).computeIfAbsent(attributes, k -> new ArrayList<>()).add(nlri);
    }

    void withdraw(AddressFamily f, Nlri nlri) {
        withdrawn++;
        withdraw.computeIfAbsent(f, k -> new ArrayList<>()).add(nlri);
    }

    List<ByteBuf> encode(WireSettings settings, ByteBufAllocator allocator) {
        List<ByteBuf> out = new ArrayList<>();
        try {
            for (AddressFamily f : families()) {
                UpdatePacker.pack(f, announce.getOrDefault(f, new LinkedHashMap<>()), withdraw.getOrDefault(f, List.of()),
                        settings, allocator, out);
            }
        } catch (RuntimeException e) {
            out.forEach(ByteBuf::release);
            throw e;
        }
        return out;
    }

    private List<AddressFamily> families() {
        List<AddressFamily> all = new ArrayList<>(withdraw.keySet());
        for (AddressFamily f : announce.keySet()) {
            if (!all.contains(f)) {
                all.add(f);
            }
        }
        return all;
    }

    /**
     * Encodes this partition and appends its messages to {@code all}; returns the octet range it took
     * and how many messages it encoded, as {start, end, messages}.
     */
    int[] appendTo(ByteBuf all, WireSettings settings, ByteBufAllocator allocator) {
        List<ByteBuf> encoded = encode(settings, allocator);
        int start = all.writerIndex();
        try {
            for (ByteBuf buf : encoded) {
                all.writeBytes(buf, buf.readerIndex(), buf.readableBytes());
            }
        } finally {
            encoded.forEach(ByteBuf::release);
        }
        return new int[] {start, all.writerIndex(), encoded.size()};
    }
}
