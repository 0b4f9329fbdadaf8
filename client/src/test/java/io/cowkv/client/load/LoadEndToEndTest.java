package io.cowkv.client.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.cowkv.client.RedisServerProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cowkv-load end to end against real redis-server processes on 127.0.0.1. */
class LoadEndToEndTest {

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    @SuppressWarnings("unchecked")
    void smallComparisonScenarioAgainstTwoRealRedisServers(@TempDir Path tmp) throws Exception {
        try (RedisServerProcess a = RedisServerProcess.start(); RedisServerProcess b = RedisServerProcess.start()) {
            Path out = tmp.resolve("out");
            Run r = run("--port", "" + a.port(), "--label", "redis-a", "--compare", "127.0.0.1:" + b.port(),
                    "--compare-label", "redis-b", "--keys", "20000", "--value-size", "256", "--connections", "2",
                    "--pipeline", "8", "--baseline-seconds", "1", "--sample-ms", "50", "--distribution", "hot:10",
                    "--rate", "20000", "--out", out.toString(), "--quiet");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("redis-a", "redis-b", "rdb_last_cow_size", "wrote ");
            Map<String, Object> root = (Map<String, Object>) MiniJson.parse(Files.readString(out.resolve("report.json")));
            List<Object> servers = (List<Object>) root.get("servers");
            assertThat(servers).hasSize(2);
            for (Object o : servers) {
                Map<String, Object> s = (Map<String, Object>) o;
                assertThat(s.get("dbsize")).isEqualTo(20000.0);
                Map<String, Object> bgsave = (Map<String, Object>) s.get("bgsave");
                assertThat(bgsave.get("rdb_last_bgsave_status")).isEqualTo("ok");
                assertThat((Double) bgsave.get("latest_fork_usec")).isPositive();
                assertThat((Double) bgsave.get("rdb_last_cow_size")).isGreaterThanOrEqualTo(0.0);
                Map<String, Object> base = (Map<String, Object>) s.get("baseline");
                assertThat((Double) base.get("ops")).isPositive();
                assertThat(base.get("errors")).isEqualTo(0.0);
                List<Object> samples = (List<Object>) s.get("samples");
                assertThat(samples).isNotEmpty();
                // the default warm-up (1 s) is sampled but not measured: it comes first, as its own phase
                assertThat((Map<String, Object>) samples.get(0)).containsEntry("phase", "warmup");
                Map<String, Object> last = (Map<String, Object>) samples.get(samples.size() - 1);
                assertThat(last).containsEntry("phase", "save").containsEntry("rdb_bgsave_in_progress", 0.0);
            }
            assertThat(Files.readString(out.resolve("report.html"))).contains("redis-a current_cow_size", "redis-b current_cow_size");
            assertThat(Files.readString(out.resolve("report.txt"))).contains("during save: ops/s");
            // the data was really written: the fill's keys exist with the value size asked for
            try (var c = io.cowkv.client.RedisClient.create(io.cowkv.client.ClientOptions.builder().port(a.port()).build())) {
                assertThat(c.send("STRLEN", "cowkv-load:19999").join().asLong()).isEqualTo(256);
            }
        }
    }

    @Test
    void generatorStopsCleanlyWhenTheServerDies() throws Exception {
        RedisServerProcess a = RedisServerProcess.start();
        try (var c = io.cowkv.client.RedisClient.create(io.cowkv.client.ClientOptions.builder().port(a.port()).connections(2).build())) {
            List<io.cowkv.client.RedisConnection> conns = List.of(c.connection(0).join(), c.connection(1).join());
            LoadGenerator gen = new LoadGenerator(conns, 8, 0,
                    LoadGenerator.workload(new KeyDistribution.Uniform(1000), 1.0, new byte[16], "k:"), 1, new org.HdrHistogram.Recorder(3));
            gen.start();
            while (gen.ops() < 1000) Thread.sleep(5);
            a.kill();
            gen.idle().get(20, java.util.concurrent.TimeUnit.SECONDS); // every sender stops, nothing hangs
            assertThat(gen.errors()).isPositive();
            assertThat(gen.firstError()).contains("127.0.0.1:" + a.port());
        } finally {
            a.close();
        }
    }

    @Test
    void skipFillOnAnEmptyServerIsAClearError(@TempDir Path tmp) throws Exception {
        try (RedisServerProcess a = RedisServerProcess.start()) {
            Run r = run("--port", "" + a.port(), "--skip-fill", "--baseline-seconds", "0", "-o", tmp.toString(), "-q");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("holds no keys");
        }
    }

    @Test
    void serverWithoutBgsaveIsAClearError(@TempDir Path tmp) throws Exception {
        try (RedisServerProcess a = RedisServerProcess.start("--rename-command", "BGSAVE", "")) {
            Run r = run("--port", "" + a.port(), "--keys", "10", "-o", tmp.toString(), "-q");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err().trim()).isEqualTo("cowkv-load: the server at 127.0.0.1:" + a.port()
                    + " does not support BGSAVE (COMMAND INFO BGSAVE is nil)");
        }
    }

    @Test
    void unreachableServerIsAClearError(@TempDir Path tmp) throws Exception {
        int port = freePort();
        Run r = run("--port", "" + port, "-o", tmp.toString(), "-q");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().trim()).startsWith("cowkv-load: cannot connect to 127.0.0.1:" + port);
        assertThat(r.err().trim().lines()).hasSize(1);
    }

    @Test
    void badArgumentsExitWithUsage() {
        assertThat(run("--distribution", "gauss").code()).isEqualTo(2);
        assertThat(run("--compare", "nohostport").err()).contains("--compare must be HOST:PORT");
        assertThat(run("--keys", "abc").code()).isEqualTo(2);
        assertThat(run("--write-ratio", "1.5").code()).isEqualTo(2);
        assertThat(run("--help").code()).isZero();
    }

    static int freePort() throws Exception {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
