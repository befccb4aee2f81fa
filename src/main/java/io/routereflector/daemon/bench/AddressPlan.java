package io.routereflector.daemon.bench;

import io.routereflector.wire.nlri.Ipv4Prefix;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Who is who in a bench run: node i has address {@code firstNode + i} (its router id and next hop)
 * and announces {@code blocks[i]} consecutive /26 blocks (Calico's default IPAM block size) taken in
 * order from 10.0.0.0/8. A block's index in that sequence names it everywhere in the bench, so the
 * receivers keep bit sets instead of prefix maps.
 */
final class AddressPlan {

    static final int BLOCK_LENGTH = 26;
    static final int FIRST_BLOCK = Ipv4Prefix.parseAddress("10.0.0.0");
    /** 10.0.0.0/8 holds 2^18 blocks of /26. */
    static final int MAX_BLOCKS = 1 << (BLOCK_LENGTH - 8);

    private final int firstNode;
    private final int[] firstBlock;
    private final int[] blockCount;
    private final int[] owner;

    /** @param blocksPerNode how many blocks each node announces (its length is the node count) */
    AddressPlan(int firstNode, int[] blocksPerNode) {
        this.firstNode = firstNode;
        int n = blocksPerNode.length;
        firstBlock = new int[n];
        blockCount = blocksPerNode.clone();
        long total = 0;
        for (int i = 0; i < n; i++) {
            if (blocksPerNode[i] < 0) {
                throw new IllegalArgumentException("node " + i + ": negative block count");
            }
            firstBlock[i] = (int) total;
            total += blocksPerNode[i];
        }
        if (total > MAX_BLOCKS) {
            throw new IllegalArgumentException(total + " blocks: 10.0.0.0/8 holds at most " + MAX_BLOCKS + " /26 blocks");
        }
        owner = new int[(int) total];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < blocksPerNode[i]; k++) {
                owner[firstBlock[i] + k] = i;
            }
        }
    }

    /** N nodes with K blocks each. */
    static AddressPlan uniform(int firstNode, int nodes, int blocksEach) {
        int[] counts = new int[nodes];
        java.util.Arrays.fill(counts, blocksEach);
        return new AddressPlan(firstNode, counts);
    }

    int nodes() {
        return blockCount.length;
    }

    int totalBlocks() {
        return owner.length;
    }

    int address(int node) {
        return firstNode + node;
    }

    InetAddress inetAddress(int node) {
        return inet(address(node));
    }

    int firstBlock(int node) {
        return firstBlock[node];
    }

    int blockCount(int node) {
        return blockCount[node];
    }

    int owner(int block) {
        return owner[block];
    }

    static int blockAddress(int block) {
        return FIRST_BLOCK + (block << (32 - BLOCK_LENGTH));
    }

    static Ipv4Prefix prefix(int block) {
        return new Ipv4Prefix(blockAddress(block), BLOCK_LENGTH);
    }

    /** The block index of a received prefix, -1 when it is not one of ours. */
    int blockOf(int address, int length) {
        if (length != BLOCK_LENGTH || (address >>> 24) != (FIRST_BLOCK >>> 24)) {
            return -1;
        }
        int block = (address - FIRST_BLOCK) >>> (32 - BLOCK_LENGTH);
        return block < owner.length ? block : -1;
    }

    List<Ipv4Prefix> prefixes(int fromBlock, int count) {
        List<Ipv4Prefix> out = new ArrayList<>(count);
        for (int b = fromBlock; b < fromBlock + count; b++) {
            out.add(prefix(b));
        }
        return out;
    }

    static InetAddress inet(int address) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (address >>> 24), (byte) (address >>> 16),
                    (byte) (address >>> 8), (byte) address});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xFF) + "." + (address >>> 8 & 0xFF) + "." + (address & 0xFF);
    }
}
