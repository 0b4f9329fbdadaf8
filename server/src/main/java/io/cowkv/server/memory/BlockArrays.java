package io.cowkv.server.memory;

import net.openhft.chronicle.core.UnsafeMemory;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Growable primitive arrays for the arena's metadata (per page, per slab, per frame), kept as
 * fixed-size blocks of native memory under a small on-heap directory of block addresses.
 *
 * <p>Why blocks: growing adds a block and copies only the directory (one address per block),
 * never the elements. An array that doubled by {@code Arrays.copyOf} copied megabytes inside the
 * command that happened to grow the arena (4-8 ms at a few hundred thousand pages,
 * docs/benchmarks-cow.md).
 *
 * <p>Why native: the metadata lives as long as the arena, so on the Java heap every block was
 * copied by each young collection until G1 promoted it. After a fill, the first young pause copied
 * all of it at once (8.8 ms for 30 MB of heap, in a save's first second), and the blocks the save
 * itself added (new frames for its copies) were copied again by the collections during the save
 * (docs/benchmarks-cow.md, session 15). Native blocks are never looked at by the collector; the
 * heap keeps only the directories, a few hundred bytes.
 *
 * <p>Memory safety by construction: the directory is exactly as long as the number of blocks, so
 * an index at or above {@code capacity()} (or negative) fails the JVM's bounds check on the
 * directory ({@link ArrayIndexOutOfBoundsException}) and never reaches native memory; after
 * {@link #free} the directory is empty and every access throws the same way.
 *
 * <p>Ownership: the arena that creates an array frees it in {@link Arena#close()}.
 * {@link #outstandingBytes()} counts the native bytes of all arrays not yet freed, for leak checks.
 *
 * <p>One nested class per element type, with the same small shape each: Java generics do not
 * cover primitives, and a shared class with an element-size field would put a multiply or a
 * switch on the allocator's paths. Not thread-safe: the arena's owner thread only.
 */
final class BlockArrays {
    private static final UnsafeMemory MEM = UnsafeMemory.MEMORY;
    private static final AtomicLong OUTSTANDING = new AtomicLong();
    private static final long[] NO_BLOCKS = new long[0];
    /** Bytes per block, for every element type. */
    static final int BLOCK_BYTES = 1 << 14;

    private BlockArrays() {
    }

    /** Native bytes held by all block arrays not yet freed. */
    static long outstandingBytes() {
        return OUTSTANDING.get();
    }

    /** Blocks needed for {@code n} elements with blocks of {@code 1 << shift}. */
    private static int blocksFor(long n, int shift) {
        return (int) ((n + (1L << shift) - 1) >>> shift);
    }

    /**
     * {@code dir} extended by the addresses of new zeroed blocks up to {@code need} blocks. If an
     * allocation fails (native memory exhausted), the blocks this call allocated are freed and
     * {@code dir} stays as it was.
     */
    private static long[] grow(long[] dir, int need) {
        if (need <= dir.length) {
            return dir;
        }
        long[] bigger = Arrays.copyOf(dir, need);
        int b = dir.length;
        try {
            for (; b < need; b++) {
                long a = MEM.allocate(BLOCK_BYTES);
                MEM.setMemory(a, BLOCK_BYTES, (byte) 0);
                OUTSTANDING.addAndGet(BLOCK_BYTES);
                bigger[b] = a;
            }
        } catch (RuntimeException | Error e) {
            free(Arrays.copyOfRange(bigger, dir.length, b));
            throw e;
        }
        return bigger;
    }

    /** Frees every block of {@code dir}; returns the empty directory. */
    private static long[] free(long[] dir) {
        for (long a : dir) {
            MEM.freeMemory(a, BLOCK_BYTES);
            OUTSTANDING.addAndGet(-BLOCK_BYTES);
        }
        return NO_BLOCKS;
    }

    /** Capacity of {@code blockCount} blocks of {@code 1 << shift} elements, at most {@code Integer.MAX_VALUE}. */
    private static int capacity(int blockCount, int shift) {
        return (int) Math.min(Integer.MAX_VALUE, (long) blockCount << shift);
    }

    /** What every block array has: its blocks, their native size, and freeing them. */
    abstract static class Blocks {
        long[] blocks = NO_BLOCKS;

        /** Native bytes this array holds. */
        final long nativeBytes() {
            return (long) blocks.length * BLOCK_BYTES;
        }

        /** Gives the native memory back; every later access throws. Idempotent. */
        final void free() {
            blocks = BlockArrays.free(blocks);
        }
    }

    /** An {@code int} array; new elements start at the fill value given at construction. */
    static final class Ints extends Blocks {
        static final int SHIFT = 12;
        static final int MASK = (1 << SHIFT) - 1;
        private final int fill;

        Ints(int fill, int initialCapacity) {
            this.fill = fill;
            ensureCapacity(initialCapacity);
        }

        private long at(int i) {
            return blocks[i >>> SHIFT] + ((long) (i & MASK) << 2);
        }

        int get(int i) {
            return MEM.readInt(at(i));
        }

        void set(int i, int v) {
            MEM.writeInt(at(i), v);
        }

        /** Adds {@code d} to element {@code i} and returns the new value. */
        int add(int i, int d) {
            long a = at(i);
            int v = MEM.readInt(a) + d;
            MEM.writeInt(a, v);
            return v;
        }

        int capacity() {
            return BlockArrays.capacity(blocks.length, SHIFT);
        }

        /** Makes indices {@code [0, n)} valid. */
        void ensureCapacity(long n) {
            int had = blocks.length;
            blocks = grow(blocks, blocksFor(n, SHIFT));
            if (fill != 0) {
                for (int b = had; b < blocks.length; b++) {
                    for (int k = 0; k <= MASK; k++) {
                        MEM.writeInt(blocks[b] + ((long) k << 2), fill);
                    }
                }
            }
        }
    }

    /** A {@code byte} array, zero-filled. */
    static final class Bytes extends Blocks {
        static final int SHIFT = 14;
        static final int MASK = (1 << SHIFT) - 1;

        Bytes(int initialCapacity) {
            ensureCapacity(initialCapacity);
        }

        byte get(int i) {
            return MEM.readByte(blocks[i >>> SHIFT] + (i & MASK));
        }

        void set(int i, byte v) {
            MEM.writeByte(blocks[i >>> SHIFT] + (i & MASK), v);
        }

        int capacity() {
            return BlockArrays.capacity(blocks.length, SHIFT);
        }

        void ensureCapacity(long n) {
            blocks = grow(blocks, blocksFor(n, SHIFT));
        }
    }

    /**
     * A {@code long} array, zero-filled. Callers that keep groups of {@code 2^k <= BLOCK} words
     * aligned to their size (a slab's free bitmap) have each group inside one block, which
     * {@link #takeLowestSetBit} relies on.
     */
    static final class Longs extends Blocks {
        static final int SHIFT = 11;
        static final int BLOCK = 1 << SHIFT;
        static final int MASK = BLOCK - 1;

        Longs(int initialCapacity) {
            ensureCapacity(initialCapacity);
        }

        private long at(int i) {
            return blocks[i >>> SHIFT] + ((long) (i & MASK) << 3);
        }

        long get(int i) {
            return MEM.readLong(at(i));
        }

        void set(int i, long v) {
            MEM.writeLong(at(i), v);
        }

        /**
         * In the group of {@code words} words from {@code from} (aligned to its size, a power of
         * two of at most {@link #BLOCK} words), clears the lowest set bit and returns its number
         * counted from bit 0 of word {@code from}; -1 (nothing changed) when every bit is clear.
         *
         * @throws IllegalArgumentException if the group is not inside one block (it would read
         *     past the block's native memory)
         */
        int takeLowestSetBit(int from, int words) {
            if (words < 0 || (from & MASK) + words > BLOCK) {
                throw new IllegalArgumentException("words [" + from + ", +" + words + ") cross a block");
            }
            long base = at(from);
            for (int w = 0; w < words; w++) {
                long a = base + ((long) w << 3);
                long bits = MEM.readLong(a);
                if (bits != 0) {
                    MEM.writeLong(a, bits & (bits - 1));
                    return (w << 6) + Long.numberOfTrailingZeros(bits);
                }
            }
            return -1;
        }

        int capacity() {
            return BlockArrays.capacity(blocks.length, SHIFT);
        }

        void ensureCapacity(long n) {
            blocks = grow(blocks, blocksFor(n, SHIFT));
        }
    }
}
