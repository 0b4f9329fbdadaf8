package io.cowkv.server.memory;

import net.openhft.chronicle.core.UnsafeMemory;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A growable array of {@code long}s in native memory, for large short-lived working arrays that
 * must not live on the Java heap: the snapshot walk's index (8 bytes per key) was a G1 humongous
 * object, and allocating it started a concurrent GC cycle in the first second of every save,
 * whose pauses the writers saw (docs/benchmarks-cow.md, session 11).
 *
 * <p>Ownership: whoever creates one calls {@link #free} exactly once, after which nothing may read
 * it (the class does not guard use after free, as native memory never does; with bounds checks on
 * ({@link ArenaConfig#CHECKS_PROPERTY}, on in tests) an access after free or out of range throws).
 * Not thread-safe; publication to another thread needs the caller's happens-before edge.
 * {@link #outstandingBytes()} counts what all instances hold, for leak checks.
 */
public final class NativeLongs {
    private static final UnsafeMemory MEM = UnsafeMemory.MEMORY;
    private static final boolean CHECKS = Boolean.getBoolean(ArenaConfig.CHECKS_PROPERTY);
    private static final AtomicLong OUTSTANDING = new AtomicLong();
    /**
     * Ranges up to this length are sorted in place by insertion; longer ones on a heap copy in
     * {@link #sortBuffer}.
     */
    private static final int INSERTION_SORT_MAX = 32;

    private long address;
    private long length;
    /**
     * Reused by {@link #sort} for ranges longer than {@link #INSERTION_SORT_MAX}: the walk sorts
     * each page's records (up to a few hundred on a page of small records), and a fresh array
     * per page made a save allocate megabytes on the heap (docs/benchmarks-cow.md, session 13).
     */
    private long[] sortBuffer;

    /** {@code length} longs, contents undefined. */
    public NativeLongs(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        this.address = length == 0 ? 0 : MEM.allocate(length * 8);
        this.length = length;
        OUTSTANDING.addAndGet(length * 8);
    }

    public long length() {
        return length;
    }

    public long get(long i) {
        if (CHECKS) {
            check(i, 1);
        }
        return MEM.readLong(address + (i << 3));
    }

    public void set(long i, long v) {
        if (CHECKS) {
            check(i, 1);
        }
        MEM.writeLong(address + (i << 3), v);
    }

    /** Grows to {@code newLength} (larger than now), keeping the contents. */
    public void grow(long newLength) {
        if (newLength <= length) {
            throw new IllegalArgumentException("grow to " + newLength + " from " + length);
        }
        long a = MEM.allocate(newLength * 8);
        if (length > 0) {
            MEM.copyMemory(address, a, length * 8);
            MEM.freeMemory(address, length * 8);
        }
        OUTSTANDING.addAndGet((newLength - length) * 8);
        address = a;
        length = newLength;
    }

    /** Copies {@code n} longs from {@code this[from]} to {@code dst[to]} (distinct arrays). */
    public void copyTo(long from, NativeLongs dst, long to, long n) {
        if (CHECKS) {
            check(from, n);
            dst.check(to, n);
        }
        if (n > 0) {
            MEM.copyMemory(address + (from << 3), dst.address + (to << 3), n << 3);
        }
    }

    /** Sorts {@code [from, to)} ascending (signed), as {@link Arrays#sort(long[], int, int)}. */
    public void sort(long from, long to) {
        if (CHECKS) {
            check(from, to - from);
        }
        long n = to - from;
        if (n <= INSERTION_SORT_MAX) {
            for (long i = from + 1; i < to; i++) {
                long v = get(i);
                long j = i - 1;
                while (j >= from && get(j) > v) {
                    set(j + 1, get(j));
                    j--;
                }
                set(j + 1, v);
            }
            return;
        }
        int len = Math.toIntExact(n);
        long[] heap = sortBuffer;
        if (heap == null || heap.length < len) {
            heap = new long[Math.max(len, heap == null ? 64 : heap.length * 2)];
            sortBuffer = heap;
        }
        for (int k = 0; k < len; k++) {
            heap[k] = get(from + k);
        }
        Arrays.sort(heap, 0, len);
        for (int k = 0; k < len; k++) {
            set(from + k, heap[k]);
        }
    }

    /** Gives the memory back; the array is empty afterwards. Idempotent. */
    public void free() {
        if (length > 0) {
            MEM.freeMemory(address, length * 8);
            OUTSTANDING.addAndGet(-length * 8);
        }
        address = 0;
        length = 0;
        sortBuffer = null;
    }

    /** Native bytes held by all instances not yet freed. */
    public static long outstandingBytes() {
        return OUTSTANDING.get();
    }

    private void check(long i, long n) {
        if (i < 0 || n < 0 || i + n > length) {
            throw new ArenaAccessException("native long array [" + i + ", " + (i + n) + ") outside [0, " + length + ")");
        }
    }
}
