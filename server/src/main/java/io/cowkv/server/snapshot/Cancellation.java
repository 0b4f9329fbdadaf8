package io.cowkv.server.snapshot;

import java.io.IOException;

/**
 * Cancels a save and orders its final rename against whoever cancels it. The keyspace thread
 * calls {@link #cancel()}; the saving thread polls {@link #isCancelled()} while writing and makes
 * its file visible only through {@link #commit}, under the same lock, so once {@code cancel()}
 * returns the cancelled save can no longer replace the dump (a FLUSHALL's save that follows wins).
 * Thread-safe.
 */
final class Cancellation {
    /** A save nobody can cancel (SAVE, the final save at shutdown). */
    static final Cancellation NEVER = new Cancellation();

    private volatile boolean cancelled;

    /** Requests cancellation; waits at most for a rename in progress. */
    synchronized void cancel() {
        if (this != NEVER) {
            cancelled = true;
        }
    }

    boolean isCancelled() {
        return cancelled;
    }

    /** Runs {@code step} unless cancelled, atomically with respect to {@link #cancel()}. */
    synchronized void commit(IoStep step) throws IOException {
        if (cancelled) {
            throw new DumpFile.CancelledException();
        }
        step.run();
    }

    interface IoStep {
        void run() throws IOException;
    }
}
