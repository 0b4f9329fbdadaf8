/**
 * Server statistics and their export: {@link io.cowkv.server.metrics.ServerStats} (counters the
 * dispatcher and connections bump), the INFO memory/persistence reports, and the Micrometer
 * meters ({@link io.cowkv.server.metrics.CowKvMetrics}) that read those same numbers for the
 * Prometheus endpoint ({@link io.cowkv.server.metrics.PrometheusExport}).
 *
 * <p>Layering: below {@code command} (it never imports it; bootstrap passes functions over the
 * command table) and never imports {@code net}. Threads: the counters are written on the
 * keyspace thread only; meters read plain counters racily and everything else from a sample the
 * server cron publishes (see {@code docs/metrics.md}).
 */
package io.cowkv.server.metrics;
