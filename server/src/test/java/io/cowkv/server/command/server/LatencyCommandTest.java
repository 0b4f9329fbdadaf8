package io.cowkv.server.command.server;

import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.DispatchFixture;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.config.ConfigException;
import io.cowkv.server.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the dispatcher records for the latency tooling and what LATENCY HISTOGRAM and INFO
 * latencystats make of it (run times vary, so formats and counts are checked, not times).
 */
class LatencyCommandTest {
    private final DispatchFixture fixture = new DispatchFixture();
    private final CommandRegistry registry = fixture.registry;
    private final ServerConfig config = fixture.config;
    private final ServerContext ctx = fixture.ctx;
    private InfoSections info;

    @BeforeEach
    void setUp() {
        new io.cowkv.server.command.string.StringCommands(ctx).register(registry);
        new ConfigCommand(ctx).register(registry);
        new LatencyCommand(ctx).register(registry);
        info = new InfoSections(ctx, null, null, null); // only the latencystats section is asked for
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private String run(String... words) {
        return fixture.run(words);
    }

    @Test
    void executedCommandsAreRecordedArityRejectedOnesAreNot() {
        run("SET", "k", "v");
        run("SET", "k", "v");
        run("SET", "k"); // wrong arity: counted as rejected, not timed (as Redis)
        run("GET", "k");
        assertThat(registry.get("set").stats.latency.histogram().getTotalCount()).isEqualTo(2);
        String reply = run("LATENCY", "HISTOGRAM", "set", "nosuch");
        assertThat(reply).startsWith("*2\r\n$3\r\nset\r\n*4\r\n$5\r\ncalls\r\n:2\r\n$14\r\nhistogram_usec\r\n*");
        // all commands with data, in the table's order (get is registered before set), containers' subcommands after
        run("CONFIG", "GET", "hz");
        String all = run("LATENCY", "HISTOGRAM");
        assertThat(all).startsWith("*8\r\n"); // get, set, config|get, latency|histogram
        assertThat(all.indexOf("$3\r\nget\r\n")).isLessThan(all.indexOf("$3\r\nset\r\n"));
        assertThat(all).contains("$10\r\nconfig|get\r\n").contains("$17\r\nlatency|histogram\r\n");
        // a container name lists its subcommands; container|sub names one
        assertThat(run("LATENCY", "HISTOGRAM", "CONFIG")).startsWith("*2\r\n$10\r\nconfig|get\r\n");
        assertThat(run("LATENCY", "HISTOGRAM", "config|get")).startsWith("*2\r\n$10\r\nconfig|get\r\n");
        assertThat(run("LATENCY", "HISTOGRAM", "config|nosuch", "get|x")).isEqualTo("*0\r\n");
    }

    @Test
    void latencyTrackingOffStopsRecordingAndHidesInfoLines() {
        run("CONFIG", "SET", "latency-tracking", "no");
        run("SET", "k", "v");
        assertThat(registry.get("set").stats.latency.histogram()).isNull();
        run("CONFIG", "SET", "latency-tracking", "yes");
        run("SET", "k", "v");
        assertThat(info.info(List.of("latencystats"))).contains("latency_percentiles_usec_set:");
        run("CONFIG", "SET", "latency-tracking", "no");
        assertThat(info.info(List.of("latencystats"))).isEqualTo("# Latencystats\r\n");
    }

    @Test
    void infoLatencystatsFormatAndResetstat() throws ConfigException {
        run("SET", "k", "v");
        run("CONFIG", "GET", "hz");
        String text = info.info(List.of("latencystats"));
        assertThat(text).startsWith("# Latencystats\r\n");
        assertThat(text).containsPattern("\r\nlatency_percentiles_usec_set:p50=\\d+\\.\\d{3},p99=\\d+\\.\\d{3},p99\\.9=\\d+\\.\\d{3}\r\n");
        assertThat(text).contains("latency_percentiles_usec_config|get:p50=");
        assertThat(text.indexOf("usec_set:")).isLessThan(text.indexOf("usec_config|get:")); // commandstats' order
        config.set("latency-tracking-info-percentiles", "0 99.99", false);
        assertThat(info.info(List.of("latencystats"))).containsPattern("usec_set:p0=\\d+\\.\\d{3},p99\\.99=\\d+\\.\\d{3}\r\n");
        config.set("latency-tracking-info-percentiles", "", false);
        assertThat(info.info(List.of("latencystats"))).contains("latency_percentiles_usec_set:\r\n");
        run("CONFIG", "RESETSTAT");
        assertThat(registry.get("set").stats.latency.histogram()).isNull();
        assertThat(info.info(List.of("latencystats"))).doesNotContain("usec_set:").contains("usec_config|resetstat:");
    }

    @Test
    void commandEventsFollowTheThresholdAndTheFastFlag() {
        registry.register(io.cowkv.server.command.CommandSpec.command("slowpoke", 1).flags("fast").handler((s, a) -> {
            long end = System.nanoTime() + 3_000_000;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            s.reply().ok();
        }).build());
        registry.register(io.cowkv.server.command.CommandSpec.command("slowcmd", 1).handler((s, a) -> {
            long end = System.nanoTime() + 3_000_000;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            s.reply().ok();
        }).build());
        run("SLOWPOKE");
        assertThat(ctx.latency.events()).isEmpty(); // threshold 0: off
        run("CONFIG", "SET", "latency-monitor-threshold", "2");
        assertThat(ctx.latency.threshold()).isEqualTo(2);
        run("SLOWPOKE");
        run("SLOWCMD");
        assertThat(ctx.latency.events()).containsExactly("fast-command", "command");
        assertThat(run("LATENCY", "LATEST")).startsWith("*2\r\n*4\r\n$12\r\nfast-command\r\n:");
        assertThat(run("LATENCY", "HISTORY", "command")).startsWith("*1\r\n*2\r\n:");
        assertThat(run("LATENCY", "GRAPH", "command")).contains("command - high ");
        assertThat(run("LATENCY", "RESET", "command", "nosuch")).isEqualTo(":1\r\n");
        assertThat(run("LATENCY", "RESET")).isEqualTo(":1\r\n");
        run("CONFIG", "SET", "latency-monitor-threshold", "0");
    }
}
