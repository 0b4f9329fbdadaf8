package io.cowkv.server.metrics;

import io.cowkv.server.snapshot.PersistenceState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The binder registers CowKV's meters and each reads the number it is wired to. */
class CowKvMetricsTest {
    /** A stand-in for a command table row: plain counters, as CommandSpec.CommandStats. */
    static final class Row {
        final String name;
        long calls;
        long usec;
        long rejected;
        long failed;

        Row(String name) {
            this.name = name;
        }
    }

    /** Mutable stand-ins for the server's sources. */
    final ServerStats stats = new ServerStats();
    final Row get = new Row("get");
    final Row set = new Row("set");
    final Row configGet = new Row("config|get");
    long expired;
    long hits;
    long misses;
    int clients;
    long received;
    final long[] dbKeys = new long[3];
    final long[] dbExpires = new long[3];
    long used;
    final Map<String, Object> persistenceFields = new LinkedHashMap<>();

    CowKvMetrics metrics;
    MeterRegistry registry;

    @BeforeEach
    void bind() {
        PersistenceReport persistence = new PersistenceReport() {
            @Override
            public Map<String, Object> fields() {
                return persistenceFields;
            }

            @Override
            public long latestForkUsec() {
                return 250;
            }

            @Override
            public long totalForks() {
                return 4;
            }
        };
        metrics = CowKvMetrics.builder(stats)
                .commands(List.of(get, set, configGet), r -> r.name, r -> r.calls, r -> r.usec, r -> r.rejected,
                        r -> r.failed)
                .keyspaceCounters(() -> expired, () -> hits, () -> misses)
                .connections(() -> clients, () -> received, () -> 0)
                .databases(3, db -> dbKeys[db], db -> dbExpires[db])
                .memory(() -> used, () -> 1 << 20)
                .rss(() -> 4096)
                .persistence(persistence)
                .build();
        registry = new SimpleMeterRegistry();
        metrics.bindTo(registry);
    }

    private double counter(String name, String... tags) {
        FunctionCounter c = registry.find(name).tags(tags).functionCounter();
        assertThat(c).as(name + " " + List.of(tags)).isNotNull();
        return c.count();
    }

    private double gauge(String name, String... tags) {
        Gauge g = registry.find(name).tags(tags).gauge();
        assertThat(g).as(name + " " + List.of(tags)).isNotNull();
        return g.value();
    }

    @Test
    void plainCountersAreReadAtScrapeTimeWithoutSampling() {
        stats.totalCommandsProcessed = 42;
        stats.totalNetInputBytes = 1000;
        stats.totalNetOutputBytes = 2000;
        expired = 3;
        hits = 5;
        misses = 7;
        received = 9;
        assertThat(counter("cowkv.commands.processed")).isEqualTo(42);
        assertThat(counter("cowkv.net.input")).isEqualTo(1000);
        assertThat(counter("cowkv.net.output")).isEqualTo(2000);
        assertThat(counter("cowkv.expired.keys")).isEqualTo(3);
        assertThat(counter("cowkv.keyspace.hits")).isEqualTo(5);
        assertThat(counter("cowkv.keyspace.misses")).isEqualTo(7);
        assertThat(counter("cowkv.connections.received")).isEqualTo(9);
        assertThat(counter("cowkv.connections.rejected")).isZero();
        assertThat(gauge("cowkv.memory.rss")).isEqualTo(4096);
        stats.totalCommandsProcessed++;
        assertThat(counter("cowkv.commands.processed")).isEqualTo(43);
    }

    @Test
    void commandMetersAppearOnceCalledAndReadTheStatsRow() {
        assertThat(registry.find("cowkv.commands").functionCounters()).isEmpty();
        set.calls = 3;
        set.usec = 1500;
        configGet.rejected = 1;
        metrics.refresh();
        assertThat(registry.find("cowkv.commands").functionCounters()).hasSize(2);
        assertThat(counter("cowkv.commands", "cmd", "set")).isEqualTo(3);
        assertThat(counter("cowkv.commands.duration", "cmd", "set")).isCloseTo(0.0015, within(1e-12));
        assertThat(counter("cowkv.commands.rejected", "cmd", "set")).isZero();
        assertThat(counter("cowkv.commands.failed", "cmd", "set")).isZero();
        assertThat(counter("cowkv.commands.rejected", "cmd", "config|get")).isEqualTo(1);
        assertThat(registry.find("cowkv.commands").tag("cmd", "get").functionCounter()).isNull();
        // no second bookkeeping: later calls show without another refresh
        set.calls = 10;
        set.failed = 2;
        assertThat(counter("cowkv.commands", "cmd", "set")).isEqualTo(10);
        assertThat(counter("cowkv.commands.failed", "cmd", "set")).isEqualTo(2);
        metrics.refresh(); // idempotent
        assertThat(registry.find("cowkv.commands").functionCounters()).hasSize(2);
    }

