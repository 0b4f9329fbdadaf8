package io.cowkv.server.metrics;

import io.cowkv.server.util.CFormat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Redis's latency monitor (latency.c): per event a ring of {@value #TS_LEN} samples
 * {unix time in seconds, latency in ms} plus the all-time maximum. A sample in the same second as
 * the event's previous one only raises that sample's latency; events are created on their first
 * sample. {@link #addSampleIfNeeded} records only when the threshold
 * ({@code latency-monitor-threshold}, ms) is on and reached, as Redis's macro of that name.
 *
 * <p>Events CowKV records: {@link #COMMAND} and {@link #FAST_COMMAND} (the dispatcher, a command's
 * run time), {@link #FORK} (the BGSAVE freeze, CowKV's fork), {@link #EXPIRE_CYCLE} (the cron's
 * active expiry cycle). Events are kept in creation order (Redis: its hash table's order).
 *
 * <p>Contract: keyspace thread only. The clock answers milliseconds since the epoch and is
 * injected so tests can place samples in chosen seconds.
 */
public final class LatencyMonitor {
    public static final int TS_LEN = 160;
    public static final String COMMAND = "command";
    public static final String FAST_COMMAND = "fast-command";
    public static final String FORK = "fork";
    public static final String EXPIRE_CYCLE = "expire-cycle";
    /** LATENCY GRAPH's width (LATENCY_GRAPH_COLS). */
    private static final int GRAPH_COLS = 80;

    private final LongSupplier clockMillis;
    private final Map<String, Series> events = new LinkedHashMap<>();
    private long threshold;
    /** Redis's stat_fork_rate: GB of used memory per second of the last freeze. */
    private double forkRate;

    /** One event's samples (Redis's struct latencyTimeSeries). */
    static final class Series {
        final long[] time = new long[TS_LEN];
        final long[] latency = new long[TS_LEN];
        int idx;
        long max;
    }

    public LatencyMonitor(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    public void threshold(long ms) {
        this.threshold = ms;
    }

    public long threshold() {
        return threshold;
    }

    /** Whether a latency of {@code ms} is to be recorded: the monitor is on and it reaches the threshold. */
    public boolean exceeds(long ms) {
        return threshold != 0 && ms >= threshold;
    }

    public void addSampleIfNeeded(String event, long ms) {
        if (exceeds(ms)) {
            addSample(event, ms);
        }
    }

    /**
     * A BGSAVE freeze took {@code usec} with {@code usedMemory} bytes in use: sets the fork rate
     * (always, as Redis) and records a {@link #FORK} sample if needed.
     */
    public void fork(long usec, long usedMemory) {
        forkRate = (double) usedMemory * 1_000_000 / usec / (1024 * 1024 * 1024);
        addSampleIfNeeded(FORK, usec / 1000);
    }

    /** latencyAddSample: records unconditionally. */
    public void addSample(String event, long ms) {
        Series ts = events.computeIfAbsent(event, e -> new Series());
        long now = clockMillis.getAsLong() / 1000;
        if (ms > ts.max) {
            ts.max = ms;
        }
        int prev = (ts.idx + TS_LEN - 1) % TS_LEN;
        if (ts.time[prev] == now) {
            if (ms > ts.latency[prev]) {
                ts.latency[prev] = ms;
            }
            return;
        }
        ts.time[ts.idx] = now;
        ts.latency[ts.idx] = ms;
        ts.idx = (ts.idx + 1) % TS_LEN;
    }

    /** Deletes the event named {@code event} (ignoring case), or every event when null; returns how many. */
    public int reset(String event) {
        int resets = 0;
        for (var it = events.keySet().iterator(); it.hasNext(); ) {
            String name = it.next();
            if (event == null || name.equalsIgnoreCase(event)) {
                it.remove();
                resets++;
            }
        }
        return resets;
    }

    /** Event names in creation order. */
    public List<String> events() {
        return new ArrayList<>(events.keySet());
    }

    /** LATENCY LATEST for one event: {time, latency, all-time max} of its newest sample. */
    public long[] latest(String event) {
        Series ts = events.get(event);
        int last = (ts.idx + TS_LEN - 1) % TS_LEN;
        return new long[]{ts.time[last], ts.latency[last], ts.max};
    }

    /** LATENCY HISTORY: {time, latency} pairs oldest first; empty for an unknown event (exact name). */
    public List<long[]> history(String event) {
        Series ts = events.get(event);
        if (ts == null) {
            return Collections.emptyList();
        }
        List<long[]> out = new ArrayList<>();
        for (int j = 0; j < TS_LEN; j++) {
            int i = (ts.idx + j) % TS_LEN;
            if (ts.time[i] != 0) {
                out.add(new long[]{ts.time[i], ts.latency[i]});
            }
        }
        return out;
    }

    /**
     * LATENCY GRAPH (latencyCommandGenSparkeline): a header line with high, low and all-time high,
     * 80 dashes, then a filled 4-row sparkline of the samples labelled with how long ago each was
     * ({@code 5s}, {@code 3m}, {@code 2h}, {@code 1d}). Null for an unknown event (exact name).
     */
    public String graph(String event) {
        Series ts = events.get(event);
        if (ts == null) {
            return null;
        }
        Sparkline seq = new Sparkline();
        long min = 0;
        long max = 0;
        boolean first = true;
        long now = clockMillis.getAsLong() / 1000;
        for (int j = 0; j < TS_LEN; j++) {
            int i = (ts.idx + j) % TS_LEN;
            if (ts.time[i] == 0) {
                continue;
            }
            if (first) {
                min = max = ts.latency[i];
                first = false;
            } else {
                max = Math.max(max, ts.latency[i]);
                min = Math.min(min, ts.latency[i]);
            }
            long elapsed = now - ts.time[i];
            String label;
            if (elapsed < 60) {
                label = elapsed + "s";
            } else if (elapsed < 3600) {
                label = elapsed / 60 + "m";
            } else if (elapsed < 3600 * 24) {
                label = elapsed / 3600 + "h";
            } else {
                label = elapsed / (3600 * 24) + "d";
            }
            seq.add(ts.latency[i], label);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(event).append(" - high ").append(max).append(" ms, low ").append(min)
                .append(" ms (all time high ").append(ts.max).append(" ms)\n");
        sb.append("-".repeat(GRAPH_COLS)).append('\n');
        return seq.render(sb, GRAPH_COLS, 4, Sparkline.FILL).toString();
    }

    /**
     * LATENCY DOCTOR (createLatencyReport), for the events CowKV produces. {@code hz} is the
     * server's cron frequency (the expire-cycle advice), {@code slowlogSlowerThanMicros}
     * {@code slowlog-log-slower-than} (the slow-log advice). Left out of Redis's report: the AOF and
     * disk events and their advice, eviction events (CowKV has no AOF and no eviction, so those
     * events never exist), and the transparent-huge-pages check of the process's AnonHugePages
     * (Redis's own allocations; CowKV's memory is the JVM's and the arena's, and a JVM may use
     * huge pages on purpose), so that advice is never given.
     */
    public String doctor(int hz, long slowlogSlowerThanMicros) {
        if (events.isEmpty() && threshold == 0) {
            return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. "
                    + "You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. "
                    + "If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
        }
        StringBuilder report = new StringBuilder();
        boolean betterVm = false;
        boolean slowlogEnabled = false;
        boolean slowlogTuning = false;
        boolean slowlogInspect = false;
        boolean scheduler = false;
        boolean hzAdvice = false;
        boolean largeObjects = false;
        int advices = 0;
        int eventnum = 0;
        long now = clockMillis.getAsLong() / 1000;
        for (Map.Entry<String, Series> e : events.entrySet()) {
            String event = e.getKey();
            Series ts = e.getValue();
            eventnum++;
            if (eventnum == 1) {
                report.append("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n");
            }
            long[] ls = analyze(ts, now);
            report.append(eventnum).append(". ").append(event).append(": ").append(ls[0])
                    .append(" latency spikes (average ").append(ls[1]).append("ms, mean deviation ").append(ls[2])
                    .append("ms, period ").append(CFormat.fixed((double) ls[3] / ls[0], 2))
                    .append(" sec). Worst all time event ").append(ts.max).append("ms.");
            if (event.equalsIgnoreCase(FORK)) {
                String quality;
                if (forkRate < 10) {
                    quality = "terrible";
                    betterVm = true;
                    advices++;
                } else if (forkRate < 25) {
                    quality = "poor";
                    betterVm = true;
                    advices++;
                } else if (forkRate < 100) {
                    quality = "good";
                } else {
                    quality = "excellent";
                }
                report.append(" Fork rate is ").append(CFormat.fixed(forkRate, 2)).append(" GB/sec (").append(quality).append(").");
            }
            if (event.equalsIgnoreCase(COMMAND)) {
                if (slowlogSlowerThanMicros < 0) {
                    slowlogEnabled = true;
                    advices++;
                } else if (slowlogSlowerThanMicros / 1000 > threshold) {
                    slowlogTuning = true;
                    advices++;
                }
                slowlogInspect = true;
                largeObjects = true;
                advices += 2;
            }
            if (event.equalsIgnoreCase(FAST_COMMAND)) {
                scheduler = true;
                advices++;
            }
            if (event.equalsIgnoreCase(EXPIRE_CYCLE)) {
                hzAdvice = true;
                largeObjects = true;
                advices += 2;
            }
            report.append('\n');
        }
        if (eventnum == 0 && advices == 0) {
            report.append("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. "
                    + "I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n");
        } else if (advices == 0) {
            report.append("\nWhile there are latency events logged, I'm not able to suggest any easy fix. "
                    + "Please use the Redis community to get some help, providing this report in your help request.\n");
        } else {
            report.append("\nI have a few advices for you:\n\n");
            if (betterVm) {
                report.append("- If you are using a virtual machine, consider upgrading it with a faster one using a hypervisior "
                        + "that provides less latency during fork() calls. Xen is known to have poor fork() performance. "
                        + "Even in the context of the same VM provider, certain kinds of instances can execute fork faster than others.\n");
            }
            if (slowlogEnabled) {
                report.append("- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log "
                        + "Redis feature using the command 'CONFIG SET slowlog-log-slower-than ")
                        .append(Long.toUnsignedString(threshold * 1000))
                        .append("'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n");
            }
            if (slowlogTuning) {
                report.append("- Your current Slow Log configuration only logs events that are slower than your configured latency "
                        + "monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ")
                        .append(Long.toUnsignedString(threshold * 1000)).append("'.\n");
            }
            if (slowlogInspect) {
                report.append("- Check your Slow Log to understand what are the commands you are running which are too slow to "
                        + "execute. Please check https://redis.io/commands/slowlog for more information.\n");
            }
            if (scheduler) {
                report.append("- The system is slow to execute Redis code paths not containing system calls. This usually means the "
                        + "system does not provide Redis CPU time to run for long periods. You should try to:\n"
                        + "  1) Lower the system load.\n"
                        + "  2) Use a computer / VM just for Redis if you are running other software in the same system.\n"
                        + "  3) Check if you have a \"noisy neighbour\" problem.\n"
                        + "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n"
                        + "  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using "
                        + "Jemalloc. However this may create fragmentation problems.\n");
            }
            if (hzAdvice && hz < 100) {
                report.append("- In order to make the Redis keys expiring process more incremental, try to set the 'hz' "
                        + "configuration parameter to 100 using 'CONFIG SET hz 100'.\n");
            }
            if (largeObjects) {
                report.append("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. "
                        + "If you have very large objects that are often deleted, expired, or evicted, try to fragment those "
                        + "objects into multiple smaller objects.\n");
            }
        }
        return report.toString();
    }

    /**
     * analyzeLatencyForEvent: {samples, average, mean absolute deviation, period} where period is
     * the seconds since the oldest sample (at least 1); integer arithmetic as Redis's.
     */
    private static long[] analyze(Series ts, long now) {
        long samples = 0;
        long sum = 0;
        long oldest = 0;
        for (int j = 0; j < TS_LEN; j++) {
            if (ts.time[j] == 0) {
                continue;
            }
            samples++;
            sum += ts.latency[j];
            if (oldest == 0 || ts.time[j] < oldest) {
                oldest = ts.time[j];
            }
        }
        long avg = 0;
        long period = 0;
        long mad = 0;
        if (samples > 0) {
            avg = sum / samples;
            period = now - oldest;
            if (period == 0) {
                period = 1;
            }
            long dev = 0;
            for (int j = 0; j < TS_LEN; j++) {
                if (ts.time[j] != 0) {
                    dev += Math.abs(avg - ts.latency[j]);
                }
            }
            mad = dev / samples;
        }
        return new long[]{samples, avg, mad, period};
    }

    /** Redis's stat_fork_rate as last set by {@link #fork}, in GB/s. */
    public double forkRate() {
        return forkRate;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LatencyMonitor(threshold=%d ms, events=%s)", threshold, events.keySet());
    }
}
