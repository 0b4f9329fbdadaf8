package io.cowkv.server.keyspace;

import io.cowkv.server.memory.Arena;
import io.cowkv.server.memory.ArenaConfig;
import io.cowkv.server.memory.FrozenView;
import io.cowkv.server.memory.SharedPageHandler;
import io.cowkv.server.memory.SnapshotCounters;

/**
 * All databases of the server, stored in one copy-on-write {@link Arena}.
 *
 * <p>Contract: confined to the keyspace thread (the single event loop), except the
 * {@link FrozenKeyspace} returned by {@link #freeze()}, which one other thread may read.
 * {@link #close()} releases the native memory.
 */
public final class Keyspace implements AutoCloseable {
    /**
     * String values of at least this many bytes never pass through the heap whole on their way to
     * or from a dump: the save walk hands them to {@link FrozenKeyspace.OrderedVisitor#largeString}
     * in pieces (written raw, without LZF), and the loader writes raw ones into the arena a piece at
     * a time. An eighth of the maximum heap, so with the JVM's default heap (a quarter of the RAM)
     * no value under 512 MB is streamed on a machine with 16 GB or more and dumps stay byte for
     * byte Redis's, while a server with {@code -Xmx64m} streams values from 8 MB. The system
     * property {@code cowkv.snapshot.stream-values-from} sets it (tests).
     */
    public static final long STREAM_VALUES_FROM =
            Long.getLong("cowkv.snapshot.stream-values-from", Runtime.getRuntime().maxMemory() / 8);

    /** Redis's slow active-expire cycle: keys sampled per database per round. */
    static final int EXPIRE_SAMPLES = 20;

    private final Database[] dbs;
    private final KeyspaceStats stats = new KeyspaceStats();
    private final Clock clock;
    private final Arena arena;
    private final LruClock lru;
    private final long[] sample = new long[2];
    private FrozenKeyspace open;

    public Keyspace(int databases, Clock clock, ArenaConfig arenaConfig) {
        this.clock = clock;
        this.arena = new Arena(arenaConfig);
        this.lru = new LruClock(clock);
        this.dbs = new Database[databases];
        for (int i = 0; i < databases; i++) {
            dbs[i] = new Database(i, stats, clock, arena, lru);
        }
    }

    public Keyspace(int databases, Clock clock) {
        this(databases, clock, ArenaConfig.defaults());
    }

    public int databases() {
        return dbs.length;
    }

    /** See {@link Database#shareIntegers}: applies to integers written from now on, in every database. */
    public void shareIntegers(boolean share) {
        for (Database db : dbs) {
            db.shareIntegers = share;
        }
    }

    public Database db(int index) {
        return dbs[index];
    }

    public Clock clock() {
        return clock;
    }

    public KeyspaceStats stats() {
        return stats;
    }

    /** The arena holding every key and value (for memory accounting). */
    public Arena arena() {
        return arena;
    }

    public void swap(int a, int b) {
        if (a != b) {
            dbs[a].swapContent(dbs[b]);
        }
    }

    public void flushAll() {
        for (Database db : dbs) {
            db.clear();
        }
    }

    public long totalKeys() {
        long n = 0;
        for (Database db : dbs) {
            n += db.size();
        }
        return n;
    }

    private boolean activeExpireEnabled = true;

    /** DEBUG SET-ACTIVE-EXPIRE: false stops {@link #activeExpireCycle} (lazy expiry goes on). */
    public void activeExpireEnabled(boolean enabled) {
        activeExpireEnabled = enabled;
    }

    /**
     * Redis's slow active-expire cycle (nothing while disabled by {@link #activeExpireEnabled}): per database, sample {@value #EXPIRE_SAMPLES} keys with a
     * TTL, delete the expired ones, and repeat while more than 10% of a sample had expired, within
     * a time budget of 25% of the cron period ({@code 250 / hz} ms). Returns the keys deleted.
     */
    public long activeExpireCycle(int hz) {
        if (!activeExpireEnabled) {
            return 0;
        }
        long deadline = System.nanoTime() + 250_000_000L / Math.max(1, hz);
        long deleted = 0;
        for (Database db : dbs) {
            do {
                db.expireSample(EXPIRE_SAMPLES, sample);
                deleted += sample[1];
            } while (sample[0] > 0 && sample[1] * 10 > sample[0] && System.nanoTime() < deadline);
            if (System.nanoTime() >= deadline) {
                break;
            }
        }
        return deleted;
    }

    /**
     * Cron: refreshes the cached clock for the records' LRU field (as Redis's serverCron refreshes
     * {@code server.lruclock}). Before the first call every access reads the clock itself.
     */
    public void tickLruClock() {
        lru.tick();
    }

    /**
     * Cron: incremental rehashing and shrinking of the dictionaries; during a snapshot, also
     * returns to the pool the frames the snapshot no longer needs ({@link Arena#reclaimReleased(int)});
     * otherwise gives native memory beyond a reserve of free frames back, a few chunks per call
     * ({@link Arena#releaseFreeChunks}: after a save, the frames its copies needed).
     */
    public void cronResize() {
        arena.reclaimReleased(RECLAIM_CHECKS_PER_CRON);
        arena.releaseFreeChunks(RELEASE_CHUNKS_PER_CRON, RELEASE_BUDGET_NANOS);
        for (Database db : dbs) {
            db.cronResize(100);
        }
    }

    /**
     * Held frames a cron call looks at to give back those the save has released (a few ns each; a
     * save holds up to tens of thousands, all of which one call used to look at).
     */
    static final int RECLAIM_CHECKS_PER_CRON = 8192;

