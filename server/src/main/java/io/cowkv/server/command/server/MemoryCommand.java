package io.cowkv.server.command.server;

import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.cowkv.server.keyspace.Database;
import io.cowkv.server.keyspace.Entry;
import io.cowkv.server.memory.Arena;
import io.cowkv.server.metrics.MemoryReport;
import io.cowkv.server.protocol.CommandArgs;
import io.cowkv.server.protocol.Errors;
import io.cowkv.server.protocol.Reply;

import java.util.Map;

import static io.cowkv.server.command.CommandSpec.command;

/**
 * MEMORY USAGE | STATS | DOCTOR | MALLOC-STATS | PURGE | HELP, with Redis 7's syntax, errors and
 * reply shapes, over CowKV's own accounting: the arena is the allocator (what INFO memory reports).
 *
 * <ul>
 * <li>USAGE: the arena bytes of the key ({@link Database#memoryUsage}); SAMPLES is parsed and
 * checked as Redis does and has nothing to sample (strings only). It is not an access and, as
 * Redis 7.0's {@code dictFind}, it sizes a key whose TTL has passed but that no expiry has removed
 * yet.
 * <li>STATS: Redis's fields in Redis's order; the overheads CowKV has are the bucket tables (per
 * database, as Redis's {@code db.N}) and the off-heap client buffers; the rest (replication, AOF,
 * Lua, cluster) is 0 as in a Redis without them.
 * <li>DOCTOR: Redis's report and texts, from the same thresholds over these numbers.
 * <li>MALLOC-STATS: Redis's reply for an allocator without statistics.
 * <li>PURGE: gives the native memory of every fully free arena chunk back to the OS at once (the
 * cron does it in bounded steps after a save); nothing while a snapshot is open.
 * </ul>
 */
public final class MemoryCommand {
    private final ServerContext server;
    private final MemoryReport memory;
    private final long[] num = new long[1];

    public MemoryCommand(ServerContext server, MemoryReport memory) {
        this.server = server;
        this.memory = memory;
    }

    public void register(CommandRegistry r) {
        r.register(command("memory", -2)
                .sub(command("doctor", 2).handler(this::doctor).build())
                .sub(command("malloc-stats", 2).handler(this::mallocStats).build())
                .sub(command("purge", 2).handler(this::purge).build())
                .sub(command("stats", 2).handler(this::stats).build())
                .sub(command("usage", -3).flags("readonly").keys(2, 2, 1).handler(this::usage).build())
                .sub(command("help", 2).flags("loading", "stale").handler(this::help).build())
                .build());
    }

    private void usage(Session s, CommandArgs a) {
        Reply r = s.reply();
        for (int j = 3; j < a.count(); j++) {
            if (a.is(j, "samples") && j + 1 < a.count()) {
                if (!a.parseLong(j + 1, num)) {
                    r.error(Errors.NOT_INTEGER);
                    return;
                }
                if (num[0] < 0) {
                    r.error(Errors.SYNTAX);
                    return;
                }
                j++;
            } else {
                r.error(Errors.SYNTAX);
                return;
            }
        }
        Database db = server.keyspace.db(s.db);
        Entry e = db.peekStored(a.data(), a.offset(2), a.length(2));
        if (e == null) {
            r.nullBulk();
        } else {
            r.integer(db.memoryUsage(e));
        }
    }

    /**
     * The numbers behind STATS and DOCTOR (Redis's struct redisMemOverhead), taken from INFO
     * memory's fields so both always agree (overhead: the bucket tables and the client buffers).
     */
    private final class Overhead {
        final long peak;
        final long total;
        final long startup;
        final long clientsNormal;
        /** Per database: bucket table bytes and keys. */
        final long[] tables;
        final long[] sizes;
        /** Databases with keys (STATS lists only those, as Redis). */
        final int nonEmpty;
        final long overheadTotal;
        final long dataset;
        final long keys;
        final long rss;
        final long allocatorActive;
        final long allocatorResident;

