package io.cowkv.it.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** kill -9 in the middle of a BGSAVE leaves the previous dump byte for byte, and it loads. */
class CrashSafetyTest {
    @TempDir
    Path dir;

    @Test
    void killDuringBgsaveLeavesThePreviousDumpIntact() throws Exception {
        Path dump = dir.resolve("dump.rdb");
        Map<String, String> saved;
        byte[] savedBytes;
        try (Node n = Node.cowkv(dir, "--save", "").start(); Jedis j = n.jedis()) {
            Pipeline p = j.pipelined();
            for (int i = 0; i < 3000; i++) {
                p.set("k" + i, "first-" + i);
                if (i % 10 == 0) {
                    p.pexpireAt("k" + i, System.currentTimeMillis() + 3_600_000 + i);
                }
            }
            p.sync();
            assertThat(j.save()).isEqualTo("OK");
            saved = DumpContent.fetch(j, 1);
            savedBytes = Files.readAllBytes(dump);

            Pipeline q = j.pipelined();
            for (int i = 0; i < 3000; i++) {
                q.set("k" + i, "second-" + i);
            }
            q.sync();
            j.configSet("rdb-key-save-delay", "2000"); // 2 ms per key: 6 s of saving
            assertThat(j.bgsave()).isEqualTo("Background saving started");
            Node.await("the snapshot thread to write part of its temp file", 30, () -> {
                long processed = Long.parseLong(Node.info(j, "current_save_keys_processed"));
                return processed > 100 && tempFiles().length > 0;
            });
            assertThat(Node.info(j, "rdb_bgsave_in_progress")).isEqualTo("1");
            n.kill9();
        }
        assertThat(Files.readAllBytes(dump)).isEqualTo(savedBytes);
        assertThat(DumpContent.read(dump)).isEqualTo(saved);
        try (Node n = Node.cowkv(dir, "--save", "").start(); Jedis j = n.jedis()) {
            assertThat(DumpContent.fetch(j, 1)).isEqualTo(saved);
        }
    }

    /**
     * The same when the save was writing into the recycled previous dump
     * (rdb-recycle-previous-dump, the default): the file written into is never the dump's.
     */
    @Test
    void killDuringABgsaveIntoTheRecycledPreviousDumpLeavesTheDumpIntact() throws Exception {
        Path dump = dir.resolve("dump.rdb");
        Path previous = dir.resolve("previous-dump.rdb");
        Map<String, String> saved;
        byte[] savedBytes;
        try (Node n = Node.cowkv(dir, "--save", "").start(); Jedis j = n.jedis()) {
            for (String round : new String[] {"first-", "second-"}) {
                Pipeline p = j.pipelined();
                for (int i = 0; i < 3000; i++) {
                    p.set("k" + i, round + i);
                }
                p.sync();
                assertThat(j.save()).isEqualTo("OK");
            }
            assertThat(previous).as("the first dump, kept for the next save").exists();
            saved = DumpContent.fetch(j, 1);
            savedBytes = Files.readAllBytes(dump);

            j.set("k1", "third");
            j.configSet("rdb-key-save-delay", "2000");
            assertThat(j.bgsave()).isEqualTo("Background saving started");
            Node.await("the snapshot thread to write part of the recycled file", 30, () -> {
                long processed = Long.parseLong(Node.info(j, "current_save_keys_processed"));
                return processed > 100 && tempFiles().length > 0;
            });
            assertThat(previous).as("taken over as the temp file").doesNotExist();
            n.kill9();
        }
        assertThat(Files.readAllBytes(dump)).isEqualTo(savedBytes);
        try (Node n = Node.cowkv(dir, "--save", "").start(); Jedis j = n.jedis()) {
            assertThat(DumpContent.fetch(j, 1)).isEqualTo(saved);
            assertThat(j.save()).isEqualTo("OK");
            assertThat(Files.readAllBytes(previous)).as("the dump the restart loaded, kept").isEqualTo(savedBytes);
        }
    }

    private Path[] tempFiles() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("temp-")).toArray(Path[]::new);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
