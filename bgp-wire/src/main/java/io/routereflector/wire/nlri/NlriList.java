package io.routereflector.wire.nlri;

import io.netty.buffer.ByteBuf;
import io.routereflector.wire.error.NotificationCode;
import io.routereflector.wire.error.WireException;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable list of NLRI of one family, stored packed in primitive arrays: an UPDATE with 500
 * prefixes costs a handful of arrays, not 1000 objects. {@link #get(int)} materialises an
 * {@link Nlri} on demand; hot paths use the primitive accessors.
 *
 * <p>Wire form (RFC 4271 §4.3, RFC 7911 §3): [path id (4, only with ADD-PATH)] length (1 octet,
 * bits) prefix (ceil(length/8) octets).
 */
public final class NlriList extends AbstractList<Nlri> implements RandomAccess {

    private static final int[] NO_INTS = new int[0];
    private static final long[] NO_LONGS = new long[0];
    private static final byte[] NO_BYTES = new byte[0];

    private final AddressFamily family;
    private final boolean withPathIds;
    private final int size;
    /** IPv4: address per entry. Unused for IPv6. */
    private final int[] v4;
    /** IPv6: high, low per entry (2 longs each). Unused for IPv4. */
    private final long[] v6;
    private final byte[] lengths;
    /** Path ids, or an empty array when the list carries none. */
    private final int[] pathIds;
    private int hash;

    private NlriList(AddressFamily family, boolean withPathIds, int size, int[] v4, long[] v6, byte[] lengths, int[] pathIds) {
        this.family = family;
        this.withPathIds = withPathIds;
        this.size = size;
        this.v4 = v4;
        this.v6 = v6;
        this.lengths = lengths;
        this.pathIds = pathIds;
    }

    public static NlriList empty(AddressFamily family) {
        return new NlriList(requireSupported(family), false, 0, NO_INTS, NO_LONGS, NO_BYTES, NO_INTS);
    }

    /** Builds a list; every prefix must be of {@code family}. */
    public static NlriList of(AddressFamily family, boolean withPathIds, List<Nlri> entries) {
        requireSupported(family);
        int n = entries.size();
        boolean v6 = family.afi() == AddressFamily.AFI_IPV6;
        int[] a4 = v6 ? NO_INTS : new int[n];
        long[] a6 = v6 ? new long[2 * n] : NO_LONGS;
        byte[] lengths = new byte[n];
        int[] ids = withPathIds ? new int[n] : NO_INTS;
        for (int i = 0; i < n; i++) {
            Nlri nlri = entries.get(i);
            if (!nlri.prefix().family().equals(family)) {
                throw new IllegalArgumentException(nlri + " is not of family " + family);
            }
            if (!withPathIds && nlri.pathId() != 0) {
                throw new IllegalArgumentException(nlri + " has a path id but the list carries none");
            }
            if (nlri.prefix() instanceof Ipv4Prefix p) {
                a4[i] = p.address();
            } else {
                Ipv6Prefix p = (Ipv6Prefix) nlri.prefix();
                a6[2 * i] = p.high();
                a6[2 * i + 1] = p.low();
            }
            lengths[i] = (byte) nlri.prefix().length();
            if (withPathIds) {
                ids[i] = nlri.pathId();
            }
        }
        return new NlriList(family, withPathIds, n, a4, a6, lengths, ids);
    }

    public static NlriList ofPrefixes(AddressFamily family, List<? extends IpPrefix> prefixes) {
        return of(family, false, prefixes.stream().map(Nlri::of).toList());
    }

    private static AddressFamily requireSupported(AddressFamily family) {
        if (!family.isSupported()) {
            throw new IllegalArgumentException("NLRI of " + family + " cannot be decoded");
        }
        return family;
    }

    /**
     * Decodes NLRI from {@code buf} between its reader index and {@code end}, leaving the reader index
     * at {@code end}. A length beyond the family's maximum or a field that ends inside an entry raises
     * UPDATE Message Error / Invalid Network Field (RFC 4271 §6.3); the caller decides whether that is
     * a session reset or, inside MP attributes, an AFI/SAFI disable (RFC 7606 §5.3, §7.11).
     */
    public static NlriList decode(ByteBuf buf, int end, AddressFamily family, boolean withPathIds) {
        requireSupported(family);
        boolean isV6 = family.afi() == AddressFamily.AFI_IPV6;
        int max = isV6 ? 128 : 32;
        int start = buf.readerIndex();
        // Upper bound on the count: each entry takes at least 1 (or 5 with path id) octets.
        int capacity = Math.max(0, (end - start) / (withPathIds ? 5 : 1));
        int[] a4 = isV6 ? NO_INTS : new int[Math.min(capacity, 64)];
        // Same initial entry count as the other arrays: growth is decided on lengths.length alone.
        long[] a6 = isV6 ? new long[2 * Math.min(capacity, 64)] : NO_LONGS;
        byte[] lengths = new byte[Math.min(capacity, 64)];
        int[] ids = withPathIds ? new int[Math.min(capacity, 64)] : NO_INTS;
        int n = 0;
        int i = start;
        while (i < end) {
            int pathId = 0;
            if (withPathIds) {
                if (end - i < 5) {
                    throw invalid("path identifier and length overrun the field at offset " + (i - start));
                }
                pathId = buf.getInt(i);
                i += 4;
            }
            int length = buf.getUnsignedByte(i++);
            if (length > max) {
                throw invalid("prefix length " + length + " exceeds " + max + " at offset " + (i - 1 - start));
            }
            int octets = (length + 7) >>> 3;
            if (end - i < octets) {
                throw invalid("prefix of length " + length + " overruns the field at offset " + (i - 1 - start));
            }
            if (n == lengths.length) {
                int grown = Math.min(Math.max(n * 2, 8), capacity);
                lengths = Arrays.copyOf(lengths, grown);
                if (isV6) {
                    a6 = Arrays.copyOf(a6, 2 * grown);
                } else {
                    a4 = Arrays.copyOf(a4, grown);
                }
                if (withPathIds) {
                    ids = Arrays.copyOf(ids, grown);
                }
            }
            if (isV6) {
                long high = 0;
                long low = 0;
                for (int k = 0; k < octets; k++) {
                    long b = buf.getUnsignedByte(i + k);
                    if (k < 8) {
                        high |= b << (56 - 8 * k);
                    } else {
                        low |= b << (56 - 8 * (k - 8));
                    }
                }
                // Trailing bits beyond the length are ignored (RFC 4271 §4.3), so mask them off.
                a6[2 * n] = high & Ipv6Prefix.highMask(length);
                a6[2 * n + 1] = low & Ipv6Prefix.lowMask(length);
            } else {
                int address = switch (octets) {
                    case 0 -> 0;
                    case 1 -> buf.getUnsignedByte(i) << 24;
                    case 2 -> buf.getUnsignedShort(i) << 16;
                    case 3 -> buf.getUnsignedMedium(i) << 8;
                    default -> buf.getInt(i);
                };
                a4[n] = address & Ipv4Prefix.mask(length);
            }
            lengths[n] = (byte) length;
            if (withPathIds) {
                ids[n] = pathId;
            }
            n++;
            i += octets;
        }
        buf.readerIndex(end);
        return new NlriList(family, withPathIds, n, a4, a6, lengths, ids);
    }

    private static WireException invalid(String reason) {
        return new WireException(NotificationCode.UPDATE_INVALID_NETWORK_FIELD, reason);
    }

    /** Writes the entries; path ids are written iff this list carries them. */
    public void encode(ByteBuf out) {
        for (int i = 0; i < size; i++) {
            encodeEntry(i, out);
        }
    }

    public void encodeEntry(int i, ByteBuf out) {
        if (withPathIds) {
            out.writeInt(pathIds[i]);
        }
        int length = lengths[i] & 0xFF;
        out.writeByte(length);
        int octets = (length + 7) >>> 3;
        if (v6.length == 0 && family.afi() == AddressFamily.AFI_IPV4) {
            int address = v4[i];
            for (int k = 0; k < octets; k++) {
                out.writeByte(address >>> (24 - 8 * k));
            }
        } else {
            long high = v6[2 * i];
            long low = v6[2 * i + 1];
            for (int k = 0; k < octets; k++) {
                out.writeByte((int) (k < 8 ? high >>> (56 - 8 * k) : low >>> (56 - 8 * (k - 8))));
            }
        }
    }

    /** Octets that {@link #encodeEntry} writes for entry i. */
    public int encodedEntryLength(int i) {
        return (withPathIds ? 5 : 1) + (((lengths[i] & 0xFF) + 7) >>> 3);
    }

    public int encodedLength() {
        int total = 0;
        for (int i = 0; i < size; i++) {
            total += encodedEntryLength(i);
        }
        return total;
    }

    public AddressFamily family() {
        return family;
    }

    public boolean withPathIds() {
        return withPathIds;
    }

    @Override
    public int size() {
        return size;
    }

    public int prefixLength(int i) {
        checkIndex(i);
        return lengths[i] & 0xFF;
    }

    public int pathId(int i) {
        checkIndex(i);
        return withPathIds ? pathIds[i] : 0;
    }

    /** IPv4 lists only. */
    public int ipv4Address(int i) {
        checkIndex(i);
        return v4[i];
    }

    public IpPrefix prefix(int i) {
        checkIndex(i);
        if (family.afi() == AddressFamily.AFI_IPV4) {
            return new Ipv4Prefix(v4[i], lengths[i] & 0xFF);
        }
        return new Ipv6Prefix(v6[2 * i], v6[2 * i + 1], lengths[i] & 0xFF);
    }

    @Override
    public Nlri get(int i) {
        return new Nlri(prefix(i), pathId(i));
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (o instanceof NlriList other) {
            if (!family.equals(other.family) || withPathIds != other.withPathIds || size != other.size) {
                return false;
            }
            return Arrays.equals(lengths, 0, size, other.lengths, 0, size)
                    && Arrays.equals(v4, 0, v4.length == 0 ? 0 : size, other.v4, 0, other.v4.length == 0 ? 0 : size)
                    && Arrays.equals(v6, 0, v6.length == 0 ? 0 : 2 * size, other.v6, 0, other.v6.length == 0 ? 0 : 2 * size)
                    && Arrays.equals(pathIds, 0, withPathIds ? size : 0, other.pathIds, 0, withPathIds ? size : 0);
        }
        // Compare as a plain list of Nlri otherwise.
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = super.hashCode();
            hash = h;
        }
        return h;
    }
}
