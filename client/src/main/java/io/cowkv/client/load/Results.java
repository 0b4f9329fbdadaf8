package io.cowkv.client.load;

import java.util.List;
import java.util.Map;

/** The measured outcome of a scenario run against one or two servers. Plain immutable data. */
public final class Results {
    private Results() {}

    /** Latency (microseconds) and throughput of one phase. */
    public record PhaseStats(String phase, long ops, long writes, long errors, double seconds,
            long p50, long p99, long p999, long max, double mean) {
        public double throughput() {
            return seconds > 0 ? ops / seconds : 0;
        }
    }

    /** One INFO sample; {@code tMs} is relative to the BGSAVE command (negative before it). */
    public record Sample(long tMs, String phase, Map<String, Long> values) {
        public long get(String field) {
            Long v = values.get(field);
            return v == null ? -1 : v;
        }
    }

    /** Latency of the replies received in one sampling interval (microseconds). */
    public record LatencyPoint(long tMs, String phase, long count, long p50, long p99, long max) {}

    /** Everything measured on one server. */
    public record ServerResult(
            String label,
            String address,
            String serverVersion,
            long fillKeys,
            double fillSeconds,
            PhaseStats baseline,
            PhaseStats save,
            long saveDurationMs,
            long serverSaveSeconds,
            String saveStatus,
            long cowPeakBytes,
            long cowFinalBytes,
            long forkUsec,
            long usedMemoryBefore,
            long usedMemoryPeak,
            long rssBefore,
            long rssPeak,
            long dbsize,
            List<Sample> samples,
            List<LatencyPoint> latency,
            String firstError) {}

    /**
     * The scenario's parameters, echoed into every report. {@code warmupSeconds}: the workload
     * runs that long before the baseline starts, unmeasured (JIT of client and server, caches).
     */
    public record Scenario(long keys, int valueSize, boolean skipFill, int connections, int pipeline,
            double rate, String distribution, double writeRatio, int writeValueSize, double baselineSeconds,
            long sampleMs, long seed, String startedAt, double warmupSeconds) {
        /** Without a warm-up. */
        public Scenario(long keys, int valueSize, boolean skipFill, int connections, int pipeline,
                double rate, String distribution, double writeRatio, int writeValueSize, double baselineSeconds,
                long sampleMs, long seed, String startedAt) {
            this(keys, valueSize, skipFill, connections, pipeline, rate, distribution, writeRatio, writeValueSize,
                    baselineSeconds, sampleMs, seed, startedAt, 0);
        }
    }

    /** A whole report: scenario plus one result per server. */
    public record Report(Scenario scenario, List<ServerResult> servers) {}
}
