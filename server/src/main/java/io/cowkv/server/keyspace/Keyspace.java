package io.cowkv.server.keyspace;

/**
 * All databases of the server. Contract: confined to the keyspace thread (the single event loop).
 */
public final class Keyspace {
    private final Database[] dbs;
    private final KeyspaceStats stats = new KeyspaceStats();
    private final Clock clock;

    public Keyspace(int databases, Clock clock) {
        this.clock = clock;
        this.dbs = new Database[databases];
        for (int i = 0; i < databases; i++) {
            dbs[i] = new Database(i, stats, clock);
        }
    }

    public int databases() {
        return dbs.length;
    }

    public Database db(int index) {
        return dbs[index];
    }

    public Clock clock() {
        return clock;
    }

    public KeyspaceStats stats() {
        return stats;
    }

    public void swap(int a, int b) {
        if (a != b) {
            dbs[a].swapContent(dbs[b]);
        }
    }

    public void flushAll() {
        for (Database db : dbs) {
            db.clear();
        }
    }

    public long totalKeys() {
        long n = 0;
        for (Database db : dbs) {
            n += db.size();
        }
        return n;
    }

    /** One step of active expiry over all databases (Redis samples 20 keys per db per round). */
    public int activeExpireCycle() {
        int deleted = 0;
        for (Database db : dbs) {
            int d;
            int rounds = 0;
            do {
                d = db.expireSample(20);
                deleted += d;
            } while (d > 5 && ++rounds < 16); // more than 25% expired: go again, within a budget
        }
        return deleted;
    }
}
