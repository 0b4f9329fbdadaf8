package io.cowkv.server.memory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The snapshot walk's native long array: contents across growth, copies, sorts, bounds, freeing. */
class NativeLongsTest {
    @AfterEach
    void noLeak() {
        assertThat(NativeLongs.outstandingBytes()).isZero();
    }

    @Test
    void keepsContentsWhenGrowingAndCopies() {
        NativeLongs a = new NativeLongs(3);
        NativeLongs b = new NativeLongs(10);
        try {
            for (int i = 0; i < 3; i++) {
                a.set(i, -i * 1_000_000_007L);
            }
            assertThat(NativeLongs.outstandingBytes()).isEqualTo(13 * 8);
            a.grow(8);
            assertThat(a.length()).isEqualTo(8);
            assertThat(NativeLongs.outstandingBytes()).isEqualTo(18 * 8);
            for (int i = 0; i < 3; i++) {
                assertThat(a.get(i)).isEqualTo(-i * 1_000_000_007L);
            }
            a.copyTo(1, b, 5, 2);
            assertThat(b.get(5)).isEqualTo(a.get(1));
            assertThat(b.get(6)).isEqualTo(a.get(2));
        } finally {
            a.free();
            b.free();
            a.free(); // idempotent
        }
        assertThat(a.length()).isZero();
    }

    @Test
    void sortsShortAndLongRangesLikeArraysSort() {
        Random rnd = new Random(42);
        for (int n : new int[]{0, 1, 2, 5, 32, 33, 200}) {
            long[] expected = new long[n + 6];
            NativeLongs a = new NativeLongs(expected.length);
            try {
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = rnd.nextInt(7) == 0 ? Long.MIN_VALUE + i : rnd.nextLong() % 1000;
                    a.set(i, expected[i]);
                }
                Arrays.sort(expected, 3, 3 + n);
                a.sort(3, 3 + n);
                for (int i = 0; i < expected.length; i++) {
                    assertThat(a.get(i)).as("n=%d, i=%d", n, i).isEqualTo(expected[i]);
                }
            } finally {
                a.free();
            }
        }
    }

    /** The walk sorts every page's records: after the first long range, sorting allocates nothing. */
    @Test
    void sortingLongRangesReusesOneBuffer() {
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        Random rnd = new Random(3);
        NativeLongs a = new NativeLongs(100_000);
        try {
            for (int i = 0; i < a.length(); i++) {
                a.set(i, rnd.nextLong());
            }
            a.sort(0, 200); // sizes the buffer
            long before = bean.getThreadAllocatedBytes(self);
            for (int from = 200; from + 200 <= a.length(); from += 200) {
                a.sort(from, from + 50 + (from % 150));
            }
            assertThat(bean.getThreadAllocatedBytes(self) - before).as("bytes allocated by 499 sorts").isLessThan(1024);
            for (int i = 201; i < 250; i++) {
                assertThat(a.get(i)).isGreaterThanOrEqualTo(a.get(i - 1));
            }
        } finally {
            a.free();
        }
    }

    /** Tests run with cowkv.arena.checks=true (surefire): every access is bounds-checked. */
    @Test
    void outOfRangeAccessIsRefusedUnderChecks() {
        NativeLongs a = new NativeLongs(4);
        try {
            assertThatThrownBy(() -> a.get(4)).isInstanceOf(ArenaAccessException.class);
            assertThatThrownBy(() -> a.set(-1, 0)).isInstanceOf(ArenaAccessException.class);
            NativeLongs b = new NativeLongs(2);
            try {
                assertThatThrownBy(() -> a.copyTo(0, b, 1, 2)).isInstanceOf(ArenaAccessException.class);
            } finally {
                b.free();
            }
            a.free();
            assertThatThrownBy(() -> a.get(0)).as("after free").isInstanceOf(ArenaAccessException.class);
        } finally {
            a.free();
        }
    }
}
