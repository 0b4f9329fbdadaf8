package io.cowkv.server.metrics;

import java.util.Map;
import java.util.TreeMap;

/**
 * Server-wide counters for INFO stats and the metrics registry. Written on the keyspace thread;
 * the metrics scrape reads the volatile-free longs racily, which is acceptable for counters.
 */
public final class ServerStats {
    public long totalCommandsProcessed;
    public long totalNetInputBytes;
    public long totalNetOutputBytes;
    public long totalErrorReplies;
    public long unexpectedErrorReplies;
    public long totalReadsProcessed;
    public long totalWritesProcessed;
    /** Dirty counter: writes since the last successful save (rdb_changes_since_last_save). */
    public long dirty;
    private final Map<String, long[]> errorsByType = new TreeMap<>();

    public void countError(String type) {
        totalErrorReplies++;
        errorsByType.computeIfAbsent(type, t -> new long[1])[0]++;
    }

    /** Error counts by type (ERR, WRONGTYPE, ...), for INFO errorstats. */
    public Map<String, long[]> errorsByType() {
        return errorsByType;
    }

    public void reset() {
        totalCommandsProcessed = 0;
        totalNetInputBytes = 0;
        totalNetOutputBytes = 0;
        totalErrorReplies = 0;
        unexpectedErrorReplies = 0;
        errorsByType.clear();
    }
}
