package io.cowkv.server.bootstrap;

import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.Dispatcher;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.connection.ClientCommand;
import io.cowkv.server.command.connection.ConnectionCommands;
import io.cowkv.server.command.keys.KeyCommands;
import io.cowkv.server.command.server.CommandCommand;
import io.cowkv.server.command.server.ConfigCommand;
import io.cowkv.server.command.server.CowkvVersion;
import io.cowkv.server.command.server.InfoSections;
import io.cowkv.server.command.server.ServerCommands;
import io.cowkv.server.command.string.StringCommands;
import io.cowkv.server.config.ServerConfig;
import io.cowkv.server.keyspace.Clock;
import io.cowkv.server.keyspace.Keyspace;
import io.cowkv.server.metrics.MemoryReport;
import io.cowkv.server.metrics.ProcessMemory;
import io.cowkv.server.net.RespServer;
import io.cowkv.server.protocol.Errors;
import io.cowkv.server.snapshot.DumpLoader;
import io.cowkv.server.snapshot.PersistenceState;
import io.cowkv.server.snapshot.SnapshotCoordinator;
import io.cowkv.server.snapshot.SnapshotLog;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import io.cowkv.server.metrics.LatencyMonitor;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wires the server together and owns its lifecycle: start (bind, cron), SHUTDOWN and signals.
 * The only class that knows every layer.
 */
public final class CowKvServer {
    private final ServerConfig config;
    private final Keyspace keyspace;
    private final ServerContext context;
    private final Dispatcher dispatcher;
    private final RespServer net;
    private final Throughput throughput;
    private final ArenaMemoryReport memory;
    /** Micrometer meters and the scrape endpoint; null when metrics-port is 0. */
    private final MetricsWiring metrics;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final SnapshotCoordinator snapshots;

    public CowKvServer(ServerConfig config) {
        this.config = config;
        this.keyspace = new Keyspace(config.databases(), Clock.SYSTEM,
                io.cowkv.server.memory.ArenaConfig.defaults().withPageSize(config.arenaPageSize()));
        CommandRegistry registry = new CommandRegistry();
        this.context = new ServerContext(keyspace, config, registry, CowkvVersion.REDIS_COMPATIBLE);
        new ConnectionCommands(context).register(registry);
        new ClientCommand(context).register(registry);
        new ServerCommands(context).afterFlushAll(this::afterFlushAll).register(registry);
        new ConfigCommand(context).register(registry);
        new CommandCommand(context).register(registry);
        new StringCommands(context).register(registry);
        new io.cowkv.server.command.string.LcsCommand(context).register(registry);
        new KeyCommands(context).register(registry);
        new io.cowkv.server.command.keys.ExpireCommands(context).register(registry);
        new io.cowkv.server.command.keys.ObjectCommand(context).register(registry);
        new io.cowkv.server.command.server.LatencyCommand(context).register(registry);
        new io.cowkv.server.command.server.SlowlogCommand(context).register(registry);
        this.dispatcher = new Dispatcher(context);
        dispatcher.internalErrors(ServerLog::warning);
        ArenaMemoryReport memory = new ArenaMemoryReport(config, keyspace);
        this.memory = memory;
        dispatcher.writeGuard((spec, session) -> {
            long max = config.maxmemory();
            if (max > 0 && spec.is("denyoom") && memory.usedMemory() > max) {
                return Errors.OOM;
            }
            if ((spec.is("write") || spec.name.equals("ping")) && writesRefused()) {
                return Errors.MISCONF;
            }
            return null;
        });
        this.snapshots = new SnapshotCoordinator(config, keyspace::freeze, context.stats, System::currentTimeMillis,
                this::onKeyspaceThread, SnapshotCoordinator.snapshotThread(),
                SnapshotLog.of(ServerLog::notice, ServerLog::warning), CowkvVersion.REDIS_COMPATIBLE, memory::usedMemory);
        snapshots.onFork(usec -> context.latency.fork(usec, memory.usedMemory()));
        new io.cowkv.server.command.server.MemoryCommand(context, memory).register(registry);
        new io.cowkv.server.command.server.PersistenceCommands(context, snapshots).register(registry);
        new io.cowkv.server.command.server.DebugCommand(context, snapshots, ServerLog::warning).register(registry);
        PersistenceState persistence = new PersistenceState(snapshots);
        this.throughput = new Throughput(context);
        context.info(new InfoSections(context, memory, persistence, throughput));
        context.lifecycle(this::shutdownCommand);
        io.cowkv.server.net.Transport transport = io.cowkv.server.net.Transport.select(config.ioTransport());
        context.multiplexingApi = transport.configName();
        this.net = new RespServer(context, dispatcher, transport);
        // arena frames (used, free), sampled on the keyspace thread by the cron
        this.metrics = config.metricsPort() == 0 ? null
                : new MetricsWiring(context, memory, persistence,
                        () -> keyspace.arena().framesInUse(), () -> keyspace.arena().freeFrames());
    }

