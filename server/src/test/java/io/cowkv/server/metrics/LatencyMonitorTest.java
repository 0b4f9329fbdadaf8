package io.cowkv.server.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The latency monitor with an injected clock: latency.c's rules and texts, compared with redis-server 7.0.15. */
class LatencyMonitorTest {
    private long nowMillis = 1_795_734_233_000L;
    private final LatencyMonitor monitor = new LatencyMonitor(() -> nowMillis);

    private void at(long unixSeconds) {
        nowMillis = unixSeconds * 1000 + 500;
    }

    @Test
    void thresholdZeroIsOffAndTheThresholdItselfCounts() {
        assertThat(monitor.exceeds(1000)).isFalse();
        monitor.addSampleIfNeeded(LatencyMonitor.COMMAND, 1000);
        assertThat(monitor.events()).isEmpty();
        monitor.threshold(10);
        assertThat(monitor.exceeds(9)).isFalse();
        assertThat(monitor.exceeds(10)).isTrue();
        monitor.addSampleIfNeeded(LatencyMonitor.COMMAND, 9);
        assertThat(monitor.events()).isEmpty();
        monitor.addSampleIfNeeded(LatencyMonitor.COMMAND, 10);
        assertThat(monitor.events()).containsExactly("command");
    }

    @Test
    void samplesInTheSameSecondKeepTheirMaximum() {
        at(100);
        monitor.addSample("command", 5);
        monitor.addSample("command", 20);
        monitor.addSample("command", 7);
        at(101);
        monitor.addSample("command", 3);
        assertThat(monitor.history("command")).containsExactly(new long[]{100, 20}, new long[]{101, 3});
        assertThat(monitor.latest("command")).containsExactly(101, 3, 20);
        assertThat(monitor.history("COMMAND")).isEmpty(); // HISTORY and GRAPH look names up exactly, as Redis's dict
        assertThat(monitor.graph("Command")).isNull();
    }

    @Test
    void theRingKeeps160SamplesAndTheAllTimeMaximum() {
        for (int i = 1; i <= 170; i++) {
            at(1000 + i);
            monitor.addSample("fork", i == 3 ? 500 : i);
        }
        List<long[]> history = monitor.history("fork");
        assertThat(history).hasSize(LatencyMonitor.TS_LEN);
        assertThat(history.get(0)).containsExactly(1011, 11); // the 10 oldest were overwritten
        assertThat(history.get(159)).containsExactly(1170, 170);
        assertThat(monitor.latest("fork")).containsExactly(1170, 170, 500); // max outlives its sample
    }

    @Test
    void resetRemovesNamedEventsIgnoringCaseOrAll() {
        monitor.addSample("command", 1);
        monitor.addSample("fast-command", 1);
        monitor.addSample("fork", 1);
        monitor.addSample("expire-cycle", 1);
        assertThat(monitor.reset("nosuch")).isZero();
        assertThat(monitor.reset("FORK")).isEqualTo(1);
        assertThat(monitor.events()).containsExactly("command", "fast-command", "expire-cycle");
        assertThat(monitor.reset(null)).isEqualTo(3);
        assertThat(monitor.events()).isEmpty();
        assertThat(monitor.history("command")).isEmpty();
    }

    /**
     * On redis-server 7.0.15 (--enable-debug-command yes, CONFIG SET latency-monitor-threshold 1)
     * DEBUG SLEEP 0.010, 0.050, 0.030, 0.002, 0.100, 0.020, 0.075, 0.005 one second apart, then
     * 0.003 and 0.040 in the same second, gave this LATENCY HISTORY command.
     */
    private void redisSeries() {
        monitor.threshold(1);
        long[][] samples = {{1795734233, 10}, {1795734234, 50}, {1795734235, 30}, {1795734236, 2},
            {1795734238, 100}, {1795734239, 20}, {1795734240, 75}, {1795734241, 5}, {1795734242, 3},
            {1795734242, 40}};
        for (long[] s : samples) {
            at(s[0]);
            monitor.addSampleIfNeeded(LatencyMonitor.COMMAND, s[1]);
        }
    }

    @Test
    void graphMatchesRedisForTheSameSeries() {
        redisSeries();
        String header = "command - high 100 ms, low 2 ms (all time high 100 ms)\n" + "-".repeat(80) + "\n";
        String bars = "    #    \n"
                + "    | #  \n"
                + " #_ | | o\n"
                + "_||_|#|_|\n"
                + "         \n";
        // Redis's LATENCY GRAPH command right after the last sample (labels: seconds ago) ...
        at(1795734242);
        assertThat(monitor.graph("command")).isEqualTo(header + bars + "987643210\nsssssssss\n");
        // ... and 10 seconds later (two-digit labels, written vertically)
        at(1795734252);
        assertThat(monitor.graph("command")).isEqualTo(header + bars + "111111111\n987643210\nsssssssss\n");
        at(1795734242 + 3600);
        assertThat(monitor.graph("command")).endsWith("         \n111111111\nhhhhhhhhh\n");
    }

