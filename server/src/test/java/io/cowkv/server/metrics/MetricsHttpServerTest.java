package io.cowkv.server.metrics;

import io.cowkv.server.net.MetricsHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The scrape endpoint over real HTTP on 127.0.0.1, on a port the system picks. */
class MetricsHttpServerTest {
    private final ServerStats stats = new ServerStats();
    private final CowKvMetrics metrics = CowKvMetrics.builder(stats).databases(1, db -> 4, db -> 0).build();
    private final PrometheusExport export = new PrometheusExport(metrics);
    private final AtomicReference<String> scrapeThread = new AtomicReference<>();
    private MetricsHttpServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        metrics.sample();
        server = new MetricsHttpServer("127.0.0.1", 0, accept -> {
            scrapeThread.set(Thread.currentThread().getName());
            String type = PrometheusExport.contentType(accept);
            return new MetricsHttpServer.Scrape(type, export.scrape(type).getBytes(StandardCharsets.UTF_8));
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
        export.close();
    }

    private HttpResponse<String> send(String method, String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.boundPort() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (accept != null) {
            b.header("Accept", accept);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void getMetricsServesPrometheusTextOnTheMetricsThread() throws Exception {
        stats.totalCommandsProcessed = 77;
        HttpResponse<String> r = send("GET", "/metrics", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains(PrometheusExport.TEXT_FORMAT);
        assertThat(r.body()).contains("cowkv_commands_processed_total 77.0", "cowkv_keys 4.0", "cowkv_connected_clients");
        assertThat(scrapeThread.get()).startsWith("cowkv-metrics");
        assertThat(server.address()).isEqualTo("127.0.0.1:" + server.boundPort());
        // keep-alive: a second request on the same client works and sees the new value
        stats.totalCommandsProcessed = 78;
        assertThat(send("GET", "/metrics?x=1", null).body()).contains("cowkv_commands_processed_total 78.0");
    }

    @Test
    void openMetricsOnRequest() throws Exception {
        HttpResponse<String> r = send("GET", "/metrics", "application/openmetrics-text; version=1.0.0");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains(PrometheusExport.OPENMETRICS_FORMAT);
        assertThat(r.body()).endsWith("# EOF\n");
    }

    @Test
    void otherPathsAre404AndOtherMethods405() throws Exception {
        for (String path : List.of("/", "/metric", "/metrics/x", "/favicon.ico")) {
            assertThat(send("GET", path, null).statusCode()).as(path).isEqualTo(404);
        }
        HttpResponse<String> post = send("POST", "/metrics", null);
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
        HttpResponse<String> head = send("HEAD", "/metrics", null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aTakenPortIsReportedWithItsAddress() throws Exception {
        MetricsHttpServer second = new MetricsHttpServer("127.0.0.1", server.boundPort(), accept -> null);
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(second::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + server.boundPort());
        } finally {
            second.stop();
        }
    }
}
