package io.cowkv.server.keyspace;

import io.cowkv.server.memory.ArenaConfig;
import io.cowkv.server.memory.SnapshotCounters;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The address-order walk of a frozen keyspace: the same entries as the bucket-order walk (16
 * databases, a dictionary in mid-rehash, external values, keys longer than a page, integers, empty
 * values, TTLs), pages given up as it goes, and a point-in-time result while another thread writes.
 */
class OrderedWalkTest extends KeyspaceFixture {
    private final long[] now = {50_000_000};

    /** A value of one of the shapes the keyspace stores differently. */
    static String value(Random rnd, int i) {
        switch (i % 9) {
            case 0: return Integer.toString(rnd.nextInt(1_000_000) - 500);           // int encoded
            case 1: return "";                                                       // empty inline
            case 2: return "v".repeat(3000) + i;                                     // external, one page
            case 3: return "w".repeat(20_000 + rnd.nextInt(5000)) + i;               // external, several pages
            case 4: return "x".repeat(1990) + i;                                     // inline near the slab limit
            default: return "value-" + i + "-" + "y".repeat(rnd.nextInt(600));       // inline
        }
    }

    static String key(int i) {
        return i % 97 == 0 ? "long-key-" + i + "-" + "k".repeat(5000) : "key:" + i; // a record longer than a page
    }

    /** Fills 16 databases; returns "db:key" -> "value|expireAt". Leaves some dictionary mid-rehash. */
    private Map<String, String> fill(int keys, Random rnd) {
        Map<String, String> model = new HashMap<>();
        for (int i = 0; i < keys; i++) {
            int db = (i * 7) % 16;
            String k = key(i);
            String v = value(rnd, i);
            Entry e = ks.db(db).setString(b(k), 0, k.length(), b(v), 0, v.length(), false);
            long exp = Entry.NO_EXPIRE;
            if (i % 5 == 0) {
                exp = i % 10 == 0 ? now[0] - 1 : now[0] + 1000 + i; // some already expired at the freeze
                ks.db(db).setExpire(e, exp);
            }
            model.put(db + ":" + k, v + "|" + exp);
        }
        return model;
    }

    private static Map<String, String> walkInOrder(FrozenKeyspace f) {
        Map<String, String> seen = new HashMap<>();
        f.forEachInAddressOrder((db, k, kl, v, vl, exp) -> {
            String prev = seen.put(db + ":" + new String(k, 0, kl, StandardCharsets.ISO_8859_1),
                    new String(v, 0, vl, StandardCharsets.ISO_8859_1) + "|" + exp);
            assertThat(prev).as("each key once").isNull();
        }, null);
        return seen;
    }

