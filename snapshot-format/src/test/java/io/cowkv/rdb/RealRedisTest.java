package io.cowkv.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cowkv.rdb.testing.Model;
import io.cowkv.rdb.testing.RedisModel;
import io.cowkv.rdb.testing.RedisServer;
import io.cowkv.rdb.testing.Resp;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden tests against a real redis-server 7 (skipped only if redis-server is not installed; CI installs
 * it): Redis dumps are read back exactly, and files this library writes pass redis-check-rdb and load
 * into Redis with every key, value and TTL intact.
 */
class RealRedisTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needRedis() {
        assumeTrue(RedisServer.onPath("redis-server"),
                "redis-server is not on the PATH: install the Debian package redis-server to run golden tests");
    }

    /** The sample plus keys only a live Redis can make (plain quicklist nodes). */
    static Model goldenModel() {
        Model m = BasicRoundTripTest.sample().withoutExpiredAt(System.currentTimeMillis());
        // Redis 7.0 stores a -0 score in a listpack zset as 0
        @SuppressWarnings("unchecked")
        Map<String, Double> z = (Map<String, Double>) m.db(2).get("zsmall").value();
        z.put("d", 0.0);
        List<String> plain = new ArrayList<>(List.of("small", "y".repeat(500), "z".repeat(150) + "!", "tail"));
        m.put(4, "plainlist", RdbValueKind.LIST, -1, plain);
        return m;
    }

    private static Model.Collector readFile(Path f) throws Exception {
        Model.Collector c = new Model.Collector();
        try (InputStream in = Files.newInputStream(f)) {
            RdbReader.read(in, c);
        }
        return c;
    }

    @Test
    void readsARealRedisDumpExactly() throws Exception {
        Model m = goldenModel();
        try (RedisServer redis = RedisServer.start(dir, "dump.rdb", "--enable-debug-command", "yes");
             Resp r = redis.client()) {
            r.ok("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "100");
            RedisModel.load(r, m);
            r.ok("SAVE");
        }
        Model.Collector c = readFile(dir.resolve("dump.rdb"));
        assertThat(c.version).isEqualTo(10);
        assertThat(c.checksumVerified).isTrue();
        assertThat(c.model.aux).containsKeys("redis-ver", "redis-bits", "ctime", "used-mem", "aof-base");
        assertThat(Model.diff(m, c.model)).isEmpty();
        Map<String, String> enc = c.encodings;
        assertThat(enc).containsEntry("0:int8", "string").containsEntry("0:list", "list-quicklist-2")
                .containsEntry("1:intset", "set-intset").containsEntry("1:bigset", "set")
                .containsEntry("2:zsmall", "zset-listpack").containsEntry("2:zbig", "zset-2")
                .containsEntry("3:hsmall", "hash-listpack").containsEntry("3:hbig", "hash")
                .containsEntry("4:plainlist", "list-quicklist-2");
    }

    @Test
    void filesWeWritePassRedisCheckRdbAndLoadIntoRedis() throws Exception {
        assumeTrue(RedisServer.onPath("redis-check-rdb"), "redis-check-rdb is not on the PATH (package redis-tools)");
        Model m = BasicRoundTripTest.sample();
        m.aux.clear();
        for (int version : new int[] {10}) {
            for (boolean comp : new boolean[] {true, false}) {
                String name = "ours-" + version + "-" + comp + ".rdb";
                Path f = dir.resolve(name);
                try (OutputStream out = Files.newOutputStream(f)) {
                    RdbWriter w = new RdbWriter(out, RdbWriter.Options.defaults().withVersion(version)
                            .withCompression(comp));
                    m.writeTo(w);
                }
                Process p = new ProcessBuilder("redis-check-rdb", f.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(out).isZero();
                assertThat(out).contains("RDB looks OK");

                long before = System.currentTimeMillis();
                try (RedisServer redis = RedisServer.start(dir, name); Resp r = redis.client()) {
                    Model live = RedisModel.fetch(r);
                    assertThat(Model.diff(m.withoutExpiredAt(before), live)).as(redis.log()).isEmpty();
                }
            }
        }
    }

    @Test
    void redisDumpReadAndRewrittenByUsLoadsBackIntoRedis() throws Exception {
        Model m = goldenModel();
        try (RedisServer redis = RedisServer.start(dir, "dump.rdb", "--enable-debug-command", "yes");
             Resp r = redis.client()) {
            r.ok("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "100");
            RedisModel.load(r, m);
            r.ok("SAVE");
        }
        Model read = readFile(dir.resolve("dump.rdb")).model;
        read.aux.clear();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        read.writeTo(new RdbWriter(bytes));
        Files.write(dir.resolve("again.rdb"), bytes.toByteArray());
        try (RedisServer redis = RedisServer.start(dir, "again.rdb"); Resp r = redis.client()) {
            assertThat(Model.diff(m, RedisModel.fetch(r))).isEmpty();
        }
    }

    @Test
    void streamsAndModulesAreReportedOrSkippedAndFunctionsPassedOn() throws Exception {
        try (RedisServer redis = RedisServer.start(dir, "dump.rdb"); Resp r = redis.client()) {
            r.ok("SET", "before", "1");
            r.ok("XADD", "stream", "*", "f", "v");
            r.ok("XGROUP", "CREATE", "stream", "g", "0");
            r.ok("XREADGROUP", "GROUP", "g", "c", "STREAMS", "stream", ">");
            r.ok("SET", "after", "2");
            r.ok("FUNCTION", "LOAD", "#!lua name=mylib\nredis.register_function('f', function() return 1 end)");
            r.ok("SAVE");
        }
        Path f = dir.resolve("dump.rdb");
        assertThatThrownBy(() -> readFile(f)).isInstanceOf(RdbUnsupportedException.class)
                .hasMessageContaining("stream").hasMessageContaining("'stream'").hasMessageContaining("offset");

        List<String> skipped = new ArrayList<>();
        List<String> functions = new ArrayList<>();
        Model.Collector c = new Model.Collector() {
            @Override
            public void skipped(RdbKeyInfo key, String what) {
                skipped.add(Model.s(key.key()) + ":" + what);
            }

            @Override
            public void function(byte[] code) {
                functions.add(new String(code, StandardCharsets.UTF_8));
            }
        };
        try (InputStream in = Files.newInputStream(f)) {
            RdbReader.read(in, c, RdbReader.Options.defaults().withSkipUnsupported(true));
        }
        assertThat(skipped).containsExactly("stream:stream value (stream-listpacks-2)");
        assertThat(functions).singleElement().asString().contains("mylib");
        assertThat(c.model.db(0)).containsOnlyKeys("before", "after");
    }
}
