package io.cowkv.server.memory;

import net.openhft.chronicle.core.UnsafeMemory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed-length array of {@code int}s in native memory, zeroed at creation: the snapshot walk's
 * per-page counters (4 bytes per arena page each). On the heap they were {@code int[]}s of
 * 600 KB at 150k pages, over G1's humongous threshold with the server's small heap, and each
 * save's allocation of them started a concurrent GC cycle (a young pause, a remark and a cleanup
 * while writers ran; docs/benchmarks-cow.md, session 13), as the walk's index did before it
 * moved to {@link NativeLongs}.
 *
 * <p>Ownership as {@link NativeLongs}: whoever creates one calls {@link #free} exactly once;
 * with bounds checks on ({@link ArenaConfig#CHECKS_PROPERTY}, on in tests) an access out of range
 * or after free throws. Not thread-safe; publication needs the caller's happens-before edge.
 * {@link #outstandingBytes()} counts what all instances hold, for leak checks.
 */
public final class NativeInts {
    private static final UnsafeMemory MEM = UnsafeMemory.MEMORY;
    private static final boolean CHECKS = Boolean.getBoolean(ArenaConfig.CHECKS_PROPERTY);
    private static final AtomicLong OUTSTANDING = new AtomicLong();

    private long address;
    private int length;

    /** {@code length} ints, all 0. */
    public NativeInts(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        this.address = length == 0 ? 0 : MEM.allocate(length * 4L);
        this.length = length;
        OUTSTANDING.addAndGet(length * 4L);
        fill(0);
    }

    public int length() {
        return length;
    }

    public int get(int i) {
        if (CHECKS) {
            check(i);
        }
        return MEM.readInt(address + ((long) i << 2));
    }

    public void set(int i, int v) {
        if (CHECKS) {
            check(i);
        }
        MEM.writeInt(address + ((long) i << 2), v);
    }

    /** Adds {@code delta} to element {@code i} and returns the new value. */
    public int add(int i, int delta) {
        int v = get(i) + delta;
        MEM.writeInt(address + ((long) i << 2), v);
        return v;
    }

    /** Sets every element to {@code v}. */
    public void fill(int v) {
        if (length == 0) {
            return;
        }
        if (v == 0) {
            MEM.setMemory(address, length * 4L, (byte) 0);
            return;
        }
        for (int i = 0; i < length; i++) {
            MEM.writeInt(address + ((long) i << 2), v);
        }
    }

    /** Gives the memory back; the array is empty afterwards. Idempotent. */
    public void free() {
        if (length > 0) {
            MEM.freeMemory(address, length * 4L);
            OUTSTANDING.addAndGet(-length * 4L);
        }
        address = 0;
        length = 0;
    }

    /** Native bytes held by all instances not yet freed. */
    public static long outstandingBytes() {
        return OUTSTANDING.get();
    }

    private void check(int i) {
        if (i < 0 || i >= length) {
            throw new ArenaAccessException("native int array index " + i + " outside [0, " + length + ")");
        }
    }
}
