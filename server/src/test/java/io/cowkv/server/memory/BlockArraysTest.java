package io.cowkv.server.memory;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The arena's block arrays: contents and fill values across growth, growth without copying, bounds. */
class BlockArraysTest {
    @Test
    void intsKeepContentsAndFillNewBlocksWhenGrowing() {
        BlockArrays.Ints a = new BlockArrays.Ints(-1, 1);
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
        assertThatThrownBy(() -> a.get(block * 6)).isInstanceOf(RuntimeException.class);
    }

    @Test
    void growingAddsBlocksAndNeverCopiesOldOnes() {
        BlockArrays.Longs a = new BlockArrays.Longs(1);
        long[] first = a.block(0);
        a.set(5, 42L);
        a.ensureCapacity(BlockArrays.Longs.BLOCK * 100L);
        assertThat(a.block(0)).isSameAs(first);
        assertThat(first[BlockArrays.Longs.offset(5)]).isEqualTo(42L);
        assertThat(a.get(BlockArrays.Longs.BLOCK * 100 - 1)).isZero();
        int i = BlockArrays.Longs.BLOCK * 37 + 9;
        a.block(i)[BlockArrays.Longs.offset(i)] = -3L;
        assertThat(a.get(i)).isEqualTo(-3L);
    }

    @Test
    void bytesStartZeroedAndKeepContents() {
        BlockArrays.Bytes a = new BlockArrays.Bytes(0);
        assertThat(a.capacity()).isZero();
        a.ensureCapacity(1);
        a.set(0, (byte) 3);
        a.ensureCapacity((BlockArrays.Bytes.MASK + 1L) * 3);
        assertThat(a.get(0)).isEqualTo((byte) 3);
        assertThat(a.get((BlockArrays.Bytes.MASK + 1) * 3 - 1)).isZero();
    }
}
