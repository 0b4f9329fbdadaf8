package io.cowkv.server.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A reader thread walks a frozen view while the owner thread rewrites, frees and reallocates the
 * same data heavily (reusing the same logical addresses). The reader must always see exactly the
 * bytes of freeze time: no torn or changed data.
 */
class FrozenViewConcurrencyTest {

    @AfterEach
    void leakCheck() {
        LeakChecks.assertNoNativeMemory();
    }

    static byte pattern(int id, int j, int version) {
        return (byte) (id * 31 + j * 7 + version * 101 + (j >>> 8));
    }

    /** A value size: mostly small, one in eight up to 40 000 bytes (several pages). */
    private static int randomSize(Random rnd) {
        return rnd.nextInt(8) == 0 ? 1 + rnd.nextInt(40_000) : 1 + rnd.nextInt(600);
    }

    /**
     * The data both tests freeze: {@code n} values of random sizes, value {@code i} holding
     * {@code pattern(i, j, 0)}, and the owner's list of live (address, size) pairs it rewrites,
     * frees and reallocates while the reader walks the frozen view.
     */
    private static final class Values {
        final long[] addr;
        final int[] size;
        final long[] hash;
        final int maxSize;
        final List<long[]> live = new ArrayList<>();
        private final byte[] scratch = new byte[64 * 1024];

        Values(Arena arena, Random rnd, int n) {
            addr = new long[n];
            size = new int[n];
            hash = new long[n];
            int max = 0;
            for (int i = 0; i < n; i++) {
                int s = randomSize(rnd);
                byte[] b = new byte[s];
                for (int j = 0; j < s; j++) {
                    b[j] = pattern(i, j, 0);
                }
                addr[i] = arena.allocate(s);
                size[i] = s;
                arena.write(addr[i], b, 0, s);
                hash[i] = Arena.hash(b, 0, s);
                max = Math.max(max, s);
                live.add(new long[] {addr[i], s});
            }
            maxSize = max;
        }

        /** Frees live value {@code idx} and puts a new one of a random size (all bytes -1) in its place. */
        void reallocate(Arena arena, Random rnd, int idx) {
            long[] x = live.get(idx);
            arena.free(x[0], (int) x[1]);
            int ns = randomSize(rnd);
            long na = arena.allocate(ns);
            arena.fill(na, ns, (byte) -1);
            live.set(idx, new long[] {na, ns});
        }

        /** Overwrites live value {@code idx} with {@code pattern(idx, j, version)}. */
        void rewrite(Arena arena, int idx, int version) {
            long[] x = live.get(idx);
            int s = (int) x[1];
            for (int j = 0; j < s; j++) {
                scratch[j] = pattern(idx, j, version);
            }
            arena.write(x[0], scratch, 0, s);
        }

        /** Frees every live value and checks that each frame is back in the pool. */
        void freeAllAndCheck(Arena arena) {
            for (long[] x : live) {
                arena.free(x[0], (int) x[1]);
            }
            LeakChecks.assertAllFramesFree(arena);
        }
    }

    @Test
    void readerSeesFreezeTimeDataWhileOwnerWrites() throws Exception {
        for (boolean checks : new boolean[] {false, true}) {
            run(ArenaConfig.of(4096, 64, checks), 3000, 12);
        }
        run(ArenaConfig.of(65536, 8, true), 1500, 8);
    }

    /**
     * The reader makes one pass in address order and releases each page after its last read, as the
     * snapshot walk does, while the owner keeps writing, freeing and reallocating (and reclaiming
     * released frames): reads still see freeze-time bytes, writes to released pages are adopted
     * instead of copied, and every frame is back in the pool at the end.
     */
    @Test
    void readerReleasingPagesInAddressOrderStillSeesFreezeTimeData() throws Exception {
        for (boolean checks : new boolean[] {false, true}) {
            runReleasing(ArenaConfig.of(4096, 64, checks), 6000);
        }
        runReleasing(ArenaConfig.of(65536, 8, true), 3000);
    }

