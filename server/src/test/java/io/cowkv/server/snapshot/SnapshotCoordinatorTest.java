package io.cowkv.server.snapshot;

import io.cowkv.server.config.ConfigLoader;
import io.cowkv.server.config.ServerConfig;
import io.cowkv.server.keyspace.Database;
import io.cowkv.server.keyspace.FrozenKeyspace;
import io.cowkv.server.keyspace.Keyspace;
import io.cowkv.server.metrics.ServerStats;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coordinator with an injected clock, keyspace thread (a hand-driven queue) and snapshot
 * thread (another hand-driven queue), so every interleaving is chosen by the test.
 */
class SnapshotCoordinatorTest {
    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
    private final Dumps.ManualExecutor keyspaceThread = new Dumps.ManualExecutor();
    private final Dumps.ManualExecutor snapshotThread = new Dumps.ManualExecutor();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final ServerStats stats = new ServerStats();
    private Keyspace keyspace;
    private ServerConfig config;
    private SnapshotCoordinator snapshots;
    private Supplier<FrozenKeyspace> freezer;

    private long slabsBefore;

    @org.junit.jupiter.api.AfterEach
    void closeKeyspace() {
        snapshots.close();
        keyspace.close();
        assertThat(WriterBlocks.SlabPool.outstandingBytes()).as("writer slabs freed").isEqualTo(slabsBefore);
    }

    @BeforeEach
    void setUp() throws Exception {
        slabsBefore = WriterBlocks.SlabPool.outstandingBytes();
        keyspace = new Keyspace(16, clock::get);
        config = ConfigLoader.load(new String[]{"--dir", dir.toString(), "--save", "3600 1 300 100"});
        freezer = () -> keyspace.freeze();
        snapshots = newCoordinator();
    }

    private SnapshotCoordinator newCoordinator() {
        return new SnapshotCoordinator(config, () -> freezer.get(), stats, clock::get, keyspaceThread, snapshotThread,
                SnapshotLog.of(m -> log.add("* " + m), m -> log.add("# " + m)), "7.0.15", () -> 1234);
    }

    private void set(int db, String k, String v, long expireAt) {
        Database d = keyspace.db(db);
        byte[] kb = k.getBytes(StandardCharsets.UTF_8);
        byte[] vb = v.getBytes(StandardCharsets.UTF_8);
        var e = d.setString(kb, 0, kb.length, vb, 0, vb.length, false);
        if (expireAt > 0) {
            d.setExpire(e, expireAt);
        }
        stats.dirty++;
    }

    private Path dump() {
        return dir.resolve("dump.rdb");
    }

