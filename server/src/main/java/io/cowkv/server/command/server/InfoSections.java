package io.cowkv.server.command.server;

import io.cowkv.server.command.CommandSpec;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.keyspace.Database;
import io.cowkv.server.metrics.MemoryReport;
import io.cowkv.server.metrics.PersistenceReport;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds INFO text with Redis 7's section and field names, from the same counters the metrics
 * registry exports. Keyspace thread only.
 */
public final class InfoSections implements ServerContext.InfoSource {
    /** Every section, in the order INFO prints them. */
    private static final String[] ORDER = {"server", "clients", "memory", "persistence", "stats", "replication", "cpu",
        "modules", "commandstats", "errorstats", "latencystats", "cluster", "keyspace"};
    /** INFO / INFO default: every section but commandstats and latencystats (bits by {@link #ORDER}). */
    private static final int DEFAULT = ~(1 << 8 | 1 << 10) & ((1 << ORDER.length) - 1);
    private static final int ALL = (1 << ORDER.length) - 1;
    /** The text of the last call, reused (keyspace thread only; INFO writes it out at once). */
    private final StringBuilder text = new StringBuilder(4096);
    private final ServerContext server;
    private final MemoryReport memory;
    private final PersistenceReport persistence;
    private final String replId = randomHex();
    private final Throughput throughput;

    /** Instantaneous rates for INFO stats, sampled by the server cron. */
    public interface Throughput {
        long opsPerSec();

        double inputKbps();

        double outputKbps();
    }

    public InfoSections(ServerContext server, MemoryReport memory, PersistenceReport persistence, Throughput throughput) {
        this.server = server;
        this.memory = memory;
        this.persistence = persistence;
        this.throughput = throughput;
    }

    @Override
    public String info(List<String> requested) {
        return infoText(requested).toString();
    }

