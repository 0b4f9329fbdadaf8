package io.cowkv.server.snapshot;

import io.cowkv.rdb.RdbRecordEncoder;
import io.cowkv.server.keyspace.Entry;
import io.cowkv.server.keyspace.FrozenKeyspace;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The keyspace thread's side of a save: pages whose frozen records the keyspace thread serializes
 * itself instead of copying them (see {@link FrozenKeyspace#forEachInAddressOrder}) are encoded
 * here as RDB records into blocks, which the snapshot thread splices into the dump.
 *
 * <p>One block per page, of {@code pageSize + 64} bytes: a record's RDB encoding (opcodes and
 * lengths plus key and value) is at most one byte longer than its slot in the arena (a 20- to
 * 32-byte header plus key and value: such pages hold only inline and integer records; the one byte only for an integer with a TTL and a key of 64
 * bytes or more, so at most 42 records of a 4 KiB page), and a SELECTDB takes 2 bytes, so a page's
 * records fit; a block grows anyway if some record ever does not. No LZF on this path (valid RDB, just not
 * compressed). The expired-key rule is the snapshot thread's: a key whose TTL had passed at the
 * freeze is counted as skipped and not written. A block starts with a SELECTDB for its first
 * record and has one more wherever the database changes; {@link Block#lastDb} tells the snapshot
 * thread where the stream is after it.
 *
 * <p>Threads and memory: blocks travel keyspace thread -> snapshot thread through one
 * {@link SpscRing} and come back through another, so at steady state no block is allocated; at
 * most {@link #MAX_BYTES} of blocks exist (then {@link #canTakePage} says no and the barrier
 * copies the page). Keyspace-thread methods never block; counters are readable from any thread.
 */
final class WriterBlocks implements FrozenKeyspace.PageSerializer {
    /** Upper bound of the memory in blocks (waiting, being spliced or free). */
    static final int MAX_BYTES = 16 << 20;

    /** One page's records, encoded in {@code buf[off, off + len)}; at most {@code cap} bytes before it grows. */
    static final class Block {
        byte[] buf;
        int off;
        int cap;
        int len;
        int saved;
        int skipped;
        /** The database the stream is in after this block, -1 if it selects none (all skipped). */
        long lastDb;

        Block(byte[] buf, int off, int cap) {
            this.buf = buf;
            this.off = off;
            this.cap = cap;
        }
    }

    private final long frozenAt;
    private final int blockSize;
    private final int maxBlocks;
    private final SpscRing<Block> filled;
    private final SpscRing<Block> free;
    private final RdbRecordEncoder encoder = new RdbRecordEncoder();
    private final AtomicLong waitingBytes = new AtomicLong();

    /**
     * Blocks are carved from slabs of this size rather than allocated one by one: a slab is a
     * single large array, which G1 places outside the young generation (a humongous object), so
     * the blocks that stay alive for a whole save are never copied by young collections. A run of
     * 4 KiB blocks alive during the save made young pauses of up to 30 ms (docs/benchmarks-cow.md).
     * 1 KiB short of 4 MiB so that the array with its header fits a power-of-two number of G1
     * regions (one 4 MiB region, the region size of a default heap on a machine like ours); a full
     * 4 MiB array spilled 16 bytes into a second region and held 8 MiB of heap.
     */
    static final int SLAB_BYTES = (4 << 20) - 1024;

    /**
     * Slabs kept between saves (keyspace thread only), so that only a server's first save
     * allocates them: allocating a humongous array can start a G1 concurrent cycle, whose pauses
     * land in the save's first second (docs/benchmarks-cow.md, session 11). At most
     * {@code MAX_BYTES / SLAB_BYTES} slabs (16 MiB) are kept, once a server has saved.
     */
    static final class SlabPool {
        private final java.util.ArrayDeque<byte[]> slabs = new java.util.ArrayDeque<>();

        byte[] take() {
            byte[] s = slabs.poll();
            return s != null ? s : new byte[SLAB_BYTES];
        }

        void giveBack(byte[] slab) {
            if (slab.length == SLAB_BYTES && slabs.size() < MAX_BYTES / SLAB_BYTES) {
                slabs.push(slab);
            }
        }

        int size() {
            return slabs.size();
        }
    }

    // keyspace thread
    private final SlabPool pool;
    private final java.util.List<byte[]> slabsTaken = new java.util.ArrayList<>();
    private byte[] slab;
    private int slabUsed;
    private Block spare;
    private Block current;
    private int allocated;

    // counters: written by the keyspace thread (single writer), read anywhere
    private volatile long pages;
    private volatile long bytes;
    private volatile long peakWaitingBytes;
    private volatile long declined;
    private volatile Throwable failure;

    WriterBlocks(int pageSize, long frozenAtMillis) {
        this(pageSize, frozenAtMillis, new SlabPool());
    }

    /** With slabs from (and, through {@link #returnSlabs}, back to) {@code pool}. */
    WriterBlocks(int pageSize, long frozenAtMillis, SlabPool pool) {
        this.pool = pool;
        this.frozenAt = frozenAtMillis;
        this.blockSize = pageSize + 64;
        this.maxBlocks = Math.max(4, MAX_BYTES / blockSize);
        this.filled = new SpscRing<>(maxBlocks);
        this.free = new SpscRing<>(maxBlocks);
    }

    // ------------------------------------------------------------------ keyspace thread

    @Override
    public boolean canTakePage() {
        if (failure != null) {
            return false;
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

    private Block newBlock() {
        if (slab == null || slabUsed + blockSize > slab.length) {
            slab = blockSize <= SLAB_BYTES ? pool.take() : new byte[blockSize];
            slabsTaken.add(slab);
            slabUsed = 0;
        }
        Block b = new Block(slab, slabUsed, blockSize);
        slabUsed += blockSize;
        return b;
    }

    /**
     * Gives the slabs back to the pool. Keyspace thread, once the snapshot thread is done with every
     * block (the save has ended); the blocks must not be used afterwards.
     */
    void returnSlabs() {
        for (byte[] s : slabsTaken) {
            pool.giveBack(s);
        }
        slabsTaken.clear();
        slab = null;
        spare = null;
        current = null;
    }

    @Override
    public void beginPage(int page) {
        Block b = spare;
        spare = null;
        b.len = 0;
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
        if (b.len + need > b.cap) {
            // leaves the slab: the block gets an array of its own (never expected, see the class comment)
            byte[] grown = new byte[Math.max(b.len + need, b.cap * 2)];
            System.arraycopy(b.buf, b.off, grown, 0, b.len);
            b.buf = grown;
            b.off = 0;
            b.cap = grown.length;
        }
        int pos = b.off + b.len;
        if (db != b.lastDb) {
            pos = RdbRecordEncoder.selectDb(b.buf, pos, db);
            b.lastDb = db;
        }
        pos = encoder.stringRecord(b.buf, pos, key, 0, keyLen, value, 0, valueLen, expireAt);
        b.len = pos - b.off;
        b.saved++;
    }

    @Override
    public void endPage() {
        Block b = current;
        current = null;
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
