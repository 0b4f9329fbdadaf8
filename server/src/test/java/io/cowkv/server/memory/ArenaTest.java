package io.cowkv.server.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ArenaTest {
    private Arena arena;

    @BeforeEach
    void setUp() {
        arena = new Arena(ArenaConfig.of(4096, 4, true));
    }

    @AfterEach
    void leakCheck() {
        if (!arena.snapshotOpen()) {
            arena.close();
        }
        LeakChecks.assertNoNativeMemory();
    }

    @Test
    void configValidation() {
        assertThatThrownBy(() -> ArenaConfig.of(2048, 4, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArenaConfig.of(131072, 4, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArenaConfig.of(6000, 4, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArenaConfig.of(4096, 3, false)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ArenaConfig.defaults().pageSize()).isEqualTo(4096);
        String old = System.getProperty(ArenaConfig.CHECKS_PROPERTY);
        try {
            System.setProperty(ArenaConfig.CHECKS_PROPERTY, "true");
            assertThat(ArenaConfig.defaults().boundsChecks()).isTrue();
            System.setProperty(ArenaConfig.CHECKS_PROPERTY, "false");
            assertThat(ArenaConfig.defaults().boundsChecks()).isFalse();
        } finally {
            if (old == null) {
                System.clearProperty(ArenaConfig.CHECKS_PROPERTY);
            } else {
                System.setProperty(ArenaConfig.CHECKS_PROPERTY, old);
            }
        }
    }

    @Test
    void prepareMapsOneChunkOnceWithoutUsingIt() {
        arena.prepare();
        assertThat(arena.totalFrames()).isEqualTo(4);
        assertThat(arena.freeFrames()).isEqualTo(4);
        assertThat(arena.usedBytes()).isZero();
        arena.prepare();
        assertThat(arena.totalFrames()).isEqualTo(4);
        long a = arena.allocate(100);
        assertThat(arena.totalFrames()).isEqualTo(4);
        arena.free(a, 100);
    }

    @Test
    void usableSizes() {
        assertThat(arena.usableSize(1)).isEqualTo(8);
        assertThat(arena.usableSize(8)).isEqualTo(8);
        assertThat(arena.usableSize(9)).isEqualTo(16);
        assertThat(arena.usableSize(129)).isEqualTo(160);
        assertThat(arena.usableSize(2048)).isEqualTo(2048);
        assertThat(arena.maxSmallSize()).isEqualTo(2048);
        assertThat(arena.usableSize(2049)).isEqualTo(4096);
        assertThat(arena.usableSize(4097)).isEqualTo(8192);
        for (int s = 1; s <= 20000; s++) {
            assertThat(arena.usableSize(s)).isGreaterThanOrEqualTo(s);
        }
        assertThatThrownBy(() -> arena.usableSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(arena.maxAllocationSize()).isEqualTo(Integer.MAX_VALUE - 4095);
        assertThat(arena.usableSize(arena.maxAllocationSize())).isEqualTo(arena.maxAllocationSize());
        assertThatThrownBy(() -> arena.usableSize(Integer.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> arena.allocate(Integer.MAX_VALUE - 4094)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> arena.allocate(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scalarWidthsAreLittleEndian() {
        long a = arena.allocate(16);
        assertThat(a).isNotZero();
        arena.writeLong(a, 0x0807060504030201L);
        for (int i = 0; i < 8; i++) {
            assertThat(arena.readByte(a + i)).isEqualTo((byte) (i + 1));
        }
        assertThat(arena.readShort(a)).isEqualTo((short) 0x0201);
        assertThat(arena.readInt(a + 4)).isEqualTo(0x08070605);
        arena.writeInt(a + 8, -2);
        arena.writeShort(a + 12, (short) 0x1234);
        arena.writeByte(a + 14, (byte) 7);
        assertThat(arena.readInt(a + 8)).isEqualTo(-2);
        assertThat(arena.readShort(a + 12)).isEqualTo((short) 0x1234);
        assertThat(arena.readByte(a + 14)).isEqualTo((byte) 7);
        arena.free(a, 16);
    }

    @Test
    void scalarsCrossingPagesOfARun() {
        long a = arena.allocate(3 * 4096);
        long edge = a + 4096 - 3;
        arena.writeLong(edge, 0x1122334455667788L);
        assertThat(arena.readLong(edge)).isEqualTo(0x1122334455667788L);
        arena.writeInt(edge + 1, 0xCAFEBABE);
        assertThat(arena.readInt(edge + 1)).isEqualTo(0xCAFEBABE);
        arena.writeShort(a + 8191, (short) 0xBEEF);
        assertThat(arena.readShort(a + 8191)).isEqualTo((short) 0xBEEF);
        arena.free(a, 3 * 4096);
    }

    @Test
    void runsSpanPagesAndChunksComeInOrder() {
        int size = 5 * 4096 + 100;
        long a = arena.allocate(size);
        byte[] data = new byte[size];
        new Random(1).nextBytes(data);
        arena.write(a, data, 0, size);
        byte[] back = new byte[size];
        arena.read(a, back, 0, size);
        assertThat(back).isEqualTo(data);
        assertThat(arena.equalsBytes(a, data, 0, size)).isTrue();
        data[size - 1]++;
        assertThat(arena.equalsBytes(a, data, 0, size)).isFalse();
        data[size - 1]--;
        assertThat(arena.hash(a, size)).isEqualTo(Arena.hash(data, 0, size));
        assertThat(arena.hash(a + 5, 4000)).isEqualTo(Arena.hash(data, 5, 4000));

        List<long[]> pieces = new ArrayList<>();
        arena.forEachChunk(a + 10, size - 10, (addr, len) -> pieces.add(new long[] {addr, len}));
        assertThat(pieces.stream().mapToLong(p -> p[1]).sum()).isEqualTo(size - 10);
        byte[] viaChunks = new byte[size - 10];
        int pos = 0;
        for (long[] p : pieces) {
            for (int i = 0; i < p[1]; i++) {
                viaChunks[pos++] = PageReader.MEM.readByte(p[0] + i);
            }
        }
        assertThat(viaChunks).isEqualTo(java.util.Arrays.copyOfRange(data, 10, size));
        arena.free(a, size);
    }

    @Test
    void hashAgreesForSmallValues() {
        Random r = new Random(2);
        for (int len = 0; len < 100; len++) {
            byte[] b = new byte[len];
            r.nextBytes(b);
            long a = arena.allocate(Math.max(1, len));
            arena.write(a, b, 0, len);
            assertThat(arena.hash(a, len)).isEqualTo(Arena.hash(b, 0, len));
            arena.free(a, Math.max(1, len));
        }
        assertThat(Arena.hash(new byte[] {1}, 0, 1)).isNotEqualTo(Arena.hash(new byte[] {2}, 0, 1));
    }

    @Test
    void copyIsMemmove() {
        int size = 3 * 4096;
        long a = arena.allocate(size);
        byte[] model = new byte[size];
        new Random(3).nextBytes(model);
        arena.write(a, model, 0, size);
        // overlapping forwards and backwards, across pages
        arena.copy(a + 100, a + 4000, 5000);
        System.arraycopy(model, 100, model, 4000, 5000);
        arena.copy(a + 6000, a + 10, 6000);
        System.arraycopy(model, 6000, model, 10, 6000);
        arena.fill(a + 4090, 20, (byte) 9);
        java.util.Arrays.fill(model, 4090, 4110, (byte) 9);
        byte[] back = new byte[size];
        arena.read(a, back, 0, size);
        assertThat(back).isEqualTo(model);
        arena.free(a, size);
    }

    @Test
    void slabsAndRunsReturnFramesWhenFreed() {
        Random r = new Random(4);
        List<long[]> live = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            int size = r.nextInt(10) == 0 ? 1 + r.nextInt(20000) : 1 + r.nextInt(300);
            live.add(new long[] {arena.allocate(size), size});
        }
        assertThat(arena.framesInUse()).isPositive();
        assertThat(arena.usedBytes()).isPositive();
        java.util.Collections.shuffle(live, r);
        for (long[] x : live) {
            arena.free(x[0], (int) x[1]);
        }
        assertThat(arena.usedBytes()).isZero();
        assertThat(arena.framesInUse()).isZero();
        assertThat(arena.freeFrames()).isEqualTo(arena.totalFrames());
        assertThat(arena.peakUsedBytes()).isPositive();
    }

    @Test
    void badFreesAreRejected() {
        long a = arena.allocate(24);
        assertThatThrownBy(() -> arena.free(a, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> arena.free(a + 8, 24)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> arena.free(0, 24)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> arena.free(-8, 24)).isInstanceOf(IllegalArgumentException.class);
        long b = arena.allocate(24);
        arena.free(a, 24);
        assertThatThrownBy(() -> arena.free(a, 24)).isInstanceOf(IllegalArgumentException.class);
        long run = arena.allocate(10000);
        assertThatThrownBy(() -> arena.free(run, 5000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> arena.free(run + 4096, 10000)).isInstanceOf(IllegalArgumentException.class);
        arena.free(run, 10000);
        assertThatThrownBy(() -> arena.free(run, 10000)).isInstanceOf(IllegalArgumentException.class);
        arena.free(b, 24);
        assertThat(arena.framesInUse()).isZero();
    }

    @Test
    void boundsChecksRejectAccessesOutsideAllocations() {
        long a = arena.allocate(20); // usable 24
        long b = arena.allocate(20);
        long run = arena.allocate(5000); // 2 pages
        arena.writeLong(a + 16, 1);
        assertThatThrownBy(() -> arena.writeLong(a + 17, 1)).isInstanceOf(ArenaAccessException.class);
        assertThatThrownBy(() -> arena.readInt(a + 22)).isInstanceOf(ArenaAccessException.class);
        assertThatThrownBy(() -> arena.write(a, new byte[25], 0, 25)).isInstanceOf(ArenaAccessException.class);
        assertThatThrownBy(() -> arena.read(a + 8, new byte[20], 0, 20)).isInstanceOf(ArenaAccessException.class);
        assertThatThrownBy(() -> arena.copy(a, run + 8192 - 10, 24)).isInstanceOf(ArenaAccessException.class);
        assertThatThrownBy(() -> arena.fill(run, 8193, (byte) 0)).isInstanceOf(ArenaAccessException.class);
        assertThatThrownBy(() -> arena.readByte(run + 8192)).isInstanceOf(ArenaAccessException.class);
        assertThatThrownBy(() -> arena.readByte(0)).isInstanceOf(ArenaAccessException.class);
        assertThatThrownBy(() -> arena.readByte(-1)).isInstanceOf(ArenaAccessException.class);
        assertThatThrownBy(() -> arena.readByte(1L << 50)).isInstanceOf(ArenaAccessException.class);
        assertThatThrownBy(() -> arena.equalsBytes(a, new byte[30], 0, 30)).isInstanceOf(ArenaAccessException.class);
        assertThatThrownBy(() -> arena.hash(a, 30)).isInstanceOf(ArenaAccessException.class);
        assertThatThrownBy(() -> arena.forEachChunk(a, 30, (x, y) -> { })).isInstanceOf(ArenaAccessException.class);
        // a free slot in a live slab
        long free = b + 24;
        assertThatThrownBy(() -> arena.readByte(free)).isInstanceOf(ArenaAccessException.class);
        arena.free(b, 20);
        assertThatThrownBy(() -> arena.readByte(b)).isInstanceOf(ArenaAccessException.class);
        arena.writeLong(run + 8184, 5);
        arena.free(run, 5000);
        assertThatThrownBy(() -> arena.writeLong(run, 5)).isInstanceOf(ArenaAccessException.class);
        arena.free(a, 20);
        assertThatThrownBy(() -> arena.readByte(a)).isInstanceOf(ArenaAccessException.class);
        assertThat(arena.framesInUse()).isZero();
    }

    @Test
    void withoutChecksAccessesStayInMappedPages() {
        try (Arena unchecked = new Arena(ArenaConfig.of(4096, 4, false))) {
            long a = unchecked.allocate(16);
            // beyond the allocation but inside its page: allowed without checks, harmless
            unchecked.writeLong(a + 64, 1);
            // past the page: the next page is unmapped, so it throws before touching memory
            long pageEnd = (a | 4095) + 1;
            assertThatThrownBy(() -> unchecked.writeLong(pageEnd - 4, -1L)).isInstanceOf(ArenaAccessException.class);
            assertThatThrownBy(() -> unchecked.write(pageEnd - 2, new byte[8], 0, 8))
                    .isInstanceOf(ArenaAccessException.class);
            assertThatThrownBy(() -> unchecked.readLong(pageEnd)).isInstanceOf(ArenaAccessException.class);
            assertThatThrownBy(() -> unchecked.readLong(-4096)).isInstanceOf(ArenaAccessException.class);
            assertThatThrownBy(() -> unchecked.readLong(Long.MAX_VALUE)).isInstanceOf(ArenaAccessException.class);
            assertThatThrownBy(() -> unchecked.fill(0, 10, (byte) 1)).isInstanceOf(ArenaAccessException.class);
            assertThatThrownBy(() -> unchecked.read(a, new byte[4], 2, 4)).isInstanceOf(IndexOutOfBoundsException.class);
            unchecked.free(a, 16);
        }
    }

    @Test
    void freezeCopiesOnWriteAndCountsPages() {
        long a = arena.allocate(100);
        long run = arena.allocate(3 * 4096);
        arena.fill(a, 100, (byte) 1);
        arena.fill(run, 3 * 4096, (byte) 2);
        long framesBefore = arena.framesInUse();
        FrozenView v = arena.freeze(a);
        assertThat(v.root()).isEqualTo(a);
        assertThat(v.pageSize()).isEqualTo(4096);
        assertThat(arena.snapshotOpen()).isTrue();
        assertThat(arena.lastFreezeNanos()).isPositive();
        assertThatThrownBy(arena::freeze).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(arena::close).isInstanceOf(IllegalStateException.class);

        arena.writeByte(a, (byte) 5);
        arena.writeByte(a + 1, (byte) 5); // same page: copied once
        assertThat(v.copiedBytes()).isEqualTo(4096);
        arena.fill(run + 4000, 200, (byte) 7); // two more pages
        assertThat(v.copiedBytes()).isEqualTo(3 * 4096);
        assertThat(arena.copiedBytesCurrent()).isEqualTo(3 * 4096);
        assertThat(v.readByte(a)).isEqualTo((byte) 1);
        assertThat(arena.readByte(a)).isEqualTo((byte) 5);
        assertThat(v.readByte(run + 4100)).isEqualTo((byte) 2);
        assertThat(arena.readByte(run + 4100)).isEqualTo((byte) 7);

        // free of a shared run: frames stay for the view
        arena.free(run, 3 * 4096);
        assertThat(v.readByte(run + 3 * 4096 - 1)).isEqualTo((byte) 2);
        assertThat(arena.framesHeldForSnapshot()).isEqualTo(3 + 1); // 2 copied-away + 1 unshared run page + slab
        long c = arena.allocate(3 * 4096); // reuses logical pages, fresh frames: no copy
        arena.fill(c, 3 * 4096, (byte) 3);
        assertThat(v.copiedBytes()).isEqualTo(3 * 4096);
        assertThat(v.readByte(run)).isEqualTo((byte) 2);
        assertThat(arena.framesInUse()).isGreaterThan(framesBefore);

        assertThatThrownBy(() -> CompletableFuture.runAsync(v::close).join()).hasCauseInstanceOf(IllegalStateException.class);
        v.close();
        v.close();
        assertThat(v.isClosed()).isTrue();
        assertThatThrownBy(() -> v.readByte(a)).isInstanceOf(ArenaAccessException.class);
        assertThat(arena.snapshotOpen()).isFalse();
        assertThat(arena.copiedBytesLast()).isEqualTo(3 * 4096);
        assertThat(arena.copiedBytesPeak()).isEqualTo(3 * 4096);
        assertThat(arena.copiedBytesCurrent()).isZero();
        assertThat(arena.framesHeldForSnapshot()).isZero();
        arena.free(a, 100);
        arena.free(c, 3 * 4096);
        assertThat(arena.framesInUse()).isZero();
        ArenaStats s = arena.stats();
        assertThat(s.freezes()).isEqualTo(1);
        assertThat(s.freeFrames()).isEqualTo(s.totalFrames());
    }

    /** A bounded reclaim looks at that many held frames a call and, call after call, gets them all. */
    @Test
    void heldFramesAreReclaimedAFewAtATime() {
        int pages = 40;
        long[] a = new long[pages];
        for (int i = 0; i < pages; i++) {
            a[i] = arena.allocate(4096);
            arena.writeLong(a[i], i);
        }
        FrozenView v = arena.freeze();
        for (int i = 0; i < pages; i++) {
            arena.writeLong(a[i], -i); // copied: the original frame is held for the view
        }
        assertThat(arena.framesHeldForSnapshot()).isEqualTo(pages);
        for (int i = 0; i < pages; i += 2) {
            v.release((int) (a[i] >>> 12));
        }
        assertThat(arena.reclaimReleased(7)).as("at most 7 looked at, half of them released").isBetween(1, 7);
        int reclaimed = 0;
        for (int call = 0; call < 100 && arena.framesHeldForSnapshot() > pages / 2; call++) {
            reclaimed += arena.reclaimReleased(7);
            assertThat(arena.freeFrames() + arena.framesInUse()).isEqualTo(arena.totalFrames());
        }
        assertThat(arena.framesHeldForSnapshot()).as("the unreleased half stays held").isEqualTo(pages / 2);
        assertThat(arena.reclaimReleased(7)).isZero();
        for (int i = 1; i < pages; i += 2) {
            assertThat(v.readLong(a[i])).as("a held frame still reads the frozen value").isEqualTo(i);
        }
        v.close();
        assertThat(arena.framesHeldForSnapshot()).isZero();
    }

    @Test
    void releasedOrPreservedPagesAreAdoptedAndHeldFramesReclaimed() {
        long[] a = new long[6];
        for (int i = 0; i < a.length; i++) {
            a[i] = arena.allocate(4096); // one page each
            arena.writeLong(a[i], 100 + i);
        }
        int[] page = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            page[i] = (int) (a[i] >>> 12);
        }
        FrozenView v = arena.freeze();
        assertThat(v.pages()).isGreaterThan(page[5]);
        assertThatThrownBy(() -> v.release(v.pages())).isInstanceOf(IllegalArgumentException.class);
        assertThat(v.isReleased(page[0])).isFalse();

        v.release(page[0]);
        v.release(page[0]); // idempotent
        arena.writeLong(a[0], 1);
        assertThat(v.copiedBytes()).as("a released page is adopted, not copied").isZero();
        assertThat(v.counters().adoptedPages()).isEqualTo(1);
        assertThat(arena.framesHeldForSnapshot()).isZero();

        arena.writeLong(a[1], 1);
        assertThat(v.copiedBytes()).as("an unreleased page is still copied").isEqualTo(4096);
        assertThat(arena.framesHeldForSnapshot()).isEqualTo(1);
        assertThat(v.readLong(a[1])).isEqualTo(101);
        assertThat(arena.reclaimReleased()).isZero();
        v.release(page[1]);
        assertThat(arena.reclaimReleased()).as("the copied-away frame goes back once released").isEqualTo(1);
        assertThat(arena.framesHeldForSnapshot()).isZero();
        assertThat(v.counters().heldBytesPeak()).isEqualTo(4096);

        arena.free(a[2], 4096);
        assertThat(arena.framesHeldForSnapshot()).as("unmapped while still needed: held").isEqualTo(1);
        assertThat(v.readLong(a[2])).isEqualTo(102);
        v.release(page[3]);
        arena.free(a[3], 4096);
        assertThat(arena.framesHeldForSnapshot()).as("unmapped after release: straight to the pool").isEqualTo(1);

        List<Integer> asked = new ArrayList<>();
        v.sharedPageHandler(p -> {
            asked.add(p);
            assertThat(v.readLong((long) p << 12)).as("the handler still reads freeze-time bytes").isEqualTo(104);
            return p == page[4];
        });
        arena.writeLong(a[4], 1);
        arena.writeLong(a[4] + 8, 2); // no second call: the frame is the live one now
        assertThat(asked).containsExactly(page[4]);
        assertThat(v.isReleased(page[4])).as("a preserved page counts as released").isTrue();
        assertThat(v.counters().preservedPages()).isEqualTo(1);
        assertThat(v.counters().adoptedPages()).isEqualTo(2);
        assertThat(v.copiedBytes()).isEqualTo(4096);

        v.sharedPageHandler(p -> {
            throw new IllegalStateException("a broken handler means: copy");
        });
        arena.writeLong(a[5], 1);
        assertThat(v.copiedBytes()).isEqualTo(8192);
        assertThat(v.readLong(a[5])).isEqualTo(105);
        assertThat(arena.readLong(a[5])).isEqualTo(1);

        v.close();
        SnapshotCounters last = arena.snapshotCountersLast();
        assertThat(last.copiedBytes()).isEqualTo(8192);
        assertThat(last.adoptedPages()).isEqualTo(2);
        assertThat(last.preservedPages()).isEqualTo(1);
        assertThat(last.heldBytes()).isZero();
        assertThat(arena.stats().snapshotLast()).isEqualTo(last);
        for (int i : new int[] {0, 1, 4, 5}) {
            arena.free(a[i], 4096);
        }
        LeakChecks.assertAllFramesFree(arena);
    }

    @Test
    void closeReleasesNativeMemoryAndIsIdempotent() {
        Arena other = new Arena(ArenaConfig.of(8192, 2, true));
        long a = other.allocate(100_000);
        other.fill(a, 100_000, (byte) 1);
        assertThat(other.nativeBytesReserved()).isPositive();
        assertThat(Arena.globalNativeBytesReserved()).isGreaterThanOrEqualTo(other.nativeBytesReserved());
        other.close();
        other.close();
        assertThat(other.isClosed()).isTrue();
        assertThat(other.nativeBytesReserved()).isZero();
        assertThatThrownBy(() -> other.readByte(a)).isInstanceOf(ArenaAccessException.class);
        assertThatThrownBy(() -> other.allocate(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(other::freeze).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void arenaMayBeCreatedOnOneThreadAndUsedAndClosedOnAnother() throws Exception {
        Arena moved = new Arena(ArenaConfig.of(4096, 2, true));
        long a = moved.allocate(100);
        moved.fill(a, 100, (byte) 4);
        CompletableFuture.runAsync(() -> {
            long b = moved.allocate(50_000); // new chunks on this thread
            FrozenView v = moved.freeze();
            moved.writeByte(a, (byte) 5);
            assertThat(v.readByte(a)).isEqualTo((byte) 4);
            v.close();
            moved.free(b, 50_000);
            moved.free(a, 100);
            moved.close();
        }).get();
        assertThat(moved.isClosed()).isTrue();
    }

    /**
     * After a save, the frames that come back are the snapshot's originals, scattered among live
     * frames; releasing moves live pages out of whole chunks and frees them, and every value reads
     * back the same. Frames needed later come from re-mapped chunk slots.
     */
    /** Allocates {@code data.length} values of {@code size} random bytes (kept in {@code data}); returns their addresses. */
    private static long[] randomValues(Arena a, byte[][] data, int size, long seed) {
        Random rnd = new Random(seed);
        long[] addr = new long[data.length];
        for (int i = 0; i < data.length; i++) {
            addr[i] = a.allocate(size);
            data[i] = new byte[size];
            rnd.nextBytes(data[i]);
            a.write(addr[i], data[i], 0, size);
        }
        return addr;
    }

    /**
     * A chunk emptied in steps (no time budget: 16 frames a call) while values are freed and
     * written, then abandoned by a freeze: the accounting holds at every step, its free frames
     * come back to the pool, and every value reads back.
     */
    @Test
    void aChunkEmptiedInStepsSurvivesFreesWritesAndAFreeze() {
        try (Arena a = new Arena(ArenaConfig.of(4096, 64, true))) {
            int values = 2000; // 2 KiB each: 1000 pages over about 16 chunks of 64 frames
            byte[][] data = new byte[values][];
            long[] addr = randomValues(a, data, 2048, 7);
            FrozenView view = a.freeze();
            for (int i = 0; i < values; i += 3) { // two pages of three copied
                data[i][5] ^= 1;
                a.write(addr[i], data[i], 0, 8);
            }
            view.close();
            long total = a.totalFrames();
            assertThat(a.releaseFreeChunks(1, 0)).as("a chunk only begun").isZero();
            int chunk = a.evacuatingChunk();
            assertThat(chunk).as("a chunk half emptied").isNotNegative();
            assertThat(a.freeFrames() + a.framesInUse()).isEqualTo(a.totalFrames()).isEqualTo(total);
            boolean[] freed = new boolean[values];
            for (int step = 0; step < 3; step++) {
                for (int i = step; i < values; i += 7) { // frees and writes between the steps
                    if (!freed[i]) {
                        a.free(addr[i], 2048);
                        freed[i] = true;
                    }
                }
                for (int i = 1; i < values; i += 11) {
                    if (!freed[i]) {
                        data[i][9] ^= 2;
                        a.write(addr[i], data[i], 0, 16);
                    }
                }
                a.releaseFreeChunks(1, 0);
                assertThat(a.freeFrames() + a.framesInUse()).isEqualTo(a.totalFrames());
            }
            long freeBeforeFreeze = a.freeFrames();
            assertThat(a.evacuatingChunk()).as("still the same chunk, three steps later").isEqualTo(chunk);
            FrozenView second = a.freeze(); // abandons the chunk being emptied
            assertThat(a.evacuatingChunk()).isEqualTo(-1);
            assertThat(a.freeFrames()).as("its free frames back in the pool, none lost").isEqualTo(freeBeforeFreeze);
            assertThat(a.releaseFreeChunks(4)).as("nothing while a snapshot is open").isZero();
            second.close();
            int released = 0;
            for (int n; (n = a.releaseFreeChunks(4)) > 0; ) {
                released += n;
            }
            assertThat(released).isPositive();
            assertThat(a.freeFrames() + a.framesInUse()).isEqualTo(a.totalFrames());
            for (int i = 0; i < values; i++) {
                if (!freed[i]) {
                    byte[] back = new byte[2048];
                    a.read(addr[i], back, 0, 2048);
                    assertThat(back).as("value %d", i).isEqualTo(data[i]);
                }
            }
        }
    }

    @Test
    void releasingFreeChunksAfterASnapshotGivesMemoryBackAndKeepsValues() {
        int values = 400; // 2 KiB each: two per 4 KiB page, 200 pages over 50 chunks of 4 frames
        byte[][] data = new byte[values][];
        long[] addr = randomValues(arena, data, 2048, 1);
        FrozenView view = arena.freeze();
        for (int i = 0; i < values; i += 4) { // every other page copied once
            data[i][0] ^= 1;
            arena.write(addr[i], data[i], 0, 1);
        }
        assertThat(arena.releaseFreeChunks(100)).as("nothing while the snapshot is open").isZero();
        view.close();
        long nativeAfterSave = arena.nativeBytesReserved();
        long free = arena.freeFrames();
        assertThat(free).as("the copied pages' originals came back").isGreaterThanOrEqualTo(100);

        // with no time budget left, a call releases one chunk and leaves the rest to later calls
        assertThat(arena.releaseFreeChunks(4, 0)).as("one chunk per call when the budget is spent").isEqualTo(1);
        int released = 1;
        for (int n; (n = arena.releaseFreeChunks(4)) > 0; ) {
            released += n;
        }
        assertThat(released).as("more were due than the budgeted call released").isGreaterThan(1);
        assertThat(arena.nativeBytesReserved()).isEqualTo(nativeAfterSave - released * 4L * 4096);
        assertThat(arena.freeFrames()).as("under the reserve (two chunks) plus one chunk").isLessThan(2 * 4 + 4);
        assertThat(arena.freeFrames() + arena.framesInUse()).isEqualTo(arena.totalFrames());
        for (int i = 0; i < values; i++) {
            byte[] back = new byte[2048];
            arena.read(addr[i], back, 0, 2048);
            assertThat(back).as("value %d", i).isEqualTo(data[i]);
        }

        long before = arena.nativeBytesReserved();
        List<Long> more = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            long a = arena.allocate(4096);
            arena.fill(a, 4096, (byte) i);
            more.add(a);
        }
        assertThat(arena.nativeBytesReserved()).as("released chunk slots mapped again").isGreaterThan(before);
        for (int i = 0; i < more.size(); i++) {
            assertThat(arena.readByte(more.get(i) + 4095)).isEqualTo((byte) i);
        }
        more.forEach(a -> arena.free(a, 4096));
        for (long a : addr) {
            arena.free(a, 2048);
        }
        LeakChecks.assertAllFramesFree(arena);
    }
}
