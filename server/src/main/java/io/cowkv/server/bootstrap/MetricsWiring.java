package io.cowkv.server.bootstrap;

import io.cowkv.server.command.CommandSpec;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.metrics.CowKvMetrics;
import io.cowkv.server.metrics.MemoryReport;
import io.cowkv.server.metrics.PersistenceReport;
import io.cowkv.server.metrics.PrometheusExport;
import io.cowkv.server.net.MetricsHttpServer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Connects the metrics to the server's own counters (the same fields INFO prints) and runs the
 * scrape endpoint. Built only when {@code metrics-port} is not 0.
 *
 * <p>Threads: {@link #sample()} on the keyspace thread (server cron); the endpoint on its own
 * loop; {@link #start()}/{@link #stop()} from the lifecycle.
 */
final class MetricsWiring {
    private final ServerContext ctx;
    private final CowKvMetrics metrics;
    private final PrometheusExport export;
    private MetricsHttpServer http;

    /**
     * {@code framesUsed}/{@code framesFree}: arena frames in use and free, read on the keyspace
     * thread.
     */
    MetricsWiring(ServerContext ctx, MemoryReport memory, PersistenceReport persistence,
                  DoubleSupplier framesUsed, DoubleSupplier framesFree) {
        this.ctx = ctx;
        List<CommandSpec> rows = new ArrayList<>();
        for (CommandSpec spec : ctx.commands.all()) {
            rows.add(spec);
            rows.addAll(spec.subcommands().values());
        }
        var ks = ctx.keyspace;
        this.metrics = CowKvMetrics.builder(ctx.stats)
                .commands(rows, CommandSpec::fullName, s -> s.stats.calls, s -> s.stats.usec,
                        s -> s.stats.rejectedCalls, s -> s.stats.failedCalls)
                .keyspaceCounters(() -> ks.stats().expiredKeys, () -> ks.stats().keyspaceHits,
                        () -> ks.stats().keyspaceMisses)
                .connections(ctx.clients::size, () -> ctx.clients.totalConnections,
                        () -> ctx.clients.rejectedConnections)
                .databases(ks.databases(), db -> ks.db(db).size(), db -> ks.db(db).expires())
                .memory(memory::usedMemory, ctx.config::maxmemory)
                .frames(framesUsed, framesFree)
                .persistence(persistence)
                .build();
        this.export = new PrometheusExport(metrics);
    }

    /** Publishes the keyspace-thread values for the next scrapes. Keyspace thread only. */
    void sample() {
        metrics.sample();
    }

    /** Binds the endpoint on metrics-bind:metrics-port and logs where it listens. */
    void start() throws InterruptedException {
        http = new MetricsHttpServer(ctx.config.metricsBind(), ctx.config.metricsPort(), accept -> {
            String type = PrometheusExport.contentType(accept);
            return new MetricsHttpServer.Scrape(type, export.scrape(type).getBytes(StandardCharsets.UTF_8));
        });
        http.start();
        ServerLog.notice("Metrics endpoint listening on " + http.address() + MetricsHttpServer.PATH);
    }

    void stop() {
        if (http != null) {
            http.stop();
        }
        export.close();
    }
}
