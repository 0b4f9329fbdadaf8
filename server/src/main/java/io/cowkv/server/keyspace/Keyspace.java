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

    /**
     * Freezes the whole keyspace for a snapshot. Provisional on-heap store: the freeze copies every
     * entry (O(keys), unlike the arena's page-table freeze, which is what issue 3 brings); the
     * contract is the same. Keyspace thread only; at most one view open at a time.
     */
    public FrozenKeyspace freeze() {
        if (frozenOpen) {
            throw new IllegalStateException("a frozen view is already open");
        }
        long start = System.nanoTime();
        long now = clock.millis();
        java.util.List<java.util.List<Object[]>> copy = new java.util.ArrayList<>();
        long[] sizes = new long[dbs.length];
        long[] exp = new long[dbs.length];
        for (int i = 0; i < dbs.length; i++) {
            java.util.List<Object[]> entries = dbs[i].snapshotEntries();
            copy.add(entries);
            sizes[i] = entries.size();
            exp[i] = dbs[i].expires();
        }
        long nanos = System.nanoTime() - start;
        frozenOpen = true;
        return new FrozenKeyspace() {
            private boolean closed;

            @Override
            public int databases() {
                return sizes.length;
            }

            @Override
            public long size(int db) {
                return sizes[db];
            }

            @Override
            public long expires(int db) {
                return exp[db];
            }

            @Override
            public void forEach(int db, FrozenEntryVisitor v) {
                for (Object[] e : copy.get(db)) {
                    v.string((byte[]) e[0], (byte[]) e[1], (Long) e[2]);
                }
            }

            @Override
            public long copiedBytes() {
                return 0;
            }

            @Override
            public long freezeNanos() {
                return nanos;
            }

            @Override
            public long frozenAtMillis() {
                return now;
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    frozenOpen = false;
                }
            }
        };
    }

    private boolean frozenOpen;

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
