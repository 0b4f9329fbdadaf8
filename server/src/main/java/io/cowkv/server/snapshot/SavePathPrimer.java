package io.cowkv.server.snapshot;

import io.cowkv.server.config.ConfigException;
import io.cowkv.server.config.ServerConfig;
import io.cowkv.server.keyspace.Clock;
import io.cowkv.server.keyspace.Database;
import io.cowkv.server.keyspace.Entry;
import io.cowkv.server.keyspace.Keyspace;
import io.cowkv.server.memory.ArenaConfig;
import io.cowkv.server.metrics.CommandLatency;
import io.cowkv.server.metrics.ServerStats;
import io.cowkv.server.util.Numbers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Start-up exercise of the save path, so that the JIT has seen it before the first real BGSAVE.
 *
 * <p>Why: C2 compiles the write path (the read batch with SET, the dictionary and the arena
 * inlined into it) from branch profiles gathered while no snapshot was open. The branches only a
 * save takes (the write barrier's "frame still shared", allocation while the page table is
 * shared, the writer-side serialization, the first call of a command creating its latency
 * histogram) have a count of zero, so C2 leaves them out and plants a trap instead. The first
 * save hit 16-18 such traps on the keyspace thread within 10 ms of the BGSAVE, each throwing away
 * compiled code of the read loop while clients kept sending (docs/benchmarks-cow.md, session 13).
 * Branch counts are kept per method, not per object: running the same classes on a scratch
 * keyspace with a snapshot open, once the methods are profiled, gives each of those branches a
 * count, and C2 then compiles it as an ordinary branch.
 *
 * <p>Only production classes run here (a {@link Keyspace}, a {@link SnapshotCoordinator} that
 * writes a real dump into a temporary directory, a {@link CommandLatency}), so no call site
 * learns a receiver type the server never uses (an earlier warm-up through Netty's
 * {@code EmbeddedChannel} did that, and moved the traps instead of removing them). The scratch
 * saves take their writer-block slabs from the server's pool and leave them there, where the
 * server's first save would otherwise allocate them.
 *
 * <p>Contract: runs on the calling thread, before the server accepts clients; takes a few hundred
 * milliseconds; leaves no file (its directory is deleted) and no native memory (the scratch
 * arena is closed); the server's keyspace and its persistence figures are not touched. If a
 * scratch save fails or overruns its deadline, the exception propagates; a view still open then
 * keeps the scratch arena until the process exits ({@link Keyspace#close}), so that a snapshot
 * thread still reading it never reads freed memory.
 */
public final class SavePathPrimer {
    /** Keys of the scratch keyspace: enough pages for the walk's index and its writer side. */
    static final int KEYS = 4096;
    /** Scratch saves, each with writes while it runs. */
    static final int SAVES = 4;
    /** Writes per save at most (the branch counts need hundreds, not more). */
    static final int WRITES_PER_SAVE = 6 * KEYS;
    /** Of those, at most this many before the walk has started. */
    static final int WRITES_BEFORE_WALK = KEYS / 8;
    /** Calls recorded into one latency histogram before the saves: past tier 2's 2,048-call check. */
    static final int WARM_RECORDS = 2500;
    /** Calls recorded into latency histograms after the saves (the counted call). */
    static final int LATENCY_RECORDS = 600;
    /** Calls per fresh histogram in the second, counted call (67 histograms of about 25 KB). */
    static final int RECORDS_PER_HISTOGRAM = LATENCY_RECORDS / 64;
    /** Save rounds run to get the save path compiled with profiling, before the counted ones. */
    static final int UNCOUNTED_ROUNDS = 2;
    /** Longest wait for idle compilers, each time. */
    static final long COMPILER_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** The compilers count as idle once their total compilation time stands still this long. */
    static final long COMPILER_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** Upper bound for one scratch save, so that start-up never hangs on it. */
    private static final long SAVE_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** What one run did. */
    public record Result(int saves, long writesDuringSaves, long copiedBytes, long writerPages, int pooledSlabs,
                         long nanos) {
        @Override
        public String toString() {
            return saves + " scratch saves, " + writesDuringSaves + " writes during them, " + copiedBytes
                    + " bytes copied, " + writerPages + " pages serialized by the writer, " + pooledSlabs
                    + " writer slabs pooled, " + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms";
        }
    }

    /** Tasks the scratch coordinator posts to "the keyspace thread" (from its snapshot thread): run by {@link #drain}. */
    private final ConcurrentLinkedQueue<Runnable> keyspaceTasks = new ConcurrentLinkedQueue<>();
    private final byte[] key = new byte[24];
    private final byte[] value = new byte[4096];

    private SavePathPrimer() {
        Arrays.fill(value, (byte) 'v');
    }

    /**
     * Runs the exercise with {@code serverConfig}'s page size and dump settings (compression,
     * checksum), sharing {@code server}'s writer-block slab pool.
     *
     * @throws IOException when the temporary directory cannot be made or a scratch save fails
     */
    public static Result run(SnapshotCoordinator server, ServerConfig serverConfig) throws IOException {
        return run(server, serverConfig, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** As {@link #run(SnapshotCoordinator, ServerConfig)}, with the scratch directory made in {@code parent}. */
    static Result run(SnapshotCoordinator server, ServerConfig serverConfig, Path parent) throws IOException {
        return new SavePathPrimer().exercise(server, serverConfig, parent);
    }

    private Result exercise(SnapshotCoordinator server, ServerConfig serverConfig, Path parent) throws IOException {
        long start = System.nanoTime();
        Path dir = Files.createTempDirectory(parent, "cowkv-primer");
        try (Keyspace ks = new Keyspace(1, Clock.SYSTEM,
                ArenaConfig.defaults().withPageSize(serverConfig.arenaPageSize()))) {
            SnapshotCoordinator saves = new SnapshotCoordinator(scratchConfig(dir, serverConfig), ks::freeze,
                    new ServerStats(), System::currentTimeMillis, keyspaceTasks::add,
                    server.snapshotThreads(), SnapshotLog.NONE, "7.0.0", () -> ks.arena().usedBytes());
            saves.shareSlabPoolOf(server);
            Database db = ks.db(0);
            // Branch counts are kept only in profiled code (C1's tier 3). While the compiler queues
            // are long (start-up), HotSpot compiles at tier 2 instead, which counts calls but not
            // branches, and reconsiders only every 2,048 calls. So: wait for idle compilers, get
            // the plain write path compiled, wait again; the first saves then get the save-only
            // methods compiled (each followed by a wait), and only the last ones are counted.
            awaitIdleCompilers();
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < KEYS; i++) {
                    write(db, i, pass);
                }
            }
            primeLatencyHistogram(WARM_RECORDS, WARM_RECORDS);
            awaitIdleCompilers();
            long writes = 0;
            long copied = 0;
            long writerPages = 0;
            int done = 0;
            for (int round = 0; round < SAVES; round++) {
                writes += saveRound(saves, ks, db, round);
                SnapshotCoordinator.Figures f = saves.figures();
                if (!f.lastBgsaveOk()) {
                    throw new IOException("scratch save failed");
                }
                copied += f.lastCowSize();
                writerPages += f.lastCost().writerPages();
                done++;
                if (round < UNCOUNTED_ROUNDS) {
                    awaitIdleCompilers();
                }
            }
            primeLatencyHistogram(LATENCY_RECORDS, RECORDS_PER_HISTOGRAM);
            return new Result(done, writes, copied, writerPages, server.pooledSlabs(), System.nanoTime() - start);
        } finally {
            deleteTree(dir);
        }
    }

    private static ServerConfig scratchConfig(Path dir, ServerConfig server) throws IOException {
        ServerConfig c = new ServerConfig();
        try {
            c.set("dir", dir.toString(), true);
            c.set("save", "", true);
            c.set("arena-page-size", Integer.toString(server.arenaPageSize()), true);
            c.set("rdbcompression", server.rdbcompression() ? "yes" : "no", true);
            c.set("rdbchecksum", server.rdbchecksum() ? "yes" : "no", true);
            c.set("rdb-recycle-previous-dump", server.rdbRecyclePreviousDump() ? "yes" : "no", true);
        } catch (ConfigException e) {
            throw new IOException(e.getMessage(), e);
        }
        return c;
    }

    /**
     * One round: a write of every key with no snapshot open (the path is profiled in both states),
     * then a BGSAVE with writes while it runs; returns the writes made during the save.
     */
    private int saveRound(SnapshotCoordinator saves, Keyspace ks, Database db, int round) throws IOException {
        for (int i = 0; i < KEYS; i++) {
            write(db, i, round);
        }
        if (saves.bgsave() != SnapshotCoordinator.BgsaveReply.STARTED) {
            throw new IOException("scratch BGSAVE did not start");
        }
        long deadline = System.nanoTime() + SAVE_DEADLINE_NANOS;
        int n = 0;
        long processed;
        while ((processed = saves.savingKeysProcessed()) >= 0) {
            if (System.nanoTime() > deadline) {
                throw new IOException("scratch save did not end within 10 s");
            }
            // Writes before the walk's index is built (the barrier copies pages) and once the walk
            // runs (the writer side serializes pages it has not reached yet); keys past KEYS are
            // new, allocated while the page table is shared.
            if (processed > 0 ? n < WRITES_PER_SAVE : n < WRITES_BEFORE_WALK) {
                write(db, (int) ((n * 7L) % (KEYS + KEYS / 4)), round + 1);
                n++;
                if (n % 256 == 0) {
                    ks.cronResize();
                    drain();
                }
            } else {
                drain();
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
        }
        drain();
        return n;
    }

    /** One write of the kinds clients make: strings of several sizes, integers, TTLs, deletes. */
    private void write(Database db, int i, int round) {
        int klen = keyOf(i);
        switch ((i + round) % 8) {
            case 0, 1, 2 -> db.setString(key, 0, klen, value, 0, 16 + (i % 64), false);
            case 3 -> db.setString(key, 0, klen, value, 0, 512, false);
            case 4 -> db.setString(key, 0, klen, value, 0, 1024 + (i % 3072), false);
            case 5 -> {
                Entry e = db.lookup(key, 0, klen);
                if (e != null && e.isInt()) {
                    db.setLongInPlace(e, e.longValue() + 1);
                } else {
                    db.setLong(key, 0, klen, i, false);
                }
            }
            case 6 -> {
                Entry e = db.lookup(key, 0, klen);
                if (e != null) {
                    db.setExpire(e, System.currentTimeMillis() + 3_600_000L);
                }
            }
            default -> db.delete(key, 0, klen);
        }
    }

    private int keyOf(int i) {
        key[0] = 'p';
        key[1] = ':';
        return Numbers.writeLong(i, key, 2);
    }

    /**
     * The first call of a command creates its latency histogram and sets the histogram's first
     * minimum and maximum: branches a server that has run only SETs never took, so the first
     * BGSAVE (the first call of any new command) trapped in the dispatcher, which has them
     * inlined. Called twice: first {@code records} calls into one histogram (to get the method
     * profiled), then with a fresh histogram every {@code perHistogram} calls (about 25 KB each).
     */
    private static void primeLatencyHistogram(int records, int perHistogram) {
        CommandLatency latency = new CommandLatency();
        for (int i = 0; i < records; i++) {
            if (i % perHistogram == 0) {
                latency.reset();
            }
            latency.record(1 + (i * 37L) % 5000);
        }
    }

    /**
     * Waits until the JIT's total compilation time has stood still for {@link #COMPILER_IDLE_NANOS}
     * (its queues are empty), at most {@link #COMPILER_WAIT_NANOS}; without a compilation MXBean
     * that can tell, it waits the idle time once.
     */
    private static void awaitIdleCompilers() {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            java.util.concurrent.locks.LockSupport.parkNanos(COMPILER_IDLE_NANOS);
            return;
        }
        long deadline = System.nanoTime() + COMPILER_WAIT_NANOS;
        long seen = jit.getTotalCompilationTime();
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(COMPILER_IDLE_NANOS / 4);
            long now = jit.getTotalCompilationTime();
            if (now != seen) {
                seen = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since >= COMPILER_IDLE_NANOS) {
                return;
            }
        }
    }

    private void drain() {
        Runnable r;
        while ((r = keyspaceTasks.poll()) != null) {
            r.run();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
