package io.cowkv.server.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Steady-state reads and writes (with and without an open snapshot) allocate nothing on the heap. */
class HotPathAllocationTest {
    private static long sink;
    private static byte[] sinkArray;
    private static final NativeChunkConsumer SUM = (a, len) -> sink += len;

    @AfterEach
    void leakCheck() {
        LeakChecks.assertNoNativeMemory();
    }

    @Test
    void readsAndWritesDoNotAllocate() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "needs com.sun.management.ThreadMXBean");
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) mx;
        assumeTrue(bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled());
        long self = Thread.currentThread().getId();
        long b0 = bean.getThreadAllocatedBytes(self);
        sinkArray = new byte[4096];
        assertThat(bean.getThreadAllocatedBytes(self) - b0).as("the allocation counter works").isGreaterThanOrEqualTo(4096);

        try (Arena arena = new Arena(ArenaConfig.of(4096, 64, true))) {
            int n = 512;
            long[] small = new long[n];
            for (int i = 0; i < n; i++) {
                small[i] = arena.allocate(64);
            }
            long run = arena.allocate(10 * 4096);
            byte[] buf = new byte[64];
            byte[] big = new byte[10 * 4096];
            FrozenView view = null;
            for (int round = 0; round < 3; round++) {
                if (round == 2) {
                    view = arena.freeze();
                    work(arena, view, small, run, buf, big); // first writes copy pages and leaves: allocation allowed
                }
                long before = bean.getThreadAllocatedBytes(Thread.currentThread().getId());
                work(arena, view, small, run, buf, big);
                long allocated = bean.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
                if (round > 0) { // round 0 warms up (class loading, lambdas, interpreter profiles)
                    assertThat(allocated).as("heap bytes allocated by the hot paths in round " + round)
                            .isLessThan(1024);
                }
            }
            view.close();
            for (long a : small) {
                arena.free(a, 64);
            }
            arena.free(run, 10 * 4096);
            LeakChecks.assertAllFramesFree(arena);
        }
    }

    @Test
    void aSnapshotReusesTheLeavesThePreviousOneCopied() {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        int leaves = 8;
        int leafBytes = PageReader.LEAF_SIZE * 4096;
        try (Arena arena = new Arena(ArenaConfig.of(4096, 1024, true))) {
            long run = arena.allocate(leaves * leafBytes - 4096); // page 0 is reserved: 8 leaves' worth
            for (int i = 0; i < leaves; i++) {
                arena.writeByte(run + (long) i * leafBytes, (byte) -1); // contents start unspecified
            }
            long[] allocated = new long[3];
            for (int snapshot = 0; snapshot < 3; snapshot++) {
                FrozenView view = arena.freeze();
                long before = bean.getThreadAllocatedBytes(self);
                for (int i = 0; i < leaves; i++) {
                    arena.writeByte(run + (long) i * leafBytes, (byte) snapshot); // copies its page and leaf
                }
                allocated[snapshot] = bean.getThreadAllocatedBytes(self) - before;
                try {
                    assertThat(view.readByte(run + (long) (leaves - 1) * leafBytes)).isEqualTo((byte) (snapshot - 1));
                } catch (AssertionError e) {
                    view.close();
                    throw e;
                }
                assertThat(view.readByte(run)).isEqualTo((byte) (snapshot - 1));
                assertThat(arena.readByte(run)).isEqualTo((byte) snapshot);
                view.close();
            }
            assertThat(allocated[0]).as("the first snapshot copies %d leaves of 4 KiB", leaves)
                    .isGreaterThanOrEqualTo((long) leaves * 4096);
            assertThat(allocated[2]).as("a later snapshot reuses them").isLessThan(4096);
            arena.free(run, leaves * leafBytes - 4096);
            LeakChecks.assertAllFramesFree(arena);
        }
    }

    private static void work(Arena arena, FrozenView view, long[] small, long run, byte[] buf, byte[] big) {
        long acc = 0;
        for (int k = 0; k < 20; k++) {
            for (int i = 0; i < small.length; i++) {
                long a = small[i];
                arena.writeLong(a, i + k);
                arena.writeInt(a + 8, i);
                arena.writeShort(a + 12, (short) i);
                arena.writeByte(a + 14, (byte) i);
                arena.write(a + 16, buf, 0, 48);
                arena.fill(a + 16, 8, (byte) 1);
                arena.copy(a, a + 32, 16);
                acc += arena.readLong(a) + arena.readInt(a + 8) + arena.readShort(a + 12) + arena.readByte(a + 14);
                acc += arena.hash(a, 64);
                acc += arena.equalsBytes(a, buf, 0, 64) ? 1 : 0;
                arena.read(a, buf, 0, 64);
                arena.forEachChunk(a, 64, SUM);
                if (view != null) {
                    acc += view.readLong(a) + view.hash(a, 64);
                    view.read(a, buf, 0, 64);
                    view.forEachChunk(a, 64, SUM);
                }
            }
            arena.write(run, big, 0, big.length);
            arena.read(run, big, 0, big.length);
            acc += arena.readLong(run + 4093) + arena.hash(run, big.length);
            arena.forEachChunk(run, big.length, SUM);
        }
        sink += acc;
    }
}
