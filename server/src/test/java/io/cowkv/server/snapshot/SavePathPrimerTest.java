package io.cowkv.server.snapshot;

import io.cowkv.server.config.ConfigLoader;
import io.cowkv.server.config.ServerConfig;
import io.cowkv.server.keyspace.Keyspace;
import io.cowkv.server.memory.Arena;
import io.cowkv.server.memory.NativeInts;
import io.cowkv.server.memory.NativeLongs;
import io.cowkv.server.metrics.ServerStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up exercise of the save path: it runs real saves with writes during them, and leaves
 * nothing behind: no file, no native memory, nothing in the server's keyspace, dump directory or
 * persistence figures (its JIT effect is measured, not tested: docs/benchmarks-cow.md).
 */
class SavePathPrimerTest {
    @TempDir
    Path serverDir;
    @TempDir
    Path scratchParent;

    private final List<String> serverLog = Collections.synchronizedList(new ArrayList<>());

    @Test
    void runsScratchSavesWithWritesAndLeavesNothingBehind() throws Exception {
        long nativeBefore = Arena.globalNativeBytesReserved();
        long metadataBefore = Arena.globalMetadataBytes();
        long longsBefore = NativeLongs.outstandingBytes();
        long intsBefore = NativeInts.outstandingBytes();
        long slabsBefore = WriterBlocks.SlabPool.outstandingBytes();
        ServerConfig config = ConfigLoader.load(new String[]{"--dir", serverDir.toString(), "--save", "3600 1"});
        ServerStats stats = new ServerStats();
        try (Keyspace keyspace = new Keyspace(16, System::currentTimeMillis)) {
            byte[] k = "kept".getBytes(StandardCharsets.US_ASCII);
            keyspace.db(0).setString(k, 0, k.length, k, 0, k.length, false);
            Dumps.ManualExecutor keyspaceThread = new Dumps.ManualExecutor();
            SnapshotCoordinator server = new SnapshotCoordinator(config, keyspace::freeze, stats,
                    System::currentTimeMillis, keyspaceThread, SnapshotCoordinator.snapshotThread(), log(), "7.0.15",
                    () -> 0);
            SnapshotCoordinator.Figures before = server.figures();

            SavePathPrimer.Result r = SavePathPrimer.run(server, config, scratchParent);

            assertThat(r.saves()).isEqualTo(SavePathPrimer.SAVES);
            // each save runs at least one write before it is seen to end (its end is handed over
            // through the primer's own task queue, drained only between writes)
            assertThat(r.writesDuringSaves()).isGreaterThanOrEqualTo(SavePathPrimer.SAVES);
            assertThat(r.nanos()).isPositive();
            assertThat(r.toString()).startsWith(SavePathPrimer.SAVES + " scratch saves, " + r.writesDuringSaves() + " writes");

            // the server's side is untouched: keyspace, dump directory, figures, log
            assertThat(keyspace.totalKeys()).isEqualTo(1);
            assertThat(keyspace.db(0).lookup(k)).isNotNull();
            assertThat(keyspace.arena().stats().freezes()).isZero();
            try (Stream<Path> files = Files.list(serverDir)) {
                assertThat(files).isEmpty();
            }
            SnapshotCoordinator.Figures after = server.figures();
            assertThat(after.saves()).isEqualTo(before.saves()).isZero();
            assertThat(after.totalForks()).isZero();
            assertThat(after.lastCowSize()).isZero();
            assertThat(after.bgsaveInProgress()).isFalse();
            assertThat(after.lastSaveTime()).isEqualTo(before.lastSaveTime());
            assertThat(stats.dirty).isZero();
            assertThat(serverLog).isEmpty();
            assertThat(keyspaceThread.size()).isZero();
            // the writer-block slabs the scratch saves used wait in the server's pool
            assertThat(r.pooledSlabs()).isEqualTo(server.pooledSlabs()).isLessThanOrEqualTo(
                    WriterBlocks.MAX_BYTES / WriterBlocks.SLAB_BYTES);
            assertThat(WriterBlocks.SlabPool.outstandingBytes() - slabsBefore).as("native: the pooled slabs only")
                    .isEqualTo((long) server.pooledSlabs() * WriterBlocks.SLAB_BYTES);

            // a real save afterwards works as usual
            assertThat(server.bgsave()).isEqualTo(SnapshotCoordinator.BgsaveReply.STARTED);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (server.figures().bgsaveInProgress() && System.nanoTime() < deadline) {
                keyspaceThread.runAll();
                Thread.sleep(5);
            }
            assertThat(server.figures().lastBgsaveOk()).isTrue();
            assertThat(serverDir.resolve("dump.rdb")).exists();
            server.close();
            assertThat(server.pooledSlabs()).isZero();
        }
        // the scratch directory is gone, and so is every native allocation of the scratch keyspace
        try (Stream<Path> left = Files.list(scratchParent)) {
            assertThat(left).isEmpty();
        }
        assertThat(Arena.globalNativeBytesReserved()).isEqualTo(nativeBefore);
        assertThat(Arena.globalMetadataBytes()).isEqualTo(metadataBefore);
        assertThat(NativeLongs.outstandingBytes()).isEqualTo(longsBefore);
        assertThat(NativeInts.outstandingBytes()).isEqualTo(intsBefore);
        assertThat(WriterBlocks.SlabPool.outstandingBytes()).isEqualTo(slabsBefore);
    }

    @Test
    void aScratchDirectoryThatCannotBeMadeIsAnIOExceptionAndNothingRuns() throws Exception {
        ServerConfig config = ConfigLoader.load(new String[]{"--dir", serverDir.toString()});
        try (Keyspace keyspace = new Keyspace(1, System::currentTimeMillis)) {
            SnapshotCoordinator server = new SnapshotCoordinator(config, keyspace::freeze, new ServerStats(),
                    System::currentTimeMillis, Runnable::run, SnapshotCoordinator.snapshotThread(), log(), "7.0.15", () -> 0);
            Path missing = scratchParent.resolve("does-not-exist");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> SavePathPrimer.run(server, config, missing))
                    .isInstanceOf(java.io.IOException.class);
            assertThat(server.pooledSlabs()).isZero();
        }
    }

    private SnapshotLog log() {
        return SnapshotLog.of(serverLog::add, serverLog::add);
    }
}
