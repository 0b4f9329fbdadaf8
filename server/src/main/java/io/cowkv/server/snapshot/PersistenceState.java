package io.cowkv.server.snapshot;

import io.cowkv.server.metrics.PersistenceReport;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What INFO persistence reports, with every field Redis 7 has, in Redis's order. Until
 * background saving lands (issue 5) no save ever runs, so the save fields keep their initial
 * values; rdb_changes_since_last_save counts writes since start-up. Keyspace thread only.
 */
public final class PersistenceState implements PersistenceReport {
    private final LongSupplier dirty;
    private final long startSeconds = System.currentTimeMillis() / 1000;
    long lastSaveTime = startSeconds;
    String lastBgsaveStatus = "ok";
    long saves;
    long latestForkUsec;
    long totalForks;

    public PersistenceState(LongSupplier dirty) {
        this.dirty = dirty;
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loading", 0);
        m.put("async_loading", 0);
        m.put("current_cow_peak", 0);
        m.put("current_cow_size", 0);
        m.put("current_cow_size_age", 0);
        m.put("current_fork_perc", "0.00");
        m.put("current_save_keys_processed", 0);
        m.put("current_save_keys_total", 0);
        m.put("rdb_changes_since_last_save", dirty.getAsLong());
        m.put("rdb_bgsave_in_progress", 0);
        m.put("rdb_last_save_time", lastSaveTime);
        m.put("rdb_last_bgsave_status", lastBgsaveStatus);
        m.put("rdb_last_bgsave_time_sec", -1);
        m.put("rdb_current_bgsave_time_sec", -1);
        m.put("rdb_saves", saves);
        m.put("rdb_last_cow_size", 0);
        m.put("rdb_last_load_keys_expired", 0);
        m.put("rdb_last_load_keys_loaded", 0);
        m.put("aof_enabled", 0);
        m.put("aof_rewrite_in_progress", 0);
        m.put("aof_rewrite_scheduled", 0);
        m.put("aof_last_rewrite_time_sec", -1);
        m.put("aof_current_rewrite_time_sec", -1);
        m.put("aof_last_bgrewrite_status", "ok");
        m.put("aof_rewrites", 0);
        m.put("aof_rewrites_consecutive_failures", 0);
        m.put("aof_last_write_status", "ok");
        m.put("aof_last_cow_size", 0);
        m.put("module_fork_in_progress", 0);
        m.put("module_fork_last_cow_size", 0);
        return m;
    }

    @Override
    public long latestForkUsec() {
        return latestForkUsec;
    }

    @Override
    public long totalForks() {
        return totalForks;
    }
}
