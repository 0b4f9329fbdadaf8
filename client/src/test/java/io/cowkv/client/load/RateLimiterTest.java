package io.cowkv.client.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The rate limiter against a logical clock: counts of granted operations, never wall time. */
class RateLimiterTest {

    @Test
    void holdsTheRateOverLogicalTime() {
        AtomicLong clock = new AtomicLong(1_000_000_000L);
        RateLimiter rl = new RateLimiter(1000, clock::get);
        Random rnd = new Random(11);
        long start = clock.get();
        for (int step = 0; step < 100_000; step++) {
            clock.addAndGet(rnd.nextInt(200_000)); // irregular ticks, up to 0.2 ms
            long intended;
            while ((intended = rl.tryAcquire()) >= 0) {
                assertThat(intended).isLessThanOrEqualTo(clock.get());
            }
            // at every instant exactly the operations due so far have been granted
            long elapsed = clock.get() - start;
            assertThat(rl.granted()).isEqualTo(elapsed / 1_000_000 + 1);
        }
    }

    @Test
    void overdueOperationsKeepTheirScheduledStartTimes() {
        AtomicLong clock = new AtomicLong(0);
        RateLimiter rl = new RateLimiter(100, clock::get); // one every 10 ms
        assertThat(rl.tryAcquire()).isEqualTo(0);
        assertThat(rl.tryAcquire()).isEqualTo(-1);
        assertThat(rl.nanosUntilNext()).isEqualTo(10_000_000);
        clock.set(55_000_000); // the sender stalled for 55 ms
        long[] got = new long[6];
        int n = 0;
        long t;
        while ((t = rl.tryAcquire()) >= 0) got[n++] = t;
        assertThat(n).isEqualTo(5);
        assertThat(got).startsWith(10_000_000, 20_000_000, 30_000_000, 40_000_000, 50_000_000);
        assertThat(rl.nanosUntilNext()).isEqualTo(5_000_000);
    }

    @Test
    void fractionalRates() {
        AtomicLong clock = new AtomicLong(0);
        RateLimiter rl = new RateLimiter(3.0 / 7, clock::get);
        for (int s = 0; s < 7000; s++) {
            clock.addAndGet(1_000_000_000L);
            while (rl.tryAcquire() >= 0) { }
        }
        assertThat(rl.granted()).isBetween(3000L, 3001L);
    }
}
