package io.cowkv.server.command.server;

import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.DispatchFixture;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.connection.ClientCommand;
import io.cowkv.server.command.connection.ConnectionCommands;
import io.cowkv.server.config.ServerConfig;
import io.cowkv.server.metrics.SlowLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.cowkv.server.command.CommandSpec.command;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the dispatcher puts in the slow log and how SLOWLOG reads it. Run times vary, so the tests
 * either log every command (threshold 0) or none (a threshold no command reaches), except one that
 * runs a command known to take at least 15 ms. The byte-exact replies of the deterministic cases
 * are compared with a real Redis in integration-tests (differential/slowlog.redis,
 * SlowlogDifferentialTest).
 */
class SlowlogCommandTest {
    private final DispatchFixture fixture = new DispatchFixture();
    private final CommandRegistry registry = fixture.registry;
    private final ServerConfig config = fixture.config;
    private final ServerContext ctx = fixture.ctx;

    @BeforeEach
    void setUp() {
        new io.cowkv.server.command.string.StringCommands(ctx).register(registry);
        new ConfigCommand(ctx).register(registry);
        new ConnectionCommands(ctx).register(registry);
        new ClientCommand(ctx).register(registry);
        new SlowlogCommand(ctx).register(registry);
        registry.register(command("slowcmd", 1).handler((s, a) -> {
            long until = System.nanoTime() + 15_000_000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            s.reply().ok();
        }).build());
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private String run(String... words) {
        return fixture.run(words);
    }

    /** The args of every entry of {@code SLOWLOG GET -1}, newest first, read from the log itself. */
    private List<List<String>> loggedArgs() {
        List<List<String>> out = new ArrayList<>();
        for (SlowLog.Entry e : ctx.slowlog.newest(Long.MAX_VALUE)) {
            List<String> args = new ArrayList<>();
            for (byte[] a : e.args()) {
                args.add(new String(a, StandardCharsets.UTF_8));
            }
            out.add(args);
        }
        return out;
    }

    @Test
    void defaultsAreRedisDefaults() {
        assertThat(config.slowlogLogSlowerThan()).isEqualTo(10_000);
        assertThat(config.slowlogMaxLen()).isEqualTo(128);
    }

    @Test
    void aCommandAtOrAboveTheThresholdIsLoggedWithItsRunTime() {
        // warm up what runs below with a threshold nothing reaches: in a cold JVM a first call
        // can take over 10 ms
        run("CONFIG", "SET", "slowlog-log-slower-than", "100000000");
        run("SLOWLOG", "GET");
        run("CONFIG", "SET", "slowlog-log-slower-than", "10000");
        ctx.slowlog.reset();
        run("SLOWCMD");
        assertThat(ctx.slowlog.length()).isEqualTo(1);
        SlowLog.Entry e = ctx.slowlog.newest(1).get(0);
        assertThat(e.durationMicros()).isGreaterThanOrEqualTo(15_000);
        assertThat(loggedArgs()).containsExactly(List.of("SLOWCMD"));
        assertThat(e.timeSeconds()).isBetween(System.currentTimeMillis() / 1000 - 60, System.currentTimeMillis() / 1000);
        String reply = run("SLOWLOG", "GET");
        assertThat(reply).startsWith("*1\r\n*6\r\n:" + e.id() + "\r\n:" + e.timeSeconds() + "\r\n:" + e.durationMicros()
                + "\r\n*1\r\n$7\r\nSLOWCMD\r\n$1\r\na\r\n$0\r\n\r\n");
        // a threshold above the run time: not logged
        run("CONFIG", "SET", "slowlog-log-slower-than", "100000000");
        run("SLOWCMD");
        assertThat(ctx.slowlog.length()).isEqualTo(1);
    }

    @Test
    void negativeThresholdOrZeroLengthLogsNothing() {
        run("CONFIG", "SET", "slowlog-log-slower-than", "-1");
        run("SLOWLOG", "RESET");
        run("SLOWCMD");
        run("SET", "k", "v");
        assertThat(run("SLOWLOG", "LEN")).isEqualTo(":0\r\n");
        run("CONFIG", "SET", "slowlog-log-slower-than", "0"); // logged itself
        assertThat(ctx.slowlog.length()).isEqualTo(1);
        run("CONFIG", "SET", "slowlog-max-len", "0"); // as Redis: every entry is dropped after this command
        run("SLOWCMD");
        assertThat(ctx.slowlog.length()).isZero();
    }

    @Test
    void thresholdZeroLogsEveryCommandNewestFirstWithIdsCountingUp() {
        run("CONFIG", "SET", "slowlog-log-slower-than", "0");
        run("SLOWLOG", "RESET");
        run("SET", "k", "v");
        run("GET", "k");
        run("SET", "k"); // wrong arity: rejected before it runs, not logged (as Redis)
        run("NOSUCH");
        assertThat(loggedArgs()).containsExactly(List.of("GET", "k"), List.of("SET", "k", "v"), List.of("SLOWLOG", "RESET"));
        List<SlowLog.Entry> entries = ctx.slowlog.newest(10);
        assertThat(entries.get(0).id()).isEqualTo(entries.get(1).id() + 1).isEqualTo(entries.get(2).id() + 2);
        // SLOWLOG LEN answers before it is logged itself
        assertThat(run("SLOWLOG", "LEN")).isEqualTo(":3\r\n");
        assertThat(ctx.slowlog.length()).isEqualTo(4);
        // RESET empties the log; ids go on
        long lastId = ctx.slowlog.newest(1).get(0).id();
        assertThat(run("SLOWLOG", "RESET")).isEqualTo("+OK\r\n");
        assertThat(ctx.slowlog.newest(1).get(0).id()).isEqualTo(lastId + 1);
        assertThat(run("SLOWLOG", "LEN")).isEqualTo(":1\r\n");
    }

    @Test
    void peerAndClientNameAreTheClientsAtTheEndOfTheCommand() {
        run("CONFIG", "SET", "slowlog-log-slower-than", "0");
        fixture.runFrom("10.1.2.3:4567", "GET", "x");
        run("CLIENT", "SETNAME", "worker-1");
        List<SlowLog.Entry> e = ctx.slowlog.newest(2);
        assertThat(e.get(0).peer()).isEqualTo("a");
        assertThat(e.get(0).clientName()).isEqualTo("worker-1");
        assertThat(e.get(1).peer()).isEqualTo("10.1.2.3:4567");
        assertThat(e.get(1).clientName()).isEmpty();
    }

    @Test
    void longArgumentsAndLongCommandsAreCutAsRedisCutsThem() {
        run("CONFIG", "SET", "slowlog-log-slower-than", "0");
        String big = "x".repeat(200);
        run("SET", big, "y".repeat(128));
        assertThat(loggedArgs().get(0)).containsExactly("SET", "x".repeat(128) + "... (72 more bytes)", "y".repeat(128));
        String[] mset = new String[35];
        mset[0] = "MSET";
        for (int i = 1; i < mset.length; i++) {
            mset[i] = "a" + i;
        }
        run(mset);
        List<String> args = loggedArgs().get(0);
        assertThat(args).hasSize(32);
        assertThat(args.subList(0, 31)).isEqualTo(Arrays.asList(mset).subList(0, 31));
        assertThat(args.get(31)).isEqualTo("... (4 more arguments)");
        // exactly 32 arguments are kept whole
        // MSET and 31 arguments: a wrong number of arguments found by the command itself, still logged
        assertThat(run(Arrays.copyOf(mset, 32))).startsWith("-ERR wrong number of arguments");
        assertThat(loggedArgs().get(0)).isEqualTo(Arrays.asList(mset).subList(0, 32));
    }

    @Test
    void helloAuthCredentialsAreRedacted() {
        run("CONFIG", "SET", "slowlog-log-slower-than", "0");
        fixture.runFrom("127.0.0.1:1", "HELLO", "2", "AUTH", "default", "secret", "SETNAME", "n");
        fixture.runFrom("127.0.0.1:1", "HELLO", "2", "AUTH", "someone", "pw");
        List<List<String>> logged = loggedArgs();
        assertThat(logged.get(0)).containsExactly("HELLO", "2", "AUTH", "(redacted)", "(redacted)");
        assertThat(logged.get(1)).containsExactly("HELLO", "2", "AUTH", "(redacted)", "(redacted)", "SETNAME", "n");
        // the marks last for one command only
        run("SET", "default", "secret");
        assertThat(loggedArgs().get(0)).containsExactly("SET", "default", "secret");
    }

    @Test
    void maxLenKeepsTheNewestEntries() {
        run("CONFIG", "SET", "slowlog-log-slower-than", "0");
        for (int i = 0; i < 5; i++) {
            run("SET", "k" + i, "v");
        }
        // the CONFIG SET is logged itself, and the log is cut to 2 at that entry
        run("CONFIG", "SET", "slowlog-max-len", "2");
        assertThat(loggedArgs()).containsExactly(List.of("CONFIG", "SET", "slowlog-max-len", "2"), List.of("SET", "k4", "v"));
        run("SET", "k5", "v");
        assertThat(loggedArgs()).containsExactly(List.of("SET", "k5", "v"), List.of("CONFIG", "SET", "slowlog-max-len", "2"));
    }

    @Test
    void getCountDefaultsToTenAndMinusOneMeansAll() {
        run("CONFIG", "SET", "slowlog-log-slower-than", "0");
        for (int i = 0; i < 14; i++) {
            run("SET", "k" + i, "v");
        }
        assertThat(run("SLOWLOG", "GET")).startsWith("*10\r\n");
        assertThat(run("SLOWLOG", "GET", "3")).startsWith("*3\r\n");
        assertThat(run("SLOWLOG", "GET", "0")).isEqualTo("*0\r\n");
        int len = ctx.slowlog.length();
        assertThat(run("SLOWLOG", "GET", "-1")).startsWith("*" + len + "\r\n");
        assertThat(run("SLOWLOG", "GET", "1000")).startsWith("*" + (len + 1) + "\r\n");
        assertThat(run("SLOWLOG", "GET", "-2")).isEqualTo("-ERR count should be greater than or equal to -1\r\n");
        assertThat(run("SLOWLOG", "GET", "x")).isEqualTo("-ERR count should be greater than or equal to -1\r\n");
        assertThat(run("SLOWLOG", "GET", "1", "2"))
                .isEqualTo("-ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP.\r\n");
    }

    @Test
    void configValuesAreCheckedAsRedisChecksThem() {
        assertThat(run("CONFIG", "SET", "slowlog-log-slower-than", "-2")).startsWith("-ERR CONFIG SET failed");
        assertThat(run("CONFIG", "SET", "slowlog-max-len", "-1")).startsWith("-ERR CONFIG SET failed");
        assertThat(run("CONFIG", "GET", "slowlog-max-len")).isEqualTo("*2\r\n$15\r\nslowlog-max-len\r\n$3\r\n128\r\n");
        assertThat(config.slowlogLogSlowerThan()).isEqualTo(10_000);
    }
}
