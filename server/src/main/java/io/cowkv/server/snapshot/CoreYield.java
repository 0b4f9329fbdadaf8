package io.cowkv.server.snapshot;

import java.util.function.LongSupplier;

/**
 * Makes a long-running background loop (the snapshot thread's walk and encoding) give its core
 * to other runnable threads every {@code interval} of work, by {@code sched_yield}
 * ({@link Thread#yield()}).
 *
 * <p>Why: on a machine with few cores a save's thread competes with the event loop and the
 * clients. Left alone, the kernel let it run for whole scheduler ticks (4 ms) while the event
 * loop or a client was runnable and waiting (perf sched, docs/benchmarks-cow.md, session 15).
 * A yield costs about a microsecond and returns at once when nothing else is runnable, so it takes
 * nothing from the save on an idle machine; unlike sleeping, it does not make the thread a
 * "waker" that the scheduler then prefers over the event loop (pacing with sleeps was tried and
 * raised the writers' p99).
 *
 * <p>{@link #tick()} is meant for every unit of work (a key, a bucket batch, an index entry): it
 * reads the clock only every {@value #TICKS_PER_CHECK} ticks. Interval 0 turns yielding off.
 * Contract: used by one thread.
 */
final class CoreYield {
    static final int TICKS_PER_CHECK = 16;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final Runnable yielder;
    private long sliceStart;
    private int countdown = TICKS_PER_CHECK;
    private long yields;

    /** Yields the calling thread every {@code intervalMicros} µs of work ({@code bgsave-yield-us}); 0 = never. */
    static CoreYield everyMicros(long intervalMicros) {
        return new CoreYield(Math.max(0, intervalMicros) * 1000, System::nanoTime, Thread::yield);
    }

    CoreYield(long intervalNanos, LongSupplier clock, Runnable yielder) {
        this.intervalNanos = intervalNanos;
        this.clock = clock;
        this.yielder = yielder;
        this.sliceStart = intervalNanos == 0 ? 0 : clock.getAsLong();
    }

    /** One unit of work done; yields when the interval has passed since the last yield. */
    void tick() {
        if (intervalNanos == 0 || --countdown > 0) {
            return;
        }
        countdown = TICKS_PER_CHECK;
        if (clock.getAsLong() - sliceStart >= intervalNanos) {
            yielder.run();
            yields++;
            sliceStart = clock.getAsLong();
        }
    }

    /** Yields so far. */
    long yields() {
        return yields;
    }
}