    @Test
    void sampledValuesChangeOnlyWhenTheKeyspaceThreadSamples() {
        clients = 2;
        dbKeys[0] = 10;
        dbKeys[2] = 5;
        dbExpires[2] = 1;
        used = 123_456;
        assertThat(gauge("cowkv.keys")).isZero();
        metrics.sample();
        assertThat(gauge("cowkv.connected.clients")).isEqualTo(2);
        assertThat(gauge("cowkv.keys")).isEqualTo(15);
        assertThat(gauge("cowkv.db.keys", "db", "0")).isEqualTo(10);
        assertThat(gauge("cowkv.db.keys", "db", "1")).isZero();
        assertThat(gauge("cowkv.db.keys", "db", "2")).isEqualTo(5);
        assertThat(gauge("cowkv.db.expires", "db", "2")).isEqualTo(1);
        assertThat(gauge("cowkv.memory.used")).isEqualTo(123_456);
        assertThat(gauge("cowkv.memory.max")).isEqualTo(1 << 20);
        dbKeys[0] = 11;
        assertThat(gauge("cowkv.keys")).isEqualTo(15);
        metrics.sample();
        assertThat(gauge("cowkv.keys")).isEqualTo(16);
    }

    @Test
    void aConsistentReadShowsOneSampleEvenWhenTheNextIsPublishedHalfwayThrough() {
        dbKeys[0] = 3;
        persistenceFields.put("rdb_changes_since_last_save", 0);
        metrics.sample();
        dbKeys[0] = 10;
        persistenceFields.put("rdb_changes_since_last_save", 7);
        double[] seen = metrics.consistently(() -> {
            double changesBefore = gauge("cowkv.changes.since.last.save");
            metrics.sample(); // the keyspace thread's cron, between two meters of one scrape
            double keysAfter = gauge("cowkv.keys");
            double nested = metrics.consistently(() -> gauge("cowkv.db.keys", "db", "0"));
            return new double[] {changesBefore, keysAfter, nested};
        });
        assertThat(seen).containsExactly(0, 3, 3);
        // outside the read, the meters show the latest sample again
        assertThat(gauge("cowkv.keys")).isEqualTo(10);
        assertThat(gauge("cowkv.changes.since.last.save")).isEqualTo(7);
    }

    @Test
    void framesAreNotANumberUntilWired() {
        metrics.sample();
        assertThat(gauge("cowkv.arena.frames.used")).isNaN();
        assertThat(gauge("cowkv.arena.frames.free")).isNaN();
        CowKvMetrics wired = CowKvMetrics.builder(stats).frames(() -> 7, () -> 9).build();
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        wired.bindTo(r);
        wired.sample();
        assertThat(r.get("cowkv.arena.frames.used").gauge().value()).isEqualTo(7);
        assertThat(r.get("cowkv.arena.frames.free").gauge().value()).isEqualTo(9);
    }

    @Test
    void errorTypesAreCountedFromTheErrorTable() {
        stats.countError("ERR");
        stats.countError("ERR");
        stats.countError("WRONGTYPE");
        metrics.sample();
        metrics.refresh();
        assertThat(counter("cowkv.errors", "type", "ERR")).isEqualTo(2);
        assertThat(counter("cowkv.errors", "type", "WRONGTYPE")).isEqualTo(1);
        stats.reset(); // CONFIG RESETSTAT
        metrics.sample();
        metrics.refresh();
        assertThat(counter("cowkv.errors", "type", "ERR")).isZero();
    }