    public ServerContext context() {
        return context;
    }

    public void start() throws Exception {
        ServerLog.configure(config.loglevel(), config.logfile());
        ServerLog.notice("oO0OoO0OoO0Oo CowKV is starting oO0OoO0OoO0Oo");
        ServerLog.notice("CowKV version=" + CowkvVersion.VERSION + ", redis-compatible=" + CowkvVersion.REDIS_COMPATIBLE
                + ", bits=64, pid=" + ProcessHandle.current().pid() + ", java=" + System.getProperty("java.version")
                + ", just started");
        ServerLog.notice("Configuration loaded");
        try {
            snapshots.loadDump((file, now) -> DumpLoader.load(file, keyspace, now));
        } catch (DumpLoader.LoadException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        // Load and link the freeze path's classes now, so the first BGSAVE's latest_fork_usec
        // measures the freeze itself rather than one-time class loading (~1.5 ms cold).
        keyspace.freeze().close();
        // Map the arena's first chunk, which loads Chronicle Bytes (~10 ms) off the event loop.
        keyspace.arena().prepare();
        // ... and the classes the first BGSAVE runs on the event loop (the save's own classes and
        // the RDB record encoder), which it would otherwise load there; the snapshot thread's
        // (RDB writer, LZF) load on that thread and do not stall clients.
        int preloaded = io.cowkv.server.util.ClassPreloader.preload(
                java.util.List.of(CowKvServer.class, io.cowkv.rdb.RdbWriter.class),
                "io.cowkv.server.snapshot.", "io.cowkv.server.keyspace.", "io.cowkv.rdb.RdbRecordEncoder",
                "io.cowkv.rdb.RdbConstants", "io.cowkv.rdb.encoding.RedisNumbers");
        ServerLog.verbose("Preloaded " + preloaded + " classes");
        if (config.primeSavePath()) {
            primeSavePath();
        }
        if (config.jitSchedIdle()) {
            // after the start-up exercise, whose compilations have the machine to themselves
            JitThreadPolicy.Result jit = JitThreadPolicy.applyToThisProcess();
            if (jit.failures().isEmpty()) {
                ServerLog.notice(jit.toString());
            } else {
                ServerLog.warning(jit + " (jit-sched-idle; the server runs without it)");
            }
        }
        if (metrics != null) {
            // Before the RESP port opens, so a client that can connect can also scrape.
            net.loop().next().submit(metrics::sample).await(5, TimeUnit.SECONDS);
            metrics.start();
        }
        net.start();
        ServerLog.notice("Running mode=standalone, port=" + net.boundPort() + ", transport=" + net.transport() + ".");
        Runtime.getRuntime().addShutdownHook(new Thread(this::onSignal, "cowkv-shutdown"));
        installSignalHandlers();
        long period = Math.max(1, 1000 / config.hz());
        net.loop().next().scheduleAtFixedRate(this::cron, period, period, TimeUnit.MILLISECONDS);
        ServerLog.notice("Server initialized");
        ServerLog.notice("Ready to accept connections tcp");
    }

    /**
     * Runs the save path on a scratch keyspace so that the JIT compiles the write barrier's branches
     * before the first BGSAVE (snapshot.SavePathPrimer). An optimisation only: a failure is logged
     * and the server starts anyway.
     */
    private void primeSavePath() {
        try {
            ServerLog.notice("Save path primed: " + io.cowkv.server.snapshot.SavePathPrimer.run(snapshots, config));
        } catch (IOException | RuntimeException e) {
            ServerLog.warning("Could not prime the save path (the first BGSAVE may be slower): " + e);
        }
    }

    public int port() {
        return net.boundPort();
    }

    private void afterFlushAll() {
        snapshots.flushedAll();
    }

    private boolean writesRefused() {
        return snapshots.writesRefused();
    }

    private void onKeyspaceThread(Runnable task) {
        net.loop().execute(task);
    }

    /** serverCron: active expiry and rate sampling, on the keyspace thread. */
    private void cron() {
        keyspace.tickLruClock();
        long expireStart = System.nanoTime();
        keyspace.activeExpireCycle(config.hz());
        context.latency.addSampleIfNeeded(LatencyMonitor.EXPIRE_CYCLE, (System.nanoTime() - expireStart) / 1_000_000);
        keyspace.cronResize();
        throughput.sample();
        memory.sampleRss();
        snapshots.cron();
        if (metrics != null) {
            metrics.sample();
        }
    }

    /** SHUTDOWN [NOSAVE|SAVE]: runs on the keyspace thread; the stop itself happens on another thread. */
    private String shutdownCommand(Boolean save) {
        ServerLog.warning("User requested shutdown...");
        if (!snapshots.prepareShutdown(save)) {
            ServerLog.warning("Errors trying to shut down the server. Check the logs for more information.");
            return "ERR Errors trying to SHUTDOWN. Check logs.";
        }
        new Thread(() -> {
            stop();
            System.exit(0);
        }, "cowkv-stop").start();
        return null;
    }

    /**
     * SIGTERM and SIGINT as Redis handles them: the shutdown save (when save points exist), then
     * exit 0; if that save fails, the server logs it and keeps running, as Redis does (the data
     * would otherwise be lost), and a later signal tries again. A second SIGINT while the first
     * one's save runs exits at once (Redis's "You insist..."). SIGHUP is ignored, as in Redis.
     * Where the JVM does not let these signals be handled (e.g. {@code -Xrs}), the shutdown hook
     * ({@link #onSignal}) stays the fallback: it saves, but cannot refuse to exit.
     */
    private void installSignalHandlers() {
        for (String name : new String[]{"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> onShutdownSignal("SIG" + name));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                ServerLog.warning("SIG" + name + " left to the JVM (" + e.getMessage() + "): a failed shutdown save cannot keep the server up");
            }
        }
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sun.misc.SignalHandler.SIG_IGN);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // the JVM keeps its own handling
        }
    }

    /** On the JVM's signal thread: the shutdown runs on a thread of its own, as it may take long. */
    private void onShutdownSignal(String signal) {
        if (stopped.get()) {
            return;
        }
        if (!signalled.compareAndSet(false, true)) {
            if (signal.equals("SIGINT")) {
                ServerLog.warning("You insist... exiting now.");
                ServerLog.flush();
                Runtime.getRuntime().halt(1);
            }
            return;
        }
        ServerLog.warning("Received " + signal + " scheduling shutdown...");
        Thread t = new Thread(() -> {
            if (saveBeforeExit()) {
                stop();
                System.exit(0);
            } else {
                ServerLog.warning(signal + " received but errors trying to shut down the server, check the logs for more information");
                signalled.set(false);
            }
        }, "cowkv-signal-shutdown");
        t.setDaemon(false);
        t.start();
    }

    /** The shutdown hook: the JVM is exiting for another reason (or a signal it kept); saves, then stops. */
    private void onSignal() {
        if (stopped.get() || !signalled.compareAndSet(false, true)) {
            return;
        }
        ServerLog.warning("Received SIGTERM scheduling shutdown...");
        if (!saveBeforeExit()) {
            ServerLog.warning("Error trying to save the DB before exiting; exiting anyway (the JVM is shutting down).");
        }
        stop();
    }

    /**
     * The SIGTERM/SIGINT save, run on the keyspace thread while the calling thread waits (bounded).
     * Returns whether the server may exit (saved, or nothing to save).
     */
    private boolean saveBeforeExit() {
        try {
            return net.loop().submit(() -> {
                ServerLog.warning("User requested shutdown...");
                return snapshots.prepareShutdown(null);
            }).get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            ServerLog.warning("Could not save the DB before exiting: " + e);
            return false;
        }
    }

    /** Closes the listeners and connections and ends the event loop; idempotent. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        if (metrics != null) {
            metrics.stop();
        }
        net.stop();
        memory.close();
        keyspace.close();
        snapshots.close();
        ServerLog.warning("CowKV is now ready to exit, bye bye...");
        ServerLog.flush();
    }

    /** INFO memory over the arena: used_memory is the bytes allocated for keys and values. */
    private static final class ArenaMemoryReport implements MemoryReport {
        private final ServerConfig config;
        private final Keyspace keyspace;
        private final io.cowkv.server.memory.Arena arena;

        /** Sampled by the cron ({@link #sampleRss}), as Redis samples process_rss in serverCron. */
        private final ProcessMemory.RssSampler rssSampler = new ProcessMemory.RssSampler();
        private volatile long rss = rssSampler.sample();
        /** Read once: it does not change while the process runs (the MXBean reads cgroup files). */
        private final long totalSystemMemory = ProcessMemory.totalSystemMemory();

        ArenaMemoryReport(ServerConfig config, Keyspace keyspace) {
            this.config = config;
            this.keyspace = keyspace;
            this.arena = keyspace.arena();
        }

        /**
         * Cron: reads the process RSS for INFO's used_memory_rss (and the fragmentation ratio), so
         * INFO memory does not read /proc on the event loop for each call (it took ~0.3 ms).
         */
        void sampleRss() {
            rss = rssSampler.sample();
        }

        void close() {
            rssSampler.close();
        }

        private static String percent(double p) {
            return String.format(java.util.Locale.ROOT, "%.2f%%", p);
        }

        private static String ratio(double r) {
            return String.format(java.util.Locale.ROOT, "%.2f", r);
        }

        @Override
        public long usedMemory() {
            return arena.usedBytes();
        }

        @Override
        public Map<String, Object> fields() {
            long used = arena.usedBytes();
            long peak = arena.peakUsedBytes();
            long rss = this.rss;
            long total = totalSystemMemory;
            long framesBytes = arena.framesInUse() * arena.pageSize();
            Runtime rt = Runtime.getRuntime();
            long heap = rt.totalMemory() - rt.freeMemory();
            // Off-heap client buffers: big arguments being received or waiting to run, and large
            // replies waiting to be sent (Redis counts its query and output buffers here).
            long clients = io.cowkv.server.protocol.CommandArgs.outstandingNativeBytes()
                    + io.cowkv.server.protocol.LargeBulk.outstandingBytes();
            // Redis's overhead: what is not the data itself. Here the bucket tables and the client
            // buffers; startup is 0 (the arena holds nothing before the first key).
            long overhead = clients;
            for (int i = 0; i < keyspace.databases(); i++) {
                overhead += keyspace.db(i).tableBytes();
            }
            long dataset = Math.max(0, used - overhead);
            long active = framesBytes;
            long resident = arena.nativeBytesReserved();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("used_memory", used);
            m.put("used_memory_human", ProcessMemory.human(used));
            m.put("used_memory_rss", rss);
            m.put("used_memory_rss_human", ProcessMemory.human(rss));
            m.put("used_memory_peak", peak);
            m.put("used_memory_peak_human", ProcessMemory.human(peak));
            m.put("used_memory_peak_perc", percent(peak == 0 ? 100.0 : 100.0 * used / peak));
            m.put("used_memory_overhead", overhead);
            m.put("used_memory_startup", 0L);
            m.put("used_memory_dataset", dataset);
            m.put("used_memory_dataset_perc", percent(used == 0 ? 0.0 : 100.0 * dataset / used));
            m.put("allocator_allocated", used);
            m.put("allocator_active", active);
            m.put("allocator_resident", resident);
            m.put("total_system_memory", total);
            m.put("total_system_memory_human", ProcessMemory.human(total));
            // no Lua, no functions: Redis's fields with a Redis without them
            for (String zero : new String[] {"used_memory_lua", "used_memory_vm_eval"}) {
                m.put(zero, 0L);
            }
            m.put("used_memory_lua_human", ProcessMemory.human(0));
            for (String zero : new String[] {"used_memory_scripts_eval", "number_of_cached_scripts", "number_of_functions",
                "number_of_libraries", "used_memory_vm_functions", "used_memory_vm_total"}) {
                m.put(zero, 0L);
            }
            m.put("used_memory_vm_total_human", ProcessMemory.human(0));
            m.put("used_memory_functions", 0L);
            m.put("used_memory_scripts", 0L);
            m.put("used_memory_scripts_human", ProcessMemory.human(0));
            m.put("maxmemory", config.maxmemory());
            m.put("maxmemory_human", ProcessMemory.human(config.maxmemory()));
            m.put("maxmemory_policy", config.maxmemoryPolicy());
            m.put("allocator_frag_ratio", ratio(used == 0 ? 1.0 : (double) active / used));
            m.put("allocator_frag_bytes", active - used);
            m.put("allocator_rss_ratio", ratio(active == 0 ? 1.0 : (double) resident / active));
            m.put("allocator_rss_bytes", resident - active);
            m.put("rss_overhead_ratio", ratio(resident == 0 ? 0.0 : (double) rss / resident));
            m.put("rss_overhead_bytes", rss - resident);
            m.put("mem_fragmentation_ratio", ratio(used == 0 ? 0.0 : (double) rss / used));
            m.put("mem_fragmentation_bytes", rss - used);
            m.put("mem_not_counted_for_evict", 0L);
            m.put("mem_replication_backlog", 0L);
            m.put("mem_total_replication_buffers", 0L);
            m.put("mem_clients_slaves", 0L);
            m.put("mem_clients_normal", clients);
            m.put("mem_cluster_links", 0L);
            m.put("mem_aof_buffer", 0L);
            m.put("mem_allocator", "cowkv-arena");
            m.put("active_defrag_running", 0L);
            m.put("lazyfree_pending_objects", 0L);
            m.put("lazyfreed_objects", 0L);
            m.put("arena_page_size", arena.pageSize());
            m.put("arena_frames_total", arena.totalFrames());
            m.put("arena_frames_in_use", arena.framesInUse());
            m.put("arena_frames_free", arena.freeFrames());
            m.put("arena_frames_held_for_snapshot", arena.framesHeldForSnapshot());
            m.put("arena_native_bytes", arena.nativeBytesReserved());
            m.put("arena_metadata_bytes", arena.metadataBytes());
            m.put("jvm_heap_used", heap);
            return m;
        }
    }

    /** instantaneous_ops_per_sec and kbps: averages over the last 16 cron samples, as Redis. */
    private static final class Throughput implements InfoSections.Throughput {
        private static final int SAMPLES = 16;
        private final ServerContext ctx;
        private final long[][] samples = new long[3][SAMPLES];
        private final long[] last = new long[3];
        private long lastTime = System.nanoTime();
        private int idx;

        Throughput(ServerContext ctx) {
            this.ctx = ctx;
        }

        void sample() {
            long now = System.nanoTime();
            long dt = Math.max(1, now - lastTime);
            long[] cur = {ctx.stats.totalCommandsProcessed, ctx.stats.totalNetInputBytes, ctx.stats.totalNetOutputBytes};
            for (int i = 0; i < 3; i++) {
                samples[i][idx] = (cur[i] - last[i]) * 1_000_000_000L / dt;
                last[i] = cur[i];
            }
            lastTime = now;
            idx = (idx + 1) % SAMPLES;
        }

        private long avg(int i) {
            long sum = 0;
            for (long v : samples[i]) {
                sum += v;
            }
            return sum / SAMPLES;
        }

        @Override
        public long opsPerSec() {
            return avg(0);
        }

        @Override
        public double inputKbps() {
            return avg(1) / 1024.0;
        }

        @Override
        public double outputKbps() {
            return avg(2) / 1024.0;
        }
    }
}
