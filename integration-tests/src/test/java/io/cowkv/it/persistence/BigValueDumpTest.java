package io.cowkv.it.persistence;

import io.cowkv.it.TestBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values larger than CowKV's heap through dumps: a server with {@code -Xmx64m} (which streams
 * values from 8 MB, {@code Keyspace.STREAM_VALUES_FROM}) saves a 100 MB and a 20 MB value with
 * BGSAVE, {@code redis-check-rdb} accepts the dump and a real Redis loads it with every byte, CowKV
 * loads it back on the same small heap, and it also loads Redis's own dump of the same data, where
 * Redis has LZF-compressed a 30 MB compressible value (decompressed a piece at a time).
 */
class BigValueDumpTest {
    private static final int MB = 1 << 20;
    private static final List<String> SMALL_HEAP = List.of("-Xmx64m");

    @TempDir
    Path tmp;

    private static byte[] random(int n, long seed) {
        return TestBytes.random(n, seed);
    }

    private static byte[] b(String s) {
        return TestBytes.ascii(s);
    }

    /** 30 MB that LZF compresses: a 1 KiB block of noise, repeated with one byte changed in each copy. */
    private static byte[] compressible() {
        byte[] block = random(1024, 3);
        byte[] v = new byte[30 * MB];
        for (int i = 0; i < v.length; i += block.length) {
            System.arraycopy(block, 0, v, i, block.length);
            v[i] = (byte) (i >>> 10);
        }
        return v;
    }

    private static void assertHolds(Jedis j, byte[] big, byte[] mid, byte[] comp, String who) {
        assertThat(j.get(b("comp"))).as(who + ": comp").isEqualTo(comp);
        assertThat(j.get(b("big"))).as(who + ": big").isEqualTo(big);
        assertThat(j.get(b("mid"))).as(who + ": mid").isEqualTo(mid);
        assertThat(j.get("small")).as(who + ": small").isEqualTo("x");
        assertThat(j.ttl("mid")).as(who + ": mid's TTL").isPositive();
    }

    @Test
    void valuesLargerThanTheHeapGoToTheDumpAndBack() throws Exception {
        byte[] big = random(100 * MB, 1);
        byte[] mid = random(20 * MB, 2);
        byte[] comp = compressible();
        Path cowDir = Files.createDirectory(tmp.resolve("cowkv"));
        try (Node n = Node.cowkv(cowDir, SMALL_HEAP, "--save", "").start(); Jedis j = n.jedis()) {
            j.set(b("big"), big);
            j.setex(b("mid"), 3600, mid);
            j.set("small", "x");
            j.set(b("comp"), comp);
            assertThat(j.bgsave()).isEqualTo("Background saving started");
            Node.awaitBgsaveDone(j);
            assertThat(Node.info(j, "rdb_last_bgsave_status")).isEqualTo("ok");
        }
        Path dump = cowDir.resolve("dump.rdb");
        Process check = new ProcessBuilder("redis-check-rdb", dump.toString()).redirectErrorStream(true).start();
        String checkOut = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(checkOut).isZero();

        Path redisDir = Files.createDirectory(tmp.resolve("redis"));
        Files.copy(dump, redisDir.resolve("dump.rdb"));
        try (Node r = Node.redis(redisDir, "--save", "").start(); Jedis j = r.jedis()) {
            assertHolds(j, big, mid, comp, "Redis loading CowKV's dump");
            assertThat(j.save()).isEqualTo("OK"); // Redis's own dump of the same data, for below
        }
        // Redis compressed "comp" (CowKV, on its small heap, wrote it raw): the dump is much smaller
        // than the values
        assertThat(Files.size(redisDir.resolve("dump.rdb"))).isLessThan(125L * MB);
        assertThat(Files.size(dump)).isGreaterThan(150L * MB);
        try (Node n = Node.cowkv(cowDir, SMALL_HEAP, "--save", "").start(); Jedis j = n.jedis()) {
            assertHolds(j, big, mid, comp, "CowKV loading its own dump");
        }
        Path fromRedis = Files.createDirectory(tmp.resolve("from-redis"));
        Files.copy(redisDir.resolve("dump.rdb"), fromRedis.resolve("dump.rdb"));
        try (Node n = Node.cowkv(fromRedis, SMALL_HEAP, "--save", "").start(); Jedis j = n.jedis()) {
            assertHolds(j, big, mid, comp, "CowKV loading Redis's dump");
            assertThat(Node.info(j, "rdb_last_load_keys_loaded")).isEqualTo("4");
        }
    }
}