    /** At most this many arena chunks (1 MiB each by default) are given back per cron call. */
    static final int RELEASE_CHUNKS_PER_CRON = 2;

    /**
     * Time a cron call may spend moving pages out of chunks to give them back; a chunk not emptied
     * by then is continued at the next tick. Two whole chunks per tick had taken 1-3 ms right after
     * a save (page copies into frames touched for the first time; docs/benchmarks-cow.md, session
     * 16); at 10 ticks a second this still gives back tens of MB per second.
     */
    static final long RELEASE_BUDGET_NANOS = 300_000;

    /**
     * Freezes the whole keyspace for a snapshot in O(databases): freezes the arena's page table
     * and copies each database's roots. Keyspace thread only; one view open at a time.
     *
     * @throws IllegalStateException when a view is already open
     */
    public FrozenKeyspace freeze() {
        if (open != null) {
            throw new IllegalStateException("a frozen view is already open");
        }
        long start = System.nanoTime();
        long[][] roots = new long[dbs.length][];
        for (int i = 0; i < dbs.length; i++) {
            Database d = dbs[i];
            roots[i] = new long[]{d.t0, d.size0, d.t1, d.size1, d.rehashIdx, d.used, d.expires};
        }
        FrozenView view = arena.freeze();
        Frozen f = new Frozen(view, roots, clock.millis());
        view.sharedPageHandler(f);
        f.nanos = System.nanoTime() - start;
        open = f;
        return f;
    }

    /**
     * Releases the arena's native memory. Owner thread, or any thread once the keyspace thread has
     * ended. If a frozen view is still open (a snapshot thread may be reading it) the memory is
     * left to the process exit rather than pulled from under the reader.
     */
    @Override
    public void close() {
        if (open != null) {
            return;
        }
        arena.close();
    }

    /**
     * The frozen keyspace: roots copied at freeze time, read through the arena's frozen view. It
     * is also the view's {@link SharedPageHandler}: while an address-order walk with a writer side
     * is published, the write barrier offers it each shared page before copying it.
     */
    private final class Frozen implements FrozenKeyspace, SharedPageHandler {
        private final FrozenView view;
        private final long[][] roots;
        private final long at;
        private long nanos;
        /** The running address-order walk once its index is built (snapshot thread writes, keyspace thread reads). */
        private volatile AddressOrderedWalk published;
        /** The walk whose native index this view owns (freed at close); set by the snapshot thread. */
        private volatile AddressOrderedWalk walk;

        Frozen(FrozenView view, long[][] roots, long at) {
            this.view = view;
            this.roots = roots;
            this.at = at;
        }

        /** Keyspace thread, from the write barrier. */
        @Override
        public boolean preserve(int page) {
            AddressOrderedWalk w = published;
            return w != null && w.serializeOnWriter(page);
        }

        @Override
        public int databases() {
            return roots.length;
        }

        @Override
        public int pageSize() {
            return view.pageSize();
        }

        @Override
        public long size(int db) {
            return roots[db][5];
        }

        @Override
        public long expires(int db) {
            return roots[db][6];
        }

        @Override
        public void forEach(int db, FrozenEntryVisitor v) {
            if (walked) {
                throw new IllegalStateException("the view was walked in address order: its pages are given up");
            }
            long[] r = roots[db];
            int size0 = (int) r[1];
            int rehashIdx = (int) r[4];
            if (size0 == 0) {
                return;
            }
            walk(r[0], size0, Math.max(0, rehashIdx), v);
            if (rehashIdx >= 0) {
                walk(r[2], (int) r[3], 0, v);
            }
        }

        /** Snapshot thread: reused buffers of the bucket-order walk. */
        private FrozenRecordReader reader;
        /** Set by the snapshot thread when the address-order walk starts. */
        private volatile boolean walked;
        private volatile long indexNanos;

        private void walk(long table, int size, int from, FrozenEntryVisitor v) {
            if (reader == null) {
                reader = new FrozenRecordReader(view);
            }
            FrozenRecordReader r = reader;
            for (int i = from; i < size; i++) {
                long e = view.readLong(table + i * 8L);
                while (e != 0) {
                    long next = r.read(e);
                    v.string(r.key, r.keyLen, r.value, r.valueLen, r.expireAt);
                    e = next;
                }
            }
        }

        @Override
        public long forEachInAddressOrder(OrderedVisitor visitor, PageSerializer writerSide) {
            if (walked) {
                throw new IllegalStateException("a view is walked in address order at most once");
            }
            walked = true;
            AddressOrderedWalk walk = new AddressOrderedWalk(view, roots, writerSide);
            this.walk = walk;
            try {
                return walk.run(visitor, w -> {
                    indexNanos = walk.indexNanos();
                    published = w;
                });
            } finally {
                indexNanos = walk.indexNanos();
            }
        }

        @Override
        public long indexNanos() {
            return indexNanos;
        }

        @Override
        public SnapshotCounters counters() {
            return view.counters();
        }

        @Override
        public long copiedBytes() {
            return view.copiedBytes();
        }

        @Override
        public long freezeNanos() {
            return nanos;
        }

        @Override
        public long frozenAtMillis() {
            return at;
        }

        @Override
        public void close() {
            if (open == this) {
                published = null;
                if (walk != null) {
                    walk.free(); // the snapshot thread is done with it (close comes after the save)
                    walk = null;
                }
                view.close();
                open = null;
            }
        }
    }
}
