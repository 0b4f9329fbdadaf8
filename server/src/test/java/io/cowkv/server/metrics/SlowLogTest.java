package io.cowkv.server.metrics;

import io.cowkv.server.protocol.CommandArgs;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The log's own rules: when it records, what it keeps of the arguments, how it is cut. */
class SlowLogTest {
    private long nowMillis = 1_795_796_724_500L;
    private final SlowLog log = new SlowLog(() -> nowMillis);

    private static CommandArgs args(String... words) {
        CommandArgs a = new CommandArgs();
        for (String w : words) {
            a.add(w);
        }
        return a;
    }

    @Test
    void recordsFromTheThresholdOnAndNeverWhenNegative() {
        log.afterCommand(args("A"), 9_999, "p", ""); // Redis's default: 10000 us
        assertThat(log.length()).isZero();
        log.afterCommand(args("B"), 10_000, "p", "");
        assertThat(log.length()).isEqualTo(1);
        log.slowerThan(-1);
        log.afterCommand(args("C"), Long.MAX_VALUE, "p", "");
        assertThat(log.length()).isEqualTo(1);
        log.slowerThan(0);
        log.afterCommand(args("D"), 0, "p", "");
        assertThat(log.length()).isEqualTo(2);
        SlowLog.Entry e = log.newest(1).get(0);
        assertThat(e.timeSeconds()).isEqualTo(1_795_796_724L);
        assertThat(e.durationMicros()).isZero();
        assertThat(e.peer()).isEqualTo("p");
    }

    @Test
    void entryCopiesArgumentsSoTheConnectionsBufferCanBeReused() {
        CommandArgs a = args("SET", "k", "v");
        log.afterCommand(a, 12_000, "127.0.0.1:1", "n");
        a.clear();
        a.add("XXXXXXXX");
        SlowLog.Entry e = log.newest(1).get(0);
        assertThat(new String(e.args()[1], StandardCharsets.UTF_8)).isEqualTo("k");
        assertThat(e.durationMicros()).isEqualTo(12_000);
        assertThat(e.clientName()).isEqualTo("n");
        assertThat(e.id()).isZero();
    }

    @Test
    void binaryArgumentsAreCutAtExactly128Bytes() {
        byte[] b = new byte[129];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 7);
        }
        CommandArgs a = new CommandArgs();
        a.add(b, 0, 128);
        a.add(b, 0, 129);
        log.slowerThan(0);
        log.afterCommand(a, 0, "p", "");
        byte[][] kept = log.newest(1).get(0).args();
        assertThat(kept[0]).isEqualTo(Arrays.copyOf(b, 128));
        assertThat(Arrays.copyOf(kept[1], 128)).isEqualTo(Arrays.copyOf(b, 128));
        assertThat(new String(kept[1], 128, kept[1].length - 128, StandardCharsets.US_ASCII)).isEqualTo("... (1 more bytes)");
    }

    @Test
    void aLoweredMaxLenCutsAtTheNextCommandLoggedOrNot() {
        log.slowerThan(0);
        for (int i = 0; i < 5; i++) {
            log.afterCommand(args("C" + i), 0, "p", "");
        }
        log.maxLen(2);
        assertThat(log.length()).isEqualTo(5);
        log.slowerThan(1_000);
        log.afterCommand(args("fast"), 10, "p", ""); // not logged, but the log is cut (as Redis)
        assertThat(log.newest(5)).extracting(SlowLog.Entry::id).containsExactly(4L, 3L);
        log.maxLen(0);
        log.afterCommand(args("slow"), 5_000, "p", ""); // length 0: logged and dropped at once
        assertThat(log.length()).isZero();
        // RESET empties the log; ids go on counting
        log.maxLen(128);
        log.afterCommand(args("C6"), 5_000, "p", "");
        log.reset();
        assertThat(log.length()).isZero();
        log.afterCommand(args("C7"), 5_000, "p", "");
        assertThat(log.newest(1).get(0).id()).isEqualTo(7);
    }
}
