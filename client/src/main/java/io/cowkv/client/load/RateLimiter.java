package io.cowkv.client.load;

import java.util.function.LongSupplier;

/**
 * An open-loop schedule: operation {@code k} (from 0) is due at {@code start + k / rate}. A sender
 * that falls behind gets every overdue operation at once, and each keeps its scheduled
 * ("intended") start time, so latency measured from it includes the time the operation waited
 * to be sent: this is the coordinated-omission correction.
 *
 * <p>The clock is injected ({@link System#nanoTime} in production, a counter in tests). Not
 * thread-safe: one limiter per sender, used on one thread.
 */
public final class RateLimiter {
    private final double nanosPerOp;
    private final LongSupplier clock;
    private final long start;
    private long granted;

    /** @param opsPerSecond the rate, > 0; the schedule starts at the clock's current value */
    public RateLimiter(double opsPerSecond, LongSupplier clock) {
        if (!(opsPerSecond > 0)) throw new IllegalArgumentException("rate must be > 0");
        this.nanosPerOp = 1e9 / opsPerSecond;
        this.clock = clock;
        this.start = clock.getAsLong();
    }

    private long due(long k) {
        return start + (long) (k * nanosPerOp);
    }

    /**
     * Grants the next operation if it is due.
     *
     * @return its intended start time (clock units), or {@code -1} when it is not due yet
     */
    public long tryAcquire() {
        long intended = due(granted);
        if (clock.getAsLong() - intended >= 0) {
            granted++;
            return intended;
        }
        return -1;
    }

    /** Clock units until the next operation is due (0 when one is due now). */
    public long nanosUntilNext() {
        return Math.max(0, due(granted) - clock.getAsLong());
    }

    /** Operations granted so far. */
    public long granted() {
        return granted;
    }
}
