package io.cowkv.it.persistence;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BGSAVE is a point-in-time copy: fill 16 databases (their records interleave in the arena, so the
 * dump switches databases often), BGSAVE, keep overwriting, deleting, adding and expiring
 * keys until the save ends; the dump must hold exactly the data at the freeze, as read by the
 * snapshot-format reader, by redis-check-rdb and by a real redis-server loading it. The save
 * writes into the recycled previous dump, a longer file, as every save after the first does.
 */
class PointInTimeTest {
    private static final int KEYS = 20_000;

    @TempDir
    Path dir;
    @TempDir
    Path redisDir;

    @Test
    void theDumpHoldsExactlyTheDataAtTheFreeze() throws Exception {
        Map<String, String> atFreeze = new TreeMap<>();
        long ttlBase = System.currentTimeMillis() + 3_600_000;
        Path dump = dir.resolve("dump.rdb");
        Object recycledFile;
        try (Node cowkv = Node.cowkv(dir, "--save", "").start(); Jedis j = cowkv.jedis()) {
            // Two saves of a larger data set first: the BGSAVE below then writes into the kept
            // previous dump (rdb-recycle-previous-dump), which is longer and must be cut to size.
            java.util.Random random = new java.util.Random(17);
            Pipeline junk = j.pipelined();
            for (int i = 0; i < 2000; i++) {
                StringBuilder v = new StringBuilder();
                random.ints(1000, 'a', 'z' + 1).forEach(c -> v.append((char) c));
                junk.set("junk:" + i, v.toString());
            }
            junk.sync();
            assertThat(j.save()).isEqualTo("OK");
            assertThat(j.save()).isEqualTo("OK");
            recycledFile = fileKey(dir.resolve("previous-dump.rdb"));
            long recycledSize = Files.size(dir.resolve("previous-dump.rdb"));
            assertThat(j.flushAll()).isEqualTo("OK");

            Pipeline p = j.pipelined();
            for (int i = 0; i < KEYS; i++) {
                int db = i % 16;
                String k = "key:" + i;
                String v = i % 7 == 0 ? "x".repeat(200) + i : i % 5 == 0 ? Integer.toString(i * 31) : "value-" + i;
                p.select(db);
                p.set(k, v);
                long exp = -1;
                if (i % 4 == 0) {
                    exp = ttlBase + i;
                    p.pexpireAt(k, exp);
                }
                atFreeze.put(db + ":" + k, DumpContent.entry(v, exp));
            }
            p.select(0);
            p.sync();

            // slow the snapshot thread down (Redis's own test knob) so the writes below overlap it
            j.configSet("rdb-key-save-delay", "100");
            assertThat(j.bgsave()).isEqualTo("Background saving started");
            assertThat(Node.info(j, "current_save_keys_total")).isEqualTo(Integer.toString(KEYS));

            int round = 0;
            boolean overlapped = false;
            while (Node.info(j, "rdb_bgsave_in_progress").equals("1")) {
                overlapped = true;
                Pipeline w = j.pipelined();
                for (int i = round; i < KEYS; i += 50) {
                    String k = "key:" + i;
                    int db = i % 16;
                    w.select(db);
                    switch (i % 4) {
                        case 0 -> w.set(k, "overwritten-" + round);
                        case 1 -> w.del(k);
                        case 2 -> w.pexpire(k, 1);
                        default -> w.set("new:" + round + ":" + i, "fresh");
                    }
                }
                w.select(0);
                w.sync();
                if (round == 0) {
                    // the first round likely overlapped the index build (every write copies then);
                    // let the walk start so the next rounds also meet pages it has not read yet
                    // (serialized by the keyspace thread) and pages it has released (adopted)
                    while (Node.info(j, "current_save_keys_processed").equals("0")
                            && Node.info(j, "rdb_bgsave_in_progress").equals("1")) {
                        Thread.sleep(1);
                    }
                }
                round++;
                assertThat(round).as("save still running after many rounds").isLessThan(100_000);
            }
            assertThat(overlapped).as("writes ran while the save was in progress").isTrue();
            assertThat(round).isPositive();
            assertThat(Node.info(j, "rdb_last_bgsave_status")).isEqualTo("ok");
            assertThat(Node.info(j, "current_save_keys_total")).isEqualTo("0");
            assertThat(Long.parseLong(Node.info(j, "total_forks"))).isEqualTo(1);
            // the writes overlapped the walk: pages were taken over without a copy, some of them
            // serialized by the keyspace thread itself (their records reached the dump through it)
            assertThat(Long.parseLong(Node.info(j, "cowkv_rdb_last_pages_adopted"))).isPositive();
            assertThat(Long.parseLong(Node.info(j, "cowkv_rdb_last_writer_serialized_pages"))).isPositive();
            assertThat(Long.parseLong(Node.info(j, "cowkv_rdb_last_writer_serialized_bytes"))).isPositive();
            assertThat(fileKey(dump)).as("written into the recycled previous dump").isEqualTo(recycledFile);
            assertThat(Files.size(dump)).isLessThan(recycledSize);
        }

        Map<String, String> fromReader = DumpContent.read(dump);
        assertThat(fromReader).hasSize(atFreeze.size());
        assertThat(fromReader).isEqualTo(atFreeze);

        if (!onPath("redis-server")) {
            Assumptions.abort("redis-server is not on the PATH: dump checked with the reader only");
        }
        Process check = new ProcessBuilder("redis-check-rdb", dump.toString()).redirectErrorStream(true).start();
        String checkOut = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(checkOut).isZero();
        assertThat(checkOut).contains("RDB looks OK");

        Files.copy(dump, redisDir.resolve("dump.rdb"));
        try (Node redis = Node.redis(redisDir, "--save", "").start(); Jedis r = redis.jedis()) {
            assertThat(DumpContent.fetch(r, 16)).isEqualTo(atFreeze);
        }
    }

    private static Object fileKey(Path p) throws java.io.IOException {
        return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    }

    static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(d.isEmpty() ? "." : d, program);
            if (Files.isExecutable(p)) {
                return true;
            }
        }
        return false;
    }
}
