package io.cowkv.server.metrics;

import io.cowkv.server.util.CFormat;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.util.ArrayList;
import java.util.List;

/**
 * One command's latency histogram (Redis 7's {@code latency-tracking}): an HdrHistogram of the
 * command's run times in nanoseconds, created on the first recorded call, with Redis's bounds
 * (1 ns to 1 s, 2 significant digits). Read by INFO latencystats and LATENCY HISTOGRAM.
 *
 * <p>Contract: keyspace thread only. {@link #record} allocates only when it creates the histogram.
 */
public final class CommandLatency {
    /** Redis's LATENCY_HISTOGRAM_MIN_VALUE / MAX_VALUE / PRECISION. */
    public static final long MIN_NANOS = 1;
    public static final long MAX_NANOS = 1_000_000_000L;
    public static final int PRECISION = 2;

    private Histogram histogram;

    /**
     * Records one call that took {@code usec} microseconds, as Redis's
     * {@code updateCommandLatencyHistogram(duration*1000)}: clamped to [1 ns, 1 s].
     */
    public void record(long usec) {
        long nanos = Math.min(Math.max(usec * 1000, MIN_NANOS), MAX_NANOS);
        if (histogram == null) {
            histogram = new Histogram(MIN_NANOS, MAX_NANOS, PRECISION);
        }
        histogram.recordValue(nanos);
    }

    /** The histogram, or null when nothing was recorded since start or the last reset. */
    public Histogram histogram() {
        return histogram;
    }

    /** Forgets the histogram (CONFIG RESETSTAT), as Redis frees it. */
    public void reset() {
        histogram = null;
    }

    /**
     * C's {@code hdr_value_at_percentile}: the highest value equivalent to the recorded value at
     * which the cumulative count reaches {@code round(p/100 * total)} (at least 1). Java's
     * {@code getValueAtPercentile} differs: it takes the ceiling of the count (10 values, p14: C
     * takes the 1st, Java the 2nd) and answers the lowest equivalent value for p0.
     */
    public static long valueAtPercentile(Histogram h, double percentile) {
        double p = Math.min(percentile, 100.0);
        long target = Math.max(1, (long) ((p / 100) * h.getTotalCount() + 0.5));
        long total = 0;
        long last = 0;
        for (HistogramIterationValue v : h.recordedValues()) {
            total += v.getCountAtValueIteratedTo();
            last = h.highestEquivalentValue(v.getValueIteratedTo());
            if (total >= target) {
                return last;
            }
        }
        return last;
    }

    /**
     * The value of an INFO latencystats line after the colon, as Redis's
     * {@code fillPercentileDistributionLatencies}: {@code p50=9.023,p99=...}, each label C's
     * {@code %f} trimmed, each value in microseconds with {@code %.3f}; empty for no percentiles.
     */
    public static String percentiles(Histogram h, double[] percentiles) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < percentiles.length; j++) {
            if (j > 0) {
                sb.append(',');
            }
            sb.append('p').append(CFormat.fixed6Trimmed(percentiles[j])).append('=')
                    .append(CFormat.fixed(valueAtPercentile(h, percentiles[j]) / 1000.0, 3));
        }
        return sb.toString();
    }

    /**
     * The cumulative distribution LATENCY HISTOGRAM replies ({@code histogram_usec}), as Redis's
     * {@code fillCommandCDF} over C's log iterator (first bucket 1024 ns, factor 2): for each level
     * 1024, 2048, ... inside the histogram's range, the count of values up to the level's highest
     * equivalent value, listed as {micros, count} when it grew since the previous level; stops once
     * every value is counted. Values above the last level inside the range (2^29 ns) are never
     * listed, as in Redis. Returns the pairs flattened: micros, count, micros, count, ...
     */
    public static long[] cdf(Histogram h) {
        List<long[]> out = new ArrayList<>();
        long total = h.getTotalCount();
        long previous = 0;
        for (long level = 1024; level <= h.getHighestTrackableValue() && previous < total; level *= 2) {
            long upTo = h.highestEquivalentValue(level);
            long cumulative = h.getCountBetweenValues(0, upTo);
            if (cumulative > previous) {
                out.add(new long[]{upTo / 1000, cumulative});
            }
            previous = cumulative;
        }
        long[] flat = new long[out.size() * 2];
        for (int i = 0; i < out.size(); i++) {
            flat[2 * i] = out.get(i)[0];
            flat[2 * i + 1] = out.get(i)[1];
        }
        return flat;
    }
}
