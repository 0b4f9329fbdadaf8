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

    /** The arena's page size (the unit of copies and of pages serialized by the keyspace thread). */
    int pageSize();

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
     *
     * <p>With a {@code writerSide}, once the index is built a write on the keyspace thread that
     * would copy a page holding only small records (inline or integer values) may instead hand
     * that page's frozen records to {@code writerSide} itself and take the page over. Each such
     * page's records then reach {@code writerSide} (on the keyspace thread) and NOT
     * {@code visitor}: together the two receive every key exactly once. A per-page claim decides
     * who serializes a page: the walk claims a page before reading its records, the keyspace
     * thread claims it before serializing it, and the loser leaves it alone (the keyspace thread
     * then copies the page as usual).
     *
     * @param writerSide receives pages serialized on the keyspace thread, or null for none
     * @return the number of pages whose records went to {@code writerSide}; when this returns,
     *     every one of them has been claimed, but the keyspace thread may still be inside
     *     {@link PageSerializer#endPage} of the last ones (wait for them on the writer side)
     */
    long forEachInAddressOrder(OrderedVisitor visitor, PageSerializer writerSide);

    /** Bytes copied so far because a write touched memory this view still needed (Redis's COW size). */
    long copiedBytes();

    /** What the view has cost so far (copied bytes, adopted pages, held memory); any thread. */
    SnapshotCounters counters();

    /**
     * How long the address-order walk took to build its sorted index (phase 1, while every write
     * still copies), in nanoseconds; 0 before. Any thread.
     */
    default long indexNanos() {
        return 0;
    }

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

    /** Reads a frozen value in pieces (see {@link OrderedVisitor#largeString}). */
    interface ValuePieces {
        /** Copies {@code len} bytes from byte {@code from} of the value into {@code dst[0, len)}. */
        void read(long from, byte[] dst, int len);
    }

    /** Receives the entries of every database in address order, on the reading thread. */
    interface OrderedVisitor {
        /**
         * A string key of database {@code db}; arrays and {@code expireAt} as in
         * {@link FrozenEntryVisitor#string}: reused buffers, valid only during the call.
         */
        void string(int db, byte[] key, int keyLen, byte[] value, int valueLen, long expireAt);

        /**
         * A string key whose value of {@code valueLen} bytes is too large to be read onto the heap
         * whole (see {@link Keyspace#STREAM_VALUES_FROM}): {@code value} reads it in
         * pieces, during the call only. By default it is read whole and passed to {@link #string}.
         */
        default void largeString(int db, byte[] key, int keyLen, long valueLen, ValuePieces value, long expireAt) {
            byte[] b = new byte[Math.toIntExact(valueLen)];
            value.read(0, b, b.length);
            string(db, key, keyLen, b, b.length, expireAt);
        }

        /**
         * Called between small units of the walk's work that precede or separate keys (building
         * the sorted index: a batch of buckets, a record, a page), so the visitor may give the
         * thread's core away now and then. Called often: it must be cheap. Does nothing by default.
         */
        default void checkpoint() {
        }
    }

    /**
     * Takes the frozen records of pages the keyspace thread serializes itself during an
     * address-order walk (see {@link #forEachInAddressOrder}). Every method runs on the keyspace
     * thread, inside a write, so none may block or take long: hand the bytes to the snapshot
     * thread through a non-blocking queue. For one page: {@link #canTakePage()} returned true,
     * then {@link #beginPage}, the page's records through {@link #string} (in address order,
     * expired ones included), {@link #endPage()}.
     */
    interface PageSerializer extends OrderedVisitor {
        /** Whether a page could be taken right now (room for its records); false: the page is copied. */
        boolean canTakePage();

        /** The records of logical page {@code page} follow. */
        void beginPage(int page);

        /** The page's records are complete: hand them over. */
        void endPage();

        /**
         * Serializing a page failed after it was claimed: its records are lost to the dump, which
         * must therefore fail.
         */
        void failed(Throwable t);
    }
}
