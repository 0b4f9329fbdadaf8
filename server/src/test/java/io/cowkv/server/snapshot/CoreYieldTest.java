package io.cowkv.server.snapshot;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When the snapshot thread gives its core away: after each interval of work, never with interval 0. */
class CoreYieldTest {
    private long now = 1_000;
    private int yielded;

    private CoreYield yieldEvery(long nanos) {
        return new CoreYield(nanos, () -> now, () -> yielded++);
    }

    @Test
    void yieldsOncePerIntervalOfWork() {
        CoreYield y = yieldEvery(250_000);
        for (int i = 0; i < 10 * CoreYield.TICKS_PER_CHECK; i++) {
            now += 1_000; // 1 µs of work per tick: 160 µs in all
            y.tick();
        }
        assertThat(yielded).isZero();
        for (int i = 0; i < 100 * CoreYield.TICKS_PER_CHECK; i++) { // 1.6 ms more
            now += 1_000;
            y.tick();
        }
        // every 250 µs, checked every 16 ticks (16 µs): 1.76 ms of work is 6 or 7 intervals
        assertThat(yielded).isBetween(6, 7);
        assertThat(y.yields()).isEqualTo(yielded);
    }

    @Test
    void aLongUnitOfWorkYieldsAtTheNextCheckOnly() {
        CoreYield y = yieldEvery(250_000);
        now += 10_000_000; // one 10 ms unit (a huge value compressed in one call)
        for (int i = 0; i < CoreYield.TICKS_PER_CHECK; i++) {
            y.tick();
        }
        assertThat(yielded).isEqualTo(1);
        for (int i = 0; i < CoreYield.TICKS_PER_CHECK; i++) {
            y.tick();
        }
        assertThat(yielded).as("the interval restarts at the yield").isEqualTo(1);
    }

    @Test
    void foregroundSavesRunWithoutYields() {
        DumpFile.Settings s = new DumpFile.Settings(java.nio.file.Path.of("."), "dump.rdb", "temp-1.rdb", true, true,
                "7.0.15", 1234, 5, 250);
        DumpFile.Settings fg = s.withoutYields();
        assertThat(fg.yieldMicros()).isZero();
        assertThat(fg).isEqualTo(new DumpFile.Settings(s.dir(), s.dbfilename(), s.tempName(), s.compression(),
                s.checksum(), s.redisVersion(), s.usedMemory(), s.keyDelayMicros(), 0));
    }

    @Test
    void intervalZeroNeverYieldsNorReadsTheClock() {
        CoreYield y = new CoreYield(0, () -> {
            throw new AssertionError("clock read");
        }, () -> yielded++);
        for (int i = 0; i < 1000; i++) {
            y.tick();
        }
        assertThat(yielded).isZero();
        assertThat(CoreYield.everyMicros(0).yields()).isZero();
    }
}
