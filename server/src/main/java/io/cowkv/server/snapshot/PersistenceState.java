package io.cowkv.server.snapshot;

import io.cowkv.server.metrics.PersistenceReport;

import java.util.LinkedHashMap;
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

    /** Receives the fields in order: {@link #fields()} puts them in a map, {@link #appendTo} in INFO's text. */
    private interface Sink {
        void num(String name, long value);

        void text(String name, String value);
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        emit(new Sink() {
            @Override
            public void num(String name, long value) {
                m.put(name, value);
            }

            @Override
            public void text(String name, String value) {
                m.put(name, value);
            }
        });
        return m;
    }

    /** INFO's text without a map or boxed numbers: INFO persistence is what monitoring polls. */
    @Override
    public void appendTo(StringBuilder sb) {
        text.sb = sb;
        emit(text);
        text.sb = null;
    }

    private final TextSink text = new TextSink();

    /** Appends {@code name:value\r\n}; one per state, reused (keyspace thread only). */
    private static final class TextSink implements Sink {
        StringBuilder sb;

        @Override
        public void num(String name, long value) {
            sb.append(name).append(':').append(value).append("\r\n");
        }

        @Override
        public void text(String name, String value) {
            sb.append(name).append(':').append(value).append("\r\n");
        }
    }

    /** Every field in Redis 7.0's order, then CowKV's own. */
    private void emit(Sink out) {
        SnapshotCoordinator.Figures f = snapshots.figures();
        out.num("loading", f.loading() ? 1 : 0);
        out.num("async_loading", 0);
        out.num("current_cow_peak", f.cowPeak());
        out.num("current_cow_size", f.cowSize());
        out.num("current_cow_size_age", f.cowSizeAgeSeconds());
        out.text("current_fork_perc", twoDecimals(f.forkPerc()));
        out.num("current_save_keys_processed", f.keysProcessed());
        out.num("current_save_keys_total", f.keysTotal());
        out.num("rdb_changes_since_last_save", f.changesSinceLastSave());
        out.num("rdb_bgsave_in_progress", f.bgsaveInProgress() ? 1 : 0);
        out.num("rdb_last_save_time", f.lastSaveTime());
        out.text("rdb_last_bgsave_status", f.lastBgsaveOk() ? "ok" : "err");
        out.num("rdb_last_bgsave_time_sec", f.lastBgsaveTimeSec());
        out.num("rdb_current_bgsave_time_sec", f.currentBgsaveTimeSec());
        out.num("rdb_saves", f.saves());
        out.num("rdb_last_cow_size", f.lastCowSize());
        out.num("rdb_last_load_keys_expired", f.lastLoadKeysExpired());
        out.num("rdb_last_load_keys_loaded", f.lastLoadKeysLoaded());
        out.num("aof_enabled", 0);
        out.num("aof_rewrite_in_progress", 0);
        out.num("aof_rewrite_scheduled", 0);
        out.num("aof_last_rewrite_time_sec", -1);
        out.num("aof_current_rewrite_time_sec", -1);
        out.text("aof_last_bgrewrite_status", "ok");
        out.num("aof_rewrites", 0);
        out.num("aof_rewrites_consecutive_failures", 0);
        out.text("aof_last_write_status", "ok");
        out.num("aof_last_cow_size", 0);
        out.num("module_fork_in_progress", 0);
        out.num("module_fork_last_cow_size", 0);
        // CowKV's own, after every Redis field (see docs/persistence.md)
        SnapshotCoordinator.SaveCost c = f.lastCost();
        out.num("cowkv_current_cow_held", f.cowHeld());
        out.num("cowkv_rdb_last_pages_adopted", c.pagesAdopted());
        out.num("cowkv_rdb_last_writer_serialized_pages", c.writerPages());
        out.num("cowkv_rdb_last_writer_serialized_bytes", c.writerBytes());
        out.num("cowkv_rdb_last_writer_queue_peak", c.writerQueuePeak());
        out.num("cowkv_rdb_last_writer_queue_full_pages", c.writerQueueFullPages());
        out.num("cowkv_rdb_last_cow_peak_held", c.cowPeakHeld());
    }

    /**
     * {@code %.2f} of a percentage (0-100) without String.format: interned strings for the two
     * values a poller sees most (0.00 and 100.00), else a short string.
     */
    public static String twoDecimals(double v) {
        long hundredths = Math.round(v * 100);
        if (hundredths == 0) {
            return "0.00";
        }
        if (hundredths == 10_000) {
            return "100.00";
        }
        long frac = hundredths % 100;
        return hundredths / 100 + (frac < 10 ? ".0" : ".") + frac;
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
