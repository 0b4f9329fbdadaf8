package io.cowkv.client.load;

import io.cowkv.client.ClientOptions;
import io.cowkv.client.RedisClient;
import io.cowkv.client.RedisConnection;
import io.cowkv.client.RedisServerException;
import io.cowkv.client.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Runs the scenario against one server: checks, fill, baseline workload, BGSAVE with the same
 * workload until the save ends, final INFO. Blocks the calling thread (never an event loop).
 */
public final class ScenarioRunner {
    /** INFO fields kept in every sample. */
    public static final List<String> SAMPLED_FIELDS = List.of(
            "rdb_bgsave_in_progress", "current_cow_size", "current_fork_perc", "current_save_keys_processed",
            "used_memory", "used_memory_rss", "instantaneous_ops_per_sec", "total_commands_processed",
            "rdb_last_cow_size", "latest_fork_usec");

    static final String KEY_PREFIX = "cowkv-load:";

    private final Results.Scenario sc;
    private final String host;
    private final int port;
    private final String label;
    private final Duration connectTimeout;
    private final long maxSaveMs;
    private final Progress progress;
    private final String address;

    public ScenarioRunner(Results.Scenario scenario, String host, int port, String label,
            Duration connectTimeout, long maxSaveMs, Progress progress) {
        this.sc = scenario;
        this.host = host;
        this.port = port;
        this.label = label;
        this.connectTimeout = connectTimeout;
        this.maxSaveMs = maxSaveMs;
        this.progress = progress;
        this.address = host + ":" + port;
    }

    private record RawSample(long nanos, String phase, Map<String, Long> values) {}

