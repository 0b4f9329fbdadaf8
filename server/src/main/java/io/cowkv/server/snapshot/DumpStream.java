package io.cowkv.server.snapshot;

import io.cowkv.rdb.RdbWriter;
import io.cowkv.server.keyspace.Entry;
import io.cowkv.server.keyspace.FrozenKeyspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The key records of one dump: receives the frozen keys in address order (databases interleaved)
 * and writes them through an {@link RdbWriter}, with a SELECTDB whenever the database changes;
 * between keys, splices in the blocks of records the keyspace thread serialized itself
 * ({@link WriterBlocks}), re-selecting its own database after a block that ended in another.
 *
 * <p>Rules kept from the bucket-order walk: a key whose TTL had passed at the freeze is skipped
 * (counted as skipped); every key processed (saved or skipped) advances {@code progress}
 * (INFO {@code current_save_keys_processed}), checks the cancellation flag and sleeps
 * {@code rdb-key-save-delay}; keys arriving in blocks count the same way when spliced. Every key
 * and every {@link #checkpoint()} of the walk ticks the {@link CoreYield} ({@code bgsave-yield-us}).
 * Contract: used by one thread, the one running the save.
 */
final class DumpStream implements FrozenKeyspace.OrderedVisitor {
    private final RdbWriter w;
    private final long frozenAt;
    private final AtomicLong progress;
    private final Cancellation cancel;
    private final long delayNanos;
    private final CoreYield yield;
    private final WriterBlocks blocks;
    private long currentDb;
    private long saved;
    private long skipped;
    private long pagesReceived;

    /**
     * @param currentDb the database the writer's stream is in now (after the size hints), -1 if none
     * @param yield     gives the thread's core away now and then (every key and walk checkpoint ticks it)
     * @param blocks    pages serialized on the keyspace thread, or null when there is no writer side
     */
    DumpStream(RdbWriter w, long currentDb, long frozenAt, AtomicLong progress, Cancellation cancel,
               long keyDelayMicros, CoreYield yield, WriterBlocks blocks) {
        this.yield = yield;
        this.w = w;
        this.blocks = blocks;
        this.currentDb = currentDb;
        this.frozenAt = frozenAt;
        this.progress = progress;
        this.cancel = cancel;
        this.delayNanos = TimeUnit.MICROSECONDS.toNanos(Math.max(0, keyDelayMicros));
    }

    /**
     * Writes the size hints Redis's loader uses to pre-size its tables: one SELECTDB + RESIZEDB per
     * non-empty database, before any key. Returns the database selected last (-1 if none).
     */
    static long writeSizeHints(RdbWriter w, FrozenKeyspace view) throws IOException {
        long current = -1;
        for (int db = 0; db < view.databases(); db++) {
            if (view.size(db) == 0) {
                continue;
            }
            w.selectDb(db);
            w.resizeDb(view.size(db), view.expires(db));
            current = db;
        }
        return current;
    }

    @Override
    public void string(int db, byte[] key, int keyLen, byte[] value, int valueLen, long expireAt) {
        if (beginKey(db, expireAt)) {
            try {
                w.writeStringKey(key, 0, keyLen, value, 0, valueLen,
                        expireAt == Entry.NO_EXPIRE ? RdbWriter.NO_EXPIRY : expireAt);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            saved++;
        }
        keysProcessed(1);
    }

    /** A value too large for the heap: written raw, a piece at a time (RdbWriter.writeStringKeyStreamed). */
    @Override
    public void largeString(int db, byte[] key, int keyLen, long valueLen, FrozenKeyspace.ValuePieces value,
                            long expireAt) {
        if (beginKey(db, expireAt)) {
            try {
                w.writeStringKeyStreamed(key, 0, keyLen, valueLen, value::read,
                        expireAt == Entry.NO_EXPIRE ? RdbWriter.NO_EXPIRY : expireAt);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            saved++;
        }
        keysProcessed(1);
    }

    /**
     * Before a key: stops a cancelled save, splices in the blocks waiting, selects the key's
     * database. Returns false for a key that had expired at the freeze (counted as skipped).
     */
    private boolean beginKey(int db, long expireAt) {
        if (cancel.isCancelled()) {
            throw new Abort();
        }
        if (blocks != null) {
            spliceWaiting();
        }
        if (expireAt != Entry.NO_EXPIRE && expireAt <= frozenAt) {
            skipped++;
            return false;
        }
        if (db != currentDb) {
            try {
                w.selectDb(db);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            currentDb = db;
        }
        return true;
    }

    @Override
    public void checkpoint() {
        yield.tick();
    }

    /** Splices every block waiting now. */
    private void spliceWaiting() {
        WriterBlocks.Block b;
        while ((b = blocks.poll()) != null) {
            try {
                if (b.len > 0) {
                    blocks.splice(b, w);
                    currentDb = b.lastDb;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            saved += b.saved;
            skipped += b.skipped;
            pagesReceived++;
            int keys = b.saved + b.skipped;
            blocks.recycle(b);
            keysProcessed(keys);
        }
    }

    /**
     * After the walk: splices blocks until those of all {@code pages} pages the keyspace thread
     * claimed have arrived (the last ones may still be in its hands for a few microseconds).
     *
     * @throws IOException when serializing one of them failed on the keyspace thread
     */
    void awaitWriterPages(long pages) throws IOException {
        if (blocks == null) {
            return;
        }
        while (true) {
            try {
                spliceWaiting();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            Throwable failure = blocks.failure();
            if (failure != null) {
                throw new IOException("serializing a page on the keyspace thread failed: " + failure, failure);
            }
            if (pagesReceived >= pages) {
                return;
            }
            if (cancel.isCancelled()) {
                throw new Abort();
            }
            LockSupport.parkNanos(20_000);
        }
    }

    private void keysProcessed(long n) {
        yield.tick();
        progress.setRelease(saved + skipped);
        if (delayNanos > 0) {
            LockSupport.parkNanos(delayNanos * n);
        }
    }

    long saved() {
        return saved;
    }

    long skipped() {
        return skipped;
    }

    /** Unwinds the walk on cancellation. */
    static final class Abort extends RuntimeException {
        Abort() {
            super(null, null, false, false);
        }
    }
}
