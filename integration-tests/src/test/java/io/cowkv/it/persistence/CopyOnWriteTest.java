package io.cowkv.it.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Copy-on-write accounting: overwrites during a BGSAVE touch pages the snapshot shares, each of
 * them either copied (rdb_last_cow_size) or taken over without a copy (cowkv_rdb_last_pages_adopted:
 * released by the snapshot walk or serialized by the keyspace thread); an idle save touches none;
 * and every frame a snapshot held is back after many saves.
 */
class CopyOnWriteTest {
    @TempDir
    Path dir;

    @Test
    void overwritesDuringASaveAreCountedAndIdleSavesCopyNothing() throws Exception {
        try (Node n = Node.cowkv(dir, "--save", "").start(); Jedis j = n.jedis()) {
            Pipeline p = j.pipelined();
            for (int i = 0; i < 20_000; i++) {
                p.set("k" + i, "v".repeat(100));
            }
            p.sync();
            j.configSet("rdb-key-save-delay", "100");
            assertThat(j.bgsave()).isEqualTo("Background saving started");
            // Overwrite once the walk writes keys: its index is built then (while it is being built
            // every write copies), so pages behind the walk are adopted and pages ahead serialized.
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (Long.parseLong(Node.info(j, "current_save_keys_processed")) == 0) {
                assertThat(System.nanoTime()).as("the save starts writing keys").isLessThan(deadline);
                Thread.sleep(1);
            }
            long peak = 0;
            while (Node.info(j, "rdb_bgsave_in_progress").equals("1")) {
                Pipeline w = j.pipelined();
                for (int i = 0; i < 20_000; i += 10) {
                    w.set("k" + i, "w".repeat(100));
                }
                w.sync();
                peak = Math.max(peak, Long.parseLong(Node.info(j, "current_cow_peak")));
            }
            long copiedPages = Long.parseLong(Node.info(j, "rdb_last_cow_size")) / 4096;
            long adopted = Long.parseLong(Node.info(j, "cowkv_rdb_last_pages_adopted"));
            assertThat(copiedPages + adopted).as("pages the overwrites touched").isPositive();
            assertThat(copiedPages).as("fewer pages copied than touched").isLessThan(copiedPages + adopted);

            j.configSet("rdb-key-save-delay", "0");
            assertThat(j.bgsave()).isEqualTo("Background saving started");
            Node.awaitBgsaveDone(j);
            assertThat(Node.info(j, "rdb_last_cow_size")).isEqualTo("0");
            assertThat(Node.info(j, "cowkv_rdb_last_pages_adopted")).isEqualTo("0");
            assertThat(Node.info(j, "cowkv_rdb_last_writer_serialized_pages")).isEqualTo("0");

            // Many saves with writes in between: every frame a snapshot held comes back.
            // First let the dictionary finish the rehash the fill started (each look-up outside a
            // snapshot moves a bucket): its end frees the old table, which would change the count.
            Pipeline g = j.pipelined();
            for (int i = 0; i < 20_000; i++) {
                g.get("k" + i);
            }
            g.sync();
            String framesBefore = Node.info(j, "arena_frames_in_use");
            // the allocator's metadata is native, in whole 16 KiB blocks
            long metadata = Long.parseLong(Node.info(j, "arena_metadata_bytes"));
            assertThat(metadata).isPositive();
            assertThat(metadata % 16384).isZero();
            for (int round = 0; round < 10; round++) {
                assertThat(j.bgsave()).isEqualTo("Background saving started");
                Pipeline w = j.pipelined();
                for (int i = 0; i < 20_000; i += 7) {
                    w.set("k" + i, "x".repeat(100));
                }
                w.sync();
                Node.awaitBgsaveDone(j);
                assertThat(Node.info(j, "rdb_last_bgsave_status")).isEqualTo("ok");
            }
            assertThat(Node.info(j, "arena_frames_held_for_snapshot")).isEqualTo("0");
            assertThat(Node.info(j, "arena_frames_in_use")).as("same data, same frames").isEqualTo(framesBefore);
        }
    }
}
