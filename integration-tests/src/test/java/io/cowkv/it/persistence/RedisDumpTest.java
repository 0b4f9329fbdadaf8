package io.cowkv.it.persistence;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dumps written by a real redis-server 7.0 are loaded by CowKV at start-up; dumps CowKV cannot
 * load (other types, corruption) stop the start with a message naming the problem, exit code 1,
 * and leave the file untouched.
 */
class RedisDumpTest {
    @TempDir
    Path redisDir;
    @TempDir
    Path cowDir;

    @BeforeEach
    void needsRedis() {
        Assumptions.assumeTrue(PointInTimeTest.onPath("redis-server"), "redis-server is not on the PATH");
    }

    @Test
    void aRedisDumpWithStringsTtlsAndSeveralDatabasesLoads() throws Exception {
        Map<String, String> expected;
        try (Node r = Node.redis(redisDir, "--save", "").start(); Jedis j = r.jedis()) {
            long base = System.currentTimeMillis() + 7_200_000;
            Pipeline p = j.pipelined();
            for (int i = 0; i < 3000; i++) {
                p.select(i % 5 == 0 ? 15 : i % 3);
                String v = switch (i % 4) {
                    case 0 -> Integer.toString(i - 1500);                 // int encodings
                    case 1 -> "compressible-".repeat(10) + i;            // LZF
                    case 2 -> "";                                         // empty string
                    default -> "plain " + i;
                };
                p.set("key:" + i, v);
                if (i % 3 == 0) {
                    p.pexpireAt("key:" + i, base + i);
                }
            }
            p.select(0);
            p.set("\u00e9t\u00e9 \u2603", "unicode");
            p.set("short-lived", "x");
            p.pexpire("short-lived", 300);
            p.sync();
            Thread.sleep(50);
            assertThat(j.save()).isEqualTo("OK");
            expected = DumpContent.fetch(j, 16);
        }
        Thread.sleep(400); // "short-lived" expires while no server runs
        expected.remove("0:short-lived");
        Files.copy(redisDir.resolve("dump.rdb"), cowDir.resolve("dump.rdb"));
        try (Node n = Node.cowkv(cowDir, "--save", "").start(); Jedis j = n.jedis()) {
            assertThat(DumpContent.fetch(j, 16)).isEqualTo(expected);
            assertThat(Node.info(j, "rdb_last_load_keys_loaded")).isEqualTo(Integer.toString(expected.size()));
            assertThat(Node.info(j, "rdb_last_load_keys_expired")).isEqualTo("1");
            assertThat(n.output()).contains("Loading RDB produced by version 7.0");
        }
    }

    @Test
    void aDumpWithAListStopsStartUpAndIsLeftUntouched() throws Exception {
        try (Node r = Node.redis(redisDir, "--save", "").start(); Jedis j = r.jedis()) {
            j.set("s", "1");
            j.rpush("mylist", "a", "b");
            j.save();
        }
        Path dump = cowDir.resolve("dump.rdb");
        Files.copy(redisDir.resolve("dump.rdb"), dump);
        byte[] before = Files.readAllBytes(dump);
        Node n = Node.cowkv(cowDir, "--save", "3600 1");
        assertThat(n.runToExit(60)).isEqualTo(1);
        assertThat(n.output()).contains("Fatal error loading the DB from " + dump, "'mylist'", "list",
                "only load string values");
        assertThat(Files.readAllBytes(dump)).isEqualTo(before);
    }

    @Test
    void aCorruptDumpStopsStartUpAndIsLeftUntouched() throws Exception {
        try (Node r = Node.redis(redisDir, "--save", "").start(); Jedis j = r.jedis()) {
            for (int i = 0; i < 100; i++) {
                j.set("k" + i, "value " + i);
            }
            j.save();
        }
        Path dump = cowDir.resolve("dump.rdb");
        byte[] bytes = Files.readAllBytes(redisDir.resolve("dump.rdb"));
        bytes[bytes.length / 2] ^= 0x20;
        Files.write(dump, bytes);
        Node n = Node.cowkv(cowDir, "--save", "3600 1");
        assertThat(n.runToExit(60)).isEqualTo(1);
        assertThat(n.output()).contains("Fatal error loading the DB from " + dump, "corrupt");
        assertThat(Files.readAllBytes(dump)).isEqualTo(bytes);
    }
}
