package io.cowkv.server.memory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The snapshot walk's native int array: zeroed start, element updates against a heap model, fill, bounds, freeing. */
class NativeIntsTest {
    @AfterEach
    void noLeak() {
        assertThat(NativeInts.outstandingBytes()).isZero();
    }

    @Test
    void startsZeroedAndTracksAHeapModel() {
        Random rnd = new Random(7);
        int n = 10_007;
        NativeInts a = new NativeInts(n);
        try {
            assertThat(NativeInts.outstandingBytes()).isEqualTo(n * 4L);
            int[] model = new int[n];
            for (int i = 0; i < n; i++) {
                assertThat(a.get(i)).isZero();
            }
            for (int k = 0; k < 100_000; k++) {
                int i = rnd.nextInt(n);
                if (rnd.nextBoolean()) {
                    int v = rnd.nextInt();
                    a.set(i, v);
                    model[i] = v;
                } else {
                    int d = rnd.nextInt(7) - 3;
                    model[i] += d;
                    assertThat(a.add(i, d)).isEqualTo(model[i]);
                }
            }
            for (int i = 0; i < n; i++) {
                assertThat(a.get(i)).as("element %d", i).isEqualTo(model[i]);
            }
            a.fill(-5);
            assertThat(a.get(0)).isEqualTo(-5);
            assertThat(a.get(n - 1)).isEqualTo(-5);
            a.fill(0);
            assertThat(a.get(n / 2)).isZero();
        } finally {
            a.free();
            a.free(); // idempotent
        }
        assertThat(a.length()).isZero();
    }

    @Test
    void checksBoundsInTests() {
        NativeInts a = new NativeInts(4);
        try {
            assertThatThrownBy(() -> a.get(4)).isInstanceOf(ArenaAccessException.class);
            assertThatThrownBy(() -> a.set(-1, 1)).isInstanceOf(ArenaAccessException.class);
            assertThatThrownBy(() -> a.add(4, 1)).isInstanceOf(ArenaAccessException.class);
        } finally {
            a.free();
        }
        assertThatThrownBy(() -> a.get(0)).as("use after free").isInstanceOf(ArenaAccessException.class);
        assertThatThrownBy(() -> new NativeInts(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
