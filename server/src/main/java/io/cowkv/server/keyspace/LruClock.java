package io.cowkv.server.keyspace;

/**
 * The time stamped into a record's LRU field on access, in Unix seconds. Until {@link #tick()} is
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

    /** Seconds for the LRU field now. */
    int now() {
        int c = cached;
        return c >= 0 ? c : (int) (clock.millis() / 1000);
    }

    /** Refreshes the cached value from the clock and keeps using the cache from now on. */
    void tick() {
        cached = (int) (clock.millis() / 1000);
    }
}