    @Test
    void visitsExactlyWhatTheBucketWalkVisits() {
        ks = new Keyspace(16, () -> now[0], ArenaConfig.of(4096, 64, true));
        Random rnd = new Random(1);
        Map<String, String> model = fill(6000, rnd);
        boolean midRehash = false;
        for (int db = 0; db < 16; db++) {
            midRehash |= ks.db(db).rehashIdx >= 0;
        }
        assertThat(midRehash).as("some dictionary is in mid-rehash at the freeze").isTrue();
        FrozenKeyspace f = ks.freeze();
        Map<String, String> byBuckets = new HashMap<>();
        for (int db = 0; db < 16; db++) {
            int d = db;
            f.forEach(db, (k, kl, v, vl, exp) -> byBuckets.put(d + ":" + new String(k, 0, kl, StandardCharsets.ISO_8859_1),
                    new String(v, 0, vl, StandardCharsets.ISO_8859_1) + "|" + exp));
        }
        assertThat(byBuckets).isEqualTo(model);
        List<String> order = new ArrayList<>();
        Map<String, String> inOrder = new HashMap<>();
        f.forEachInAddressOrder((db, k, kl, v, vl, exp) -> {
            String key = db + ":" + new String(k, 0, kl, StandardCharsets.ISO_8859_1);
            assertThat(inOrder.put(key, new String(v, 0, vl, StandardCharsets.ISO_8859_1) + "|" + exp)).isNull();
            order.add(key);
        }, null);
        assertThat(inOrder).isEqualTo(model);
        // nothing was written: the live records are the frozen ones, visited by increasing address
        long last = 0;
        for (String key : order) {
            int db = Integer.parseInt(key.substring(0, key.indexOf(':')));
            byte[] k = b(key.substring(key.indexOf(':') + 1));
            Entry e = ks.db(db).peek(k, 0, k.length);
            if (e != null) { // null: expired at the freeze, deleted by this look-up
                assertThat(e.addr).as("address of %s", key).isGreaterThan(last);
                last = e.addr;
            }
        }
        assertThatThrownBy(() -> f.forEach(0, (k, kl, v, vl, exp) -> { }))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> f.forEachInAddressOrder((db, k, kl, v, vl, exp) -> { }, null))
                .isInstanceOf(IllegalStateException.class);
        f.close();
    }

    @Test
    void theWalkOffersCheckpointsWhileItBuildsItsIndex() {
        ks = new Keyspace(16, () -> now[0], ArenaConfig.of(4096, 64, true));
        fill(3000, new Random(2));
        FrozenKeyspace f = ks.freeze();
        long[] counts = new long[3]; // checkpoints before the first key, keys, checkpoints in all
        f.forEachInAddressOrder(new FrozenKeyspace.OrderedVisitor() {
            @Override
            public void string(int db, byte[] key, int keyLen, byte[] value, int valueLen, long expireAt) {
                counts[1]++;
            }

            @Override
            public void checkpoint() {
                counts[2]++;
                if (counts[1] == 0) {
                    counts[0]++;
                }
            }
        }, null);
        f.close();
        assertThat(counts[1]).isEqualTo(3000);
        // the sorted index is built before any key is visited: one checkpoint per record read and
        // per index entry sorted at least, so a snapshot thread may yield during that phase too
        assertThat(counts[0]).as("checkpoints before the first key").isGreaterThanOrEqualTo(3 * 3000);
        assertThat(counts[2]).isEqualTo(counts[0]);
    }

    @Test
    void pagesAreGivenUpSoLaterWritesCopyNothing() {
        ks = new Keyspace(16, () -> now[0], ArenaConfig.of(4096, 64, true));
        Map<String, String> model = fill(3000, new Random(2));
        FrozenKeyspace f = ks.freeze();
        // a write before the walk copies its page (the walk still needs it)
        assertThat(model).containsEntry("7:key:1", "|-1");
        ks.db(7).setString(b("key:1"), 0, 5, b("zz"), 0, 2, false); // in place: one page
        assertThat(f.copiedBytes()).isEqualTo(4096);
        Map<String, String> seen = walkInOrder(f);
        assertThat(seen).hasSize(3000);
        assertThat(ks.arena().framesHeldForSnapshot()).isEqualTo(1);
        ks.cronResize(); // reclaims the copied-away frame: its page was released by the walk
        assertThat(ks.arena().framesHeldForSnapshot()).isZero();
        // every page was released: rewriting everything (and deleting half) copies nothing more
        Random rnd = new Random(3);
        int i = 0;
        for (String dk : model.keySet()) {
            int db = Integer.parseInt(dk.substring(0, dk.indexOf(':')));
            String k = dk.substring(dk.indexOf(':') + 1);
            if (i++ % 2 == 0) {
                ks.db(db).delete(b(k));
            } else {
                String v = value(rnd, i);
                ks.db(db).setString(b(k), 0, k.length(), b(v), 0, v.length(), false);
            }
        }
        SnapshotCounters c = f.counters();
        assertThat(c.copiedBytes()).isEqualTo(4096);
        assertThat(c.adoptedPages()).isPositive();
        assertThat(ks.arena().framesHeldForSnapshot()).as("frames of released pages go straight back").isZero();
        f.close();
    }

    @Test
    void pointInTimeWhileAnotherThreadWrites() throws Exception {
        ks = new Keyspace(16, () -> now[0], ArenaConfig.of(4096, 64, true));
        Random rnd = new Random(4);
        Map<String, String> model = fill(20_000, rnd);
        List<String> keys = new ArrayList<>(model.keySet());
        Collections.sort(keys);
        FrozenKeyspace f = ks.freeze();
        AtomicReference<Map<String, String>> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                Map<String, String> seen = new HashMap<>();
                int[] n = {0};
                f.forEachInAddressOrder((db, k, kl, v, vl, exp) -> {
                    seen.put(db + ":" + new String(k, 0, kl, StandardCharsets.ISO_8859_1),
                            new String(v, 0, vl, StandardCharsets.ISO_8859_1) + "|" + exp);
                    if (++n[0] % 200 == 0) {
                        Thread.yield();
                    }
                }, null);
                result.set(seen);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "ordered-walk-reader");
        reader.start();
        int round = 0;
        while (reader.isAlive()) {
            for (int j = 0; j < 300; j++) {
                String dk = keys.get(rnd.nextInt(keys.size()));
                int db = Integer.parseInt(dk.substring(0, dk.indexOf(':')));
                String k = dk.substring(dk.indexOf(':') + 1);
                Database d = ks.db(db);
                switch (rnd.nextInt(5)) {
                    case 0 -> d.delete(b(k));
                    case 1 -> {
                        Entry e = d.lookup(b(k));
                        if (e != null) {
                            d.setExpire(e, now[0] + rnd.nextInt(10_000));
                        }
                    }
                    case 2 -> {
                        String nk = "new:" + round + ":" + j;
                        d.setString(b(nk), 0, nk.length(), b("fresh"), 0, 5, false);
                    }
                    default -> {
                        String v = value(rnd, rnd.nextInt(1000));
                        d.setString(b(k), 0, k.length(), b(v), 0, v.length(), false);
                    }
                }
            }
            ks.cronResize();
            round++;
        }
        reader.join();
        if (failure.get() != null) {
            throw new AssertionError("walk failed", failure.get());
        }
        assertThat(result.get()).isEqualTo(model);
        SnapshotCounters c = f.counters();
        assertThat(c.adoptedPages()).as("released pages were adopted").isPositive();
        f.close();
    }
    /**
     * The walk's per-page counters live in native memory: on the heap (two {@code int[]}s) they
     * were humongous objects at a few hundred thousand pages, and every save's allocation of them
     * started a G1 concurrent cycle. What the walk still allocates on the heap is about two bytes
     * per page (shape, claim) plus fixed buffers.
     */
    @Test
    void theWalkKeepsItsPerPageCountersOffTheHeap() {
        ks = new Keyspace(1, () -> now[0], ArenaConfig.of(4096, 64, true));
        byte[] v = new byte[16 * 1024]; // an external value of four pages: few records, many pages
        for (int i = 0; i < 12_500; i++) {
            String k = "key:" + i;
            ks.db(0).setString(b(k), 0, k.length(), v, 0, v.length, false);
        }
        FrozenKeyspace f = ks.freeze();
        long pages = ks.arena().totalFrames();
        assertThat(pages).as("enough pages that per-page heap arrays would dominate").isGreaterThan(50_000);
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        long[] visited = {0};
        f.forEachInAddressOrder((db, k, kl, val, vl, exp) -> visited[0]++, null); // warm up the reader's buffers
        f.close();
        f = ks.freeze();
        long before = bean.getThreadAllocatedBytes(self);
        f.forEachInAddressOrder((db, k, kl, val, vl, exp) -> visited[0]++, null);
        long allocated = bean.getThreadAllocatedBytes(self) - before;
        f.close();
        assertThat(visited[0]).isEqualTo(25_000);
        assertThat(allocated).as("heap bytes of one walk over %d pages", pages).isLessThan(2L * pages + 96 * 1024);
    }
}
