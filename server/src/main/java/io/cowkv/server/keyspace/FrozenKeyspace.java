package io.cowkv.server.keyspace;

import io.cowkv.server.memory.SnapshotCounters;

/**
 * A point-in-time view of every database, taken by {@link Keyspace#freeze()} on the keyspace
 * thread and read by one other thread (the snapshot thread) while the keyspace keeps changing.
 *
 * <p>Contract: {@link #forEach}, {@link #forEachInAddressOrder} and the size getters may be called
 * from the snapshot thread; {@link #copiedBytes()} and {@link #counters()} from any thread;
 * {@link #close()} only on the keyspace thread, after the reader is done. Until closed the view
 * pins the memory it needs (less and less during {@link #forEachInAddressOrder}, which releases
 * pages as it goes).
 */
public interface FrozenKeyspace extends AutoCloseable {
    int databases();

    /** Keys in database {@code db} at the freeze (expired-but-not-yet-deleted keys included). */
    long size(int db);

    /** Keys with an expire time in database {@code db} at the freeze. */
    long expires(int db);

    /**
     * Streams every key of database {@code db} as it was at the freeze, in bucket order. Not after
     * {@link #forEachInAddressOrder} (which gives pages up): then it throws
     * {@link IllegalStateException}.
     */
    void forEach(int db, FrozenEntryVisitor visitor);

    /**
     * Streams every key of every database as it was at the freeze, in the order of the records'
     * addresses, and gives up each page of the view as soon as nothing left to visit needs it, so
     * that writes to it no longer copy it (see {@code AddressOrderedWalk}). Records of different
     * databases interleave. Snapshot thread; at most once per view, and the view cannot be walked
     * again afterwards. Holds {@code 8 * keys} bytes of sorted index on the heap while it runs.
     */
    void forEachInAddressOrder(OrderedVisitor visitor);

    /** Bytes copied so far because a write touched memory this view still needed (Redis's COW size). */
    long copiedBytes();

    /** What the view has cost so far (copied bytes, adopted pages, held memory); any thread. */
    SnapshotCounters counters();

    /** How long the freeze took (Redis's latest_fork_usec counterpart), in nanoseconds. */
    long freezeNanos();

    /** Wall-clock time of the freeze, in ms since the epoch. */
    long frozenAtMillis();

    @Override
    void close();

    /** Receives the entries of a frozen database, on the reading thread. */
    interface FrozenEntryVisitor {
        /**
         * A string key: {@code key[0, keyLen)} and {@code value[0, valueLen)}. The arrays are the
         * walker's reusable buffers, valid only during the call (so a walk of millions of keys
         * makes no garbage that would pause the keyspace thread); copy what you keep.
         * {@code expireAt} is absolute ms or {@link Entry#NO_EXPIRE}.
         */
        void string(byte[] key, int keyLen, byte[] value, int valueLen, long expireAt);
    }

    /** Receives the entries of every database in address order, on the reading thread. */
    interface OrderedVisitor {
        /**
         * A string key of database {@code db}; arrays and {@code expireAt} as in
         * {@link FrozenEntryVisitor#string}: reused buffers, valid only during the call.
         */
        void string(int db, byte[] key, int keyLen, byte[] value, int valueLen, long expireAt);
    }
}
