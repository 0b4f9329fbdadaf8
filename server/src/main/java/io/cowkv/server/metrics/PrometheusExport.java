package io.cowkv.server.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A Prometheus registry holding CowKV's meters and the standard JVM/process meters, and the
 * scrape that renders it. Thread-safe; the scrape runs on the metrics HTTP thread and never
 * touches the keyspace (see {@link CowKvMetrics} for where each number comes from).
 */
public final class PrometheusExport implements AutoCloseable {
    /** Prometheus text exposition format 0.0.4, what Prometheus asks for by default. */
    public static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
    /** OpenMetrics 1.0 text, served when the Accept header asks for it. */
    public static final String OPENMETRICS_FORMAT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final CowKvMetrics metrics;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public PrometheusExport(CowKvMetrics metrics) {
        this.metrics = metrics;
        metrics.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The content type to answer a request with this Accept header (null or absent: Prometheus text). */
    public static String contentType(String accept) {
        return accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS_FORMAT : TEXT_FORMAT;
    }

    /**
     * Renders every meter in {@code contentType} (one of the two constants), registering new label
     * values first. Every sampled meter in one scrape shows the same sample.
     */
    public String scrape(String contentType) {
        return metrics.consistently(() -> {
            metrics.refresh();
            return registry.scrape(contentType);
        });
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
