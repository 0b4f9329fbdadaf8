package io.cowkv.server.snapshot;

import io.cowkv.server.config.ServerConfig;
import io.cowkv.server.keyspace.FrozenKeyspace;
import io.cowkv.server.memory.SnapshotCounters;
import io.cowkv.server.metrics.ServerStats;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Coordinates saving: BGSAVE (freeze here, write on a snapshot thread, close back here), SAVE,
 * the save points checked by the cron, the final save at shutdown, the save after FLUSHALL, the
 * MISCONF write refusal, and every number INFO persistence shows.
 *
 * <p>Threads: every public method runs on the keyspace thread, which never waits for the disk
 * during a BGSAVE: the snapshot thread only reads the frozen view and writes files, then hands the
 * outcome back through {@code keyspaceThread.execute}, where the view is closed and the
 * bookkeeping done. SAVE, the FLUSHALL save and the shutdown save write synchronously on the
 * keyspace thread, blocking it, as Redis does. The only fields the snapshot thread touches are a
 * job's progress counter, cancellation flag and outcome.
 *
 * <p>Redis 7.0 semantics reproduced (checked against redis-server 7.0.15): rdb_saves counts saves
 * started by BGSAVE and SAVE (not the FLUSHALL one); a failed SAVE replies {@code -ERR} and leaves
 * rdb_last_bgsave_status alone, a successful one sets it to ok; a failed BGSAVE sets it to err, and
 * writes (and PING) get MISCONF while stop-writes-on-bgsave-error is on and save points exist;
 * after a failed BGSAVE the save points retry only every 5 seconds; FLUSHALL cancels a running
 * BGSAVE without marking it failed and, with save points, saves the (empty) data set and resets
 * the dirty counter.
 */
public final class SnapshotCoordinator {
    /** Redis's CONFIG_BGSAVE_RETRY_DELAY: seconds between save-point retries after a failure. */
    static final long BGSAVE_RETRY_DELAY_SECONDS = 5;
    private static final long SHUTDOWN_WAIT_SECONDS = 60;

    /** Outcome of a BGSAVE request. */
    public enum BgsaveReply { STARTED, IN_PROGRESS, FAILED }

    /** Outcome of a SAVE request. */
    public enum SaveReply { OK, IN_PROGRESS, FAILED }

    private final ServerConfig config;
    private final Supplier<FrozenKeyspace> freezer;
    private final ServerStats stats;
    private final LongSupplier clock;
    private final Executor keyspaceThread;
    private final Executor snapshotThreads;
    private final SnapshotLog log;
    private final String redisVersion;
    private final LongSupplier usedMemory;
    private final long pid = ProcessHandle.current().pid();
    private long nextJobId = 1;
    /** Writer-block slabs kept between saves (keyspace thread); shared with a {@link SavePathPrimer}'s scratch saves. */
    private WriterBlocks.SlabPool slabPool = new WriterBlocks.SlabPool();

    private Job job;
    private long lastSaveSeconds;
    private boolean lastBgsaveOk = true;
    private long lastBgsaveTrySeconds;
    private long lastBgsaveTimeSec = -1;
    private long saves;
    private long latestForkUsec;
    /** Told each BGSAVE freeze's duration in microseconds (the latency monitor's "fork" event). */
    private java.util.function.LongConsumer onFork = usec -> { };
    private long totalForks;
    private long lastCowSize;
    private SaveCost lastCost = SaveCost.NONE;
    private long cowSize;
    private long cowPeak;
    private long cowHeld;
    private long cowSampleMillis;
    private volatile boolean loading;
    private long loadKeysLoaded;
    private long loadKeysExpired;

    /**
     * @param freezer         freezes the keyspace (keyspace thread); the view is closed here
     * @param clock           wall clock in ms (injected for tests)
     * @param keyspaceThread  runs a task on the keyspace thread later (the event loop)
     * @param snapshotThreads runs one save's writing; must not run it on the keyspace thread
     * @param redisVersion    written in the dump's redis-ver aux field
     * @param usedMemory      written in the dump's used-mem aux field
     */
    public SnapshotCoordinator(ServerConfig config, Supplier<FrozenKeyspace> freezer, ServerStats stats,
                               LongSupplier clock, Executor keyspaceThread, Executor snapshotThreads,
                               SnapshotLog log, String redisVersion, LongSupplier usedMemory) {
        this.config = config;
        this.freezer = freezer;
        this.stats = stats;
        this.clock = clock;
        this.keyspaceThread = keyspaceThread;
        this.snapshotThreads = snapshotThreads;
        this.log = log;
        this.redisVersion = redisVersion;
        this.usedMemory = usedMemory;
        this.lastSaveSeconds = clock.getAsLong() / 1000;
    }

