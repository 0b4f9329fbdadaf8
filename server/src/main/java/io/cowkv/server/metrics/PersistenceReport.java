package io.cowkv.server.metrics;

import java.util.Map;

/** The INFO persistence fields in Redis's order, plus the fork/freeze numbers INFO stats shows. */
public interface PersistenceReport {
    Map<String, Object> fields();

    /**
     * Appends the fields as INFO shows them ({@code name:value\r\n} each, in {@link #fields()}'s
     * order). The default goes through {@link #fields()}; an implementation polled often should
     * append directly (INFO persistence is what monitoring polls).
     */
    default void appendTo(StringBuilder sb) {
        for (Map.Entry<String, Object> e : fields().entrySet()) {
            sb.append(e.getKey()).append(':').append(e.getValue()).append("\r\n");
        }
    }

    long latestForkUsec();

    long totalForks();

    /**
     * The numbers of {@link #fields()} that the metrics export, typed. Keyspace thread only (the
     * metrics sampler calls it from the server cron). The default reads them out of
     * {@link #fields()} by their Redis names, so INFO and the meters always show the same values;
     * an implementation may override it to build the record without the map.
     */
    default Numbers numbers() {
        return Numbers.of(fields(), latestForkUsec(), totalForks());
    }

    /**
     * Snapshot numbers, each named after the INFO field it mirrors. Absent or unparsable fields
     * read as 0 (status as ok, times as -1).
     */
    record Numbers(long loading, long bgsaveInProgress, long rdbSaves, boolean lastBgsaveOk,
                   long lastBgsaveTimeSec, long currentBgsaveTimeSec, long currentCowSize, long rdbLastCowSize,
                   long currentSaveKeysProcessed, long currentSaveKeysTotal, long changesSinceLastSave,
                   long lastSaveTime, long latestForkUsec, long totalForks, long currentCowHeld,
                   long lastPagesAdopted, long lastWriterSerializedPages, long lastWriterSerializedBytes,
                   long lastWriterQueuePeak, long lastWriterQueueFullPages, long lastCowPeakHeld) {

        /** The Redis fields only; CowKV's own ({@code cowkv_*}) read as 0. */
        public Numbers(long loading, long bgsaveInProgress, long rdbSaves, boolean lastBgsaveOk,
                       long lastBgsaveTimeSec, long currentBgsaveTimeSec, long currentCowSize, long rdbLastCowSize,
                       long currentSaveKeysProcessed, long currentSaveKeysTotal, long changesSinceLastSave,
                       long lastSaveTime, long latestForkUsec, long totalForks) {
            this(loading, bgsaveInProgress, rdbSaves, lastBgsaveOk, lastBgsaveTimeSec, currentBgsaveTimeSec,
                    currentCowSize, rdbLastCowSize, currentSaveKeysProcessed, currentSaveKeysTotal,
                    changesSinceLastSave, lastSaveTime, latestForkUsec, totalForks, 0, 0, 0, 0, 0, 0, 0);
        }

        static Numbers of(Map<String, Object> f, long latestForkUsec, long totalForks) {
            return new Numbers(num(f, "loading", 0), num(f, "rdb_bgsave_in_progress", 0), num(f, "rdb_saves", 0),
                    !"err".equals(String.valueOf(f.get("rdb_last_bgsave_status"))),
                    num(f, "rdb_last_bgsave_time_sec", -1), num(f, "rdb_current_bgsave_time_sec", -1),
                    num(f, "current_cow_size", 0), num(f, "rdb_last_cow_size", 0),
                    num(f, "current_save_keys_processed", 0), num(f, "current_save_keys_total", 0),
                    num(f, "rdb_changes_since_last_save", 0), num(f, "rdb_last_save_time", 0),
                    latestForkUsec, totalForks, num(f, "cowkv_current_cow_held", 0),
                    num(f, "cowkv_rdb_last_pages_adopted", 0), num(f, "cowkv_rdb_last_writer_serialized_pages", 0),
                    num(f, "cowkv_rdb_last_writer_serialized_bytes", 0), num(f, "cowkv_rdb_last_writer_queue_peak", 0),
                    num(f, "cowkv_rdb_last_writer_queue_full_pages", 0), num(f, "cowkv_rdb_last_cow_peak_held", 0));
        }

        private static long num(Map<String, Object> f, String name, long absent) {
            Object v = f.get(name);
            if (v instanceof Number n) {
                return n.longValue();
            }
            if (v != null) {
                try {
                    return Long.parseLong(v.toString().trim());
                } catch (NumberFormatException e) {
                    return absent;
                }
            }
            return absent;
        }
    }
}
