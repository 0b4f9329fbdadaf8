package io.cowkv.server.metrics;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Prometheus names the docs promise, rendered from a bound binder. */
class PrometheusExportTest {
    static final class Row {
        long calls;
        long usec;
    }

    private final ServerStats stats = new ServerStats();
    private final Row set = new Row();
    private final long[] keys = {3, 0};
    private final CowKvMetrics metrics = CowKvMetrics.builder(stats)
            .commands(List.of(set), r -> "set", r -> r.calls, r -> r.usec, r -> 0, r -> 0)
            .databases(2, db -> keys[db], db -> 0)
            .connections(() -> 1, () -> 1, () -> 0)
            .memory(() -> 1024, () -> 0)
            .build();
    private final PrometheusExport export = new PrometheusExport(metrics);

    @AfterEach
    void close() {
        export.close();
    }

    @Test
    void textFormatHasEveryDocumentedFamily() {
        set.calls = 2;
        set.usec = 2_000_000;
        stats.totalCommandsProcessed = 5;
        stats.countError("WRONGTYPE");
        metrics.sample();
        String text = export.scrape(PrometheusExport.TEXT_FORMAT);
        assertThat(text)
                .contains("# TYPE cowkv_commands_total counter")
                .contains("cowkv_commands_total{cmd=\"set\"} 2.0")
                .contains("cowkv_commands_duration_seconds_total{cmd=\"set\"} 2.0")
                .contains("cowkv_commands_rejected_total{cmd=\"set\"} 0.0")
                .contains("cowkv_commands_failed_total{cmd=\"set\"} 0.0")
                .contains("cowkv_commands_processed_total 5.0")
                .contains("cowkv_errors_total{type=\"WRONGTYPE\"} 1.0")
                .contains("cowkv_connected_clients 1.0")
                .contains("cowkv_keys 3.0")
                .contains("cowkv_db_keys{db=\"0\"} 3.0")
                .contains("cowkv_db_expires{db=\"1\"} 0.0")
                .contains("cowkv_memory_used_bytes 1024.0")
                .contains("cowkv_memory_max_bytes 0.0")
                .contains("cowkv_memory_rss_bytes ")
                .contains("cowkv_arena_frames_used NaN")
                .contains("cowkv_arena_frames_free NaN")
                .contains("cowkv_net_input_bytes_total 0.0")
                .contains("cowkv_net_output_bytes_total 0.0")
                .contains("cowkv_expired_keys_total 0.0")
                .contains("cowkv_keyspace_hits_total 0.0")
                .contains("cowkv_keyspace_misses_total 0.0")
                .contains("cowkv_connections_received_total 1.0")
                .contains("cowkv_connections_rejected_total 0.0")
                .contains("cowkv_loading 0.0")
                .contains("cowkv_snapshots_total 0.0")
                .contains("cowkv_snapshot_in_progress 0.0")
                .contains("cowkv_snapshot_last_status 1.0")
                .contains("cowkv_snapshot_last_duration_seconds -1.0")
                .contains("cowkv_snapshot_current_duration_seconds -1.0")
                .contains("cowkv_snapshot_copied_bytes 0.0")
                .contains("cowkv_snapshot_last_copied_bytes 0.0")
                .contains("cowkv_snapshot_keys_processed 0.0")
                .contains("cowkv_snapshot_keys_frozen 0.0")
                .contains("cowkv_snapshot_last_success_timestamp_seconds ")
                .contains("cowkv_changes_since_last_save 0.0")
                .contains("cowkv_snapshot_last_freeze_seconds 0.0")
                .contains("cowkv_snapshot_freezes_total 0.0")
                .contains("jvm_memory_used_bytes")
                .contains("process_uptime_seconds");
    }

    @Test
    void openMetricsWhenAsked() {
        assertThat(PrometheusExport.contentType(null)).isEqualTo(PrometheusExport.TEXT_FORMAT);
        assertThat(PrometheusExport.contentType("text/plain;version=0.0.4;q=0.3,*/*;q=0.1"))
                .isEqualTo(PrometheusExport.TEXT_FORMAT);
        String accept = "application/openmetrics-text;version=1.0.0;q=0.9,text/plain;q=0.5";
        assertThat(PrometheusExport.contentType(accept)).isEqualTo(PrometheusExport.OPENMETRICS_FORMAT);
        String om = export.scrape(PrometheusExport.OPENMETRICS_FORMAT);
        assertThat(om).contains("# TYPE cowkv_commands_processed counter").endsWith("# EOF\n");
    }
}
