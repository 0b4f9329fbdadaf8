package io.cowkv.server.snapshot;

import io.cowkv.server.keyspace.Database;
import io.cowkv.server.keyspace.Entry;
import io.cowkv.server.keyspace.FrozenKeyspace;
import io.cowkv.server.keyspace.Keyspace;
import io.cowkv.server.memory.Arena;
import io.cowkv.server.memory.ArenaConfig;
import io.cowkv.server.memory.SnapshotCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dump written on a snapshot thread while this thread (the keyspace thread) keeps writing: the
 * keyspace thread serializes pages the walk has not reached, the snapshot thread splices them in,
 * and the file holds exactly the data at the freeze. No block is lost, every frame comes back.
 */
class ConcurrentDumpTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void dumpIsPointInTimeWhileTheKeyspaceThreadSerializesPages() throws Exception {
        long[] now = {1_800_000_000_000L};
        Keyspace ks = new Keyspace(16, () -> now[0], ArenaConfig.of(4096, 64, true));
        FrozenKeyspace view = null;
        WriterBlocks blocks = null;
        Thread snapshot = null;
        long slabsBefore = WriterBlocks.SlabPool.outstandingBytes();
        try {
            Map<String, String> atFreeze = new TreeMap<>();
            int keys = 40_000;
            for (int i = 0; i < keys; i++) {
                int db = (i * 3) % 16;
                String k = "key:" + i;
                String v = i % 9 == 0 ? Integer.toString(i * 7) : i % 97 == 0 ? "e".repeat(2500) : "value-" + i + "-" + "z".repeat(i % 90);
                Entry e = ks.db(db).setString(b(k), 0, k.length(), b(v), 0, v.length(), false);
                long exp = -1;
                if (i % 5 == 0) {
                    exp = i % 10 == 0 ? now[0] - 5 : now[0] + 60_000 + i; // half of them expired at the freeze
                    ks.db(db).setExpire(e, exp);
                }
                if (exp == -1 || exp > now[0]) {
                    atFreeze.put(db + ":" + k, v + "|" + exp);
                }
            }
            FrozenKeyspace frozen = ks.freeze();
            view = frozen;
            blocks = new WriterBlocks(view.pageSize(), view.frozenAtMillis());
            WriterBlocks writerSide = blocks;
            DumpFile.Settings settings = new DumpFile.Settings(dir, "dump.rdb", "temp-test.rdb", true, true, "7.0.15",
                    1234, 5, 0); // no yields: they can stretch phase 1 until the writer has copied every page
            AtomicLong progress = new AtomicLong();
            AtomicReference<Object> outcome = new AtomicReference<>();
            snapshot = new Thread(() -> {
                try {
                    outcome.set(DumpFile.write(frozen, settings, progress, new Cancellation(), writerSide));
                } catch (Throwable t) {
                    outcome.set(t);
                }
            }, "snapshot");
            snapshot.start();
            Random rnd = new Random(5);
            int round = 0;
            while (snapshot.isAlive()) {
                for (int j = 0; j < 100; j++) {
                    int i = rnd.nextInt(keys);
                    Database d = ks.db((i * 3) % 16);
                    String k = "key:" + i;
                    switch (rnd.nextInt(5)) {
                        case 0 -> d.delete(b(k));
                        case 1 -> {
                            String nk = "new:" + round + ":" + j;
                            d.setString(b(nk), 0, nk.length(), b("fresh"), 0, 5, false);
                        }
                        case 2 -> {
                            Entry e = d.lookup(b(k));
                            if (e != null) {
                                d.setExpire(e, now[0] + 1);
                            }
                        }
                        default -> {
                            String v = "changed-" + round + "-" + "q".repeat(rnd.nextInt(90));
                            d.setString(b(k), 0, k.length(), b(v), 0, v.length(), false);
                        }
                    }
                }
                ks.cronResize();
                round++;
                Thread.yield();
            }
            snapshot.join();
            assertThat(outcome.get()).isInstanceOf(DumpFile.Result.class);
            DumpFile.Result r = (DumpFile.Result) outcome.get();
            assertThat(r.keysSaved()).isEqualTo(atFreeze.size());
            assertThat(r.keysSaved() + r.keysSkipped()).isEqualTo(keys);
            assertThat(progress.get()).isEqualTo(keys);
            assertThat(Dumps.read(dir.resolve("dump.rdb"))).isEqualTo(atFreeze);

            assertThat(blocks.pages()).as("pages serialized by the keyspace thread").isPositive();
            assertThat(blocks.bytes()).isPositive();
            assertThat(blocks.peakWaitingBytes()).isPositive();
            assertThat(blocks.waitingBlocks()).as("every block spliced").isZero();
            assertThat(blocks.freeBlocks()).as("every block back for reuse").isEqualTo(blocks.allocatedBlocks());
            SnapshotCounters c = view.counters();
            assertThat(c.preservedPages()).isEqualTo(blocks.pages());
            long copiedPages = c.copiedBytes() / 4096;
            assertThat(copiedPages).as("copied pages < pages touched").isLessThan(copiedPages + c.adoptedPages());
            view.close();
            ks.flushAll();
            assertThat(ks.arena().freeFrames()).isEqualTo(ks.arena().totalFrames());
        } finally {
            if (snapshot != null) {
                snapshot.join(10_000);
            }
            if (blocks != null && !snapshot.isAlive()) {
                blocks.returnSlabs(); // native: only once the snapshot thread can no longer read them
            }
            if (view != null) {
                view.close(); // idempotent; an open view would keep the arena from closing
            }
            ks.close();
        }
        assertThat(Arena.globalNativeBytesReserved()).isZero();
        assertThat(Arena.globalMetadataBytes()).isZero();
        assertThat(WriterBlocks.SlabPool.outstandingBytes()).as("writer slabs freed").isEqualTo(slabsBefore);
    }

    @Test
    void aSaveThatYieldsItsCoreWritesTheSameDump() throws Exception {
        long[] now = {1_800_000_000_000L};
        Keyspace ks = new Keyspace(16, () -> now[0], ArenaConfig.of(4096, 64, true));
        FrozenKeyspace view = null;
        try {
            Map<String, String> atFreeze = new TreeMap<>();
            for (int i = 0; i < 20_000; i++) {
                int db = i % 16;
                String k = "key:" + i;
                String v = "value-" + i + "-" + "y".repeat(i % 300);
                ks.db(db).setString(b(k), 0, k.length(), b(v), 0, v.length(), false);
                atFreeze.put(db + ":" + k, v + "|-1");
            }
            view = ks.freeze();
            // a yield after every microsecond of work: many of them, in both phases of the walk
            DumpFile.Settings settings = new DumpFile.Settings(dir, "dump.rdb", "temp-test.rdb", true, true, "7.0.15",
                    1234, 0, 1);
            DumpFile.Result r = DumpFile.write(view, settings, new AtomicLong(), new Cancellation());
            assertThat(r.coreYields()).as("yields of the snapshot thread's core").isPositive();
            assertThat(r.keysSaved()).isEqualTo(atFreeze.size());
            assertThat(Dumps.read(dir.resolve("dump.rdb"))).isEqualTo(atFreeze);
        } finally {
            if (view != null) {
                view.close();
            }
            ks.close();
        }
        assertThat(Arena.globalNativeBytesReserved()).isZero();
    }
}