    @Test
    void snapshotMetersReadInfoPersistenceFields() {
        persistenceFields.put("loading", 0);
        persistenceFields.put("current_cow_size", 8192L);
        persistenceFields.put("current_save_keys_processed", 40L);
        persistenceFields.put("current_save_keys_total", 100L);
        persistenceFields.put("rdb_changes_since_last_save", 17L);
        persistenceFields.put("rdb_bgsave_in_progress", 1);
        persistenceFields.put("rdb_last_save_time", 1_700_000_000L);
        persistenceFields.put("rdb_last_bgsave_status", "err");
        persistenceFields.put("rdb_last_bgsave_time_sec", 2);
        persistenceFields.put("rdb_current_bgsave_time_sec", 1);
        persistenceFields.put("rdb_saves", 6L);
        persistenceFields.put("rdb_last_cow_size", 4096L);
        metrics.sample();
        assertThat(counter("cowkv.snapshots")).isEqualTo(6);
        assertThat(gauge("cowkv.snapshot.in.progress")).isEqualTo(1);
        assertThat(gauge("cowkv.snapshot.last.status")).isZero();
        assertThat(gauge("cowkv.snapshot.last.duration")).isEqualTo(2);
        assertThat(gauge("cowkv.snapshot.current.duration")).isEqualTo(1);
        assertThat(gauge("cowkv.snapshot.copied")).isEqualTo(8192);
        assertThat(gauge("cowkv.snapshot.last.copied")).isEqualTo(4096);
        assertThat(gauge("cowkv.snapshot.keys.processed")).isEqualTo(40);
        assertThat(gauge("cowkv.snapshot.keys.frozen")).isEqualTo(100);
        assertThat(gauge("cowkv.snapshot.last.success.timestamp")).isEqualTo(1_700_000_000L);
        assertThat(gauge("cowkv.changes.since.last.save")).isEqualTo(17);
        assertThat(gauge("cowkv.snapshot.last.freeze")).isEqualTo(0.00025);
        assertThat(counter("cowkv.snapshot.freezes")).isEqualTo(4);
        assertThat(gauge("cowkv.loading")).isZero();
        persistenceFields.put("rdb_last_bgsave_status", "ok");
        metrics.sample();
        assertThat(gauge("cowkv.snapshot.last.status")).isEqualTo(1);
    }

    @Test
    void defaultNumbersMatchTheRealPersistenceStateFields() {
        io.cowkv.server.metrics.ServerStats serverStats = new io.cowkv.server.metrics.ServerStats();
        serverStats.dirty = 12;
        io.cowkv.server.snapshot.SnapshotCoordinator coordinator = new io.cowkv.server.snapshot.SnapshotCoordinator(
                new io.cowkv.server.config.ServerConfig(), () -> {
                    throw new IllegalStateException("no save in this test");
                }, serverStats, System::currentTimeMillis, Runnable::run, Runnable::run,
                io.cowkv.server.snapshot.SnapshotLog.NONE, "7.0.15", () -> 0);
        PersistenceState state = new PersistenceState(coordinator);
        Map<String, Object> f = state.fields();
        PersistenceReport.Numbers n = state.numbers();
        assertThat(n.changesSinceLastSave()).isEqualTo(12);
        assertThat(n.lastSaveTime()).isEqualTo(((Number) f.get("rdb_last_save_time")).longValue());
        assertThat(n.rdbSaves()).isEqualTo(((Number) f.get("rdb_saves")).longValue());
        assertThat(n.lastBgsaveOk()).isEqualTo("ok".equals(f.get("rdb_last_bgsave_status")));
        assertThat(n.lastBgsaveTimeSec()).isEqualTo(((Number) f.get("rdb_last_bgsave_time_sec")).longValue());
        assertThat(n.latestForkUsec()).isEqualTo(state.latestForkUsec());
        assertThat(n.totalForks()).isEqualTo(state.totalForks());
        // INFO's text, appended without the map, says exactly what the map says, in its order
        StringBuilder expected = new StringBuilder();
        f.forEach((k, v) -> expected.append(k).append(':').append(v).append("\r\n"));
        StringBuilder text = new StringBuilder();
        state.appendTo(text);
        assertThat(text.toString()).isEqualTo(expected.toString()).contains("\r\ncurrent_fork_perc:0.00\r\n");
    }

    @Test
    void forkPercentageHasTwoDecimalsAsRedisPrintsIt() {
        assertThat(io.cowkv.server.snapshot.PersistenceState.twoDecimals(0)).isEqualTo("0.00");
        assertThat(io.cowkv.server.snapshot.PersistenceState.twoDecimals(100)).isEqualTo("100.00");
        assertThat(io.cowkv.server.snapshot.PersistenceState.twoDecimals(12.3)).isEqualTo("12.30");
        assertThat(io.cowkv.server.snapshot.PersistenceState.twoDecimals(7.049)).isEqualTo("7.05");
        assertThat(io.cowkv.server.snapshot.PersistenceState.twoDecimals(0.04)).isEqualTo("0.04");
        assertThat(io.cowkv.server.snapshot.PersistenceState.twoDecimals(99.999)).isEqualTo("100.00");
    }

    @Test
    void bindingASecondRegistryRegistersEverythingThereToo() {
        set.calls = 1;
        stats.countError("ERR");
        metrics.sample();
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        metrics.bindTo(second);
        assertThat(second.get("cowkv.commands").tag("cmd", "set").functionCounter().count()).isEqualTo(1);
        assertThat(second.get("cowkv.errors").tag("type", "ERR").functionCounter().count()).isEqualTo(1);
        metrics.refresh();
        assertThat(counter("cowkv.errors", "type", "ERR")).isEqualTo(1);
    }
}
