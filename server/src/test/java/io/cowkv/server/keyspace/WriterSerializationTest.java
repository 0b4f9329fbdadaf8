package io.cowkv.server.keyspace;

import io.cowkv.server.memory.ArenaConfig;
import io.cowkv.server.memory.SnapshotCounters;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page claims between the address-order walk (snapshot thread) and the keyspace thread's
 * write barrier: a page the walk is reading is copied, a page the walk has not reached is
 * serialized by the keyspace thread and adopted, and the walk plus the serialized pages give
 * every frozen key exactly once.
 */
class WriterSerializationTest extends KeyspaceFixture {
    private final long[] now = {80_000_000};

    /** Collects what the keyspace thread serializes; keyspace thread only (read after the walk). */
    static final class Collector implements FrozenKeyspace.PageSerializer {
        final Map<String, String> records = new HashMap<>();
        final List<Integer> pages = new ArrayList<>();
        int room = Integer.MAX_VALUE;
        boolean inPage;
        Throwable failure;

        @Override
        public boolean canTakePage() {
            return room > 0;
        }

        @Override
        public void beginPage(int page) {
            assertThat(inPage).isFalse();
            inPage = true;
            pages.add(page);
            room--;
        }

        @Override
        public void string(int db, byte[] key, int keyLen, byte[] value, int valueLen, long expireAt) {
            assertThat(inPage).isTrue();
            String prev = records.put(db + ":" + new String(key, 0, keyLen, StandardCharsets.ISO_8859_1),
                    new String(value, 0, valueLen, StandardCharsets.ISO_8859_1) + "|" + expireAt);
            assertThat(prev).isNull();
        }

        @Override
        public void endPage() {
            inPage = false;
        }

        @Override
        public void failed(Throwable t) {
            failure = t;
        }
    }

    static String smallValue(int i) {
        String v = "value-" + i + "-";
        return v + "p".repeat(80 - v.length()); // records of one size class: pages of small records only
    }

    /** 16 databases of small inline records, plus integers, external values and TTLs elsewhere. */
    private Map<String, String> fill(int keys) {
        Map<String, String> model = new HashMap<>();
        for (int i = 0; i < keys; i++) {
            int db = i % 16;
            String k = "k" + i;
            String v = i % 10 == 3 ? Integer.toString(i) : i % 50 == 7 ? "x".repeat(3000 + i) : smallValue(i);
            Entry e = ks.db(db).setString(b(k), 0, k.length(), b(v), 0, v.length(), false);
            long exp = Entry.NO_EXPIRE;
            if (i % 6 == 0) {
                exp = now[0] + 1000 + i;
                ks.db(db).setExpire(e, exp);
            }
            model.put(db + ":" + k, v + "|" + exp);
        }
        return model;
    }

    private long pageOf(int i) {
        return ks.db(i % 16).peek(b("k" + i), 0, ("k" + i).length()).addr >>> 12;
    }

    private void overwrite(int i, String v) {
        String k = "k" + i;
        ks.db(i % 16).setString(b(k), 0, k.length(), b(v), 0, v.length(), true);
    }

    @Test
    void aPageTheWalkIsReadingIsCopiedAPageAheadIsSerializedByTheWriter() throws Exception {
        ks = new Keyspace(16, () -> now[0], ArenaConfig.of(4096, 64, true));
        int keys = 8000;
        Map<String, String> model = fill(keys);
        int blockAt = 4001; // a small-record key in the middle
        long blockPage = pageOf(blockAt);
        int samePage = -1;
        List<Integer> ahead = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            if (i % 10 == 3 || i % 50 == 7) {
                continue;
            }
            long p = pageOf(i);
            if (p == blockPage && i != blockAt) {
                samePage = i;
            } else if (p > blockPage + 1) {
                ahead.add(i);
            }
        }
        assertThat(samePage).as("another key on the page of k" + blockAt).isNotNegative();
        assertThat(ahead).hasSizeGreaterThan(100);

