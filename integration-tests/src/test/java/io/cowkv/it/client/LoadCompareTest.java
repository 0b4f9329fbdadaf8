package io.cowkv.it.client;

import io.cowkv.client.RedisClient;
import io.cowkv.client.load.Main;
import io.cowkv.client.load.MiniJson;
import io.cowkv.it.CowKvProcess;
import io.cowkv.it.RedisProcess;
import io.cowkv.it.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * cowkv-load end to end: a small comparison scenario against a real redis-server and the
 * packaged CowKV side by side ({@code --compare}), as {@code bench/cow-compare.sh} runs it, with
 * the reports checked: text table, JSON (parsed), HTML (chart data of both servers).
 *
 * <p>Both servers get {@code rdb-key-save-delay} (microseconds per key, a Redis debug parameter
 * CowKV honours too) so that the save of 20k keys lasts long enough for the full-speed overwrites
 * to meet it: copied bytes are then certain to be above zero, on a fast or a busy machine. Nothing
 * here asserts on speed.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LoadCompareTest {
    record Run(int code, String out, String err) {}

    static Run cowkvLoad(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    @SuppressWarnings("unchecked")
    void smallComparisonScenarioAgainstRedisAndCowKv(@TempDir Path tmp) throws Exception {
        RedisProcess.assumeAvailable();
        try (RedisProcess redis = RedisProcess.started(); CowKvProcess cowkv = CowKvProcess.started()) {
            long cowkvSavesBefore;
            for (ServerProcess s : List.of(redis, cowkv)) {
                try (RedisClient c = ClientContract.client(s, 2, 1)) {
                    assertThat(ClientContract.get(c.send("CONFIG", "SET", "rdb-key-save-delay", "25")).asString()).isEqualTo("OK");
                }
            }
            cowkvSavesBefore = infoLong(cowkv, "persistence", "rdb_saves");

            Path out = tmp.resolve("report");
            Run r = cowkvLoad("--host", "127.0.0.1", "--port", "" + redis.port(), "--label", "redis",
                    "--compare", cowkv.address(), "--compare-label", "cowkv",
                    "--keys", "20000", "--value-size", "512", "--connections", "4", "--pipeline", "16",
                    "--distribution", "uniform", "--write-ratio", "1.0", "--warmup-seconds", "0.5", "--baseline-seconds", "1",
                    "--sample-ms", "50", "--max-save-seconds", "30", "--out", out.toString(), "--quiet");
            assertThat(r.code()).as("stderr: %s%nstdout: %s%ncowkv: %s", r.err(), r.out(), cowkv.output()).isZero();

            // text report: one column per server, the rows the issue asks for
            String text = Files.readString(out.resolve("report.txt"));
            assertThat(r.out()).contains(text.strip().lines().findFirst().orElseThrow());
            assertThat(text).contains("redis", "cowkv", "127.0.0.1:" + redis.port(), cowkv.address(),
                    "before save: ops/s", "during save: p50 / p99", "during save: p99.9 / max", "save duration (client)",
                    "latest_fork_usec", "copied peak (current_cow_size)", "copied final (rdb_last_cow_size)",
                    "used_memory before / peak", "used_memory_rss before / peak");
            assertThat(r.out()).contains("wrote " + out.resolve("report.json"), "wrote " + out.resolve("report.html"));

            // JSON: parses, both servers, the save completed, copied bytes reported
            Map<String, Object> root = (Map<String, Object>) MiniJson.parse(Files.readString(out.resolve("report.json")));
            assertThat(root).containsEntry("tool", "cowkv-load");
            Map<String, Object> scenario = (Map<String, Object>) root.get("scenario");
            assertThat(scenario.get("keys")).isEqualTo(20000.0);
            assertThat(scenario.get("warmup_seconds")).isEqualTo(0.5);
            List<Object> servers = (List<Object>) root.get("servers");
            assertThat(servers).hasSize(2);
            Map<String, Object> redisJson = (Map<String, Object>) servers.get(0);
            Map<String, Object> cowkvJson = (Map<String, Object>) servers.get(1);
            assertThat(redisJson).containsEntry("label", "redis");
            assertThat(cowkvJson).containsEntry("label", "cowkv").containsEntry("address", cowkv.address());
            for (Map<String, Object> s : List.of(redisJson, cowkvJson)) {
                String who = (String) s.get("label");
                assertThat(s.get("dbsize")).as(who).isEqualTo(20000.0);
                Map<String, Object> bgsave = (Map<String, Object>) s.get("bgsave");
                assertThat(bgsave.get("rdb_last_bgsave_status")).as(who).isEqualTo("ok");
                assertThat((Double) bgsave.get("duration_ms")).as(who).isPositive();
                assertThat((Double) bgsave.get("latest_fork_usec")).as(who).isGreaterThanOrEqualTo(0.0);
                // full-speed overwrites of existing keys during the save: pages were copied
                assertThat((Double) bgsave.get("rdb_last_cow_size")).as(who + " rdb_last_cow_size").isPositive();
                for (String phase : List.of("baseline", "save")) {
                    Map<String, Object> p = (Map<String, Object>) s.get(phase);
                    assertThat((Double) p.get("ops")).as(who + " " + phase).isPositive();
                    assertThat(p.get("errors")).as(who + " " + phase).isEqualTo(0.0);
                    Map<String, Object> lat = (Map<String, Object>) p.get("latency_us");
                    assertThat((Double) lat.get("max")).isGreaterThanOrEqualTo((Double) lat.get("p99"));
                }
                List<Object> samples = (List<Object>) s.get("samples");
                assertThat(samples).as(who).isNotEmpty();
                assertThat(((Map<String, Object>) samples.get(0)).get("phase")).as(who).isEqualTo("warmup");
                Map<String, Object> last = (Map<String, Object>) samples.get(samples.size() - 1);
                assertThat(last).containsEntry("phase", "save").containsEntry("rdb_bgsave_in_progress", 0.0);
                assertThat((List<Object>) s.get("latency")).as(who).isNotEmpty();
            }
            // CowKV's own copy-on-write accounting: the peak it showed while saving is above zero too,
            // and the freeze time is reported (a small number, possibly 0 µs on a fast machine)
            Map<String, Object> cowkvSave = (Map<String, Object>) cowkvJson.get("bgsave");
            assertThat((Double) cowkvSave.get("cow_peak_bytes")).isPositive();
            boolean sawCowDuringSave = false;
            for (Object o : (List<Object>) cowkvJson.get("samples")) {
                Map<String, Object> sm = (Map<String, Object>) o;
                if ("save".equals(sm.get("phase")) && sm.get("current_cow_size") instanceof Double d && d > 0) {
                    sawCowDuringSave = true;
                }
            }
            assertThat(sawCowDuringSave).as("a sample during CowKV's save shows current_cow_size > 0").isTrue();

            // CowKV's save really completed: one more save, status ok, dump file on disk with data
            assertThat(infoLong(cowkv, "persistence", "rdb_saves")).isEqualTo(cowkvSavesBefore + 1);
            assertThat(infoLong(cowkv, "persistence", "rdb_bgsave_in_progress")).isZero();
            assertThat(Files.size(cowkv.dir().resolve("dump.rdb"))).isGreaterThan(20_000L * 512);

            // HTML: self-contained, charts of both servers, the JSON embedded
            String html = Files.readString(out.resolve("report.html"));
            assertThat(html).contains("<svg", "redis current_cow_size", "cowkv current_cow_size",
                    "<script type=\"application/json\" id=\"cowkv-load-data\">");
            assertThat(html).doesNotContain("src=\"http", "href=\"http", "<link", "@import"); // nothing fetched
            int start = html.indexOf("id=\"cowkv-load-data\">") + "id=\"cowkv-load-data\">".length();
            String embedded = html.substring(start, html.indexOf("</script>", start));
            Map<String, Object> again = (Map<String, Object>) MiniJson.parse(embedded);
            assertThat((List<Object>) again.get("servers")).hasSize(2);
        }
    }

    @Test
    void cowkvWithoutTheFillFlagNeedsDataAndUnreachableServersAreOneLine() throws Exception {
        try (CowKvProcess cowkv = CowKvProcess.started()) {
            Run empty = cowkvLoad("--port", "" + cowkv.port(), "--skip-fill", "--keys", "10", "--baseline-seconds", "0",
                    "--quiet", "--out", Files.createTempDirectory("cowkv-load-it").toString());
            assertThat(empty.code()).isEqualTo(1);
            assertThat(empty.err().strip()).isEqualTo("cowkv-load: the server at 127.0.0.1:" + cowkv.port()
                    + " holds no keys: run without --skip-fill");
        }
        int port = ServerProcess.freePort();
        Run down = cowkvLoad("--port", "" + port, "--quiet", "--connect-timeout-ms", "1000");
        assertThat(down.code()).isEqualTo(1);
        assertThat(down.err().strip()).startsWith("cowkv-load: cannot connect to 127.0.0.1:" + port).doesNotContain("\n");
    }

    private static long infoLong(ServerProcess s, String section, String field) throws Exception {
        try (RedisClient c = ClientContract.client(s, 2, 1)) {
            for (String line : ClientContract.get(c.send("INFO", section)).asString().split("\r\n")) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim());
                }
            }
        }
        throw new AssertionError(field + " not in INFO " + section + " of " + s);
    }
}