    /**
     * The text in a reused buffer, valid until the next call. Sections are chosen with a bit set
     * rather than a set of names, so a polled {@code INFO persistence} allocates about its reply's
     * size and no more (EventLoopAllocationTest).
     */
    @Override
    public CharSequence infoText(List<String> requested) {
        int sections = requested.isEmpty() ? DEFAULT : 0;
        for (String r : requested) {
            switch (r) {
                case "default":
                    sections |= DEFAULT;
                    break;
                case "all":
                case "everything":
                    sections |= ALL;
                    break;
                default:
                    for (int i = 0; i < ORDER.length; i++) {
                        if (ORDER[i].equals(r)) {
                            sections |= 1 << i;
                        }
                    }
            }
        }
        StringBuilder sb = text;
        sb.setLength(0);
        for (int i = 0; i < ORDER.length; i++) {
            if ((sections & 1 << i) == 0) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append("\r\n");
            }
            switch (ORDER[i]) {
                case "server": server(sb); break;
                case "clients": clients(sb); break;
                case "memory": memory(sb); break;
                case "persistence": persistence(sb); break;
                case "stats": stats(sb); break;
                case "replication": replication(sb); break;
                case "cpu": cpu(sb); break;
                case "modules": sb.append("# Modules\r\n"); break;
                case "commandstats": commandstats(sb); break;
                case "errorstats": errorstats(sb); break;
                case "latencystats": latencystats(sb); break;
                case "cluster": sb.append("# Cluster\r\ncluster_enabled:0\r\n"); break;
                case "keyspace": keyspace(sb); break;
                default: break;
            }
        }
        return sb;
    }

    private static void f(StringBuilder sb, String name, Object value) {
        sb.append(name).append(':').append(value).append("\r\n");
    }

    private void server(StringBuilder sb) {
        long now = System.currentTimeMillis();
        long uptime = (now - server.startMillis) / 1000;
        sb.append("# Server\r\n");
        f(sb, "redis_version", server.version);
        f(sb, "redis_git_sha1", "00000000");
        f(sb, "redis_git_dirty", 0);
        f(sb, "redis_build_id", "0");
        f(sb, "redis_mode", "standalone");
        f(sb, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        f(sb, "arch_bits", 64);
        f(sb, "monotonic_clock", "POSIX clock_gettime");
        f(sb, "multiplexing_api", server.multiplexingApi);
        f(sb, "atomicvar_api", "java");
        f(sb, "gcc_version", "0.0.0");
        f(sb, "process_id", ProcessHandle.current().pid());
        f(sb, "process_supervised", "no");
        f(sb, "run_id", server.runId);
        f(sb, "tcp_port", server.config.port());
        f(sb, "server_time_usec", now * 1000);
        f(sb, "uptime_in_seconds", uptime);
        f(sb, "uptime_in_days", uptime / 86400);
        f(sb, "hz", server.config.hz());
        f(sb, "configured_hz", server.config.hz());
        f(sb, "lru_clock", (now / 1000) & ((1 << 24) - 1));
        f(sb, "executable", "cowkv-server");
        f(sb, "config_file", "");
        f(sb, "io_threads_active", 0);
        f(sb, "cowkv_version", CowkvVersion.VERSION);
        f(sb, "java_version", System.getProperty("java.version"));
    }

    private void clients(StringBuilder sb) {
        sb.append("# Clients\r\n");
        f(sb, "connected_clients", server.clients.size());
        f(sb, "cluster_connections", 0);
        f(sb, "maxclients", server.config.maxclients());
        f(sb, "client_recent_max_input_buffer", 0);
        f(sb, "client_recent_max_output_buffer", 0);
        f(sb, "blocked_clients", 0);
        f(sb, "tracking_clients", 0);
        f(sb, "clients_in_timeout_table", 0);
    }

    private void memory(StringBuilder sb) {
        sb.append("# Memory\r\n");
        for (Map.Entry<String, Object> e : memory.fields().entrySet()) {
            f(sb, e.getKey(), e.getValue());
        }
    }

    private void persistence(StringBuilder sb) {
        sb.append("# Persistence\r\n");
        persistence.appendTo(sb);
    }

    private void stats(StringBuilder sb) {
        var st = server.stats;
        var ks = server.keyspace.stats();
        sb.append("# Stats\r\n");
        f(sb, "total_connections_received", server.clients.totalConnections);
        f(sb, "total_commands_processed", st.totalCommandsProcessed);
        f(sb, "instantaneous_ops_per_sec", throughput.opsPerSec());
        f(sb, "total_net_input_bytes", st.totalNetInputBytes);
        f(sb, "total_net_output_bytes", st.totalNetOutputBytes);
        f(sb, "total_net_repl_input_bytes", 0);
        f(sb, "total_net_repl_output_bytes", 0);
        f(sb, "instantaneous_input_kbps", String.format(Locale.ROOT, "%.2f", throughput.inputKbps()));
        f(sb, "instantaneous_output_kbps", String.format(Locale.ROOT, "%.2f", throughput.outputKbps()));
        f(sb, "instantaneous_input_repl_kbps", "0.00");
        f(sb, "instantaneous_output_repl_kbps", "0.00");
        f(sb, "rejected_connections", server.clients.rejectedConnections);
        f(sb, "sync_full", 0);
        f(sb, "sync_partial_ok", 0);
        f(sb, "sync_partial_err", 0);
        f(sb, "expired_keys", ks.expiredKeys);
        f(sb, "expired_stale_perc", "0.00");
        f(sb, "expired_time_cap_reached_count", 0);
        f(sb, "expire_cycle_cpu_milliseconds", 0);
        f(sb, "evicted_keys", 0);
        f(sb, "evicted_clients", 0);
        f(sb, "total_eviction_exceeded_time", 0);
        f(sb, "current_eviction_exceeded_time", 0);
        f(sb, "keyspace_hits", ks.keyspaceHits);
        f(sb, "keyspace_misses", ks.keyspaceMisses);
        f(sb, "pubsub_channels", 0);
        f(sb, "pubsub_patterns", 0);
        f(sb, "pubsubshard_channels", 0);
        f(sb, "latest_fork_usec", persistence.latestForkUsec());
        f(sb, "total_forks", persistence.totalForks());
        f(sb, "migrate_cached_sockets", 0);
        f(sb, "slave_expires_tracked_keys", 0);
        f(sb, "active_defrag_hits", 0);
        f(sb, "active_defrag_misses", 0);
        f(sb, "active_defrag_key_hits", 0);
        f(sb, "active_defrag_key_misses", 0);
        f(sb, "total_active_defrag_time", 0);
        f(sb, "current_active_defrag_time", 0);
        f(sb, "tracking_total_keys", 0);
        f(sb, "tracking_total_items", 0);
        f(sb, "tracking_total_prefixes", 0);
        f(sb, "unexpected_error_replies", st.unexpectedErrorReplies);
        f(sb, "total_error_replies", st.totalErrorReplies);
        f(sb, "dump_payload_sanitizations", 0);
        f(sb, "total_reads_processed", st.totalReadsProcessed);
        f(sb, "total_writes_processed", st.totalWritesProcessed);
        f(sb, "io_threaded_reads_processed", 0);
        f(sb, "io_threaded_writes_processed", 0);
        f(sb, "reply_buffer_shrinks", 0);
        f(sb, "reply_buffer_expands", 0);
    }

    private void replication(StringBuilder sb) {
        sb.append("# Replication\r\n");
        f(sb, "role", "master");
        f(sb, "connected_slaves", 0);
        f(sb, "master_failover_state", "no-failover");
        f(sb, "master_replid", replId);
        f(sb, "master_replid2", "0000000000000000000000000000000000000000");
        f(sb, "master_repl_offset", 0);
        f(sb, "second_repl_offset", -1);
        f(sb, "repl_backlog_active", 0);
        f(sb, "repl_backlog_size", 1048576);
        f(sb, "repl_backlog_first_byte_offset", 0);
        f(sb, "repl_backlog_histlen", 0);
    }

    private void cpu(StringBuilder sb) {
        sb.append("# CPU\r\n");
        // Redis: getrusage of the process and of the main thread. Here: the process's user and
        // system time from the OS (clock ticks), and the keyspace thread's own (INFO runs on it).
        long[] process = io.cowkv.server.metrics.ProcessCpu.userAndSystemNanos();
        var threads = ManagementFactory.getThreadMXBean();
        long mainUser = 0;
        long mainTotal = 0;
        if (threads.isCurrentThreadCpuTimeSupported()) {
            mainUser = threads.getCurrentThreadUserTime();
            mainTotal = threads.getCurrentThreadCpuTime();
        }
        f(sb, "used_cpu_sys", seconds(process[1]));
        f(sb, "used_cpu_user", seconds(process[0]));
        f(sb, "used_cpu_sys_children", "0.000000");
        f(sb, "used_cpu_user_children", "0.000000");
        f(sb, "used_cpu_sys_main_thread", seconds(Math.max(0, mainTotal - mainUser)));
        f(sb, "used_cpu_user_main_thread", seconds(mainUser));
    }

    /** Nanoseconds as Redis prints rusage times: seconds with six decimals. */
    private static String seconds(long nanos) {
        long micros = nanos / 1000;
        return micros / 1_000_000 + "." + String.format(Locale.ROOT, "%06d", micros % 1_000_000);
    }

    /** Every command, each followed by its subcommands: the order of INFO commandstats and latencystats. */
    private List<CommandSpec> commandsInStatsOrder() {
        List<CommandSpec> all = new ArrayList<>();
        for (CommandSpec spec : server.commands.all()) {
            all.add(spec);
            all.addAll(spec.subcommands().values());
        }
        return all;
    }

    private void commandstats(StringBuilder sb) {
        sb.append("# Commandstats\r\n");
        for (CommandSpec spec : commandsInStatsOrder()) {
            CommandSpec.CommandStats cs = spec.stats;
            if (cs.calls == 0 && cs.rejectedCalls == 0 && cs.failedCalls == 0) {
                continue;
            }
            sb.append("cmdstat_").append(spec.fullName()).append(":calls=").append(cs.calls)
                    .append(",usec=").append(cs.usec)
                    .append(",usec_per_call=").append(String.format(Locale.ROOT, "%.2f", cs.calls == 0 ? 0.0 : (double) cs.usec / cs.calls))
                    .append(",rejected_calls=").append(cs.rejectedCalls)
                    .append(",failed_calls=").append(cs.failedCalls).append("\r\n");
        }
    }

    /**
     * Redis 7.0's latencystats: one line per command with a histogram, in commandstats' order,
     * {@code latency_percentiles_usec_<name>:p50=...}; no lines while latency-tracking is off.
     */
    private void latencystats(StringBuilder sb) {
        sb.append("# Latencystats\r\n");
        if (!server.config.latencyTracking()) {
            return;
        }
        double[] percentiles = server.config.latencyTrackingInfoPercentiles();
        for (CommandSpec spec : commandsInStatsOrder()) {
            org.HdrHistogram.Histogram h = spec.stats.latency.histogram();
            if (h != null) {
                sb.append("latency_percentiles_usec_").append(spec.fullName()).append(':')
                        .append(io.cowkv.server.metrics.CommandLatency.percentiles(h, percentiles)).append("\r\n");
            }
        }
    }

    private void errorstats(StringBuilder sb) {
        sb.append("# Errorstats\r\n");
        for (Map.Entry<String, long[]> e : server.stats.errorsByType().entrySet()) {
            sb.append("errorstat_").append(e.getKey()).append(":count=").append(e.getValue()[0]).append("\r\n");
        }
    }

    private void keyspace(StringBuilder sb) {
        sb.append("# Keyspace\r\n");
        for (int i = 0; i < server.keyspace.databases(); i++) {
            Database db = server.keyspace.db(i);
            if (db.size() > 0) {
                sb.append("db").append(i).append(":keys=").append(db.size())
                        .append(",expires=").append(db.expires())
                        .append(",avg_ttl=").append(db.averageTtl()).append("\r\n");
            }
        }
    }

    private static String randomHex() {
        StringBuilder sb = new StringBuilder();
        java.util.Random r = new java.security.SecureRandom();
        for (int i = 0; i < 40; i++) {
            sb.append(Character.forDigit(r.nextInt(16), 16));
        }
        return sb.toString();
    }
}
