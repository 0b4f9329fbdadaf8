package io.cowkv.client.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Statistical checks with fixed seeds: the distributions produce what they claim. */
class KeyDistributionTest {
    static final int DRAWS = 1_000_000;

    static long[] histogram(KeyDistribution d, int buckets, long seed) {
        long[] h = new long[buckets];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < DRAWS; i++) {
            long k = d.next(rnd);
            assertThat(k).isBetween(0L, d.keys() - 1);
            h[(int) (k * buckets / d.keys())]++;
        }
        return h;
    }

    @Test
    void uniformPassesChiSquare() {
        KeyDistribution d = KeyDistribution.parse("uniform", 100_000, 90);
        long[] h = histogram(d, 100, 1);
        double expected = DRAWS / 100.0, chi2 = 0;
        for (long c : h) chi2 += (c - expected) * (c - expected) / expected;
        // 99 degrees of freedom: the 99.9th percentile of chi-square is about 148
        assertThat(chi2).isLessThan(148);
    }

    @Test
    void hotSetSendsTheClaimedShareToTheHotKeys() {
        KeyDistribution.HotSet d = (KeyDistribution.HotSet) KeyDistribution.parse("hot:10", 100_000, 90);
        assertThat(d.hotKeys()).isEqualTo(10_000);
        SplittableRandom rnd = new SplittableRandom(2);
        long hot = 0;
        long[] hotBuckets = new long[10];
        long[] coldBuckets = new long[9];
        for (int i = 0; i < DRAWS; i++) {
            long k = d.next(rnd);
            if (k < 10_000) {
                hot++;
                hotBuckets[(int) (k / 1000)]++;
            } else {
                coldBuckets[(int) ((k - 10_000) / 10_000)]++;
            }
        }
        assertThat(hot / (double) DRAWS).isCloseTo(0.90, within(0.002));
        // uniform inside each part
        for (long b : hotBuckets) assertThat(b / (double) hot).isCloseTo(0.1, within(0.005));
        for (long b : coldBuckets) assertThat(b / (double) (DRAWS - hot)).isCloseTo(1 / 9.0, within(0.005));
    }

    @Test
    void hotSetWithAllOperationsHot() {
        KeyDistribution d = KeyDistribution.parse("hot:1", 50_000, 100);
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) assertThat(d.next(rnd)).isLessThan(500);
    }

    @Test
    void zipfianFrequenciesFollowThePowerLaw() {
        long n = 10_000;
        KeyDistribution.Zipfian d = (KeyDistribution.Zipfian) KeyDistribution.parse("zipfian:0.99", n, 90);
        long[] counts = new long[(int) n];
        SplittableRandom rnd = new SplittableRandom(4);
        for (int i = 0; i < DRAWS; i++) counts[(int) d.next(rnd)]++;
        // the first ranks get their ideal share (these are exact in the generator)
        assertThat(counts[0] / (double) DRAWS).isCloseTo(d.probability(0), within(0.003));
        assertThat(counts[1] / (double) DRAWS).isCloseTo(d.probability(1), within(0.003));
        // the head is much heavier than the tail: the top 1% of keys gets a large share
        long top = 0;
        for (int i = 0; i < n / 100; i++) top += counts[i];
        double idealTop = 0;
        for (int i = 0; i < n / 100; i++) idealTop += d.probability(i);
        assertThat(top / (double) DRAWS).isCloseTo(idealTop, within(0.03));
        assertThat(top / (double) DRAWS).isGreaterThan(0.4);
        // and decades of ranks lose frequency as the power law says (ratio ~ 10^-theta per rank decade)
        long a = 0, b = 0;
        for (int i = 10; i < 20; i++) a += counts[i];
        for (int i = 100; i < 200; i++) b += counts[i];
        double perRankA = a / 10.0, perRankB = b / 100.0;
        assertThat(perRankA / perRankB).isBetween(5.0, 20.0);
    }

    @Test
    void sameSeedSameSequence() {
        KeyDistribution d = KeyDistribution.parse("zipfian", 1000, 90);
        SplittableRandom r1 = new SplittableRandom(7), r2 = new SplittableRandom(7);
        for (int i = 0; i < 1000; i++) assertThat(d.next(r1)).isEqualTo(d.next(r2));
    }

    @Test
    void badSpecs() {
        assertThatThrownBy(() -> KeyDistribution.parse("gauss", 10, 90)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyDistribution.parse("hot:0", 10, 90)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyDistribution.parse("zipfian:1.5", 10, 90)).isInstanceOf(IllegalArgumentException.class);
    }
}
