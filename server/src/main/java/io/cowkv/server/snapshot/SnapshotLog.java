package io.cowkv.server.snapshot;

import java.util.function.Consumer;

/**
 * Where the snapshot code writes its log lines (Redis's wording). Bootstrap adapts the server
 * log to it; tests collect the lines. Contract: implementations are thread-safe, since the
 * snapshot thread logs too.
 */
public interface SnapshotLog {
    void notice(String message);

    void warning(String message);

    /** A log that hands notices and warnings to the given consumers, which must be thread-safe. */
    static SnapshotLog of(Consumer<String> notice, Consumer<String> warning) {
        return new SnapshotLog() {
            @Override
            public void notice(String message) {
                notice.accept(message);
            }

            @Override
            public void warning(String message) {
                warning.accept(message);
            }
        };
    }

    /** Discards everything (tests that do not look at the log; the start-up SavePathPrimer's scratch saves). */
    SnapshotLog NONE = of(m -> { }, m -> { });
}