        Overhead() {
            Map<String, Object> f = memory.fields();
            total = number(f, "used_memory");
            peak = Math.max(total, number(f, "used_memory_peak"));
            startup = number(f, "used_memory_startup");
            overheadTotal = number(f, "used_memory_overhead");
            dataset = number(f, "used_memory_dataset");
            rss = number(f, "used_memory_rss");
            allocatorActive = number(f, "allocator_active");
            allocatorResident = number(f, "allocator_resident");
            clientsNormal = number(f, "mem_clients_normal");
            int n = server.keyspace.databases();
            tables = new long[n];
            sizes = new long[n];
            long k = 0;
            int used = 0;
            for (int i = 0; i < n; i++) {
                Database d = server.keyspace.db(i);
                tables[i] = d.tableBytes();
                sizes[i] = d.size();
                k += sizes[i];
                used += sizes[i] > 0 ? 1 : 0;
            }
            keys = k;
            nonEmpty = used;
        }

        long netUsage() {
            return total > startup ? total - startup : 1;
        }
    }

    private static long number(Map<String, Object> f, String name) {
        Object v = f.get(name);
        return v instanceof Number ? ((Number) v).longValue() : 0;
    }

    private void stats(Session s, CommandArgs a) {
        Overhead o = new Overhead();
        Reply r = s.reply();
        r.map(27 + o.nonEmpty);
        count(r, "peak.allocated", o.peak);
        count(r, "total.allocated", o.total);
        count(r, "startup.allocated", o.startup);
        count(r, "replication.backlog", 0);
        count(r, "clients.slaves", 0);
        count(r, "clients.normal", o.clientsNormal);
        count(r, "cluster.links", 0);
        count(r, "aof.buffer", 0);
        count(r, "lua.caches", 0);
        count(r, "functions.caches", 0);
        for (int i = 0; i < o.tables.length; i++) {
            if (o.sizes[i] == 0) {
                continue;
            }
            r.bulk("db." + i);
            r.map(3);
            count(r, "overhead.hashtable.main", o.tables[i]);
            count(r, "overhead.hashtable.expires", 0); // TTLs live in the records: no expires dictionary
            count(r, "overhead.hashtable.slot-to-keys", 0);
        }
        count(r, "overhead.total", o.overheadTotal);
        count(r, "keys.count", o.keys);
        count(r, "keys.bytes-per-key", o.keys == 0 ? 0 : o.netUsage() / o.keys);
        count(r, "dataset.bytes", o.dataset);
        decimal(r, "dataset.percentage", (float) (o.dataset * 100.0 / o.netUsage()));
        decimal(r, "peak.percentage", (float) (o.peak == 0 ? 100.0 : o.total * 100.0 / o.peak));
        count(r, "allocator.allocated", o.total);
        count(r, "allocator.active", o.allocatorActive);
        count(r, "allocator.resident", o.allocatorResident);
        decimal(r, "allocator-fragmentation.ratio", ratio(o.allocatorActive, o.total));
        count(r, "allocator-fragmentation.bytes", o.allocatorActive - o.total);
        decimal(r, "allocator-rss.ratio", ratio(o.allocatorResident, o.allocatorActive));
        count(r, "allocator-rss.bytes", o.allocatorResident - o.allocatorActive);
        decimal(r, "rss-overhead.ratio", ratio(o.rss, o.allocatorResident));
        count(r, "rss-overhead.bytes", o.rss - o.allocatorResident);
        decimal(r, "fragmentation", ratio(o.rss, o.total));
        count(r, "fragmentation.bytes", o.rss - o.total);
    }

    /** One STATS field with an integer value. */
    private static void count(Reply r, String name, long v) {
        r.bulk(name);
        r.integer(v);
    }

    /** One STATS field with a double value. */
    private static void decimal(Reply r, String name, double v) {
        r.bulk(name);
        r.doubleValue(v);
    }

