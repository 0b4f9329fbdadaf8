package io.cowkv.server.snapshot;

import io.cowkv.server.keyspace.Keyspace;
import io.cowkv.server.memory.ArenaConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** rdb-save-incremental-fsync: a sync every N bytes written, the bytes unchanged, none when off. */
class IncrementalSyncTest {
    @TempDir
    Path dir;

    @Test
    void aSyncRunsEachTimeAnotherIntervalHasBeenWritten() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        int[] syncs = {0};
        int[] bytesAtSync = new int[4];
        DumpFile.IncrementalSync out = new DumpFile.IncrementalSync(sink, () -> bytesAtSync[syncs[0]++] = sink.size(), 10);
        out.write("abcd".getBytes(StandardCharsets.US_ASCII), 0, 4);
        out.write("efgh".getBytes(StandardCharsets.US_ASCII), 0, 4);
        assertThat(out.syncs()).isZero();
        out.write('i');
        out.write("jklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII), 0, 17); // 26 bytes: one sync
        out.write("0123456789".getBytes(StandardCharsets.US_ASCII), 0, 10); // 10 since the last: another
        assertThat(out.syncs()).isEqualTo(2);
        assertThat(syncs[0]).isEqualTo(2);
        assertThat(bytesAtSync[0]).as("synced after the bytes were written").isEqualTo(26);
        assertThat(bytesAtSync[1]).isEqualTo(36);
        assertThat(sink.toString(StandardCharsets.US_ASCII)).isEqualTo("abcdefghijklmnopqrstuvwxyz0123456789");
        assertThatThrownBy(() -> new DumpFile.IncrementalSync(sink, () -> { }, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static DumpFile.Settings settings(Path dir, long syncEvery) {
        return new DumpFile.Settings(dir, "dump.rdb", "temp-sync.rdb", false, true, "7.0.15", 0, 0, 0, syncEvery);
    }

    @Test
    void aSaveSyncsEveryIntervalAndWritesTheSameDumpAsWithout() throws Exception {
        try (Keyspace ks = new Keyspace(1, () -> 1_800_000_000_000L, ArenaConfig.of(4096, 64, true))) {
            Map<String, String> expected = new TreeMap<>();
            for (int i = 0; i < 4000; i++) {
                String k = "k" + i;
                String v = "v" + i + "x".repeat(500);
                ks.db(0).setString(k.getBytes(StandardCharsets.UTF_8), 0, k.length(),
                        v.getBytes(StandardCharsets.UTF_8), 0, v.length(), false);
                expected.put("0:" + k, v + "|-1");
            }
            long every = 256 << 10;
            var view = ks.freeze();
            DumpFile.Result synced;
            try {
                synced = DumpFile.write(view, settings(dir, every), new AtomicLong(), new Cancellation());
            } finally {
                view.close();
            }
            byte[] withSyncs = Files.readAllBytes(dir.resolve("dump.rdb"));
            // about 2 MB through a 64 KiB buffer: a sync at each 256 KiB boundary the buffer crosses
            assertThat(synced.bytes()).isGreaterThan(2_000_000);
            assertThat(synced.syncs()).isBetween(synced.bytes() / (every + (64 << 10)), synced.bytes() / every);
            assertThat(Dumps.read(dir.resolve("dump.rdb"))).isEqualTo(expected);

            view = ks.freeze();
            DumpFile.Result unsynced;
            try {
                unsynced = DumpFile.write(view, settings(dir, 0), new AtomicLong(), new Cancellation());
            } finally {
                view.close();
            }
            assertThat(unsynced.syncs()).isZero();
            assertThat(Files.readAllBytes(dir.resolve("dump.rdb"))).isEqualTo(withSyncs);
        }
    }
}
