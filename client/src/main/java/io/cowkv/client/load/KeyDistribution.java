package io.cowkv.client.load;

import java.util.SplittableRandom;

/**
 * Chooses which key (an index in {@code [0, keys)}) the next operation touches. Implementations
 * are immutable and thread-safe; the randomness comes from the caller's generator, so a fixed
 * seed gives a fixed sequence.
 */
public interface KeyDistribution {

    /** The next key index, in {@code [0, keys())}. */
    long next(SplittableRandom rnd);

    /** Number of keys the distribution draws from. */
    long keys();

    /** A short description for reports, e.g. {@code zipfian(0.99)}. */
    String describe();

    /**
     * Parses {@code uniform}, {@code hot:PCT} (a hot set of PCT% of the keys receiving
     * {@code hotOpsPercent}% of the operations) or {@code zipfian[:THETA]} (default theta 0.99).
     */
    static KeyDistribution parse(String spec, long keys, double hotOpsPercent) {
        String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("uniform")) return new Uniform(keys);
        if (s.startsWith("hot:") || s.startsWith("hotset:")) {
            double pct = Double.parseDouble(s.substring(s.indexOf(':') + 1).replace("%", ""));
            return new HotSet(keys, pct / 100.0, hotOpsPercent / 100.0);
        }
        if (s.equals("zipfian") || s.equals("zipf")) return new Zipfian(keys, 0.99);
        if (s.startsWith("zipfian:") || s.startsWith("zipf:")) {
            return new Zipfian(keys, Double.parseDouble(s.substring(s.indexOf(':') + 1)));
        }
        throw new IllegalArgumentException("unknown key distribution '" + spec + "' (expected uniform, hot:PCT or zipfian[:THETA])");
    }

    /** Every key equally likely. */
    final class Uniform implements KeyDistribution {
        private final long keys;

        public Uniform(long keys) {
            if (keys < 1) throw new IllegalArgumentException("keys must be >= 1");
            this.keys = keys;
        }

        @Override
        public long next(SplittableRandom rnd) {
            return rnd.nextLong(keys);
        }

        @Override
        public long keys() {
            return keys;
        }

        @Override
        public String describe() {
            return "uniform";
        }
    }

    /**
     * The first {@code ceil(keys * hotFraction)} keys are hot: a fraction {@code hotOps} of the
     * operations picks one of them uniformly, the rest picks a cold key uniformly.
     */
    final class HotSet implements KeyDistribution {
        private final long keys;
        private final long hotKeys;
        private final double hotFraction;
        private final double hotOps;

        public HotSet(long keys, double hotFraction, double hotOps) {
            if (keys < 1) throw new IllegalArgumentException("keys must be >= 1");
            if (!(hotFraction > 0 && hotFraction <= 1)) throw new IllegalArgumentException("hot set must be in (0, 100] percent");
            if (!(hotOps >= 0 && hotOps <= 1)) throw new IllegalArgumentException("hot operations must be in [0, 100] percent");
            this.keys = keys;
            this.hotFraction = hotFraction;
            this.hotKeys = Math.max(1, Math.min(keys, (long) Math.ceil(keys * hotFraction)));
            this.hotOps = hotOps;
        }

        public long hotKeys() {
            return hotKeys;
        }

        @Override
        public long next(SplittableRandom rnd) {
            if (hotKeys == keys || rnd.nextDouble() < hotOps) return rnd.nextLong(hotKeys);
            return hotKeys + rnd.nextLong(keys - hotKeys);
        }

        @Override
        public long keys() {
            return keys;
        }

        @Override
        public String describe() {
            return String.format(java.util.Locale.ROOT, "hot set %.4g%% of keys gets %.4g%% of ops", hotFraction * 100, hotOps * 100);
        }
    }

    /**
     * Zipfian over ranks: key {@code i} is drawn with probability proportional to
     * {@code 1/(i+1)^theta} (Gray et al., "Quickly generating billion-record synthetic
     * databases", as in YCSB). Key 0 is the most popular. Set-up is O(keys).
     */
    final class Zipfian implements KeyDistribution {
        private final long keys;
        private final double theta;
        private final double zetaN;
        private final double alpha;
        private final double eta;
        private final double half;

        public Zipfian(long keys, double theta) {
            if (keys < 2) throw new IllegalArgumentException("zipfian needs at least 2 keys");
            if (!(theta > 0 && theta < 1)) throw new IllegalArgumentException("zipfian theta must be in (0, 1)");
            this.keys = keys;
            this.theta = theta;
            this.zetaN = zeta(keys, theta);
            double zeta2 = zeta(2, theta);
            this.alpha = 1.0 / (1.0 - theta);
            this.eta = (1 - Math.pow(2.0 / keys, 1 - theta)) / (1 - zeta2 / zetaN);
            this.half = 1 + Math.pow(0.5, theta);
        }

        static double zeta(long n, double theta) {
            double sum = 0;
            for (long i = 1; i <= n; i++) sum += 1 / Math.pow(i, theta);
            return sum;
        }

        /** Probability of key {@code i} under the ideal distribution. */
        public double probability(long i) {
            return 1 / Math.pow(i + 1, theta) / zetaN;
        }

        @Override
        public long next(SplittableRandom rnd) {
            double u = rnd.nextDouble();
            double uz = u * zetaN;
            if (uz < 1) return 0;
            if (uz < half) return 1;
            long k = (long) (keys * Math.pow(eta * u - eta + 1, alpha));
            return Math.min(Math.max(k, 0), keys - 1);
        }

        @Override
        public long keys() {
            return keys;
        }

        @Override
        public String describe() {
            return "zipfian(" + theta + ")";
        }
    }
}