    /** Redis keeps these ratios in floats and replies them as doubles (hence 1.0855448246002197). */
    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (float) ((double) a / b);
    }

    private void doctor(Session s, CommandArgs a) {
        Overhead o = new Overhead();
        StringBuilder report = new StringBuilder();
        if (o.total < 5L << 20) {
            s.reply().verbatim(EMPTY);
            return;
        }
        if ((float) o.peak / o.total > 1.5) {
            report.append(BIG_PEAK);
        }
        if (ratio(o.rss, o.total) > 1.4 && o.rss - o.total > 10L << 20) {
            report.append(HIGH_FRAG);
        }
        if (ratio(o.allocatorActive, o.total) > 1.1 && o.allocatorActive - o.total > 10L << 20) {
            report.append(HIGH_ALLOC_FRAG);
        }
        if (ratio(o.allocatorResident, o.allocatorActive) > 1.1 && o.allocatorResident - o.allocatorActive > 10L << 20) {
            report.append(HIGH_ALLOC_RSS);
        }
        if (ratio(o.rss, o.allocatorResident) > 1.1 && o.rss - o.allocatorResident > 10L << 20) {
            report.append(HIGH_PROC_RSS);
        }
        int clients = Math.max(1, server.clients.size());
        if (o.clientsNormal / clients > 200 * 1024) {
            report.append(BIG_CLIENT_BUF);
        }
        if (report.length() == 0) {
            s.reply().verbatim(NO_ISSUES);
        } else {
            s.reply().verbatim(ISSUES + report + SAFE);
        }
    }

    private void mallocStats(Session s, CommandArgs a) {
        s.reply().bulk("Stats not supported for the current allocator");
    }

    private void purge(Session s, CommandArgs a) {
        Arena arena = server.keyspace.arena();
        arena.releaseFreeChunks(Integer.MAX_VALUE);
        s.reply().ok();
    }

    private void help(Session s, CommandArgs a) {
        s.reply().simpleLines(new String[] {
            "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "DOCTOR",
            "    Return memory problems reports.",
            "MALLOC-STATS",
            "    Return internal statistics report from the memory allocator.",
            "PURGE",
            "    Attempt to purge dirty pages for reclamation by the allocator.",
            "STATS",
            "    Return information about the memory usage of the server.",
            "USAGE <key> [SAMPLES <count>]",
            "    Return memory in bytes used by <key> and its value. Nested values are",
            "    sampled up to <count> times (default: 5, 0 means sample all).",
            "HELP",
            "    Prints this help."});
    }

    // Redis 7.0's texts (object.c, getMemoryDoctorReport), byte for byte.
    private static final String EMPTY = "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n";
    private static final String NO_ISSUES = "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
    private static final String ISSUES = "Sam, I detected a few issues in this Redis instance memory implants:\n\n";
    private static final String SAFE = "I'm here to keep you safe, Sam. I want to help you.\n";
    private static final String BIG_PEAK = " * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n";
    private static final String HIGH_FRAG = " * High total RSS: This instance has a memory fragmentation and RSS overhead greater than 1.4 (this means that the Resident Set Size of the Redis process is much larger than the sum of the logical allocations Redis performed). This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. If the problem is a large peak memory, then there is no issue. Otherwise, make sure you are using the Jemalloc allocator and not the default libc malloc. Note: The currently used allocator is \"cowkv-arena\".\n\n";
    private static final String HIGH_ALLOC_FRAG = " * High allocator fragmentation: This instance has an allocator external fragmentation greater than 1.1. This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. You can try enabling 'activedefrag' config option.\n\n";
    private static final String HIGH_ALLOC_RSS = " * High allocator RSS overhead: This instance has an RSS memory overhead is greater than 1.1 (this means that the Resident Set Size of the allocator is much larger than the sum what the allocator actually holds). This problem is usually due to a large peak memory (check if there is a peak memory entry above in the report), you can try the MEMORY PURGE command to reclaim it.\n\n";
    private static final String HIGH_PROC_RSS = " * High process RSS overhead: This instance has non-allocator RSS memory overhead is greater than 1.1 (this means that the Resident Set Size of the Redis process is much larger than the RSS the allocator holds). This problem may be due to Lua scripts or Modules.\n\n";
    private static final String BIG_CLIENT_BUF = " * Big client buffers: The clients output buffers in this instance are greater than 200K per client (on average). This may result from different causes, like Pub/Sub clients subscribed to channels bot not receiving data fast enough, so that data piles on the Redis instance output buffer, or clients sending commands with large replies or very large sequences of commands in the same pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes problems in your instance, or to understand better why certain clients are using a big amount of memory.\n\n";
}