    public Results.ServerResult run() {
        ClientOptions base = ClientOptions.builder().host(host).port(port).connectTimeout(connectTimeout)
                .commandTimeout(Duration.ofSeconds(60)).build();
        try (RedisClient ctl = RedisClient.create(base);
                RedisClient work = RedisClient.create(base.toBuilder().connections(sc.connections()).build())) {
            RedisConnection control = await(ctl.connection(0), "connect");
            Info server = info(control, "server");
            String version = server.has("redis_version") ? server.get("redis_version") : "?";
            checkBgsave(control);
            waitForNoSave(control);
            List<RedisConnection> conns = new ArrayList<>();
            for (int i = 0; i < sc.connections(); i++) conns.add(await(work.connection(i), "connect"));

            byte[] fillValue = value(sc.valueSize(), sc.seed());
            byte[] writeValue = value(sc.writeValueSize(), sc.seed() + 1);
            Recorder recorder = new Recorder(3);
            double fillSeconds = 0;
            if (!sc.skipFill()) fillSeconds = fill(conns, fillValue, recorder);
            long dbsize = await(control.send("DBSIZE"), "DBSIZE").asLong();
            if (dbsize == 0) {
                throw new LoadException("the server at " + address + " holds no keys: run without --skip-fill");
            }

            KeyDistribution dist = KeyDistribution.parse(sc.distribution(), sc.keys(), hotOps);
            recorder.reset();
            LoadGenerator gen = new LoadGenerator(conns, sc.pipeline(), sc.rate(),
                    LoadGenerator.workload(dist, sc.writeRatio(), writeValue, KEY_PREFIX), sc.seed() + 2, recorder);
            List<RawSample> samples = new ArrayList<>();
            List<Results.LatencyPoint> rawLatency = new ArrayList<>();
            List<Long> latencyNanos = new ArrayList<>();
            Histogram baseH = new Histogram(3);
            Histogram saveH = new Histogram(3);
            Histogram interval = null;

            long tStart = System.nanoTime();
            gen.start();
            // warm-up: the workload runs, INFO is sampled (phase "warmup"), nothing is measured
            long warmEnd = tStart + (long) (sc.warmupSeconds() * 1e9);
            long tick = TimeUnit.MILLISECONDS.toNanos(sc.sampleMs());
            long next = tStart;
            while (System.nanoTime() < warmEnd) {
                next += tick;
                sleepUntil(Math.min(next, warmEnd));
                checkGenerator(gen);
                Map<String, Long> v = sample(control);
                interval = recorder.getIntervalHistogram(interval);
                long now = System.nanoTime();
                samples.add(new RawSample(now, "warmup", v));
                progress.update(String.format(Locale.ROOT, "[%s] warm-up  %5.1fs  ops %d", label, (now - tStart) / 1e9, gen.ops()));
            }
            interval = recorder.getIntervalHistogram(interval); // drop what the warm-up recorded
            long opsWarm = gen.ops(), writesWarm = gen.writes(), errorsWarm = gen.errors();
            long tBase = System.nanoTime();
            long baselineEnd = tBase + (long) (sc.baselineSeconds() * 1e9);
            next = tBase;
            while (true) {
                next += tick;
                sleepUntil(Math.min(next, baselineEnd));
                checkGenerator(gen);
                Map<String, Long> v = sample(control);
                interval = recorder.getIntervalHistogram(interval);
                baseH.add(interval);
                long now = System.nanoTime();
                samples.add(new RawSample(now, "baseline", v));
                latencyNanos.add(now);
                rawLatency.add(point(0, "baseline", interval));
                progress.update(String.format(Locale.ROOT, "[%s] baseline %5.1fs  ops %d  p99 %s  mem %s  rss %s",
                        label, (now - tBase) / 1e9, gen.ops() - opsWarm, ms(interval.getValueAtPercentile(99)),
                        Progress.bytes(v.getOrDefault("used_memory", -1L)), Progress.bytes(v.getOrDefault("used_memory_rss", -1L))));
                if (now >= baselineEnd) break;
            }
            long opsBase = gen.ops(), writesBase = gen.writes(), errorsBase = gen.errors();
            long saveStart = System.nanoTime();
            double baseSeconds = (saveStart - tBase) / 1e9;
            Map<String, Long> before = samples.get(samples.size() - 1).values();
            try {
                await(control.send("BGSAVE"), "BGSAVE");
            } catch (LoadException e) {
                gen.stop();
                throw e;
            }
            next = saveStart;
            long saveEnd;
            while (true) {
                next += tick;
                sleepUntil(next);
                checkGenerator(gen);
                Map<String, Long> v = sample(control);
                interval = recorder.getIntervalHistogram(interval);
                saveH.add(interval);
                long now = System.nanoTime();
                samples.add(new RawSample(now, "save", v));
                latencyNanos.add(now);
                rawLatency.add(point(0, "save", interval));
                progress.update(String.format(Locale.ROOT, "[%s] bgsave  %5.1fs  ops %d  p99 %s  cow %s  mem %s  rss %s",
                        label, (now - saveStart) / 1e9, gen.ops(), ms(interval.getValueAtPercentile(99)),
                        Progress.bytes(v.getOrDefault("current_cow_size", -1L)),
                        Progress.bytes(v.getOrDefault("used_memory", -1L)), Progress.bytes(v.getOrDefault("used_memory_rss", -1L))));
                if (v.getOrDefault("rdb_bgsave_in_progress", 0L) == 0) {
                    saveEnd = now;
                    break;
                }
                if (now - saveStart > TimeUnit.MILLISECONDS.toNanos(maxSaveMs)) {
                    gen.stop();
                    throw new LoadException("BGSAVE on " + address + " still running after " + maxSaveMs / 1000 + " s (--max-save-seconds)");
                }
            }
            gen.stop();
            try {
                gen.idle().get(60, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                throw new LoadException("the workload on " + address + " did not drain: " + e);
            }
            interval = recorder.getIntervalHistogram(interval);
            saveH.add(interval);
            double saveSeconds = (saveEnd - saveStart) / 1e9;
            Info fin = Info.merge(info(control, "persistence"), info(control, "stats"));
            progress.finish(String.format(Locale.ROOT, "[%s] done: baseline %.1fs, bgsave %.2fs, %d ops, %d errors",
                    label, baseSeconds, saveSeconds, gen.ops(), gen.errors()));

            long cowPeak = 0, memPeak = 0, rssPeak = 0;
            List<Results.Sample> outSamples = new ArrayList<>();
            for (RawSample s : samples) {
                outSamples.add(new Results.Sample(TimeUnit.NANOSECONDS.toMillis(s.nanos() - saveStart), s.phase(), s.values()));
                if (s.phase().equals("save")) {
                    cowPeak = Math.max(cowPeak, s.values().getOrDefault("current_cow_size", 0L));
                    memPeak = Math.max(memPeak, s.values().getOrDefault("used_memory", 0L));
                    rssPeak = Math.max(rssPeak, s.values().getOrDefault("used_memory_rss", 0L));
                }
            }
            List<Results.LatencyPoint> latency = new ArrayList<>();
            for (int i = 0; i < rawLatency.size(); i++) {
                Results.LatencyPoint p = rawLatency.get(i);
                latency.add(new Results.LatencyPoint(TimeUnit.NANOSECONDS.toMillis(latencyNanos.get(i) - saveStart),
                        p.phase(), p.count(), p.p50(), p.p99(), p.max()));
            }
            long opsSave = gen.ops() - opsBase;
            return new Results.ServerResult(label, address, version, sc.skipFill() ? 0 : sc.keys(), fillSeconds,
                    stats("baseline", baseH, opsBase - opsWarm, writesBase - writesWarm, errorsBase - errorsWarm, baseSeconds),
                    stats("save", saveH, opsSave, gen.writes() - writesBase, gen.errors() - errorsBase, saveSeconds),
                    TimeUnit.NANOSECONDS.toMillis(saveEnd - saveStart),
                    fin.getLong("rdb_last_bgsave_time_sec", -1),
                    fin.has("rdb_last_bgsave_status") ? fin.get("rdb_last_bgsave_status") : "?",
                    cowPeak, fin.getLong("rdb_last_cow_size", -1), fin.getLong("latest_fork_usec", -1),
                    before.getOrDefault("used_memory", -1L), Math.max(memPeak, before.getOrDefault("used_memory", -1L)),
                    before.getOrDefault("used_memory_rss", -1L), Math.max(rssPeak, before.getOrDefault("used_memory_rss", -1L)),
                    dbsize, outSamples, latency, gen.firstError());
        }
    }

    private double hotOps = 90;

    /** Percentage of operations that go to the hot set of a {@code hot:PCT} distribution. */
    public ScenarioRunner hotOpsPercent(double pct) {
        this.hotOps = pct;
        return this;
    }

    private double fill(List<RedisConnection> conns, byte[] value, Recorder recorder) {
        LoadGenerator fill = new LoadGenerator(conns, Math.max(sc.pipeline(), 32), 0,
                LoadGenerator.fill(sc.keys(), value, KEY_PREFIX), sc.seed(), recorder);
        long t0 = System.nanoTime();
        fill.start();
        while (!fill.idle().isDone()) {
            try {
                fill.idle().get(250, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // progress below
            } catch (InterruptedException | ExecutionException e) {
                throw new LoadException("fill interrupted: " + e);
            }
            if (fill.errors() > 0) {
                fill.stop();
                throw new LoadException("fill of " + address + " failed: " + fill.firstError());
            }
            double s = (System.nanoTime() - t0) / 1e9;
            progress.update(String.format(Locale.ROOT, "[%s] fill %d/%d keys  %.0f keys/s", label, fill.ops(), sc.keys(),
                    s > 0 ? fill.ops() / s : 0));
        }
        if (fill.errors() > 0) throw new LoadException("fill of " + address + " failed: " + fill.firstError());
        double s = (System.nanoTime() - t0) / 1e9;
        progress.finish(String.format(Locale.ROOT, "[%s] filled %d keys of %d bytes in %.1fs", label, sc.keys(), sc.valueSize(), s));
        return s;
    }

    private void checkGenerator(LoadGenerator gen) {
        if (gen.errors() > 0 && gen.ops() > 0 && gen.errors() * 2 > gen.ops()) {
            gen.stop();
            throw new LoadException("most operations on " + address + " fail: " + gen.firstError());
        }
    }

    private void checkBgsave(RedisConnection control) {
        try {
            Reply r = control.send("COMMAND", "INFO", "BGSAVE").get(30, TimeUnit.SECONDS);
            if (r instanceof io.cowkv.client.ArrayReply a && a.size() == 1 && a.get(0).isNull()) {
                throw new LoadException("the server at " + address + " does not support BGSAVE (COMMAND INFO BGSAVE is nil)");
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof RedisServerException)) throw wrap("COMMAND INFO", e.getCause());
            // COMMAND not implemented: rely on INFO and the BGSAVE reply
        } catch (InterruptedException | TimeoutException e) {
            throw wrap("COMMAND INFO", e);
        }
        Info p = info(control, "persistence");
        if (!p.has("rdb_bgsave_in_progress")) {
            throw new LoadException("the server at " + address
                    + " does not support BGSAVE (INFO persistence has no rdb_bgsave_in_progress)");
        }
    }

    private void waitForNoSave(RedisConnection control) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxSaveMs);
        while (info(control, "persistence").getLong("rdb_bgsave_in_progress", 0) != 0) {
            if (System.nanoTime() > deadline) throw new LoadException("a save already running on " + address + " did not end");
            progress.update("[" + label + "] waiting for a running save to end");
            sleepUntil(System.nanoTime() + 100_000_000L);
        }
    }

    private Map<String, Long> sample(RedisConnection control) {
        CompletableFuture<Reply> p = control.send("INFO", "persistence");
        CompletableFuture<Reply> m = control.send("INFO", "memory");
        CompletableFuture<Reply> s = control.send("INFO", "stats");
        Info all = Info.merge(Info.parse(await(p, "INFO persistence").asString()),
                Info.parse(await(m, "INFO memory").asString()), Info.parse(await(s, "INFO stats").asString()));
        Map<String, Long> v = new LinkedHashMap<>();
        for (String f : SAMPLED_FIELDS) {
            long x = all.getLong(f, Long.MIN_VALUE);
            if (x != Long.MIN_VALUE) v.put(f, x);
        }
        return v;
    }

    private Info info(RedisConnection c, String section) {
        return Info.parse(await(c.send("INFO", section), "INFO " + section).asString());
    }

    private <T> T await(CompletableFuture<T> f, String what) {
        try {
            return f.get(90, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw wrap(what, e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw wrap(what, e);
        }
    }

    private LoadException wrap(String what, Throwable t) {
        if (t instanceof RedisServerException se) {
            if (what.equals("BGSAVE")) {
                return new LoadException("BGSAVE failed on " + address + ": " + se.errorText()
                        + (se.errorText().startsWith("ERR unknown command") ? " (the server does not support BGSAVE)" : ""));
            }
            return new LoadException(what + " failed on " + address + ": " + se.errorText());
        }
        if (t instanceof io.cowkv.client.RedisConnectionException ce) {
            return new LoadException(ce.getMessage().startsWith("cannot connect") ? ce.getMessage()
                    : "lost the connection to " + address + " during " + what + ": " + ce.getMessage(), ce);
        }
        return new LoadException(what + " on " + address + " failed: " + t, t);
    }

    private static void sleepUntil(long deadline) {
        long d;
        while ((d = deadline - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LoadException("interrupted");
            }
        }
    }

    static byte[] value(int size, long seed) {
        byte[] v = new byte[size];
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < size; i++) v[i] = (byte) ('a' + r.nextInt(26));
        return v;
    }

    private static Results.LatencyPoint point(long t, String phase, Histogram h) {
        return new Results.LatencyPoint(t, phase, h.getTotalCount(), h.getValueAtPercentile(50),
                h.getValueAtPercentile(99), h.getMaxValue());
    }

    private static Results.PhaseStats stats(String phase, Histogram h, long ops, long writes, long errors, double seconds) {
        return new Results.PhaseStats(phase, ops, writes, errors, seconds, h.getValueAtPercentile(50),
                h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(), h.getTotalCount() == 0 ? 0 : h.getMean());
    }

    static String ms(long micros) {
        return String.format(Locale.ROOT, "%.2fms", micros / 1000.0);
    }
}
