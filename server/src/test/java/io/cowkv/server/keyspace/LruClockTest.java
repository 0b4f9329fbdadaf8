package io.cowkv.server.keyspace;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class LruClockTest {
    @Test
    void readsTheClockUntilTickedThenHoldsTheLastTick() {
        AtomicLong ms = new AtomicLong(5_000);
        LruClock lru = new LruClock(ms::get);
        assertThat(lru.now()).isEqualTo(5);
        ms.set(7_999);
        assertThat(lru.now()).as("not ticking yet: the clock itself").isEqualTo(7);
        lru.tick();
        ms.set(60_000);
        assertThat(lru.now()).as("cached since the tick").isEqualTo(7);
        lru.tick();
        assertThat(lru.now()).isEqualTo(60);
    }
}
