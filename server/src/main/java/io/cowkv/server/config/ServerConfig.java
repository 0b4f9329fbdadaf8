package io.cowkv.server.config;

import io.cowkv.server.config.Param.BoolParam;
import io.cowkv.server.config.Param.ClampedIntParam;
import io.cowkv.server.config.Param.EnumParam;
import io.cowkv.server.config.Param.IntParam;
import io.cowkv.server.config.Param.MemoryParam;
import io.cowkv.server.config.Param.PercentilesParam;
import io.cowkv.server.config.Param.StringParam;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The server's configuration: every parameter CowKV knows, with Redis's names, defaults and
 * value syntax. Read from a redis.conf-style file and {@code --name value} flags at start-up
 * ({@link ConfigLoader}); read and changed by CONFIG GET/SET at run time.
 *
 * <p>Contract: mutated only on the keyspace thread (CONFIG SET) or before the server starts;
 * other threads read the volatile snapshot accessors only where noted.
 */
public final class ServerConfig {
    private final Map<String, Param> params = new LinkedHashMap<>();

    private final IntParam port = add(new IntParam("port", false, 6379, 0, 65535));
    private final StringParam bind = add(new StringParam("bind", false, "* -::*"));
    private final StringParam dir = add(new DirParam());
    private final StringParam dbfilename = add(new StringParam("dbfilename", true, "dump.rdb"));
    private final IntParam databases = add(new IntParam("databases", false, 16, 1, Integer.MAX_VALUE));
    private final IntParam maxclients = add(new IntParam("maxclients", true, 10000, 1, Integer.MAX_VALUE));
    private final MemoryParam protoMaxBulkLen =
            add(new MemoryParam("proto-max-bulk-len", true, 512L * 1024 * 1024, 1024 * 1024, Long.MAX_VALUE));
    private final MemoryParam clientQueryBufferLimit =
            add(new MemoryParam("client-query-buffer-limit", true, 1024L * 1024 * 1024, 1024 * 1024, Long.MAX_VALUE));
    private final OutputBufferLimitParam clientOutputBufferLimit = add(new OutputBufferLimitParam());
    private final IntParam timeout = add(new IntParam("timeout", true, 0, 0, Integer.MAX_VALUE));
    private final IntParam tcpKeepalive = add(new IntParam("tcp-keepalive", true, 300, 0, Integer.MAX_VALUE));
    private final IntParam tcpBacklog = add(new IntParam("tcp-backlog", false, 511, 0, Integer.MAX_VALUE));
    private final EnumParam loglevel =
            add(new EnumParam("loglevel", true, "notice", "debug", "verbose", "notice", "warning"));
    private final StringParam logfile = add(new StringParam("logfile", false, ""));
    private final SaveParam save = add(new SaveParam());
    private final BoolParam rdbcompression = add(new BoolParam("rdbcompression", true, true));
    private final BoolParam rdbchecksum = add(new BoolParam("rdbchecksum", false, true)); // immutable in Redis 7.0
    private final BoolParam stopWritesOnBgsaveError = add(new BoolParam("stop-writes-on-bgsave-error", true, true));
    private final BoolParam rdbDelSyncFiles = add(new BoolParam("rdb-del-sync-files", true, false));
    /** Sync the dump every 4 MiB while it is written (Redis's rio autosync). */
    private final BoolParam rdbSaveIncrementalFsync = add(new BoolParam("rdb-save-incremental-fsync", true, true));
    /** CowKV's own: keep the replaced dump as previous-<dbfilename> and write the next save into its blocks. */
    private final BoolParam rdbRecyclePreviousDump = add(new BoolParam("rdb-recycle-previous-dump", true, true));
    /** Redis's test knob: microseconds to sleep per key written by a save (0 = none). */
    private final IntParam rdbKeySaveDelay = add(new IntParam("rdb-key-save-delay", true, 0, Integer.MIN_VALUE, Integer.MAX_VALUE));
    private final MemoryParam maxmemory = add(new MemoryParam("maxmemory", true, 0, 0, Long.MAX_VALUE));
    private final EnumParam maxmemoryPolicy = add(new EnumParam("maxmemory-policy", true, "noeviction",
            "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
            "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"));
    // Eviction tuning Redis 7 has; accepted and shown, not used until CowKV evicts.
    private final IntParam maxmemorySamples = add(new IntParam("maxmemory-samples", true, 5, 1, Integer.MAX_VALUE));
    private final IntParam maxmemoryEvictionTenacity = add(new IntParam("maxmemory-eviction-tenacity", true, 10, 0, 100));
    private final MemoryParam maxmemoryClients = add(new MemoryParam("maxmemory-clients", true, 0, 0, Long.MAX_VALUE));
    /** Accepts 0..INT_MAX and keeps it within 1..500, as Redis (CONFIG GET shows the kept value). */
    private final ClampedIntParam hz = add(new ClampedIntParam("hz", true, 10, 0, Integer.MAX_VALUE, 1, 500));
    private final BoolParam appendonly = add(new BoolParam("appendonly", false, false));
    private final BoolParam daemonize = add(new BoolParam("daemonize", false, false));
    private final StringParam pidfile = add(new StringParam("pidfile", false, ""));
    private final BoolParam protectedMode = add(new BoolParam("protected-mode", true, true));
    private final IntParam activeExpireEffort = add(new IntParam("active-expire-effort", true, 1, 1, 10));
    private final IntParam hashMaxListpackEntries = add(new IntParam("hash-max-listpack-entries", true, 512, 0, Long.MAX_VALUE));
    private final MemoryParam hashMaxListpackValue = add(new MemoryParam("hash-max-listpack-value", true, 64, 0, Long.MAX_VALUE));
    private final IntParam setMaxIntsetEntries = add(new IntParam("set-max-intset-entries", true, 512, 0, Long.MAX_VALUE));
    private final IntParam setMaxListpackEntries = add(new IntParam("set-max-listpack-entries", true, 128, 0, Long.MAX_VALUE));
    private final IntParam zsetMaxListpackEntries = add(new IntParam("zset-max-listpack-entries", true, 128, 0, Long.MAX_VALUE));
    private final MemoryParam zsetMaxListpackValue = add(new MemoryParam("zset-max-listpack-value", true, 64, 0, Long.MAX_VALUE));
    private final IntParam listMaxListpackSize = add(new IntParam("list-max-listpack-size", true, -2, Integer.MIN_VALUE, Integer.MAX_VALUE));
    private final MemoryParam arenaPageSize = add(new MemoryParam("arena-page-size", false, 4096, 4096, 65536));
    /** Who may run DEBUG: no one ("no", the default), everyone ("yes"), loopback clients ("local"). */
    private final EnumParam enableDebugCommand =
            add(new EnumParam("enable-debug-command", false, "no", "no", "yes", "local"));
    /** CowKV's own: the network transport (net.Transport): auto (epoll, else nio), io_uring, epoll or nio. */
    private final EnumParam ioTransport = add(new EnumParam("io-transport", false, "auto", "auto", "io_uring", "epoll", "nio"));
    /** CowKV's own: run the start-up exercise of the save path (snapshot.SavePathPrimer). */
    private final BoolParam primeSavePath = add(new BoolParam("prime-save-path", false, true));
    /** CowKV's own: put the JIT compiler threads under SCHED_IDLE at start-up (bootstrap.JitThreadPolicy). */
    private final BoolParam jitSchedIdle = add(new BoolParam("jit-sched-idle", false, true));
    /** CowKV's own: microseconds of work after which the snapshot thread yields its core (0 = never). */
    private final IntParam bgsaveYieldUs = add(new IntParam("bgsave-yield-us", true, 250, 0, 1_000_000));
    private final IntParam metricsPort = add(new IntParam("metrics-port", false, 0, 0, 65535));
    private final StringParam metricsBind = add(new StringParam("metrics-bind", false, "127.0.0.1"));
    /** Per-command latency histograms (LATENCY HISTOGRAM, INFO latencystats). */
    private final BoolParam latencyTracking = add(new BoolParam("latency-tracking", true, true));
    private final PercentilesParam latencyTrackingInfoPercentiles = add(new PercentilesParam());
    /** Milliseconds from which the latency monitor records an event; 0 = off. */
    private final IntParam latencyMonitorThreshold =
            add(new IntParam("latency-monitor-threshold", true, 0, 0, Long.MAX_VALUE));