    private void runReleasing(ArenaConfig cfg, int n) throws Exception {
        Random rnd = new Random(7);
        try (Arena arena = new Arena(cfg)) {
            Values data = new Values(arena, rnd, n);
            long[] addr = data.addr;
            int[] size = data.size;
            List<long[]> live = data.live;
            int shift = Integer.numberOfTrailingZeros(cfg.pageSize());
            FrozenView view = arena.freeze();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    Integer[] order = new Integer[n];
                    for (int i = 0; i < n; i++) {
                        order[i] = i;
                    }
                    java.util.Arrays.sort(order, (x, y) -> Long.compare(addr[x], addr[y]));
                    int[] refs = new int[view.pages()];
                    for (int i = 0; i < n; i++) {
                        for (long p = addr[i] >>> shift; p <= (addr[i] + size[i] - 1) >>> shift; p++) {
                            refs[(int) p]++;
                        }
                    }
                    for (int p = 0; p < refs.length; p++) {
                        if (refs[p] == 0) {
                            view.release(p);
                        }
                    }
                    byte[] buf = new byte[40_000];
                    for (int i : order) {
                        int s = size[i];
                        view.read(addr[i], buf, 0, s);
                        for (int j = 0; j < s; j++) {
                            if (buf[j] != pattern(i, j, 0)) {
                                throw new AssertionError("value " + i + " byte " + j + " changed");
                            }
                        }
                        for (long p = addr[i] >>> shift; p <= (addr[i] + s - 1) >>> shift; p++) {
                            if (--refs[(int) p] == 0) {
                                view.release((int) p);
                            }
                        }
                        if ((i & 63) == 0) {
                            Thread.sleep(1); // let the owner get ahead of the reader
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "frozen-view-releasing-reader");
            reader.start();

            int version = 1;
            long reclaimed = 0;
            while (reader.isAlive()) {
                version++;
                for (int k = 0; k < 500; k++) {
                    int idx = rnd.nextInt(live.size());
                    if (rnd.nextInt(4) == 0) {
                        data.reallocate(arena, rnd, idx);
                    } else {
                        data.rewrite(arena, idx, version);
                    }
                }
                reclaimed += arena.reclaimReleased();
                Thread.onSpinWait();
            }
            reader.join();
            if (failure.get() != null) {
                throw new AssertionError("reader failed", failure.get());
            }
            // the reader has released every page: from now on nothing is copied, every write to a
            // page still shared adopts its frame
            long copied = view.copiedBytes();
            for (int idx = 0; idx < live.size(); idx++) {
                long[] x = live.get(idx);
                arena.fill(x[0], (int) x[1], (byte) 7);
            }
            SnapshotCounters c = view.counters();
            assertThat(c.copiedBytes()).as("no copy after the reader released its pages").isEqualTo(copied);
            // how many pages were adopted rather than copied depends on the race (ArenaTest checks
            // adoption deterministically); every page written was one or the other
            assertThat(c.adoptedPages() + c.copiedBytes() / cfg.pageSize()).isPositive();
            assertThat(c.preservedPages()).isZero();
            reclaimed += arena.reclaimReleased();
            assertThat(arena.framesHeldForSnapshot()).as("everything was released: nothing held").isZero();
            assertThat(c.heldBytesPeak()).isGreaterThanOrEqualTo(c.heldBytes());
            view.close();
            assertThat(arena.snapshotCountersLast().adoptedPages()).isEqualTo(c.adoptedPages());
            data.freeAllAndCheck(arena);
        }
    }

    private void run(ArenaConfig cfg, int values, int passes) throws Exception {
        Random rnd = new Random(42);
        try (Arena arena = new Arena(cfg)) {
            int n = values;
            Values data = new Values(arena, rnd, n);
            long[] addr = data.addr;
            int[] size = data.size;
            long[] hash = data.hash;
            List<long[]> live = data.live;

            FrozenView view = arena.freeze();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicInteger donePasses = new AtomicInteger();
            int bufSize = data.maxSize;
            Thread reader = new Thread(() -> {
                try {
                    byte[] buf = new byte[bufSize];
                    long[] sum = new long[1];
                    for (int p = 0; p < passes; p++) {
                        for (int i = 0; i < n; i++) {
                            int s = size[i];
                            view.read(addr[i], buf, 0, s);
                            for (int j = 0; j < s; j++) {
                                if (buf[j] != pattern(i, j, 0)) {
                                    throw new AssertionError("value " + i + " byte " + j + " changed in pass " + p);
                                }
                            }
                            if (view.hash(addr[i], s) != hash[i]) {
                                throw new AssertionError("hash of value " + i + " changed in pass " + p);
                            }
                            if (s >= 8) {
                                int j = (i * 17 + p) % (s - 7);
                                long v = view.readLong(addr[i] + j);
                                long expected = 0;
                                for (int k = 0; k < 8; k++) {
                                    expected |= (pattern(i, j + k, 0) & 0xFFL) << (8 * k);
                                }
                                if (v != expected) {
                                    throw new AssertionError("torn long in value " + i + " at " + j);
                                }
                            }
                            sum[0] = 0;
                            view.forEachChunk(addr[i], s, (a, len) -> sum[0] += len);
                            if (sum[0] != s) {
                                throw new AssertionError("chunks of value " + i + " cover " + sum[0]);
                            }
                        }
                        donePasses.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "frozen-view-reader");
            reader.start();

            // owner: heavy writes, frees and reallocations until the reader is done
            int version = 1;
            long writes = 0;
            while (reader.isAlive()) {
                version++;
                for (int k = 0; k < 2000; k++) {
                    int idx = rnd.nextInt(live.size());
                    long[] x = live.get(idx);
                    int s = (int) x[1];
                    switch (rnd.nextInt(6)) {
                        case 0:
                            data.rewrite(arena, idx, version);
                            break;
                        case 1:
                            if (s >= 8) {
                                arena.writeLong(x[0] + rnd.nextInt(s - 7), rnd.nextLong());
                            }
                            break;
                        case 2:
                            arena.fill(x[0], s, (byte) version);
                            break;
                        case 3: {
                            int len = rnd.nextInt(s);
                            arena.copy(x[0], x[0] + (s - len), len);
                            break;
                        }
                        default:
                            data.reallocate(arena, rnd, idx);
                            break;
                    }
                    writes++;
                }
            }
            reader.join();
            if (failure.get() != null) {
                throw new AssertionError("reader failed after " + writes + " owner operations", failure.get());
            }
            assertThat(donePasses.get()).isEqualTo(passes);
            assertThat(view.copiedBytes()).isPositive();
            assertThat(arena.framesHeldForSnapshot()).isPositive();
            view.close();
            assertThat(arena.copiedBytesLast()).isPositive();
            data.freeAllAndCheck(arena);
        }
    }
}
