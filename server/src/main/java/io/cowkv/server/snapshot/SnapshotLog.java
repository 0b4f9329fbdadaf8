package io.cowkv.server.snapshot;

/**
 * Where the snapshot code writes its log lines (Redis's wording). Bootstrap adapts the server
 * log to it; tests collect the lines. Contract: implementations are thread-safe, since the
 * snapshot thread logs too.
 */
public interface SnapshotLog {
    void notice(String message);

    void warning(String message);

    /** Discards everything (tests that do not look at the log; the start-up SavePathPrimer's scratch saves). */
    SnapshotLog NONE = new SnapshotLog() {
        @Override
        public void notice(String message) {
        }

        @Override
        public void warning(String message) {
        }
    };
}
