package io.cowkv.server.memory;

import java.util.Arrays;

/**
 * Growable primitive arrays for the arena's metadata (per page, per slab, per frame), kept as
 * fixed-size blocks under a small directory. Growing adds blocks and copies only the directory
 * (one reference per block), never the elements: an array that doubled by {@code Arrays.copyOf}
 * copied megabytes inside the command that happened to grow the arena (4-8 ms at a few hundred
 * thousand pages, docs/benchmarks-cow.md), and its new copy was a G1 humongous object. A block
 * is 16-32 KiB, an ordinary young-generation object.
 *
 * <p>One nested class per element type, with the same small shape each: Java generics do not
 * cover primitives, and boxing or a shared {@code Object[]} directory with casts would cost on
 * the allocator's paths.
 *
 * <p>Not thread-safe: the arena's owner thread only. Indices are not checked beyond the JVM's own
 * array bounds checks (an index at or above {@code capacity()} throws
 * {@link ArrayIndexOutOfBoundsException} or {@link NullPointerException}).
 */
final class BlockArrays {
    private BlockArrays() {
    }

    /** Blocks needed for {@code n} elements with blocks of {@code 1 << shift}. */
    private static int blocksFor(long n, int shift) {
        return (int) ((n + (1L << shift) - 1) >>> shift);
    }

    /** {@code dir}, or a copy with room for at least {@code need} blocks (doubling); copies references only. */
    private static <B> B[] directory(B[] dir, int need) {
        return need <= dir.length ? dir : Arrays.copyOf(dir, Math.max(need, Math.max(4, dir.length * 2)));
    }

    /** Capacity of {@code blockCount} blocks of {@code 1 << shift} elements, at most {@code Integer.MAX_VALUE}. */
    private static int capacity(int blockCount, int shift) {
        return (int) Math.min(Integer.MAX_VALUE, (long) blockCount << shift);
    }

    /** An {@code int} array; new elements start at the fill value given at construction. */
    static final class Ints {
        static final int SHIFT = 12;
        static final int MASK = (1 << SHIFT) - 1;
        private final int fill;
        private int[][] blocks = new int[0][];
        private int blockCount;

        Ints(int fill, int initialCapacity) {
            this.fill = fill;
            ensureCapacity(initialCapacity);
        }

        int get(int i) {
            return blocks[i >>> SHIFT][i & MASK];
        }

        void set(int i, int v) {
            blocks[i >>> SHIFT][i & MASK] = v;
        }

        /** Adds {@code d} to element {@code i} and returns the new value. */
        int add(int i, int d) {
            int[] b = blocks[i >>> SHIFT];
            return b[i & MASK] += d;
        }

        int capacity() {
            return BlockArrays.capacity(blockCount, SHIFT);
        }

        /** Makes indices {@code [0, n)} valid. */
        void ensureCapacity(long n) {
            int need = blocksFor(n, SHIFT);
            blocks = directory(blocks, need);
            while (blockCount < need) {
                int[] b = new int[1 << SHIFT];
                if (fill != 0) {
                    Arrays.fill(b, fill);
                }
                blocks[blockCount++] = b;
            }
        }
    }

    /** A {@code byte} array, zero-filled. */
    static final class Bytes {
        static final int SHIFT = 14;
        static final int MASK = (1 << SHIFT) - 1;
        private byte[][] blocks = new byte[0][];
        private int blockCount;

        Bytes(int initialCapacity) {
            ensureCapacity(initialCapacity);
        }

        byte get(int i) {
            return blocks[i >>> SHIFT][i & MASK];
        }

        void set(int i, byte v) {
            blocks[i >>> SHIFT][i & MASK] = v;
        }

        int capacity() {
            return BlockArrays.capacity(blockCount, SHIFT);
        }

        void ensureCapacity(long n) {
            int need = blocksFor(n, SHIFT);
            blocks = directory(blocks, need);
            while (blockCount < need) {
                blocks[blockCount++] = new byte[1 << SHIFT];
            }
        }
    }

    /**
     * A {@code long} array, zero-filled. Callers that keep groups of {@code 2^k <= BLOCK} words
     * aligned to their size (a slab's free bitmap) can read a whole group from one
     * {@link #block} at {@link #offset}.
     */
    static final class Longs {
        static final int SHIFT = 11;
        static final int BLOCK = 1 << SHIFT;
        static final int MASK = BLOCK - 1;
        private long[][] blocks = new long[0][];
        private int blockCount;

        Longs(int initialCapacity) {
            ensureCapacity(initialCapacity);
        }

        long get(int i) {
            return blocks[i >>> SHIFT][i & MASK];
        }

        void set(int i, long v) {
            blocks[i >>> SHIFT][i & MASK] = v;
        }

        /** The block holding element {@code i}; the element is at {@link #offset}{@code (i)} in it. */
        long[] block(int i) {
            return blocks[i >>> SHIFT];
        }

        static int offset(int i) {
            return i & MASK;
        }

        int capacity() {
            return BlockArrays.capacity(blockCount, SHIFT);
        }

        void ensureCapacity(long n) {
            int need = blocksFor(n, SHIFT);
            blocks = directory(blocks, need);
            while (blockCount < need) {
                blocks[blockCount++] = new long[BLOCK];
            }
        }
    }
}
