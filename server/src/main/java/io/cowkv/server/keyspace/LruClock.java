package io.cowkv.server.keyspace;

/**
 * The time stamped into a record's LRU field on access: Unix seconds modulo 2^24, as Redis's
 * LRU clock ({@link EntryLayout#LRU_MAX}). Until {@link #tick()} is
 * first called it reads the keyspace clock on every access; once the server's cron ticks it, it
 * returns the value of the last tick, as Redis's {@code server.lruclock} (refreshed by serverCron
 * at {@code hz}, one second resolution). This takes a clock read (about 25 ns on a VM) off every
 * read and write. Keyspace thread only.
 */
final class LruClock {
    private final Clock clock;
    private int cached = -1;

    LruClock(Clock clock) {
        this.clock = clock;
    }

    /** The 24-bit clock value for the LRU field now. */
    int now() {
        int c = cached;
        return c >= 0 ? c : at(clock.millis());
    }

    /** Refreshes the cached value from the clock and keeps using the cache from now on. */
    void tick() {
        cached = at(clock.millis());
    }

    /** The 24-bit LRU clock value at Unix time {@code millis}. */
    static int at(long millis) {
        return (int) (millis / 1000) & EntryLayout.LRU_MAX;
    }
}
