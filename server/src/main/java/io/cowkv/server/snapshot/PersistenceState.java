package io.cowkv.server.snapshot;

import io.cowkv.server.metrics.PersistenceReport;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What INFO persistence reports, with every field Redis 7.0 has, in Redis's order, read from the
 * {@link SnapshotCoordinator}, then CowKV's own snapshot fields ({@code cowkv_*}) at the end. AOF
 * and module forks do not exist in CowKV: their fields show Redis's values for "off". Keyspace
 * thread only.
 */
public final class PersistenceState implements PersistenceReport {
    private final SnapshotCoordinator snapshots;

    public PersistenceState(SnapshotCoordinator snapshots) {
        this.snapshots = snapshots;
    }

    @Override
    public Map<String, Object> fields() {
        SnapshotCoordinator.Figures f = snapshots.figures();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loading", f.loading() ? 1 : 0);
        m.put("async_loading", 0);
        m.put("current_cow_peak", f.cowPeak());
        m.put("current_cow_size", f.cowSize());
        m.put("current_cow_size_age", f.cowSizeAgeSeconds());
        m.put("current_fork_perc", String.format(Locale.ROOT, "%.2f", f.forkPerc()));
        m.put("current_save_keys_processed", f.keysProcessed());
        m.put("current_save_keys_total", f.keysTotal());
        m.put("rdb_changes_since_last_save", f.changesSinceLastSave());
        m.put("rdb_bgsave_in_progress", f.bgsaveInProgress() ? 1 : 0);
        m.put("rdb_last_save_time", f.lastSaveTime());
        m.put("rdb_last_bgsave_status", f.lastBgsaveOk() ? "ok" : "err");
        m.put("rdb_last_bgsave_time_sec", f.lastBgsaveTimeSec());
        m.put("rdb_current_bgsave_time_sec", f.currentBgsaveTimeSec());
        m.put("rdb_saves", f.saves());
        m.put("rdb_last_cow_size", f.lastCowSize());
        m.put("rdb_last_load_keys_expired", f.lastLoadKeysExpired());
        m.put("rdb_last_load_keys_loaded", f.lastLoadKeysLoaded());
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
        // CowKV's own, after every Redis field (see docs/persistence.md)
        SnapshotCoordinator.SaveCost c = f.lastCost();
        m.put("cowkv_current_cow_held", f.cowHeld());
        m.put("cowkv_rdb_last_pages_adopted", c.pagesAdopted());
        m.put("cowkv_rdb_last_writer_serialized_pages", c.writerPages());
        m.put("cowkv_rdb_last_writer_serialized_bytes", c.writerBytes());
        m.put("cowkv_rdb_last_writer_queue_peak", c.writerQueuePeak());
        m.put("cowkv_rdb_last_writer_queue_full_pages", c.writerQueueFullPages());
        m.put("cowkv_rdb_last_cow_peak_held", c.cowPeakHeld());
        return m;
    }

    @Override
    public long latestForkUsec() {
        return snapshots.figures().latestForkUsec();
    }

    @Override
    public long totalForks() {
        return snapshots.figures().totalForks();
    }
}
