package io.cowkv.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.IntToLongFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * CowKV's Micrometer meters (names and meanings in {@code docs/metrics.md}). Every meter reads a
 * number INFO also shows, at scrape time; nothing is recorded per command, so the dispatcher pays
 * nothing for metrics.
 *
 * <p>Inputs are functions that bootstrap wires to the server's own counters (this package cannot
 * see the command layer). They come in two kinds, by thread:
 * <ul>
 *   <li><b>Plain counters</b> (calls and time per command, total commands, net bytes, expired
 *   keys, hits/misses, connections received/rejected): {@code long} fields that only the keyspace
 *   thread writes. Meters read them racily on the scrape thread. A stale read is harmless (the
 *   next scrape sees more), and a 64-bit JVM never tears an aligned {@code long}. The functions
 *   given here must only read fields, never walk a structure.</li>
 *   <li><b>Sampled values</b> (keys per database, clients, memory, arena frames, snapshot numbers,
 *   errors per type): anything that needs the keyspace's structures. {@link #sample()} reads them
 *   on the keyspace thread (the server cron) and publishes an immutable {@link Sample} through a
 *   volatile field; the meters read the latest sample, at most one cron period old, and a
 *   scrape run through {@link #consistently} reads one sample for all of them.</li>
 * </ul>
 *
 * <p>Meters whose label values are only known at run time (one per command that has been called,
 * one per error type that has happened) are registered by {@link #refresh()}, which the scrape
 * calls first: commands never called are left out, as in INFO commandstats.
 */
public final class CowKvMetrics implements MeterBinder {
    private final ServerStats stats;
    private final LongSupplier expiredKeys;
    private final LongSupplier keyspaceHits;
    private final LongSupplier keyspaceMisses;
    private final LongSupplier connectionsReceived;
    private final LongSupplier connectionsRejected;
    private final IntSupplier connectedClients;
    private final int databases;
    private final IntToLongFunction dbKeys;
    private final IntToLongFunction dbExpires;
    private final LongSupplier usedMemory;
    private final LongSupplier maxMemory;
    private final LongSupplier rss;
    private final DoubleSupplier framesUsed;
    private final DoubleSupplier framesFree;
    private final Supplier<PersistenceReport.Numbers> persistence;
    private final List<CommandSource<?>> commands;

    /** The latest values read on the keyspace thread; replaced whole by {@link #sample()}. */
    private volatile Sample sample;
    /**
     * The sample that a read in {@link #consistently} on this thread shows: one scrape renders one
     * sample, even when the keyspace thread publishes the next one halfway through it (before,
     * a scrape could show the keys of one sample next to the dirty counter of the one before).
     */
    private final ThreadLocal<Sample> pinned = new ThreadLocal<>();
    /** Registries bound so far and the run-time label values already registered in them. */
    private final Map<MeterRegistry, Set<String>> registries = new java.util.LinkedHashMap<>();

    private CowKvMetrics(Builder b) {
        this.stats = b.stats;
        this.expiredKeys = b.expiredKeys;
        this.keyspaceHits = b.keyspaceHits;
        this.keyspaceMisses = b.keyspaceMisses;
        this.connectionsReceived = b.connectionsReceived;
        this.connectionsRejected = b.connectionsRejected;
        this.connectedClients = b.connectedClients;
        this.databases = b.databases;
        this.dbKeys = b.dbKeys;
        this.dbExpires = b.dbExpires;
        this.usedMemory = b.usedMemory;
        this.maxMemory = b.maxMemory;
        this.rss = b.rss;
        this.framesUsed = b.framesUsed;
        this.framesFree = b.framesFree;
        this.persistence = b.persistence;
        this.commands = List.copyOf(b.commands);
        this.sample = Sample.empty(databases);
    }

    /** Starts a builder over the server-wide counters; every other input has a neutral default. */
    public static Builder builder(ServerStats stats) {
        return new Builder(stats);
    }

    /**
     * Reads the sampled values and publishes them for the meters. Keyspace thread only (the
     * server cron calls it every tick); cheap: a few fields per database plus the persistence
     * numbers and a copy of the error table.
     */
    public void sample() {
        long[] keys = new long[databases];
        long[] expires = new long[databases];
        long total = 0;
        for (int i = 0; i < databases; i++) {
            keys[i] = dbKeys.applyAsLong(i);
            expires[i] = dbExpires.applyAsLong(i);
            total += keys[i];
        }
        Map<String, Long> errors = new TreeMap<>();
        for (Map.Entry<String, long[]> e : stats.errorsByType().entrySet()) {
            errors.put(e.getKey(), e.getValue()[0]);
        }
        sample = new Sample(connectedClients.getAsInt(), total, keys, expires, usedMemory.getAsLong(),
                maxMemory.getAsLong(), framesUsed.getAsDouble(), framesFree.getAsDouble(), persistence.get(),
                Map.copyOf(errors));
    }

    /**
     * Runs {@code read} (a scrape of a registry these meters are bound to) with every sampled meter
     * showing the same sample: the latest one when it starts. Any thread; plain counters are still
     * read live.
     */
    public <T> T consistently(Supplier<T> read) {
        if (pinned.get() != null) {
            return read.get();
        }
        pinned.set(sample);
        try {
            return read.get();
        } finally {
            pinned.remove();
        }
    }

    /** The sample sampled meters show on this thread: the pinned one during {@link #consistently}, else the latest. */
    private Sample current() {
        Sample p = pinned.get();
        return p != null ? p : sample;
    }

    /** The latest published sample (for tests and diagnostics). */
    public Sample lastSample() {
        return sample;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        registries.put(registry, new HashSet<>());
        // server-wide counters: plain longs read racily
        counter(registry, "cowkv.commands.processed", "Commands processed (INFO total_commands_processed)", null,
                stats, s -> s.totalCommandsProcessed);
        counter(registry, "cowkv.net.input", "Bytes read from clients (INFO total_net_input_bytes)", "bytes",
                stats, s -> s.totalNetInputBytes);
        counter(registry, "cowkv.net.output", "Bytes written to clients (INFO total_net_output_bytes)", "bytes",
                stats, s -> s.totalNetOutputBytes);
        counter(registry, "cowkv.expired.keys", "Keys deleted because their TTL passed (INFO expired_keys)", null,
                this, m -> m.expiredKeys.getAsLong());
        counter(registry, "cowkv.keyspace.hits", "Successful key look-ups (INFO keyspace_hits)", null,
                this, m -> m.keyspaceHits.getAsLong());
        counter(registry, "cowkv.keyspace.misses", "Failed key look-ups (INFO keyspace_misses)", null,
                this, m -> m.keyspaceMisses.getAsLong());
        counter(registry, "cowkv.connections.received", "Connections accepted (INFO total_connections_received)",
                null, this, m -> m.connectionsReceived.getAsLong());
        counter(registry, "cowkv.connections.rejected", "Connections refused by maxclients (INFO rejected_connections)",
                null, this, m -> m.connectionsRejected.getAsLong());
        gauge(registry, "cowkv.memory.rss", "Resident set size of the process (INFO used_memory_rss)", "bytes",
                m -> m.rss.getAsLong());

        // sampled on the keyspace thread
        gauge(registry, "cowkv.connected.clients", "Client connections open now (INFO connected_clients)", null,
                m -> m.current().connectedClients);
        gauge(registry, "cowkv.keys", "Keys in all databases (sum of INFO keyspace keys=)", null,
                m -> m.current().keys);
        for (int i = 0; i < databases; i++) {
            int db = i;
            Gauge.builder("cowkv.db.keys", this, m -> m.current().dbKeys[db]).strongReference(true)
                    .description("Keys in one database (INFO keyspace dbN:keys=)").tag("db", Integer.toString(db))
                    .register(registry);
            Gauge.builder("cowkv.db.expires", this, m -> m.current().dbExpires[db]).strongReference(true)
                    .description("Keys with a TTL in one database (INFO keyspace dbN:expires=)")
                    .tag("db", Integer.toString(db)).register(registry);
        }
        gauge(registry, "cowkv.memory.used", "Bytes the data set occupies (INFO used_memory)", "bytes",
                m -> m.current().usedMemory);
        gauge(registry, "cowkv.memory.max", "Configured memory limit, 0 = none (INFO maxmemory)", "bytes",
                m -> m.current().maxMemory);
        gauge(registry, "cowkv.arena.frames.used", "Arena page frames in use (NaN until the arena backs the keyspace)",
                null, m -> m.current().framesUsed);
        gauge(registry, "cowkv.arena.frames.free", "Arena page frames in the free pool (NaN until the arena backs the keyspace)",
                null, m -> m.current().framesFree);

        // snapshots (INFO persistence / stats)
        gauge(registry, "cowkv.loading", "1 while a dump is being loaded (INFO loading)", null,
                m -> m.current().persistence.loading());
        counter(registry, "cowkv.snapshots", "Snapshots saved successfully (INFO rdb_saves)", null,
                this, m -> m.current().persistence.rdbSaves());
        gauge(registry, "cowkv.snapshot.in.progress", "1 while a background save runs (INFO rdb_bgsave_in_progress)",
                null, m -> m.current().persistence.bgsaveInProgress());
        gauge(registry, "cowkv.snapshot.last.status", "1 if the last background save succeeded, 0 if it failed (INFO rdb_last_bgsave_status)",
                null, m -> m.current().persistence.lastBgsaveOk() ? 1 : 0);
        gauge(registry, "cowkv.snapshot.last.duration", "Duration of the last background save, -1 if none (INFO rdb_last_bgsave_time_sec)",
                "seconds", m -> m.current().persistence.lastBgsaveTimeSec());
        gauge(registry, "cowkv.snapshot.current.duration", "Duration so far of the running background save, -1 if none (INFO rdb_current_bgsave_time_sec)",
                "seconds", m -> m.current().persistence.currentBgsaveTimeSec());
        gauge(registry, "cowkv.snapshot.copied", "Page bytes copied so far by writes during the running save (INFO current_cow_size)",
                "bytes", m -> m.current().persistence.currentCowSize());
        gauge(registry, "cowkv.snapshot.last.copied", "Page bytes copied by writes during the last save (INFO rdb_last_cow_size)",
                "bytes", m -> m.current().persistence.rdbLastCowSize());
        gauge(registry, "cowkv.snapshot.held", "Memory held now for the running save: frames copied or unmapped and not yet reclaimed (INFO cowkv_current_cow_held)",
                "bytes", m -> m.current().persistence.currentCowHeld());
        gauge(registry, "cowkv.snapshot.last.held.peak", "Most memory held at once for the last save (INFO cowkv_rdb_last_cow_peak_held)",
                "bytes", m -> m.current().persistence.lastCowPeakHeld());
        gauge(registry, "cowkv.snapshot.last.adopted.pages", "Pages the last save let writes take over without a copy (INFO cowkv_rdb_last_pages_adopted)",
                null, m -> m.current().persistence.lastPagesAdopted());
        gauge(registry, "cowkv.snapshot.last.writer.serialized.pages", "Pages the keyspace thread serialized itself during the last save instead of copying them (INFO cowkv_rdb_last_writer_serialized_pages)",
                null, m -> m.current().persistence.lastWriterSerializedPages());
        gauge(registry, "cowkv.snapshot.last.writer.serialized", "RDB bytes the keyspace thread encoded during the last save (INFO cowkv_rdb_last_writer_serialized_bytes)",
                "bytes", m -> m.current().persistence.lastWriterSerializedBytes());
        gauge(registry, "cowkv.snapshot.last.writer.queue.peak", "Most bytes serialized by the keyspace thread that waited at once for the snapshot thread in the last save (INFO cowkv_rdb_last_writer_queue_peak)",
                "bytes", m -> m.current().persistence.lastWriterQueuePeak());
        gauge(registry, "cowkv.snapshot.last.writer.queue.full.pages", "Pages the keyspace thread copied in the last save because every block was waiting for the snapshot thread (INFO cowkv_rdb_last_writer_queue_full_pages)",
                null, m -> m.current().persistence.lastWriterQueueFullPages());
        gauge(registry, "cowkv.snapshot.keys.processed", "Keys written so far by the running save (INFO current_save_keys_processed)",
                null, m -> m.current().persistence.currentSaveKeysProcessed());
        gauge(registry, "cowkv.snapshot.keys.frozen", "Keys in the frozen view the running save writes (INFO current_save_keys_total)",
                null, m -> m.current().persistence.currentSaveKeysTotal());
        gauge(registry, "cowkv.snapshot.last.success.timestamp", "Unix time of the last successful save (INFO rdb_last_save_time)",
                "seconds", m -> m.current().persistence.lastSaveTime());
        gauge(registry, "cowkv.changes.since.last.save", "Writes since the last successful save (INFO rdb_changes_since_last_save)",
                null, m -> m.current().persistence.changesSinceLastSave());
        gauge(registry, "cowkv.snapshot.last.freeze", "Time the last freeze held the keyspace thread (INFO latest_fork_usec)",
                "seconds", m -> m.current().persistence.latestForkUsec() / 1e6);
        counter(registry, "cowkv.snapshot.freezes", "Freezes taken (INFO total_forks)", null,
                this, m -> m.current().persistence.totalForks());

        refresh(registry, registries.get(registry));
    }

    /**
     * Registers the meters of commands called and error types seen since the last refresh, in
     * every bound registry. Any thread; the scrape calls it first. Reads only plain counters and
     * the published sample.
     */
    public synchronized void refresh() {
        for (Map.Entry<MeterRegistry, Set<String>> r : registries.entrySet()) {
            refresh(r.getKey(), r.getValue());
        }
    }

    private void refresh(MeterRegistry registry, Set<String> errorTypes) {
        for (CommandSource<?> c : commands) {
            if (!c.registered.contains(registry) && c.active()) {
                c.register(registry);
            }
        }
        for (String type : current().errors.keySet()) {
            if (errorTypes.add(type)) {
                FunctionCounter.builder("cowkv.errors", this, m -> m.current().errors.getOrDefault(type, 0L))
                        .tag("type", type).description("Error replies by error type (INFO errorstat_<type>:count)")
                        .register(registry);
            }
        }
    }

    private static <T> FunctionCounter counter(MeterRegistry r, String name, String help, String unit, T state,
                                               ToDoubleFunction<T> f) {
        return FunctionCounter.builder(name, state, f).description(help).baseUnit(unit).register(r);
    }

    private void gauge(MeterRegistry r, String name, String help, String unit, ToDoubleFunction<CowKvMetrics> f) {
        Gauge.builder(name, this, f).strongReference(true).description(help).baseUnit(unit).register(r);
    }

    /** One command's counters, named {@code name} in the {@code cmd} tag. */
    private static final class CommandSource<T> {
        final T spec;
        final String name;
        final ToLongFunction<T> calls;
        final ToLongFunction<T> usec;
        final ToLongFunction<T> rejected;
        final ToLongFunction<T> failed;
        final Set<MeterRegistry> registered = new HashSet<>();

        CommandSource(T spec, String name, ToLongFunction<T> calls, ToLongFunction<T> usec,
                      ToLongFunction<T> rejected, ToLongFunction<T> failed) {
            this.spec = spec;
            this.name = name;
            this.calls = calls;
            this.usec = usec;
            this.rejected = rejected;
            this.failed = failed;
        }

        boolean active() {
            return calls.applyAsLong(spec) != 0 || rejected.applyAsLong(spec) != 0 || failed.applyAsLong(spec) != 0;
        }

        void register(MeterRegistry r) {
            // the spec is held strongly by this source (and by the command table), so the
            // function counters' weak reference to it never clears while the server runs
            FunctionCounter.builder("cowkv.commands", spec, s -> calls.applyAsLong(s)).tag("cmd", name)
                    .description("Calls of a command (INFO cmdstat_<cmd>:calls)").register(r);
            FunctionCounter.builder("cowkv.commands.duration", spec, s -> usec.applyAsLong(s) / 1e6).tag("cmd", name)
                    .baseUnit("seconds").description("Time spent running a command (INFO cmdstat_<cmd>:usec)").register(r);
            FunctionCounter.builder("cowkv.commands.rejected", spec, s -> rejected.applyAsLong(s)).tag("cmd", name)
                    .description("Calls refused before running: arity, OOM, MISCONF (INFO cmdstat_<cmd>:rejected_calls)")
                    .register(r);
            FunctionCounter.builder("cowkv.commands.failed", spec, s -> failed.applyAsLong(s)).tag("cmd", name)
                    .description("Calls that ran and replied with an error (INFO cmdstat_<cmd>:failed_calls)").register(r);
            registered.add(r);
        }
    }

    /**
     * Values read on the keyspace thread at one cron tick. Immutable once published (the arrays
     * are never written after construction).
     */
    public static final class Sample {
        public final double connectedClients;
        public final double keys;
        private final long[] dbKeys;
        private final long[] dbExpires;
        public final double usedMemory;
        public final double maxMemory;
        public final double framesUsed;
        public final double framesFree;
        public final PersistenceReport.Numbers persistence;
        public final Map<String, Long> errors;

        Sample(double connectedClients, double keys, long[] dbKeys, long[] dbExpires, double usedMemory,
               double maxMemory, double framesUsed, double framesFree, PersistenceReport.Numbers persistence,
               Map<String, Long> errors) {
            this.connectedClients = connectedClients;
            this.keys = keys;
            this.dbKeys = dbKeys;
            this.dbExpires = dbExpires;
            this.usedMemory = usedMemory;
            this.maxMemory = maxMemory;
            this.framesUsed = framesUsed;
            this.framesFree = framesFree;
            this.persistence = persistence;
            this.errors = errors;
        }

        static Sample empty(int databases) {
            return new Sample(0, 0, new long[databases], new long[databases], 0, 0, Double.NaN, Double.NaN,
                    new PersistenceReport.Numbers(0, 0, 0, true, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0), Map.of());
        }

        public long dbKeys(int db) {
            return dbKeys[db];
        }

        public long dbExpires(int db) {
            return dbExpires[db];
        }
    }

    /**
     * The inputs, each with a neutral default (0, or NaN for arena frames), so a test or a
     * partial wiring can leave any of them out.
     */
    public static final class Builder {
        private final ServerStats stats;
        private LongSupplier expiredKeys = () -> 0;
        private LongSupplier keyspaceHits = () -> 0;
        private LongSupplier keyspaceMisses = () -> 0;
        private LongSupplier connectionsReceived = () -> 0;
        private LongSupplier connectionsRejected = () -> 0;
        private IntSupplier connectedClients = () -> 0;
        private int databases;
        private IntToLongFunction dbKeys = db -> 0;
        private IntToLongFunction dbExpires = db -> 0;
        private LongSupplier usedMemory = () -> 0;
        private LongSupplier maxMemory = () -> 0;
        private LongSupplier rss = ProcessMemory::rss;
        private DoubleSupplier framesUsed = () -> Double.NaN;
        private DoubleSupplier framesFree = () -> Double.NaN;
        private Supplier<PersistenceReport.Numbers> persistence = () -> Sample.empty(0).persistence;
        private final List<CommandSource<?>> commands = new ArrayList<>();

        private Builder(ServerStats stats) {
            this.stats = Objects.requireNonNull(stats);
        }

        /** Plain counters (read racily at scrape time): expired keys, keyspace hits and misses. */
        public Builder keyspaceCounters(LongSupplier expired, LongSupplier hits, LongSupplier misses) {
            this.expiredKeys = expired;
            this.keyspaceHits = hits;
            this.keyspaceMisses = misses;
            return this;
        }

        /** {@code connected} is sampled; {@code received} and {@code rejected} are plain counters. */
        public Builder connections(IntSupplier connected, LongSupplier received, LongSupplier rejected) {
            this.connectedClients = connected;
            this.connectionsReceived = received;
            this.connectionsRejected = rejected;
            return this;
        }

        /** Keys and keys with a TTL per database index; sampled. */
        public Builder databases(int count, IntToLongFunction keys, IntToLongFunction expires) {
            this.databases = count;
            this.dbKeys = keys;
            this.dbExpires = expires;
            return this;
        }

        /** used_memory and maxmemory; sampled. */
        public Builder memory(LongSupplier used, LongSupplier max) {
            this.usedMemory = used;
            this.maxMemory = max;
            return this;
        }

        /** RSS, read on the scrape thread (default: {@link ProcessMemory#rss()}); must be thread-safe. */
        public Builder rss(LongSupplier rss) {
            this.rss = rss;
            return this;
        }

        /** Arena frames in use and in the free pool; sampled. NaN means "no arena". */
        public Builder frames(DoubleSupplier used, DoubleSupplier free) {
            this.framesUsed = used;
            this.framesFree = free;
            return this;
        }

        /** Snapshot numbers; sampled. */
        public Builder persistence(PersistenceReport report) {
            this.persistence = report::numbers;
            return this;
        }

        /**
         * The command table. {@code calls}/{@code usec}/{@code rejected}/{@code failed} must only read
         * plain counter fields of a row: they run on the scrape thread.
         */
        public <T> Builder commands(Collection<T> rows, Function<T, String> name, ToLongFunction<T> calls,
                                    ToLongFunction<T> usec, ToLongFunction<T> rejected, ToLongFunction<T> failed) {
            for (T row : rows) {
                commands.add(new CommandSource<>(row, name.apply(row), calls, usec, rejected, failed));
            }
            return this;
        }

        public CowKvMetrics build() {
            return new CowKvMetrics(this);
        }
    }
}
