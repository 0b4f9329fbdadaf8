package io.cowkv.server.snapshot;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded single-producer single-consumer queue on an array: no lock, no allocation per element.
 *
 * <p>Contract: {@link #offer} is called by one thread only (the producer) and {@link #poll} by one
 * thread only (the consumer); {@link #size()} from either. The producer's slot write happens-before
 * the consumer's read of it (release store of the tail, acquire load by the consumer), and the
 * consumer's clearing of a slot happens-before the producer's reuse of it (same with the head).
 */
final class SpscRing<T> {
    private final Object[] slots;
    private final int mask;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();

    /** A ring holding at least {@code capacity} elements (rounded up to a power of two). */
    SpscRing(int capacity) {
        int c = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        this.slots = new Object[Math.max(2, c)];
        this.mask = slots.length - 1;
    }

    int capacity() {
        return slots.length;
    }

    /** Producer: appends {@code x}; false when full. */
    boolean offer(T x) {
        long t = tail.getPlain();
        if (t - head.getAcquire() == slots.length) {
            return false;
        }
        slots[(int) t & mask] = x;
        tail.setRelease(t + 1);
        return true;
    }

    /** Consumer: removes and returns the oldest element, or null when empty. */
    @SuppressWarnings("unchecked")
    T poll() {
        long h = head.getPlain();
        if (h == tail.getAcquire()) {
            return null;
        }
        int i = (int) h & mask;
        T x = (T) slots[i];
        slots[i] = null;
        head.setRelease(h + 1);
        return x;
    }

    int size() {
        return (int) (tail.getAcquire() - head.getAcquire());
    }
}