        FrozenKeyspace f = ks.freeze();
        Collector writer = new Collector();
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        Map<String, String> walked = new HashMap<>();
        AtomicLong taken = new AtomicLong(-1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        String blockKey = (blockAt % 16) + ":k" + blockAt;
        Thread walker = new Thread(() -> {
            try {
                taken.set(f.forEachInAddressOrder((db, k, kl, v, vl, exp) -> {
                    String key = db + ":" + new String(k, 0, kl, StandardCharsets.ISO_8859_1);
                    assertThat(walked.put(key, new String(v, 0, vl, StandardCharsets.ISO_8859_1) + "|" + exp)).isNull();
                    if (key.equals(blockKey)) {
                        reached.countDown();
                        await(go);
                    }
                }, writer));
            } catch (Throwable t) {
                failure.set(t);
                reached.countDown();
            }
        }, "walker");
        walker.start();
        assertThat(reached.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(failure.get()).isNull();

        // the walk holds the claim of blockPage: the keyspace thread copies it
        overwrite(samePage, smallValue(-samePage));
        assertThat(f.copiedBytes()).isEqualTo(4096);
        assertThat(writer.pages).isEmpty();
        // pages ahead of the walk: serialized by the keyspace thread, adopted, nothing copied
        for (int i : ahead) {
            overwrite(i, smallValue(-i));
        }
        assertThat(f.copiedBytes()).isEqualTo(4096);
        assertThat(writer.pages).isNotEmpty();
        assertThat(writer.pages).doesNotContain((int) blockPage);
        SnapshotCounters c = f.counters();
        assertThat(c.preservedPages()).isEqualTo(writer.pages.size());
        assertThat(c.adoptedPages()).isGreaterThanOrEqualTo(writer.pages.size());

        go.countDown();
        walker.join();
        assertThat(failure.get()).isNull();
        assertThat(writer.failure).isNull();
        assertThat(taken.get()).as("pages the walk skipped").isEqualTo(writer.pages.size());
        assertThat(walked.keySet()).doesNotContainAnyElementsOf(writer.records.keySet());
        Map<String, String> all = new HashMap<>(walked);
        all.putAll(writer.records);
        assertThat(all).isEqualTo(model);
        long pagesTouched = c.adoptedPages() + f.copiedBytes() / 4096;
        assertThat(f.copiedBytes() / 4096).as("copied pages < pages touched").isLessThan(pagesTouched);
        f.close();
    }

    @Test
    void noRoomOnTheWriterSideMeansCopy() {
        ks = new Keyspace(16, () -> now[0], ArenaConfig.of(4096, 64, true));
        Map<String, String> model = fill(2000);
        FrozenKeyspace f = ks.freeze();
        Collector writer = new Collector();
        writer.room = 0;
        Map<String, String> walked = new HashMap<>();
        // the walk runs on this thread; writes happen from its visitor, i.e. "concurrently"
        int[] n = {0};
        long taken = f.forEachInAddressOrder((db, k, kl, v, vl, exp) -> {
            walked.put(db + ":" + new String(k, 0, kl, StandardCharsets.ISO_8859_1),
                    new String(v, 0, vl, StandardCharsets.ISO_8859_1) + "|" + exp);
            if (n[0]++ == 100) {
                for (int i = 0; i < 2000; i += 3) {
                    if (i % 10 != 3 && i % 50 != 7) {
                        overwrite(i, smallValue(-i));
                    }
                }
            }
        }, writer);
        assertThat(taken).isZero();
        assertThat(writer.pages).isEmpty();
        assertThat(f.copiedBytes()).isPositive();
        assertThat(walked).isEqualTo(model);
        f.close();
    }

    @Test
    void pointInTimeWithRandomWritesWhileBothSidesSerialize() throws Exception {
        ks = new Keyspace(16, () -> now[0], ArenaConfig.of(4096, 64, true));
        int keys = 30_000;
        Map<String, String> model = fill(keys);
        Random rnd = new Random(11);
        FrozenKeyspace f = ks.freeze();
        Collector writer = new Collector();
        Map<String, String> walked = new HashMap<>();
        AtomicLong taken = new AtomicLong(-1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean indexBuilt = new java.util.concurrent.atomic.AtomicBoolean();
        Thread walker = new Thread(() -> {
            try {
                int[] n = {0};
                taken.set(f.forEachInAddressOrder((db, k, kl, v, vl, exp) -> {
                    indexBuilt.set(true);
                    walked.put(db + ":" + new String(k, 0, kl, StandardCharsets.ISO_8859_1),
                            new String(v, 0, vl, StandardCharsets.ISO_8859_1) + "|" + exp);
                    if (++n[0] % 100 == 0) {
                        sleepMicros(200);
                    }
                }, writer));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "walker");
        walker.start();
        // Writes before the walk's index is built all copy (nothing can be serialized yet); on a
        // busy machine they could copy every page, so start writing when the walk visits records.
        while (!indexBuilt.get() && walker.isAlive()) {
            Thread.onSpinWait();
        }
        int round = 0;
        while (walker.isAlive()) {
            for (int j = 0; j < 200; j++) {
                int i = rnd.nextInt(keys);
                Database d = ks.db(i % 16);
                String k = "k" + i;
                switch (rnd.nextInt(6)) {
                    case 0 -> d.delete(b(k));
                    case 1 -> {
                        Entry e = d.lookup(b(k));
                        if (e != null) {
                            d.setExpire(e, now[0] + 1 + rnd.nextInt(100));
                        }
                    }
                    case 2 -> {
                        String nk = "new:" + round + ":" + j;
                        d.setString(b(nk), 0, nk.length(), b("fresh"), 0, 5, false);
                    }
                    case 3 -> overwrite(i, Integer.toString(rnd.nextInt()));
                    default -> overwrite(i, smallValue(rnd.nextInt(1000)));
                }
            }
            ks.cronResize();
            round++;
            Thread.yield();
        }
        walker.join();
        assertThat(failure.get()).isNull();
        assertThat(writer.failure).isNull();
        assertThat(writer.pages).as("the keyspace thread serialized pages").isNotEmpty();
        assertThat(taken.get()).isEqualTo(writer.pages.size());
        assertThat(walked.keySet()).doesNotContainAnyElementsOf(writer.records.keySet());
        Map<String, String> all = new HashMap<>(walked);
        all.putAll(writer.records);
        assertThat(all).isEqualTo(model);
        SnapshotCounters c = f.counters();
        assertThat(c.preservedPages()).isEqualTo(writer.pages.size());
        assertThat(c.copiedBytes() / 4096).as("copied pages < pages touched")
                .isLessThan(c.copiedBytes() / 4096 + c.adoptedPages());
        f.close();
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleepMicros(long us) {
        java.util.concurrent.locks.LockSupport.parkNanos(us * 1000);
    }
}
