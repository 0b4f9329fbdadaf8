package io.cowkv.it.metrics;

import io.cowkv.it.CowKvProcess;
import io.cowkv.it.RespConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged server with {@code --metrics-port}: commands sent over RESP show in the Prometheus
 * scrape, and the scrape agrees with INFO. Gauges come from a cron sample (at most one tick old),
 * so reads of them poll for a bounded time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsEndpointTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private CowKvProcess server;
    private int metricsPort;

    @BeforeAll
    void start() throws Exception {
        metricsPort = freePort();
        server = new CowKvProcess("--metrics-port", Integer.toString(metricsPort));
        server.start();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private String scrape() throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** The value of one series, e.g. {@code cowkv_commands_total{cmd="set"}}; 0 when absent. */
    static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        return 0;
    }

    /** Scrapes until {@code ok} holds or {@link #WAIT} passes; returns the last scrape. */
    private String scrapeUntil(Predicate<String> ok) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String s = scrape();
        while (!ok.test(s) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            s = scrape();
        }
        return s;
    }

    static long infoField(String info, String name) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError(name + " not in INFO:\n" + info);
    }

    /** keys=N of one dbN line of INFO keyspace; 0 when the database is empty (no line). */
    static long infoDbKeys(String info, int db) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith("db" + db + ":keys=")) {
                return Long.parseLong(line.substring(("db" + db + ":keys=").length()).split(",")[0]);
            }
        }
        return 0;
    }

    private static String bulk(byte[] reply) {
        String s = new String(reply, java.nio.charset.StandardCharsets.UTF_8);
        return s.substring(s.indexOf("\r\n") + 2);
    }

    @Test
    void startUpLogsTheEndpoint() {
        assertThat(server.output()).contains("Metrics endpoint listening on 127.0.0.1:" + metricsPort + "/metrics");
    }

    @Test
    void otherPathsAreNotFound() throws Exception {
        assertThat(get("/").statusCode()).isEqualTo(404);
        assertThat(get("/metricsx").statusCode()).isEqualTo(404);
    }

    @Test
    void commandsClientsKeysAndErrorsShowInTheScrape() throws Exception {
        String before = scrape();
        double sets = value(before, "cowkv_commands_total{cmd=\"set\"}");
        double gets = value(before, "cowkv_commands_total{cmd=\"get\"}");
        double arityErrors = value(before, "cowkv_errors_total{type=\"ERR\"}");
        double wrongType = value(before, "cowkv_errors_total{type=\"WRONGTYPE\"}");
        double hits = value(before, "cowkv_keyspace_hits_total");
        double misses = value(before, "cowkv_keyspace_misses_total");
        try (RespConnection c = new RespConnection(server)) {
            c.call("SELECT", "3");
            for (int i = 0; i < 5; i++) {
                assertThat(c.callString("SET", "metrics:k" + i, "v" + i)).isEqualTo("+OK\r\n");
            }
            c.call("GET", "metrics:k0");
            c.call("GET", "metrics:absent");
            assertThat(c.callString("GET")).startsWith("-ERR wrong number of arguments");
            c.call("SET", "metrics:str", "abc");
            c.call("EXPIRE", "metrics:str", "1000");
            assertThat(c.callString("INCR", "metrics:str")).startsWith("-ERR value is not an integer");

            // the client is still connected while we scrape
            String s = scrapeUntil(x -> value(x, "cowkv_db_keys{db=\"3\"}") == 6
                    && value(x, "cowkv_errors_total{type=\"ERR\"}") == arityErrors + 2);
            assertThat(value(s, "cowkv_commands_total{cmd=\"set\"}")).isEqualTo(sets + 6);
            assertThat(value(s, "cowkv_commands_total{cmd=\"get\"}")).isEqualTo(gets + 2);
            assertThat(value(s, "cowkv_commands_rejected_total{cmd=\"get\"}")).isGreaterThanOrEqualTo(1);
            assertThat(value(s, "cowkv_commands_failed_total{cmd=\"incr\"}")).isGreaterThanOrEqualTo(1);
            assertThat(value(s, "cowkv_commands_duration_seconds_total{cmd=\"set\"}")).isGreaterThan(0);
            assertThat(value(s, "cowkv_errors_total{type=\"ERR\"}")).isEqualTo(arityErrors + 2);
            assertThat(value(s, "cowkv_errors_total{type=\"WRONGTYPE\"}")).isEqualTo(wrongType);
            assertThat(value(s, "cowkv_keyspace_hits_total")).isGreaterThanOrEqualTo(hits + 1); // GET k0
            assertThat(value(s, "cowkv_keyspace_misses_total")).isGreaterThanOrEqualTo(misses + 1);
            assertThat(value(s, "cowkv_db_keys{db=\"3\"}")).isEqualTo(6);
            assertThat(value(s, "cowkv_db_expires{db=\"3\"}")).isEqualTo(1);
            assertThat(value(s, "cowkv_keys")).isGreaterThanOrEqualTo(6);
            assertThat(value(s, "cowkv_connected_clients")).isGreaterThanOrEqualTo(1);
            assertThat(value(s, "cowkv_net_input_bytes_total")).isGreaterThan(0);
            assertThat(value(s, "cowkv_net_output_bytes_total")).isGreaterThan(0);
            assertThat(value(s, "cowkv_memory_used_bytes")).isGreaterThan(0);
            assertThat(s).contains("cowkv_arena_frames_used ", "cowkv_snapshots_total ", "cowkv_snapshot_last_status 1.0",
                    "cowkv_snapshot_in_progress 0.0", "cowkv_snapshot_copied_bytes ");
            c.call("FLUSHDB");
        }
    }

    @Test
    void infoAndTheScrapeShowTheSameNumbers() throws Exception {
        try (RespConnection c = new RespConnection(server)) {
            c.call("SELECT", "5");
            for (int i = 0; i < 7; i++) {
                c.call("SET", "same:" + i, "x");
            }
            // INFO is the last command anyone sends before the scrape: nothing changes in between
            String info = bulk(c.call("INFO", "all"));
            long commands = infoField(info, "total_commands_processed");
            long db5 = infoDbKeys(info, 5);
            long keys = 0;
            for (int db = 0; db < 16; db++) {
                keys += infoDbKeys(info, db);
            }
            long total = keys;
            String s = scrapeUntil(x -> value(x, "cowkv_keys") == total
                    && value(x, "cowkv_commands_processed_total") == commands);
            assertThat(db5).isEqualTo(7);
            assertThat((long) value(s, "cowkv_commands_processed_total")).isEqualTo(commands);
            assertThat((long) value(s, "cowkv_keys")).isEqualTo(keys);
            assertThat((long) value(s, "cowkv_db_keys{db=\"5\"}")).isEqualTo(db5);
            assertThat((long) value(s, "cowkv_connected_clients")).isEqualTo(infoField(info, "connected_clients"));
            assertThat((long) value(s, "cowkv_keyspace_hits_total")).isEqualTo(infoField(info, "keyspace_hits"));
            assertThat((long) value(s, "cowkv_keyspace_misses_total")).isEqualTo(infoField(info, "keyspace_misses"));
            assertThat((long) value(s, "cowkv_net_input_bytes_total")).isEqualTo(infoField(info, "total_net_input_bytes"));
            assertThat((long) value(s, "cowkv_snapshots_total")).isEqualTo(infoField(info, "rdb_saves"));
            assertThat((long) value(s, "cowkv_changes_since_last_save"))
                    .isEqualTo(infoField(info, "rdb_changes_since_last_save"));
            assertThat((long) value(s, "cowkv_snapshot_freezes_total")).isEqualTo(infoField(info, "total_forks"));
            assertThat((long) value(s, "cowkv_commands_total{cmd=\"set\"}"))
                    .isEqualTo(cmdstat(info, "set", "calls"));
            c.call("FLUSHDB");
        }
    }

    /** One number of an INFO commandstats line, e.g. calls of cmdstat_set. */
    static long cmdstat(String info, String cmd, String field) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith("cmdstat_" + cmd + ":")) {
                for (String kv : line.substring(line.indexOf(':') + 1).split(",")) {
                    if (kv.startsWith(field + "=")) {
                        return Long.parseLong(kv.substring(field.length() + 1));
                    }
                }
            }
        }
        throw new AssertionError("cmdstat_" + cmd + " " + field + " not in INFO");
    }
}