    /** Microseconds from which a command enters the slow log; negative disables it, 0 logs every command. */
    private final IntParam slowlogLogSlowerThan =
            add(new IntParam("slowlog-log-slower-than", true, 10_000, -1, Long.MAX_VALUE));
    private final IntParam slowlogMaxLen = add(new IntParam("slowlog-max-len", true, 128, 0, Long.MAX_VALUE));

    private <P extends Param> P add(P p) {
        params.put(p.name, p);
        return p;
    }

    /** All parameter names, in declaration order. */
    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(params.keySet()));
    }

    public boolean has(String name) {
        return params.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** The value as CONFIG GET shows it; null for an unknown name. */
    public String get(String name) {
        Param p = params.get(name.toLowerCase(Locale.ROOT));
        return p == null ? null : p.show();
    }

    public boolean isMutable(String name) {
        Param p = params.get(name.toLowerCase(Locale.ROOT));
        return p != null && p.mutable;
    }

    /**
     * Sets a parameter. {@code startup} allows immutable ones (config file, flags).
     *
     * @throws ConfigException with Redis's reason (unknown names are the caller's to report)
     */
    public void set(String name, String value, boolean startup) throws ConfigException {
        Param p = params.get(name.toLowerCase(Locale.ROOT));
        if (p == null) {
            throw new ConfigException("Bad directive or wrong number of arguments");
        }
        if (!startup && !p.mutable) {
            throw new ConfigException("can't set immutable config");
        }
        String before = p.show();
        p.parse(value);
        if (!before.equals(p.show())) {
            p.onChange.accept(p);
        }
    }

    /** Registers a listener run (on the keyspace thread) after CONFIG SET changes {@code name}. */
    public void onChange(String name, Runnable r) {
        Param p = params.get(name);
        Consumer<Param> prev = p.onChange;
        p.onChange = x -> {
            prev.accept(x);
            r.run();
        };
    }

    public int port() {
        return (int) port.value;
    }

    /** Addresses to listen on; Redis's default "* -::*" means all IPv4 and IPv6 interfaces. */
    public List<String> bind() {
        List<String> out = new ArrayList<>();
        for (String s : bind.value.trim().split("\\s+")) {
            if (!s.isEmpty()) {
                out.add(s.startsWith("-") ? s.substring(1) : s);
            }
        }
        return out;
    }

    public Path dir() {
        return Path.of(dir.value);
    }

    public String dbfilename() {
        return dbfilename.value;
    }

    public int databases() {
        return (int) databases.value;
    }

    public int maxclients() {
        return (int) maxclients.value;
    }

    public long protoMaxBulkLen() {
        return protoMaxBulkLen.value;
    }

    public long clientQueryBufferLimit() {
        return clientQueryBufferLimit.value;
    }

    public int timeout() {
        return (int) timeout.value;
    }

    public int tcpKeepalive() {
        return (int) tcpKeepalive.value;
    }

    public int tcpBacklog() {
        return (int) tcpBacklog.value;
    }

    public String loglevel() {
        return loglevel.value;
    }

    public String logfile() {
        return logfile.value;
    }

    /** Save points as pairs {seconds, changes}; empty when saving is disabled. */
    public List<long[]> savePoints() {
        return save.points;
    }

    public boolean rdbcompression() {
        return rdbcompression.value;
    }

    public boolean rdbchecksum() {
        return rdbchecksum.value;
    }

    public boolean stopWritesOnBgsaveError() {
        return stopWritesOnBgsaveError.value;
    }

    public long rdbKeySaveDelay() {
        return rdbKeySaveDelay.value;
    }

    public long maxmemory() {
        return maxmemory.value;
    }

    /** io-transport: "auto", "io_uring", "epoll" or "nio". */
    public String ioTransport() {
        return ioTransport.value;
    }

    /** enable-debug-command: "no", "yes" or "local". */
    public String enableDebugCommand() {
        return enableDebugCommand.value;
    }

    public String maxmemoryPolicy() {
        return maxmemoryPolicy.value;
    }

    public int hz() {
        return (int) hz.value;
    }

    public boolean appendonly() {
        return appendonly.value;
    }

    public String pidfile() {
        return pidfile.value;
    }

    public int arenaPageSize() {
        return (int) arenaPageSize.value;
    }

    public boolean primeSavePath() {
        return primeSavePath.value;
    }

    public boolean rdbSaveIncrementalFsync() {
        return rdbSaveIncrementalFsync.value;
    }

    public boolean rdbRecyclePreviousDump() {
        return rdbRecyclePreviousDump.value;
    }

    public boolean jitSchedIdle() {
        return jitSchedIdle.value;
    }

    /** Microseconds of work between the snapshot thread's yields of its core; 0 = it never yields. */
    /**
     * {@code client-output-buffer-limit} of the normal class: hard limit, soft limit (bytes,
     * unsigned, 0 = none) and soft seconds. The array is replaced, never changed, by CONFIG SET.
     */
    public long[] clientOutputBufferLimitNormal() {
        return clientOutputBufferLimit.limits[OutputBufferLimitParam.NORMAL];
    }

    public long bgsaveYieldUs() {
        return bgsaveYieldUs.value;
    }

    public int metricsPort() {
        return (int) metricsPort.value;
    }

    public String metricsBind() {
        return metricsBind.value;
    }

    public int activeExpireEffort() {
        return (int) activeExpireEffort.value;
    }

    public long hashMaxListpackEntries() {
        return hashMaxListpackEntries.value;
    }

    public long hashMaxListpackValue() {
        return hashMaxListpackValue.value;
    }

    public long setMaxIntsetEntries() {
        return setMaxIntsetEntries.value;
    }

    public long setMaxListpackEntries() {
        return setMaxListpackEntries.value;
    }

    public long zsetMaxListpackEntries() {
        return zsetMaxListpackEntries.value;
    }

    public long zsetMaxListpackValue() {
        return zsetMaxListpackValue.value;
    }

    public long listMaxListpackSize() {
        return listMaxListpackSize.value;
    }

    public boolean latencyTracking() {
        return latencyTracking.value;
    }

    /** The percentiles INFO latencystats shows (a copy; may be empty). */
    public double[] latencyTrackingInfoPercentiles() {
        return latencyTrackingInfoPercentiles.values.clone();
    }

    public long latencyMonitorThreshold() {
        return latencyMonitorThreshold.value;
    }

    public long slowlogLogSlowerThan() {
        return slowlogLogSlowerThan.value;
    }

    public long slowlogMaxLen() {
        return slowlogMaxLen.value;
    }

    /** {@code save <seconds> <changes> [<seconds> <changes> ...]}; {@code save ""} disables. */
    static final class SaveParam extends Param {
        List<long[]> points = List.of(new long[]{3600, 1}, new long[]{300, 100}, new long[]{60, 10000});

        SaveParam() {
            super("save", true);
        }

        @Override
        String show() {
            StringBuilder sb = new StringBuilder();
            for (long[] p : points) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(p[0]).append(' ').append(p[1]);
            }
            return sb.toString();
        }

        @Override
        void parse(String s) throws ConfigException {
            String[] parts = s.trim().isEmpty() ? new String[0] : s.trim().split("\\s+");
            if (parts.length % 2 != 0) {
                throw new ConfigException("Invalid save parameters");
            }
            List<long[]> out = new ArrayList<>();
            for (int i = 0; i < parts.length; i += 2) {
                try {
                    long secs = Long.parseLong(parts[i]);
                    long changes = Long.parseLong(parts[i + 1]);
                    if (secs < 1 || changes < 0) {
                        throw new ConfigException("Invalid save parameters");
                    }
                    out.add(new long[]{secs, changes});
                } catch (NumberFormatException e) {
                    throw new ConfigException("Invalid save parameters");
                }
            }
            points = List.copyOf(out);
        }
    }

    /** {@code dir}: must be an existing directory (Redis chdirs into it). */
    static final class DirParam extends StringParam {
        DirParam() {
            super("dir", true, Path.of("").toAbsolutePath().toString());
        }

        @Override
        void parse(String s) {
            value = s;
        }

        void check() throws ConfigException {
            if (!Files.isDirectory(Path.of(value))) {
                throw new ConfigException("No such file or directory");
            }
        }
    }

    /** Validates cross-parameter rules and the existence of {@code dir}. */
    public void validate() throws ConfigException {
        try {
            ((DirParam) dir).check();
        } catch (ConfigException e) {
            throw new ConfigException("Can't chdir to '" + dir.value + "': No such file or directory");
        }
        dir.value = Path.of(dir.value).toAbsolutePath().normalize().toString();
        int ps = arenaPageSize();
        if (Integer.bitCount(ps) != 1) {
            throw new ConfigException("arena-page-size must be a power of two between 4096 and 65536");
        }
    }

    /** Checks and applies {@code dir} for CONFIG SET (absolute path, must exist). */
    public void setDir(String value) throws ConfigException {
        Path p = Path.of(value);
        if (!Files.isDirectory(p)) {
            throw new ConfigException("No such file or directory");
        }
        dir.value = p.toAbsolutePath().normalize().toString();
    }
}