    @Test
    void doctorMatchesRedisForTheSameSeries() {
        redisSeries();
        at(1795734242);
        String advice = "\nI have a few advices for you:\n\n"
                + "- Your current Slow Log configuration only logs events that are slower than your configured latency monitor "
                + "threshold. Please use 'CONFIG SET slowlog-log-slower-than 1000'.\n"
                + "- Check your Slow Log to understand what are the commands you are running which are too slow to execute. "
                + "Please check https://redis.io/commands/slowlog for more information.\n"
                + "- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you "
                + "have very large objects that are often deleted, expired, or evicted, try to fragment those objects into "
                + "multiple smaller objects.\n";
        assertThat(monitor.doctor(10, 10_000)).isEqualTo("Dave, I have observed latency spikes in this Redis instance. You don't mind "
                + "talking about it, do you Dave?\n\n"
                + "1. command: 9 latency spikes (average 36ms, mean deviation 26ms, period 1.00 sec). Worst all time event 100ms.\n"
                + advice);
        // Redis, 10 s later with the threshold set back to 0: the events stay, the period grows to 19 s / 9.
        at(1795734252);
        monitor.threshold(0);
        assertThat(monitor.doctor(10, 10_000)).contains("period 2.11 sec")
                .contains("'CONFIG SET slowlog-log-slower-than 0'");
    }

    @Test
    void doctorSlowLogAdviceFollowsSlowlogLogSlowerThan() {
        monitor.threshold(5);
        monitor.addSampleIfNeeded(LatencyMonitor.COMMAND, 25);
        String enable = "- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log "
                + "Redis feature using the command 'CONFIG SET slowlog-log-slower-than 5000'. If the Slow log is disabled "
                + "Redis is not able to log slow commands execution for you.\n";
        String tune = "Please use 'CONFIG SET slowlog-log-slower-than 5000'.\n";
        assertThat(monitor.doctor(10, -1)).contains(enable).doesNotContain("Your current Slow Log configuration");
        assertThat(monitor.doctor(10, 10_000)).contains(tune).doesNotContain("try to enable");
        // logging from 5 ms or less: nothing to tune, only "check your Slow Log"
        assertThat(monitor.doctor(10, 5_999)).doesNotContain("Your current Slow Log configuration")
                .doesNotContain("There are latency issues").contains("- Check your Slow Log");
    }

    @Test
    void doctorWithoutEvents() {
        assertThat(monitor.doctor(10, 10_000)).startsWith("I'm sorry, Dave, I can't do that. Latency monitoring is disabled");
        monitor.threshold(5);
        assertThat(monitor.doctor(10, 10_000)).isEqualTo("Dave, no latency spike was observed during the lifetime of this Redis "
                + "instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, "
                + "and think things over.\n");
    }

    @Test
    void doctorAdviceForForkFastCommandAndExpireCycle() {
        monitor.threshold(20); // >= 10: no slow-log tuning advice
        monitor.fork(30_000, 1L << 30); // 30 ms for 1 GiB: 33.33 GB/s, good
        monitor.addSampleIfNeeded(LatencyMonitor.FAST_COMMAND, 25);
        monitor.addSampleIfNeeded(LatencyMonitor.EXPIRE_CYCLE, 40);
        String report = monitor.doctor(10, 10_000);
        assertThat(report).contains("1. fork: 1 latency spikes (average 30ms, mean deviation 0ms, period 1.00 sec). "
                + "Worst all time event 30ms. Fork rate is 33.33 GB/sec (good).\n");
        assertThat(report).contains("2. fast-command: 1 latency spikes").contains("3. expire-cycle: 1 latency spikes");
        assertThat(report).doesNotContain("hypervisior").doesNotContain("Slow Log")
                .contains("- The system is slow to execute Redis code paths not containing system calls.")
                .contains("'CONFIG SET hz 100'")
                .contains("- Deleting, expiring or evicting");
        assertThat(monitor.doctor(100, 10_000)).doesNotContain("'CONFIG SET hz 100'");
        monitor.fork(300_000, 1L << 30); // 3.33 GB/s: terrible, advise a better VM
        assertThat(monitor.doctor(10, 10_000)).contains("Fork rate is 3.33 GB/sec (terrible).")
                .contains("- If you are using a virtual machine, consider upgrading it");
    }

    @Test
    void forkBelowTheThresholdOnlySetsTheRate() {
        monitor.threshold(1);
        monitor.fork(400, 1L << 30); // a sub-millisecond freeze: 0 ms, no sample
        assertThat(monitor.events()).isEmpty();
        assertThat(monitor.forkRate()).isEqualTo(2500.0);
        monitor.fork(1500, 1L << 30);
        assertThat(monitor.history("fork")).hasSize(1);
        assertThat(monitor.history("fork").get(0)[1]).isEqualTo(1);
    }
}