    /**
     * The server's snapshot thread: one daemon thread named {@code cowkv-bgsave}, started by this
     * call (at start-up), that runs each save's writing in turn (saves never overlap). Handing it a
     * save only wakes it, and the save starts with a yield so that the woken thread does not keep
     * the event loop's core. A new thread per BGSAVE, as before, made the BGSAVE command wait on
     * the event loop: {@code Thread.start} returns once the new thread has first run, and on a
     * busy two-core machine that took up to 7 ms, a stall every client saw (BGSAVE's own time
     * under writes, 30 saves each: median 1.0 against 0.7 ms now, worst 9-10 against 3 ms;
     * docs/benchmarks-cow.md, session 18). Thread-safe; the thread lives as long as the process.
     */
    public static Executor snapshotThread() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "cowkv-bgsave");
            t.setDaemon(true);
            return t;
        });
        pool.prestartAllCoreThreads();
        return pool;
    }

    /** The executor that runs this coordinator's saves (the start-up exercise runs its own saves there too). */
    Executor snapshotThreads() {
        return snapshotThreads;
    }

    /**
     * Makes this coordinator's saves take their writer-block slabs from {@code other}'s pool and
     * give them back there (the start-up primer's scratch saves then leave the slabs to the
     * server's first save instead of to the garbage collector). Before any save; keyspace thread.
     */
    void shareSlabPoolOf(SnapshotCoordinator other) {
        this.slabPool = other.slabPool;
    }

    /**
     * Keys the running BGSAVE has written so far, or -1 when none runs (until its end has been
     * handled on the keyspace thread). Keyspace thread; allocates nothing, unlike {@link #figures}.
     */
    long savingKeysProcessed() {
        Job j = job;
        return j == null ? -1 : j.processed.getAcquire();
    }

    /** Slabs kept for the next save (tests). */
    int pooledSlabs() {
        return slabPool.size();
    }

    /**
     * Frees the native writer-block slabs kept between saves. When the server stops: on the
     * keyspace thread, or on any thread once it has ended. A save still running keeps the slabs it
     * took (its snapshot thread may be reading them), and they go with the process, like the
     * arena under an open view ({@code Keyspace.close}); a save that ends after this frees its
     * slabs instead of pooling them. Idempotent.
     */
    public void close() {
        slabPool.close();
    }

    // ------------------------------------------------------------------ commands

    /** Sets what hears each BGSAVE freeze's duration (us), on the keyspace thread, like latest_fork_usec. */
    public void onFork(java.util.function.LongConsumer listener) {
        this.onFork = listener;
    }

    /** BGSAVE [SCHEDULE]. Redis 7.0 answers "already in progress" even with SCHEDULE while an RDB save runs. */
    public BgsaveReply bgsave() {
        if (job != null) {
            return BgsaveReply.IN_PROGRESS;
        }
        long now = clock.getAsLong();
        lastBgsaveTrySeconds = now / 1000;
        saves++;
        FrozenKeyspace view;
        try {
            view = freezer.get();
        } catch (RuntimeException e) {
            lastBgsaveOk = false;
            log.warning("Can't save in background: freeze failed: " + e.getMessage());
            return BgsaveReply.FAILED;
        }
        latestForkUsec = view.freezeNanos() / 1000;
        totalForks++;
        onFork.accept(latestForkUsec);
        long id = nextJobId++;
        Job j = new Job(id, view, now, stats.dirty, settings("temp-" + pid + "-" + id + ".rdb"),
                new WriterBlocks(view.pageSize(), view.frozenAtMillis(), slabPool));
        job = j;
        cowSize = 0;
        cowPeak = 0;
        cowHeld = 0;
        cowSampleMillis = 0;
        try {
            snapshotThreads.execute(new SaveTask(j));
        } catch (RejectedExecutionException e) {
            job = null;
            view.close();
            lastBgsaveOk = false;
            log.warning("Can't save in background: no snapshot thread: " + e.getMessage());
            return BgsaveReply.FAILED;
        }
        log.notice("Background saving started by snapshot thread " + id + " (freeze took " + latestForkUsec
                + " us, " + j.keysTotal + " keys)");
        return BgsaveReply.STARTED;
    }

    /** SAVE: a blocking save on the keyspace thread. */
    public SaveReply save() {
        if (job != null) {
            return SaveReply.IN_PROGRESS;
        }
        saves++;
        FrozenKeyspace view = freezeForSave();
        return view != null && saveNow(view) ? SaveReply.OK : SaveReply.FAILED;
    }

    /** Called after FLUSHALL emptied every database: cancels a BGSAVE and, with save points, saves. */
    public void flushedAll() {
        if (job != null) {
            cancel(job, "FLUSHALL");
        }
        if (!config.savePoints().isEmpty()) {
            // The data set is empty now; the view may not be frozen twice, so write an empty one.
            saveNow(EmptyView.at(clock.getAsLong()));
        }
    }

    /**
     * The save before exiting (SHUTDOWN, SIGTERM): {@code mode} null = save when save points
     * exist, true = always (SAVE), false = never (NOSAVE). A running BGSAVE is cancelled and waited
     * for. Returns false when the shutdown must be refused because the save failed.
     */
    public boolean prepareShutdown(Boolean mode) {
        if (!stopRunningSave("shutdown")) {
            return false;
        }
        boolean save = mode != null ? mode : !config.savePoints().isEmpty();
        if (!save) {
            return true;
        }
        log.notice("Saving the final RDB snapshot before exiting.");
        FrozenKeyspace view = freezeForSave();
        if (view == null || !saveNow(view)) {
            log.warning("Error trying to save the DB, can't exit.");
            return false;
        }
        return true;
    }

    /**
     * Cancels a running BGSAVE and waits (on this, the keyspace thread) until its snapshot thread
     * stopped, then closes its view. True when no save runs any more.
     */
    private boolean stopRunningSave(String why) {
        Job j = job;
        if (j == null) {
            return true;
        }
        log.warning("There is a snapshot thread saving an .rdb. Killing it!");
        cancel(j, why);
        try {
            if (!j.ended.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
                log.warning("The snapshot thread did not stop within " + SHUTDOWN_WAIT_SECONDS + " seconds");
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        finish(j);
        return true;
    }

    /** Outcome of {@link #reload}. */
    public enum ReloadReply { OK, SAVE_FAILED, LOAD_FAILED }

    /**
     * DEBUG RELOAD: with {@code save}, writes the dump synchronously (as SAVE, but not counted in
     * rdb_saves, as Redis's rdbSave from DEBUG); then checks that the dump can be loaded
     * ({@code check}), empties the data set ({@code flush}, when not null) and loads the dump
     * ({@code load}), recording INFO's load figures. A running BGSAVE is cancelled first (a view
     * may not be frozen twice; Redis lets its fork child go on instead).
     *
     * <p>Unlike Redis, which exits when the dump turns out corrupt or (NOFLUSH without MERGE)
     * holds a key that exists, the check runs before anything is removed: a dump that cannot be
     * loaded leaves the data set as it was and the reply is an error.
     */
    public ReloadReply reload(boolean save, DumpLoad check, Runnable flush, DumpLoad load) {
        Path file = config.dir().resolve(config.dbfilename());
        if (save && (!stopRunningSave("DEBUG RELOAD") || !saveNow(freezeForSave()))) {
            return ReloadReply.SAVE_FAILED;
        }
        try {
            if (!check.load(file, clock.getAsLong()).found()) {
                log.warning("Error trying to load the RDB dump: " + file + " does not exist");
                return ReloadReply.LOAD_FAILED;
            }
        } catch (DumpLoader.LoadException e) {
            log.warning(e.reason());
            return ReloadReply.LOAD_FAILED;
        }
        if (flush != null) {
            flush.run();
        }
        try {
            loadDump(load);
        } catch (DumpLoader.LoadException e) {
            // Checked above; only a file changed in between gets here. What was loaded stays.
            log.warning(e.reason());
            return ReloadReply.LOAD_FAILED;
        }
        log.warning("DB reloaded by DEBUG RELOAD");
        return ReloadReply.OK;
    }

    /** Whether writes get MISCONF now (Redis's writeCommandsDeniedByDiskError for RDB). */
    public boolean writesRefused() {
        return !lastBgsaveOk && config.stopWritesOnBgsaveError() && !config.savePoints().isEmpty();
    }

    /** LASTSAVE: Unix time in seconds of the last successful save. */
    public long lastSave() {
        return lastSaveSeconds;
    }

    // ------------------------------------------------------------------ cron and loading

    /** serverCron's part: samples copy-on-write of a running save, else checks the save points. */
    public void cron() {
        long now = clock.getAsLong();
        Job j = job;
        if (j != null) {
            if (!j.closed) {
                cowSize = j.view.copiedBytes();
                cowPeak = Math.max(cowPeak, cowSize);
                cowHeld = j.view.counters().heldBytes();
                cowSampleMillis = now;
            }
            return;
        }
        long nowSec = now / 1000;
        for (long[] point : config.savePoints()) {
            long seconds = point[0];
            long changes = point[1];
            if (stats.dirty >= changes && nowSec - lastSaveSeconds > seconds
                    && (nowSec - lastBgsaveTrySeconds > BGSAVE_RETRY_DELAY_SECONDS || lastBgsaveOk)) {
                log.notice(changes + " changes in " + seconds + " seconds. Saving...");
                bgsave();
                break;
            }
        }
    }

    /**
     * Loads the dump from {@code dir}/{@code dbfilename} through {@code load} (at start-up, and for
     * DEBUG RELOAD), records the INFO load figures and logs Redis's lines. Throws when it cannot be
     * loaded (at start-up: the server must not start).
     */
    public DumpLoader.Result loadDump(DumpLoad load) throws DumpLoader.LoadException {
        Path file = config.dir().resolve(config.dbfilename());
        loading = true;
        DumpLoader.Result r;
        try {
            r = load.load(file, clock.getAsLong());
        } finally {
            loading = false;
        }
        if (!r.found()) {
            return r;
        }
        loadKeysLoaded = r.keysLoaded();
        loadKeysExpired = r.keysExpired();
        if (r.producedBy() != null) {
            log.notice("Loading RDB produced by version " + r.producedBy());
        }
        if (r.ctimeSeconds() >= 0) {
            log.notice("RDB age " + Math.max(0, clock.getAsLong() / 1000 - r.ctimeSeconds()) + " seconds");
        }
        if (r.usedMemory() >= 0) {
            log.notice(String.format(Locale.ROOT, "RDB memory usage when created %.2f Mb", r.usedMemory() / 1048576.0));
        }
        log.notice("Done loading RDB, keys loaded: " + r.keysLoaded() + ", keys expired: " + r.keysExpired() + ".");
        log.notice(String.format(Locale.ROOT, "DB loaded from disk: %.3f seconds", r.nanos() / 1e9));
        return r;
    }

    /** The loading step, injectable for tests: {@link DumpLoader#load} bound to the keyspace. */
    public interface DumpLoad {
        DumpLoader.Result load(Path file, long nowMillis) throws DumpLoader.LoadException;
    }

    // ------------------------------------------------------------------ INFO figures

    /** INFO persistence / stats numbers, read on the keyspace thread. */
    public Figures figures() {
        Job j = job;
        long now = clock.getAsLong();
        long processed = j == null ? 0 : j.processed.getAcquire();
        long total = j == null ? 0 : j.keysTotal;
        return new Figures(loading, j == null ? 0 : cowPeak, j == null ? 0 : cowSize,
                j == null || cowSampleMillis == 0 ? 0 : (now - cowSampleMillis) / 1000,
                total == 0 ? 0.0 : 100.0 * processed / total, processed, total, stats.dirty, j != null,
                lastSaveSeconds, lastBgsaveOk, lastBgsaveTimeSec, j == null ? -1 : (now - j.startMillis) / 1000,
                saves, lastCowSize, loadKeysExpired, loadKeysLoaded, latestForkUsec, totalForks,
                j == null ? 0 : cowHeld, lastCost);
    }

    /** The numbers behind INFO persistence, in Redis's order, plus latest_fork_usec and total_forks. */
    public record Figures(boolean loading, long cowPeak, long cowSize, long cowSizeAgeSeconds, double forkPerc,
                          long keysProcessed, long keysTotal, long changesSinceLastSave, boolean bgsaveInProgress,
                          long lastSaveTime, boolean lastBgsaveOk, long lastBgsaveTimeSec,
                          long currentBgsaveTimeSec, long saves, long lastCowSize, long lastLoadKeysExpired,
                          long lastLoadKeysLoaded, long latestForkUsec, long totalForks, long cowHeld,
                          SaveCost lastCost) {
    }

    /**
     * What the last BGSAVE cost beyond Redis's figures (CowKV's own INFO fields): pages the write
     * barrier took over without a copy (released by the snapshot walk, or serialized by the
     * keyspace thread; the latter also counted apart), the RDB bytes the keyspace thread encoded,
     * the most bytes that waited at once for the snapshot thread, the pages it copied instead
     * because all blocks were waiting, and the most memory held at once for the snapshot (frames
     * copied or unmapped and not yet reclaimed).
     */
    public record SaveCost(long pagesAdopted, long writerPages, long writerBytes, long writerQueuePeak,
                           long writerQueueFullPages, long cowPeakHeld) {
        public static final SaveCost NONE = new SaveCost(0, 0, 0, 0, 0, 0);
    }

    // ------------------------------------------------------------------ internals

    private DumpFile.Settings settings(String tempName) {
        return new DumpFile.Settings(config.dir(), config.dbfilename(), tempName, config.rdbcompression(),
                config.rdbchecksum(), redisVersion, usedMemory.getAsLong(), config.rdbKeySaveDelay(),
                config.bgsaveYieldUs(), config.rdbSaveIncrementalFsync() ? DumpFile.AUTOSYNC_BYTES : 0,
                config.rdbRecyclePreviousDump());
    }

    private FrozenKeyspace freezeForSave() {
        try {
            return freezer.get();
        } catch (RuntimeException e) {
            log.warning("Can't save: freeze failed: " + e.getMessage());
            return null;
        }
    }

    /** Writes {@code view} synchronously on this thread and closes it; true on success. */
    private boolean saveNow(FrozenKeyspace view) {
        if (view == null) {
            return false;
        }
        try {
            // the keyspace thread itself saves and every client waits for it: no yields
            DumpFile.write(view, settings("temp-" + pid + ".rdb").withoutYields(), new AtomicLong(), Cancellation.NEVER);
            stats.dirty = 0;
            lastSaveSeconds = clock.getAsLong() / 1000;
            lastBgsaveOk = true;
            log.notice("DB saved on disk");
            return true;
        } catch (IOException e) {
            log.warning(e.getMessage());
            return false;
        } catch (RuntimeException | OutOfMemoryError e) {
            // e.g. the heap cannot hold a value the dump needs on it: a failed save, not a crash
            log.warning("Failed saving the DB: " + e);
            return false;
        } finally {
            view.close();
        }
    }

    private static void cancel(Job j, String why) {
        j.cancelReason = why;
        j.cancel.cancel();
    }

    /**
     * A BGSAVE's work for the snapshot thread. A named class, not a lambda: a lambda's class is
     * spun the first time its creation runs, on the keyspace thread in {@link #bgsave}; this one is
     * preloaded at start-up (util.ClassPreloader).
     */
    private final class SaveTask implements Runnable {
        private final Job job;

        SaveTask(Job job) {
            this.job = job;
        }

        @Override
        public void run() {
            // Woken by the BGSAVE command, this thread may have taken the event loop's core (the
            // scheduler favours a thread that just woke): give it back before the save's work.
            Thread.yield();
            runInBackground(job);
        }
    }

    /** Snapshot thread: writes the dump, then hands the outcome to the keyspace thread. */
    private void runInBackground(Job j) {
        try {
            DumpFile.Result r = DumpFile.write(j.view, j.settings, j.processed, j.cancel, j.blocks);
            j.result = r;
            log.notice("DB saved on disk");
        } catch (DumpFile.CancelledException e) {
            j.cancelled = true;
        } catch (Throwable t) {
            j.error = t;
            log.warning(t instanceof IOException ? t.getMessage() : "Background save failed: " + t);
        } finally {
            j.ended.countDown();
        }
        try {
            keyspaceThread.execute(() -> finish(j));
        } catch (RejectedExecutionException e) {
            // the event loop is gone: the process is stopping, nothing left to account for
        }
    }

    /** Keyspace thread: closes the view and records the outcome; idempotent. */
    private void finish(Job j) {
        if (j.closed) {
            return;
        }
        j.closed = true;
        long cow = j.view.copiedBytes();
        j.view.close();
        SnapshotCounters c = j.view.counters();
        lastCost = new SaveCost(c.adoptedPages(), j.blocks.pages(), j.blocks.bytes(), j.blocks.peakWaitingBytes(),
                j.blocks.declinedPages(), c.heldBytesPeak());
        j.blocks.returnSlabs(); // the snapshot thread has ended (finish runs after it)
        if (job == j) {
            job = null;
        }
        long now = clock.getAsLong();
        lastCowSize = cow;
        lastBgsaveTimeSec = (now - j.startMillis) / 1000;
        cowSize = 0;
        cowPeak = 0;
        cowHeld = 0;
        cowSampleMillis = 0;
        if (j.cancelled) {
            log.warning("Background saving terminated: cancelled by " + j.cancelReason);
        } else if (j.error == null) {
            stats.dirty = Math.max(0, stats.dirty - j.dirtyAtStart);
            lastSaveSeconds = now / 1000;
            lastBgsaveOk = true;
            log.notice("Background saving terminated with success");
            DumpFile.Result r = j.result;
            log.notice(String.format(Locale.ROOT,
                    "BGSAVE done, %d keys saved, %d keys skipped, %d MB of memory used by copy-on-write"
                            + " (%d pages adopted without a copy, %d of them serialized by the keyspace thread;"
                            + " at most %d MB held at once; index built in %d ms; the snapshot thread yielded its core"
                            + " %d times)",
                    r.keysSaved(), r.keysSkipped(), cow / (1024 * 1024), lastCost.pagesAdopted(),
                    lastCost.writerPages(), lastCost.cowPeakHeld() / (1024 * 1024), j.view.indexNanos() / 1_000_000,
                    r.coreYields()));
        } else {
            lastBgsaveOk = false;
            log.warning("Background saving error");
        }
    }

    /** One BGSAVE. Fields without a comment are fixed at creation. */
    private static final class Job {
        final long id;
        final FrozenKeyspace view;
        final long startMillis;
        final long dirtyAtStart;
        final long keysTotal;
        final DumpFile.Settings settings;
        /** Pages the keyspace thread serializes itself during this save. */
        final WriterBlocks blocks;
        /** Written by the snapshot thread, read by INFO. */
        final AtomicLong processed = new AtomicLong();
        final Cancellation cancel = new Cancellation();
        /** Counted down by the snapshot thread when it no longer touches the view or the files. */
        final CountDownLatch ended = new CountDownLatch(1);
        /** Outcome, written by the snapshot thread before {@link #ended}, read after it. */
        volatile DumpFile.Result result;
        volatile Throwable error;
        volatile boolean cancelled;
        /** Keyspace thread only. */
        String cancelReason;
        boolean closed;

        Job(long id, FrozenKeyspace view, long startMillis, long dirtyAtStart, DumpFile.Settings settings,
            WriterBlocks blocks) {
            this.id = id;
            this.blocks = blocks;
            this.view = view;
            this.startMillis = startMillis;
            this.dirtyAtStart = dirtyAtStart;
            this.settings = settings;
            long n = 0;
            for (int db = 0; db < view.databases(); db++) {
                n += view.size(db);
            }
            this.keysTotal = n;
        }
    }

    /** The view of an empty data set (the save right after FLUSHALL). */
    static final class EmptyView implements FrozenKeyspace {
        private final long at;

        private EmptyView(long at) {
            this.at = at;
        }

        static EmptyView at(long millis) {
            return new EmptyView(millis);
        }

        @Override
        public int databases() {
            return 0;
        }

        @Override
        public long size(int db) {
            return 0;
        }

        @Override
        public long expires(int db) {
            return 0;
        }

        @Override
        public void forEach(int db, FrozenEntryVisitor visitor) {
        }

        @Override
        public int pageSize() {
            return 4096;
        }

        @Override
        public long forEachInAddressOrder(OrderedVisitor visitor, PageSerializer writerSide) {
            return 0;
        }

        @Override
        public long copiedBytes() {
            return 0;
        }

        @Override
        public SnapshotCounters counters() {
            return SnapshotCounters.NONE;
        }

        @Override
        public long freezeNanos() {
            return 0;
        }

        @Override
        public long frozenAtMillis() {
            return at;
        }

        @Override
        public void close() {
        }
    }
}
