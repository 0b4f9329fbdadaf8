package io.cowkv.server.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** INFO cpu's process figures: user and system time of the whole process, growing with work. */
class ProcessCpuTest {
    @Test
    void userTimeGrowsWhenTheProcessComputes() {
        long[] before = ProcessCpu.userAndSystemNanos();
        assertThat(before[0]).isPositive(); // a JVM that got here has run code
        assertThat(before[1]).isNotNegative();
        // spin until the OS accounts at least 50 ms more (a few ticks), or give up after 10 s
        long deadline = System.nanoTime() + 10_000_000_000L;
        long x = 0;
        long[] after = before;
        while (System.nanoTime() < deadline && after[0] + after[1] < before[0] + before[1] + 50_000_000L) {
            for (int i = 0; i < 1_000_000; i++) {
                x += Long.numberOfTrailingZeros(x + i);
            }
            after = ProcessCpu.userAndSystemNanos();
        }
        assertThat(after[0] + after[1]).as("cpu after spinning (%d)", x)
                .isGreaterThanOrEqualTo(before[0] + before[1] + 50_000_000L);
    }
}