    private List<Path> tempFiles() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("temp-")).toList();
        }
    }

    @Test
    void theSnapshotThreadIsStartedOnceAndRunsEverySave() throws Exception {
        java.util.concurrent.Executor saves = SnapshotCoordinator.snapshotThread();
        // started by the call, before any save: a BGSAVE then only wakes it
        assertThat(((java.util.concurrent.ThreadPoolExecutor) saves).getPoolSize()).isEqualTo(1);
        List<Thread> ran = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            saves.execute(() -> {
                ran.add(Thread.currentThread());
                done.countDown();
            });
        }
        assertThat(done.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasSize(3).allSatisfy(t -> {
            assertThat(t).isSameAs(ran.get(0));
            assertThat(t.getName()).isEqualTo("cowkv-bgsave");
            assertThat(t.isDaemon()).isTrue();
        });
        assertThat(((java.util.concurrent.ThreadPoolExecutor) saves).getPoolSize()).isEqualTo(1);
        ((java.util.concurrent.ExecutorService) saves).shutdown();
    }

    @Test
    void bgsaveWritesThePointInTimeAndClosesOnTheKeyspaceThread() throws Exception {
        long ttl = clock.get() + 100_000;
        set(0, "a", "1", 0);
        set(0, "b", "two", ttl);
        set(3, "c", "x".repeat(100), 0);
        set(0, "gone", "expired", clock.get() - 1); // expired but not yet deleted at the freeze
        assertThat(snapshots.bgsave()).isEqualTo(SnapshotCoordinator.BgsaveReply.STARTED);
        assertThat(snapshots.figures().bgsaveInProgress()).isTrue();
        assertThat(snapshots.figures().totalForks()).isEqualTo(1);
        assertThat(snapshots.figures().keysTotal()).isEqualTo(4);

        // writes after the freeze must not reach the dump
        set(0, "a", "changed", 0);
        keyspace.db(0).delete("b".getBytes(StandardCharsets.UTF_8));
        stats.dirty++;
        set(1, "new", "key", 0);
        assertThat(snapshots.bgsave()).isEqualTo(SnapshotCoordinator.BgsaveReply.IN_PROGRESS);
        assertThat(snapshots.save()).isEqualTo(SnapshotCoordinator.SaveReply.IN_PROGRESS);

        snapshotThread.runAll(); // the snapshot thread writes and renames
        assertThat(Files.exists(dump())).isTrue();
        assertThat(tempFiles()).isEmpty();
        assertThat(Dumps.read(dump())).containsExactly(
                Map.entry("0:a", "1|-1"), Map.entry("0:b", "two|" + ttl), Map.entry("3:c", "x".repeat(100) + "|-1"));
        // not accounted until the keyspace thread has closed the view
        assertThat(snapshots.figures().bgsaveInProgress()).isTrue();
        assertThat(snapshots.figures().keysProcessed()).isEqualTo(4);
        assertThat(stats.dirty).isEqualTo(7);

        clock.addAndGet(2500);
        keyspaceThread.runAll();
        SnapshotCoordinator.Figures f = snapshots.figures();
        assertThat(f.bgsaveInProgress()).isFalse();
        assertThat(f.lastBgsaveOk()).isTrue();
        assertThat(f.lastBgsaveTimeSec()).isEqualTo(2);
        assertThat(f.changesSinceLastSave()).isEqualTo(3); // the writes made during the save
        assertThat(f.lastSaveTime()).isEqualTo(clock.get() / 1000);
        assertThat(f.saves()).isEqualTo(1);
        assertThat(log).anyMatch(l -> l.startsWith("* Background saving started"))
                .contains("* Background saving terminated with success")
                .anyMatch(l -> l.startsWith("* BGSAVE done, 3 keys saved, 1 keys skipped"));
        // the view was closed: a new freeze works
        assertThat(snapshots.save()).isEqualTo(SnapshotCoordinator.SaveReply.OK);
        assertThat(Dumps.read(dump())).containsEntry("0:a", "changed|-1").containsEntry("1:new", "key|-1")
                .doesNotContainKey("0:b");
        assertThat(stats.dirty).isZero();
    }

    @Test
    void failedBgsaveDeletesTheTempFileAndRefusesWritesUntilASaveSucceeds() throws Exception {
        set(0, "a", "1", 0);
        Files.createDirectory(dump()); // rename(temp, dump.rdb) fails: "Is a directory"
        assertThat(snapshots.bgsave()).isEqualTo(SnapshotCoordinator.BgsaveReply.STARTED);
        snapshotThread.runAll();
        keyspaceThread.runAll();
        assertThat(tempFiles()).isEmpty();
        assertThat(snapshots.figures().lastBgsaveOk()).isFalse();
        assertThat(snapshots.writesRefused()).isTrue();
        assertThat(log).anyMatch(l -> l.startsWith("# Error moving temp DB file") && l.contains("Is a directory"))
                .contains("# Background saving error");

        config.set("stop-writes-on-bgsave-error", "no", false);
        assertThat(snapshots.writesRefused()).isFalse();
        config.set("stop-writes-on-bgsave-error", "yes", false);
        config.set("save", "", false);
        assertThat(snapshots.writesRefused()).isFalse();
        config.set("save", "3600 1", false);
        assertThat(snapshots.writesRefused()).isTrue();

        // a failed SAVE neither clears nor sets the status (Redis 7.0)
        assertThat(snapshots.save()).isEqualTo(SnapshotCoordinator.SaveReply.FAILED);
        assertThat(tempFiles()).isEmpty();
        assertThat(snapshots.writesRefused()).isTrue();

        Files.delete(dump());
        assertThat(snapshots.save()).isEqualTo(SnapshotCoordinator.SaveReply.OK);
        assertThat(snapshots.writesRefused()).isFalse();
        assertThat(Dumps.read(dump())).containsOnlyKeys("0:a");
    }

    @Test
    void aFailureWhileWritingLeavesThePreviousDumpByteForByte() throws Exception {
        set(0, "a", "1", 0);
        assertThat(snapshots.save()).isEqualTo(SnapshotCoordinator.SaveReply.OK);
        byte[] before = Files.readAllBytes(dump());
        for (int i = 0; i < 1000; i++) {
            set(0, "k" + i, "v" + i, 0);
        }
        // a view that breaks half-way through the walk
        freezer = () -> new FailingView(keyspace.freeze(), 500);
        assertThat(snapshots.bgsave()).isEqualTo(SnapshotCoordinator.BgsaveReply.STARTED);
        snapshotThread.runAll();
        keyspaceThread.runAll();
        assertThat(Files.readAllBytes(dump())).isEqualTo(before);
        assertThat(tempFiles()).isEmpty();
        assertThat(snapshots.figures().lastBgsaveOk()).isFalse();
        assertThat(log).anyMatch(l -> l.contains("Background save failed") || l.contains("Write error"));
    }

    @Test
    void savePointsTriggerOnTheCronAndRetryAfterFiveSecondsOnFailure() throws Exception {
        snapshots.cron();
        assertThat(snapshots.figures().bgsaveInProgress()).isFalse();
        set(0, "a", "1", 0);
        clock.addAndGet(3600_000); // exactly 3600 s: Redis wants more than that
        snapshots.cron();
        assertThat(snapshots.figures().bgsaveInProgress()).isFalse();
        clock.addAndGet(1000);
        Files.createDirectory(dump());
        snapshots.cron();
        assertThat(snapshots.figures().bgsaveInProgress()).isTrue();
        assertThat(log).contains("* 1 changes in 3600 seconds. Saving...");
        snapshotThread.runAll();
        keyspaceThread.runAll();
        assertThat(snapshots.figures().lastBgsaveOk()).isFalse();
        Files.delete(dump());
        clock.addAndGet(5000);
        snapshots.cron();
        assertThat(snapshots.figures().bgsaveInProgress()).as("retry waits more than 5 s").isFalse();
        clock.addAndGet(1000);
        snapshots.cron();
        assertThat(snapshots.figures().bgsaveInProgress()).isTrue();
        snapshotThread.runAll();
        keyspaceThread.runAll();
        assertThat(snapshots.figures().lastBgsaveOk()).isTrue();
        assertThat(stats.dirty).isZero();
    }

    @Test
    void flushAllCancelsARunningBgsaveAndSavesTheEmptyDataSet() throws Exception {
        set(0, "a", "1", 0);
        assertThat(snapshots.bgsave()).isEqualTo(SnapshotCoordinator.BgsaveReply.STARTED);
        keyspace.flushAll();
        snapshots.flushedAll();
        assertThat(Dumps.read(dump())).isEmpty();
        assertThat(stats.dirty).isZero();
        snapshotThread.runAll(); // the cancelled save must not replace the new dump
        keyspaceThread.runAll();
        assertThat(Dumps.read(dump())).isEmpty();
        assertThat(tempFiles()).isEmpty();
        assertThat(snapshots.figures().lastBgsaveOk()).as("a cancelled save is no failure").isTrue();
        assertThat(snapshots.figures().bgsaveInProgress()).isFalse();
        assertThat(snapshots.figures().saves()).isEqualTo(1);
        assertThat(log).contains("# Background saving terminated: cancelled by FLUSHALL");
    }

    @Test
    void flushAllWithoutSavePointsWritesNothing() throws Exception {
        config.set("save", "", false);
        set(0, "a", "1", 0);
        keyspace.flushAll();
        snapshots.flushedAll();
        assertThat(Files.exists(dump())).isFalse();
    }

    @Test
    void shutdownSavesOnlyWhenAskedOrWithSavePoints() throws Exception {
        set(0, "a", "1", 0);
        assertThat(snapshots.prepareShutdown(false)).isTrue();
        assertThat(Files.exists(dump())).isFalse();
        assertThat(snapshots.prepareShutdown(null)).isTrue();
        assertThat(Dumps.read(dump())).containsOnlyKeys("0:a");
        Files.delete(dump());
        config.set("save", "", false);
        assertThat(snapshots.prepareShutdown(null)).isTrue();
        assertThat(Files.exists(dump())).isFalse();
        assertThat(snapshots.prepareShutdown(true)).isTrue();
        assertThat(Files.exists(dump())).isTrue();
        Files.delete(dump());
        Files.createDirectory(dump());
        assertThat(snapshots.prepareShutdown(true)).isFalse();
        assertThat(log).contains("# Error trying to save the DB, can't exit.");
    }

    @Test
    void shutdownStopsARunningBgsaveFirst() throws Exception {
        set(0, "a", "1", 0);
        SnapshotCoordinator threaded = new SnapshotCoordinator(config, () -> keyspace.freeze(), stats, clock::get,
                keyspaceThread, SnapshotCoordinator.snapshotThread(), SnapshotLog.NONE, "7.0.15", () -> 0);
        config.set("rdb-key-save-delay", "1000000", false); // one second per key: still running
        assertThat(threaded.bgsave()).isEqualTo(SnapshotCoordinator.BgsaveReply.STARTED);
        config.set("rdb-key-save-delay", "0", false);
        set(0, "b", "2", 0);
        assertThat(threaded.prepareShutdown(null)).isTrue();
        threaded.close();
        assertThat(Dumps.read(dump())).containsOnlyKeys("0:a", "0:b");
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void interleavedDatabasesGetASelectdbAtEveryChangeAndLoadBack() throws Exception {
        Map<String, String> expected = new java.util.TreeMap<>();
        long ttl = clock.get() + 500_000;
        for (int i = 0; i < 3000; i++) {
            int db = (i * 5) % 16;
            String v = i % 3 == 0 ? Integer.toString(i) : "v" + i + "x".repeat(i % 300);
            set(db, "k" + i, v, i % 4 == 0 ? ttl + i : 0);
            expected.put(db + ":k" + i, v + "|" + (i % 4 == 0 ? ttl + i : -1));
        }
        assertThat(snapshots.save()).isEqualTo(SnapshotCoordinator.SaveReply.OK);
        assertThat(Dumps.read(dump())).isEqualTo(expected);

        // size hints first (one SELECTDB + RESIZEDB per database), then a SELECTDB at every change
        List<String> ops = new ArrayList<>();
        try (var in = Files.newInputStream(dump())) {
            io.cowkv.rdb.RdbReader.read(in, new io.cowkv.rdb.RdbVisitor() {
                long db = -1;

                @Override
                public void selectDb(long d) {
                    ops.add("select " + d);
                    db = d;
                }

                @Override
                public void resizeDb(long size, long expires) {
                    ops.add("resize " + db + " " + size + " " + expires);
                }

                @Override
                public void beginKey(io.cowkv.rdb.RdbKeyInfo k) {
                    assertThat(k.db()).isEqualTo(db);
                    if (!ops.get(ops.size() - 1).equals("key")) {
                        ops.add("key");
                    }
                }
            });
        }
        for (int db = 0; db < 16; db++) {
            assertThat(ops.get(2 * db)).isEqualTo("select " + db);
            assertThat(ops.get(2 * db + 1)).startsWith("resize " + db + " " + keyspace.db(db).size() + " ");
        }
        long selects = ops.stream().filter(o -> o.startsWith("select")).count();
        assertThat(selects).as("databases interleave in address order").isGreaterThan(100);
        assertThat(ops.stream().filter(o -> o.startsWith("resize")).count()).isEqualTo(16);

        Keyspace loaded = new Keyspace(16, clock::get);
        try {
            DumpLoader.Result r = DumpLoader.load(dump(), loaded, clock.get());
            assertThat(r.keysLoaded()).isEqualTo(3000);
            for (int db = 0; db < 16; db++) {
                assertThat(loaded.db(db).size()).isEqualTo(keyspace.db(db).size());
            }
        } finally {
            loaded.close();
        }
    }

    @Test
    void checksumOffWritesAZeroChecksum() throws Exception {
        config.set("rdbchecksum", "no", true);
        set(0, "a", "1", 0);
        assertThat(snapshots.save()).isEqualTo(SnapshotCoordinator.SaveReply.OK);
        byte[] b = Files.readAllBytes(dump());
        for (int i = b.length - 8; i < b.length; i++) {
            assertThat(b[i]).isZero();
        }
        assertThat(Dumps.read(dump())).containsOnlyKeys("0:a");
    }

    /** Delegates to a real view but fails after {@code limit} keys (a disk that breaks mid-save). */
    private static final class FailingView implements FrozenKeyspace {
        private final FrozenKeyspace v;
        private final int limit;

        FailingView(FrozenKeyspace v, int limit) {
            this.v = v;
            this.limit = limit;
        }

        @Override
        public int databases() {
            return v.databases();
        }

        @Override
        public long size(int db) {
            return v.size(db);
        }

        @Override
        public long expires(int db) {
            return v.expires(db);
        }

        @Override
        public void forEach(int db, FrozenEntryVisitor visitor) {
            int[] n = {0};
            v.forEach(db, (k, kl, val, vl, exp) -> {
                if (++n[0] > limit) {
                    throw new IllegalStateException("simulated failure");
                }
                visitor.string(k, kl, val, vl, exp);
            });
        }

        @Override
        public int pageSize() {
            return v.pageSize();
        }

        @Override
        public long forEachInAddressOrder(OrderedVisitor visitor, PageSerializer writerSide) {
            int[] n = {0};
            return v.forEachInAddressOrder((db, k, kl, val, vl, exp) -> {
                if (++n[0] > limit) {
                    throw new IllegalStateException("simulated failure");
                }
                visitor.string(db, k, kl, val, vl, exp);
            }, writerSide);
        }

        @Override
        public long copiedBytes() {
            return v.copiedBytes();
        }

        @Override
        public io.cowkv.server.memory.SnapshotCounters counters() {
            return v.counters();
        }

        @Override
        public long freezeNanos() {
            return v.freezeNanos();
        }

        @Override
        public long frozenAtMillis() {
            return v.frozenAtMillis();
        }

        @Override
        public void close() {
            v.close();
        }
    }
}
