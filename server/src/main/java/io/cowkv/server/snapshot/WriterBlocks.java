package io.cowkv.server.snapshot;

import io.cowkv.rdb.RdbRecordEncoder;
import io.cowkv.rdb.RdbWriter;
import io.cowkv.server.keyspace.Entry;
import io.cowkv.server.keyspace.FrozenKeyspace;

import net.openhft.chronicle.core.UnsafeMemory;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The keyspace thread's side of a save: pages whose frozen records the keyspace thread serializes
 * itself instead of copying them (see {@link FrozenKeyspace#forEachInAddressOrder}) are encoded
 * here as RDB records into blocks, which the snapshot thread splices into the dump.
 *
 * <p>One block per page, of {@link #blockSize(int) pageSize + pageSize/16 + 64} bytes. Such pages
 * hold only inline and integer records, and a record's RDB encoding (opcodes and lengths plus key
 * and value) is at most its slot in the arena for an inline string (14- or 22-byte header against
 * at most 11 or 20 bytes of RDB overhead), and at most 1 byte more for an integer (22- or 30-byte
 * header plus key, against up to 23 or 32 bytes plus key for a 20-character value such as
 * -1000000000000000000), 3 bytes more with a key of 64 bytes or more (6 from 16 KiB, with 64 KiB
 * pages). The worst is a 1-byte excess per 24-byte slot, under pageSize/16; a SELECTDB takes 2
 * bytes. So a page's records fit; a page whose encoding ever does not fit keeps it in a heap array
 * of its own instead. No LZF on this path (valid RDB, just not
 * compressed). The expired-key rule is the snapshot thread's: a key whose TTL had passed at the
 * freeze is counted as skipped and not written. A block starts with a SELECTDB for its first
 * record and has one more wherever the database changes; {@link Block#lastDb} tells the snapshot
 * thread where the stream is after it.
 *
 * <p>Memory: blocks are native memory carved from the slabs of a {@link SlabPool}. The keyspace
 * thread encodes a page into a heap scratch array (the RDB encoder writes arrays) and copies it
 * into the block at {@link #endPage}; the snapshot thread copies it back into its own scratch
 * array to write it ({@link #splice}). Two 4 KiB copies per page, against the encoding itself,
 * buy a save that allocates nothing on the Java heap: with slabs as heap arrays, a save that
 * needed one more slab than the pool held allocated a 4 MiB humongous array, which started a G1
 * concurrent cycle with pauses of 2-7 ms inside the save (docs/benchmarks-cow.md, session 15).
 * Native slab pages that no block has touched take no RSS either.
 *
 * <p>Threads: blocks travel keyspace thread -> snapshot thread through one {@link SpscRing} and
 * come back through another, so at steady state no block is allocated; at most
 * {@link #MAX_BYTES} of blocks exist (then {@link #canTakePage} says no and the barrier copies the
 * page). Keyspace-thread methods never block; counters are readable from any thread.
 */
final class WriterBlocks implements FrozenKeyspace.PageSerializer {
    private static final UnsafeMemory MEM = UnsafeMemory.MEMORY;
    /** Upper bound of the memory in blocks (waiting, being spliced or free). */
    static final int MAX_BYTES = 16 << 20;
    /** Native bytes per slab; blocks never straddle two. */
    static final int SLAB_BYTES = 1 << 20;

    /**
     * One page's records: {@code len} bytes at {@code address} (native, {@code cap} bytes, inside a
     * slab), or in {@code overflow} when they did not fit.
     */
    static final class Block {
        final long address;
        final int cap;
        int len;
        byte[] overflow;
        int saved;
        int skipped;
        /** The database the stream is in after this block, -1 if it selects none (all skipped). */
        long lastDb;

        Block(long address, int cap) {
            this.address = address;
            this.cap = cap;
        }
    }

    /**
     * Native slabs kept between saves (keyspace thread only), so that a server's saves after the
     * first allocate none: at most {@link #MAX_BYTES} of them once a server has saved. The pool
     * owns the slabs it holds; a save owns those it took until {@link #returnSlabs}. {@link #close}
     * frees the pooled ones, and a slab given back after that (or beyond the limit) is freed at
     * once. {@link #outstandingBytes()} counts the native bytes of every slab not yet freed, for
     * leak checks.
     */
    static final class SlabPool implements AutoCloseable {
        private static final AtomicLong OUTSTANDING = new AtomicLong();
        private final long[] slabs;
        private int size;
        private boolean closed;

        /** A pool that keeps up to {@link #MAX_BYTES} of slabs. */
        SlabPool() {
            this(MAX_BYTES / SLAB_BYTES);
        }

        /** A pool that keeps up to {@code maxSlabs} slabs (0: every slab given back is freed). */
        SlabPool(int maxSlabs) {
            this.slabs = new long[maxSlabs];
        }

        /** A pooled slab, or a new one (not zeroed: blocks are written before they are read). */
        long take() {
            if (size > 0) {
                return slabs[--size];
            }
            long a = MEM.allocate(SLAB_BYTES);
            OUTSTANDING.addAndGet(SLAB_BYTES);
            return a;
        }

        /** Takes {@code slab} back; no block of it may be used afterwards. */
        void giveBack(long slab) {
            if (!closed && size < slabs.length) {
                slabs[size++] = slab;
            } else {
                free(slab);
            }
        }

        int size() {
            return size;
        }

        /** Frees the pooled slabs; later {@link #giveBack}s free theirs. Idempotent. */
        @Override
        public void close() {
            closed = true;
            while (size > 0) {
                free(slabs[--size]);
            }
        }

        private static void free(long slab) {
            MEM.freeMemory(slab, SLAB_BYTES);
            OUTSTANDING.addAndGet(-SLAB_BYTES);
        }

        /** Native bytes of all slabs (of every pool) not yet freed. */
        static long outstandingBytes() {
            return OUTSTANDING.get();
        }
    }

    private final long frozenAt;
    private final int blockSize;
    private final int maxBlocks;
    private final SpscRing<Block> filled;
    private final SpscRing<Block> free;
    private final RdbRecordEncoder encoder = new RdbRecordEncoder();
    private final AtomicLong waitingBytes = new AtomicLong();

    // keyspace thread
    private final SlabPool pool;
    private long[] slabsTaken = new long[4];
    private int slabCount;
    private int slabUsed;
    private byte[] scratch;
    private Block spare;
    private Block current;
    private int allocated;
    /** Set by {@link #returnSlabs}: no block may be handed out any more. */
    private boolean slabsReturned;

    // snapshot thread
    private final byte[] spliceBuffer;

    // counters: written by the keyspace thread (single writer), read anywhere
    private volatile long pages;
    private volatile long bytes;
    private volatile long peakWaitingBytes;
    private volatile long declined;
    private volatile Throwable failure;

    /** With slabs of a pool of its own that keeps none: {@link #returnSlabs} frees them all. */
    WriterBlocks(int pageSize, long frozenAtMillis) {
        this(pageSize, frozenAtMillis, new SlabPool(0));
    }

    /** Bytes of one block for pages of {@code pageSize} bytes (see the class comment). */
    static int blockSize(int pageSize) {
        return pageSize + pageSize / 16 + 64;
    }

    /** With slabs from (and, through {@link #returnSlabs}, back to) {@code pool}. */
    WriterBlocks(int pageSize, long frozenAtMillis, SlabPool pool) {
        this.pool = pool;
        this.frozenAt = frozenAtMillis;
        this.blockSize = blockSize(pageSize);
        if (blockSize > SLAB_BYTES) {
            throw new IllegalArgumentException("page size " + pageSize + " too large for a writer slab");
        }
        this.scratch = new byte[blockSize];
        this.spliceBuffer = new byte[blockSize];
        this.maxBlocks = Math.max(4, MAX_BYTES / blockSize);
        this.filled = new SpscRing<>(maxBlocks);
        this.free = new SpscRing<>(maxBlocks);
    }

    // ------------------------------------------------------------------ keyspace thread

    @Override
    public boolean canTakePage() {
        if (failure != null || slabsReturned) {
            return false; // after returnSlabs every block points into memory given back
        }
        if (spare == null) {
            spare = free.poll();
            if (spare == null && allocated < maxBlocks) {
                spare = newBlock();
                allocated++;
            }
            if (spare == null) {
                declined++; // every block is waiting for the snapshot thread: the page gets copied
            }
        }
        return spare != null;
    }

    /** A block carved from the current slab, or from a new one when it is full: never across two. */
    private Block newBlock() {
        if (slabCount == 0 || slabUsed + blockSize > SLAB_BYTES) {
            if (slabCount == slabsTaken.length) {
                slabsTaken = Arrays.copyOf(slabsTaken, slabCount * 2);
            }
            slabsTaken[slabCount++] = pool.take();
            slabUsed = 0;
        }
        Block b = new Block(slabsTaken[slabCount - 1] + slabUsed, blockSize);
        slabUsed += blockSize;
        return b;
    }

    /**
     * Gives the slabs back to the pool. Keyspace thread, once the snapshot thread is done with every
     * block (the save has ended); the blocks must not be used afterwards. Idempotent.
     */
    void returnSlabs() {
        slabsReturned = true;
        for (int i = 0; i < slabCount; i++) {
            pool.giveBack(slabsTaken[i]);
        }
        slabCount = 0;
        spare = null;
        current = null;
    }

    /** Slabs this save holds (keyspace thread; for tests). */
    int slabsTaken() {
        return slabCount;
    }

    @Override
    public void beginPage(int page) {
        Block b = spare;
        spare = null;
        b.len = 0;
        b.overflow = null;
        b.saved = 0;
        b.skipped = 0;
        b.lastDb = -1;
        current = b;
    }

    @Override
    public void string(int db, byte[] key, int keyLen, byte[] value, int valueLen, long expireAt) {
        Block b = current;
        if (expireAt != Entry.NO_EXPIRE && expireAt <= frozenAt) {
            b.skipped++;
            return;
        }
        int need = RdbRecordEncoder.MAX_SELECTDB_SIZE + RdbRecordEncoder.maxStringRecordSize(keyLen, valueLen);
        if (b.len + need > scratch.length) {
            // more than a block holds (never expected, see the class comment): endPage moves it out
            scratch = Arrays.copyOf(scratch, Math.max(b.len + need, scratch.length * 2));
        }
        int pos = b.len;
        if (db != b.lastDb) {
            pos = RdbRecordEncoder.selectDb(scratch, pos, db);
            b.lastDb = db;
        }
        pos = encoder.stringRecord(scratch, pos, key, 0, keyLen, value, 0, valueLen, expireAt);
        b.len = pos;
        b.saved++;
    }

    @Override
    public void endPage() {
        Block b = current;
        current = null;
        if (b.len <= b.cap) {
            MEM.writeBytes(b.address, scratch, 0, b.len); // within the block: len <= cap
        } else {
            b.overflow = Arrays.copyOf(scratch, b.len);
        }
        long waiting = waitingBytes.addAndGet(b.len);
        if (waiting > peakWaitingBytes) {
            peakWaitingBytes = waiting;
        }
        pages++;
        bytes += b.len;
        if (!filled.offer(b)) {
            // cannot happen: the ring holds every block there is
            failed(new IllegalStateException("writer block queue full"));
        }
    }

    @Override
    public void failed(Throwable t) {
        if (failure == null) {
            failure = t;
        }
    }

    // ------------------------------------------------------------------ snapshot thread

    /** The next block to splice, or null. Snapshot thread. */
    Block poll() {
        return filled.poll();
    }

    /** Writes the block's records to {@code w}. Snapshot thread, between {@link #poll} and {@link #recycle}. */
    void splice(Block b, RdbWriter w) throws IOException {
        if (b.overflow != null) {
            w.writeRaw(b.overflow, 0, b.len);
            return;
        }
        MEM.readBytes(b.address, spliceBuffer, 0, b.len); // len <= cap = spliceBuffer.length
        w.writeRaw(spliceBuffer, 0, b.len);
    }

    /** Gives a spliced block back for reuse. Snapshot thread. */
    void recycle(Block b) {
        waitingBytes.addAndGet(-b.len);
        free.offer(b);
    }

    /** Why serializing a claimed page failed, or null; the dump must fail if set. Any thread. */
    Throwable failure() {
        return failure;
    }

    // ------------------------------------------------------------------ counters, any thread

    /** Pages serialized by the keyspace thread so far. */
    long pages() {
        return pages;
    }

    /** RDB bytes the keyspace thread encoded so far. */
    long bytes() {
        return bytes;
    }

    /** Pages the keyspace thread could have serialized but copied because no block was free. */
    long declinedPages() {
        return declined;
    }

    /** The most bytes that waited at once for the snapshot thread. */
    long peakWaitingBytes() {
        return peakWaitingBytes;
    }

    /** Blocks allocated so far (keyspace thread; for leak checks in tests). */
    int allocatedBlocks() {
        return allocated;
    }

    /** Blocks waiting to be spliced (for leak checks in tests). */
    int waitingBlocks() {
        return filled.size();
    }

    /** Blocks back in the free ring (for leak checks in tests). */
    int freeBlocks() {
        return free.size() + (spare != null ? 1 : 0);
    }
}
