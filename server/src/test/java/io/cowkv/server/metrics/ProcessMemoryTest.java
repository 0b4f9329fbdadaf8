package io.cowkv.server.metrics;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cron's RSS sampler: the same figure as a fresh read of /proc, without allocating per sample. */
class ProcessMemoryTest {
    @Test
    void samplerAgreesWithAFreshReadAndAllocatesNothingPerSample() throws java.io.IOException {
        try (ProcessMemory.RssSampler sampler = new ProcessMemory.RssSampler()) {
            long sampled = sampler.sample();
            String[] statm = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/statm")).trim().split(" ");
            long fresh = Long.parseLong(statm[1]) * 4096L;
            assertThat(sampled).isPositive();
            // RSS moves a little between the two reads (the test itself allocates)
            assertThat((double) sampled).isCloseTo((double) fresh, org.assertj.core.data.Percentage.withPercentage(10));

            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long id = Thread.currentThread().getId();
            long sum = 0;
            for (int i = 0; i < 2_000; i++) { // warm up (JIT, the channel's first use)
                sum += sampler.sample();
            }
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 10_000; i++) {
                sum += sampler.sample();
            }
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            assertThat(sum).isPositive();
            // reading statm into a string allocates ~7 KB per call: 70 MB for these samples
            assertThat(allocated).as("bytes allocated by 10,000 samples").isLessThan(10_000);
        }
    }

    @Test
    void parsesTheResidentFieldOfStatm() {
        ByteBuffer b = ByteBuffer.wrap("2093054 51234 4321 1 0 81234 0\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(ProcessMemory.RssSampler.parseSecondField(b, b.capacity())).isEqualTo(51234);
        ByteBuffer bad = ByteBuffer.wrap("12".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> ProcessMemory.RssSampler.parseSecondField(bad, bad.capacity()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneShotReadIsTheSamplersFigure() {
        long once = ProcessMemory.rss();
        assertThat(once).isPositive();
        try (ProcessMemory.RssSampler sampler = new ProcessMemory.RssSampler()) {
            assertThat((double) sampler.sample()).isCloseTo((double) once, org.assertj.core.data.Percentage.withPercentage(10));
        }
    }

    @Test
    void closeIsIdempotentAndAClosedSamplerReopens() {
        ProcessMemory.RssSampler sampler = new ProcessMemory.RssSampler();
        assertThat(sampler.sample()).isPositive();
        sampler.close();
        sampler.close();
        assertThat(sampler.sample()).isPositive();
        sampler.close();
    }
}
