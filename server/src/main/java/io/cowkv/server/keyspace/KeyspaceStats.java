package io.cowkv.server.keyspace;

/** Counters the keyspace keeps for INFO stats; written on the keyspace thread only. */
public final class KeyspaceStats {
    public long expiredKeys;
    public long keyspaceHits;
    public long keyspaceMisses;

    public void reset() {
        expiredKeys = 0;
        keyspaceHits = 0;
        keyspaceMisses = 0;
    }
}
