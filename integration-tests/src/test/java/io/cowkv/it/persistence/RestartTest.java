package io.cowkv.it.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SHUTDOWN and SIGTERM save when save points exist; a restart restores every key and TTL. */
class RestartTest {
    @TempDir
    Path dir;

    private static void fill(Jedis j, int n, long ttlBase) {
        Pipeline p = j.pipelined();
        for (int i = 0; i < n; i++) {
            p.select(i % 4);
            p.set("k" + i, "v" + i + "-".repeat(i % 50));
            if (i % 3 == 0) {
                p.pexpireAt("k" + i, ttlBase + i);
            }
        }
        p.select(0);
        p.sync();
    }

    @Test
    void shutdownSavesAndARestartRestoresEveryKeyAndTtl() throws Exception {
        Map<String, String> before;
        try (Node n = Node.cowkv(dir, "--save", "3600 1").start(); Jedis j = n.jedis()) {
            fill(j, 5000, System.currentTimeMillis() + 600_000);
            before = DumpContent.fetch(j, 4);
            try (var raw = n.raw()) {
                raw.write(io.cowkv.it.Resp.encode("SHUTDOWN"));
                assertThat(raw.drain(10_000).closed()).isTrue();
            }
            assertThat(n.awaitExit(30)).isZero();
            assertThat(n.output()).contains("Saving the final RDB snapshot before exiting.", "DB saved on disk");
        }
        assertThat(before).hasSize(5000);
        assertThat(DumpContent.read(dir.resolve("dump.rdb"))).isEqualTo(before);
        try (Node n = Node.cowkv(dir, "--save", "3600 1").start(); Jedis j = n.jedis()) {
            assertThat(DumpContent.fetch(j, 4)).isEqualTo(before);
            assertThat(Node.info(j, "rdb_last_load_keys_loaded")).isEqualTo("5000");
            assertThat(Node.info(j, "rdb_last_load_keys_expired")).isEqualTo("0");
            assertThat(Node.info(j, "rdb_changes_since_last_save")).isEqualTo("0");
            assertThat(n.output()).contains("Done loading RDB, keys loaded: 5000, keys expired: 0.")
                    .containsPattern("DB loaded from disk: \\d+\\.\\d{3} seconds");
        }
    }

    @Test
    void sigtermSavesWhenSavePointsExistAndExpiredKeysAreDroppedOnLoad() throws Exception {
        try (Node n = Node.cowkv(dir, "--save", "3600 1").start(); Jedis j = n.jedis()) {
            j.set("stays", "1");
            j.set("short", "2", redis.clients.jedis.params.SetParams.setParams().px(1500));
            j.select(7);
            j.set("db7", "3");
            int code = n.sigterm(30);
            assertThat(n.output()).as("exit " + code + ", files " + java.util.Arrays.toString(dir.toFile().list()))
                    .contains("Received SIGTERM", "Saving the final RDB snapshot before exiting.",
                    "DB saved on disk");
        }
        assertThat(DumpContent.read(dir.resolve("dump.rdb"))).containsOnlyKeys("0:stays", "0:short", "7:db7");
        Thread.sleep(1600); // let "short" pass its TTL while the server is down
        try (Node n = Node.cowkv(dir, "--save", "3600 1").start(); Jedis j = n.jedis()) {
            assertThat(j.get("stays")).isEqualTo("1");
            assertThat(j.exists("short")).isFalse();
            j.select(7);
            assertThat(j.get("db7")).isEqualTo("3");
            assertThat(Node.info(j, "rdb_last_load_keys_loaded")).isEqualTo("2");
            assertThat(Node.info(j, "rdb_last_load_keys_expired")).isEqualTo("1");
        }
    }

    @Test
    void withoutSavePointsShutdownAndSigtermDoNotSaveButShutdownSaveDoes() throws Exception {
        try (Node n = Node.cowkv(dir, "--save", "").start(); Jedis j = n.jedis()) {
            j.set("a", "1");
            n.sigterm(30);
        }
        assertThat(Files.exists(dir.resolve("dump.rdb"))).isFalse();
        try (Node n = Node.cowkv(dir, "--save", "").start(); Jedis j = n.jedis()) {
            j.set("a", "1");
            try (var raw = n.raw()) {
                raw.write(io.cowkv.it.Resp.encode("SHUTDOWN", "SAVE"));
                assertThat(raw.drain(10_000).closed()).isTrue();
            }
            assertThat(n.awaitExit(30)).isZero();
        }
        assertThat(DumpContent.read(dir.resolve("dump.rdb"))).containsOnlyKeys("0:a");
        try (Node n = Node.cowkv(dir, "--save", "3600 1").start(); Jedis j = n.jedis()) {
            j.set("b", "1");
            try (var raw = n.raw()) {
                raw.write(io.cowkv.it.Resp.encode("SHUTDOWN", "NOSAVE"));
                assertThat(raw.drain(10_000).closed()).isTrue();
            }
            n.awaitExit(30);
        }
        assertThat(DumpContent.read(dir.resolve("dump.rdb"))).containsOnlyKeys("0:a");
    }

    /**
     * Redis stays up when the save a SIGTERM asks for fails (the data would be lost otherwise), and
     * a later SIGTERM tries again; so does CowKV, which handles the signal itself instead of
     * letting the JVM shut down. The save is made to fail as in SaveFailureTest: a directory
     * where the dump goes.
     */
    @Test
    void aSigtermWhoseSaveFailsLeavesTheServerUpLikeRedis() throws Exception {
        for (boolean real : new boolean[]{true, false}) {
            Path d = Files.createDirectory(dir.resolve(real ? "redis" : "cowkv"));
            try (Node n = real ? Node.redis(d, "--save", "3600 1") : Node.cowkv(d, "--save", "3600 1")) {
                n.start();
                try (Jedis j = n.jedis()) {
                    j.set("kept", "1");
                }
                Files.createDirectory(d.resolve("dump.rdb"));
                n.signal("TERM");
                assertThat(n.awaitOutput("SIGTERM received but errors trying to shut down the server"))
                        .as(real ? "Redis" : "CowKV").contains("Error trying to save the DB, can't exit.");
                assertThat(n.isAlive()).as(real ? "Redis" : "CowKV").isTrue();
                try (Jedis j = n.jedis()) {
                    assertThat(j.get("kept")).isEqualTo("1");
                }
                Files.delete(d.resolve("dump.rdb"));
                assertThat(n.sigterm(30)).as("exit code after a save that works").isZero();
            }
            assertThat(DumpContent.read(d.resolve("dump.rdb"))).containsOnlyKeys("0:kept");
        }
    }
}
