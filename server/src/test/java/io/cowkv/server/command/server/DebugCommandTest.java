package io.cowkv.server.command.server;

import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.DispatchFixture;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.config.ServerConfig;
import io.cowkv.server.keyspace.Keyspace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DEBUG's parts that the differential test cannot compare byte for byte (addresses, LRU clock,
 * non-loopback clients, the active expiry switch). RELOAD is tested end to end in the
 * integration tests (persistence/DebugReloadTest), with a real dump.
 */
class DebugCommandTest {
    private static final String REFUSED = "-ERR DEBUG command not allowed. If the enable-debug-command option is set"
            + " to \"local\", you can run it from a local connection, otherwise you need to set this option in the"
            + " configuration file, and then restart the server.\r\n";
    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    private final DispatchFixture fixture = new DispatchFixture(now::get);
    private final Keyspace keyspace = fixture.keyspace;
    private final ServerConfig config = fixture.config;
    private final CommandRegistry registry = fixture.registry;
    private final List<String> logged = new ArrayList<>();

    DebugCommandTest() {
        ServerContext ctx = fixture.ctx;
        new DebugCommand(ctx, null, logged::add).register(registry);
        new io.cowkv.server.command.string.StringCommands(ctx).register(registry);
        new io.cowkv.server.command.keys.ExpireCommands(ctx).register(registry);
        new io.cowkv.server.command.keys.KeyCommands(ctx).register(registry);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private String runFrom(String addr, String... words) {
        return fixture.runFrom(addr, words);
    }

    private String run(String... words) {
        return fixture.runFrom("127.0.0.1:50000", words);
    }

    private void enable(String mode) throws Exception {
        config.set("enable-debug-command", mode, true);
    }

    @Test
    void protectedByEnableDebugCommand() throws Exception {
        assertThat(config.get("enable-debug-command")).isEqualTo("no");
        assertThat(run("DEBUG", "SLEEP", "0")).isEqualTo(REFUSED);
        enable("local");
        assertThat(runFrom("127.0.0.1:50000", "DEBUG", "SLEEP", "0")).isEqualTo("+OK\r\n");
        assertThat(runFrom("127.8.9.10:50000", "DEBUG", "SLEEP", "0")).isEqualTo("+OK\r\n");
        assertThat(runFrom("0:0:0:0:0:0:0:1:50000", "DEBUG", "SLEEP", "0")).isEqualTo("+OK\r\n");
        assertThat(runFrom("10.1.2.3:50000", "DEBUG", "SLEEP", "0")).isEqualTo(REFUSED);
        assertThat(runFrom("192.168.0.7:50000", "DEBUG", "SLEEP", "0")).isEqualTo(REFUSED);
        enable("yes");
        assertThat(runFrom("10.1.2.3:50000", "DEBUG", "SLEEP", "0")).isEqualTo("+OK\r\n");
        // refusals are rejected calls, as arity errors are; the rest ran
        assertThat(registry.get("debug").stats.rejectedCalls).isEqualTo(3);
        assertThat(registry.get("debug").stats.calls).isEqualTo(4);
    }

    @Test
    void objectLine() throws Exception {
        enable("yes");
        run("SET", "small", "1");
        run("SET", "big", "12345");
        run("SET", "text", "hello");
        run("SET", "long", "x".repeat(100));
        String pattern = "\\+Value at:0x[0-9a-f]+ refcount:%s encoding:%s serializedlength:%d lru:\\d+ lru_seconds_idle:%d\r\n";
        assertThat(run("DEBUG", "OBJECT", "small")).matches(String.format(pattern, "2147483647", "int", 2, 0));
        assertThat(run("DEBUG", "OBJECT", "big")).matches(String.format(pattern, "1", "int", 3, 0));
        assertThat(run("DEBUG", "OBJECT", "text")).matches(String.format(pattern, "1", "embstr", 6, 0));
        // 100 equal bytes compress (rdbcompression yes): LZF header + a few bytes
        String compressed = run("DEBUG", "OBJECT", "long");
        int len = Integer.parseInt(compressed.replaceAll(".*serializedlength:(\\d+).*\r\n", "$1"));
        assertThat(len).isBetween(4, 20);
        config.set("rdbcompression", "no", false);
        assertThat(run("DEBUG", "OBJECT", "long")).matches(String.format(pattern, "1", "raw", 102, 0)); // 2-byte length + 100
        // idle time follows the clock; DEBUG OBJECT itself is not an access
        now.addAndGet(7_000);
        keyspace.tickLruClock();
        assertThat(run("DEBUG", "OBJECT", "text")).matches(String.format(pattern, "1", "embstr", 6, 7));
        assertThat(run("DEBUG", "OBJECT", "text")).matches(String.format(pattern, "1", "embstr", 6, 7));
        assertThat(run("DEBUG", "OBJECT", "missing")).isEqualTo("-ERR no such key\r\n");
    }

    @Test
    void setActiveExpireSwitchesTheCycle() throws Exception {
        enable("yes");
        for (int i = 0; i < 50; i++) {
            run("SET", "k" + i, "v");
            run("PEXPIRE", "k" + i, "10");
        }
        now.addAndGet(1_000);
        assertThat(run("DEBUG", "SET-ACTIVE-EXPIRE", "0")).isEqualTo("+OK\r\n");
        keyspace.activeExpireCycle(10);
        assertThat(keyspace.db(0).size()).isEqualTo(50);
        assertThat(run("DEBUG", "SET-ACTIVE-EXPIRE", "1")).isEqualTo("+OK\r\n");
        keyspace.activeExpireCycle(10);
        assertThat(keyspace.db(0).size()).isZero();
    }

    @Test
    void logGoesToTheWarningLog() throws Exception {
        enable("yes");
        assertThat(run("DEBUG", "LOG", "look here")).isEqualTo("+OK\r\n");
        assertThat(logged).containsExactly("DEBUG LOG: look here");
    }

    @Test
    void populateCutsLongKeyNamesAsRedis() throws Exception {
        enable("yes");
        String prefix = "p".repeat(130);
        assertThat(run("DEBUG", "POPULATE", "2", prefix)).isEqualTo("+OK\r\n");
        // snprintf into 128 bytes: the prefix cut to 127 characters, no room for ":N"
        assertThat(keyspace.db(0).size()).isEqualTo(1);
        assertThat(run("EXISTS", "p".repeat(127))).isEqualTo(":1\r\n");
        String p125 = "p".repeat(125);
        assertThat(run("DEBUG", "POPULATE", "12", p125)).isEqualTo("+OK\r\n");
        assertThat(run("EXISTS", p125 + ":1")).isEqualTo(":1\r\n"); // key:10 and key:11 also cut to ":1"
        assertThat(keyspace.db(0).size()).isEqualTo(1 + 10);
    }
}
