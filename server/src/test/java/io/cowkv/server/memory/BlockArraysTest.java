package io.cowkv.server.memory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The arena's native block arrays: contents and fill values across growth, bounds checked by the
 * directory (never native memory), freeing, the native-byte count, the slab-bitmap search, and
 * that growing them puts nothing but directories on the Java heap.
 */
class BlockArraysTest {
    private final java.util.List<BlockArrays.Blocks> made = new java.util.ArrayList<>();
    private final long outstandingBefore = BlockArrays.outstandingBytes();

    private <B extends BlockArrays.Blocks> B track(B b) {
        made.add(b);
        return b;
    }

    @AfterEach
    void freeAll() {
        made.forEach(BlockArrays.Blocks::free);
        assertThat(BlockArrays.outstandingBytes()).as("block bytes left after freeing").isEqualTo(outstandingBefore);
    }

    @Test
    void intsKeepContentsAndFillNewBlocksWhenGrowing() {
        BlockArrays.Ints a = track(new BlockArrays.Ints(-1, 1));
        int block = BlockArrays.Ints.MASK + 1;
        assertThat(a.capacity()).isEqualTo(block);
        assertThat(a.get(0)).isEqualTo(-1);
        Random r = new Random(7);
        int[] model = new int[block * 5 + 3];
        java.util.Arrays.fill(model, -1);
        for (int grown = block; grown < model.length; grown += block) {
            for (int k = 0; k < 200; k++) {
                int i = r.nextInt(grown);
                model[i] = r.nextInt();
                a.set(i, model[i]);
            }
            a.ensureCapacity(Math.min(model.length, grown + block));
        }
        assertThat(a.capacity()).isEqualTo(block * 6);
        for (int i = 0; i < model.length; i++) {
            assertThat(a.get(i)).as("element %d", i).isEqualTo(model[i]);
        }
        assertThat(a.add(3, 5)).isEqualTo(model[3] + 5);
        assertThat(a.get(3)).isEqualTo(model[3] + 5);
    }

    @Test
    void indicesOutsideTheCapacityFailOnTheDirectoryNotInNativeMemory() {
        BlockArrays.Ints ints = track(new BlockArrays.Ints(0, 1));
        BlockArrays.Longs longs = track(new BlockArrays.Longs(1));
        BlockArrays.Bytes bytes = track(new BlockArrays.Bytes(1));
        assertThatThrownBy(() -> ints.get(ints.capacity())).isInstanceOf(ArrayIndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ints.set(-1, 1)).isInstanceOf(ArrayIndexOutOfBoundsException.class);
        assertThatThrownBy(() -> longs.get(longs.capacity())).isInstanceOf(ArrayIndexOutOfBoundsException.class);
        assertThatThrownBy(() -> longs.set(Integer.MIN_VALUE, 1)).isInstanceOf(ArrayIndexOutOfBoundsException.class);
        assertThatThrownBy(() -> bytes.get(bytes.capacity())).isInstanceOf(ArrayIndexOutOfBoundsException.class);
        // capacity grows by whole blocks only: the last index of the last block is valid
        ints.ensureCapacity(ints.capacity() + 1L);
        ints.set(ints.capacity() - 1, 9);
        assertThat(ints.get(ints.capacity() - 1)).isEqualTo(9);
    }

    @Test
    void freeGivesTheBytesBackAndLaterAccessesThrow() {
        long before = BlockArrays.outstandingBytes();
        BlockArrays.Longs a = track(new BlockArrays.Longs(BlockArrays.Longs.BLOCK * 3));
        assertThat(a.nativeBytes()).isEqualTo(3L * BlockArrays.BLOCK_BYTES);
        assertThat(BlockArrays.outstandingBytes() - before).isEqualTo(3L * BlockArrays.BLOCK_BYTES);
        a.set(5, 42L);
        a.free();
        assertThat(a.nativeBytes()).isZero();
        assertThat(a.capacity()).isZero();
        assertThat(BlockArrays.outstandingBytes()).isEqualTo(before);
        assertThatThrownBy(() -> a.get(5)).isInstanceOf(ArrayIndexOutOfBoundsException.class);
        a.free(); // idempotent
        assertThat(BlockArrays.outstandingBytes()).isEqualTo(before);
    }

    @Test
    void bytesAndLongsStartZeroedAndKeepContents() {
        BlockArrays.Bytes a = track(new BlockArrays.Bytes(0));
        assertThat(a.capacity()).isZero();
        a.ensureCapacity(1);
        a.set(0, (byte) 3);
        a.ensureCapacity((BlockArrays.Bytes.MASK + 1L) * 3);
        assertThat(a.get(0)).isEqualTo((byte) 3);
        assertThat(a.get((BlockArrays.Bytes.MASK + 1) * 3 - 1)).isZero();
        BlockArrays.Longs l = track(new BlockArrays.Longs(1));
        l.set(7, -3L);
        l.ensureCapacity(BlockArrays.Longs.BLOCK * 40L);
        assertThat(l.get(7)).isEqualTo(-3L);
        int i = BlockArrays.Longs.BLOCK * 37 + 9;
        assertThat(l.get(i)).isZero();
        l.set(i, Long.MIN_VALUE);
        assertThat(l.get(i)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void takeLowestSetBitClearsBitsInOrderWithinTheGroup() {
        BlockArrays.Longs a = track(new BlockArrays.Longs(BlockArrays.Longs.BLOCK * 2));
        int from = BlockArrays.Longs.BLOCK + 4; // a group of 4 words in the second block
        a.set(from + 1, 0b1010L);
        a.set(from + 3, 1L << 63);
        a.set(from + 4, -1L); // the next group: never touched
        assertThat(a.takeLowestSetBit(from, 4)).isEqualTo(64 + 1);
        assertThat(a.takeLowestSetBit(from, 4)).isEqualTo(64 + 3);
        assertThat(a.takeLowestSetBit(from, 4)).isEqualTo(3 * 64 + 63);
        assertThat(a.takeLowestSetBit(from, 4)).isEqualTo(-1);
        assertThat(a.get(from + 1)).isZero();
        assertThat(a.get(from + 4)).isEqualTo(-1L);
        assertThatThrownBy(() -> a.takeLowestSetBit(BlockArrays.Longs.BLOCK - 2, 4))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void growingTheArenaPutsItsMetadataOffTheJavaHeap() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        try (Arena arena = new Arena(ArenaConfig.of(4096, 1024, false))) {
            arena.allocate(96); // class loading and first blocks out of the way
            long heapBefore = threads.getThreadAllocatedBytes(self);
            long metadataBefore = arena.metadataBytes();
            for (int i = 0; i < 200_000; i++) { // about 4,700 slabs, 19 MB of values
                arena.allocate(96);
            }
            long heap = threads.getThreadAllocatedBytes(self) - heapBefore;
            long metadata = arena.metadataBytes() - metadataBefore;
            // on the heap these blocks were about 300 KB; what is left is the block directories
            assertThat(metadata).as("native metadata added").isGreaterThanOrEqualTo(4L * BlockArrays.BLOCK_BYTES);
            assertThat(heap).as("heap bytes allocated while the arena grew by %d frames", arena.totalFrames())
                    .isLessThan(metadata / 4);
        }
        assertThat(BlockArrays.outstandingBytes()).isEqualTo(outstandingBefore);
    }
}
