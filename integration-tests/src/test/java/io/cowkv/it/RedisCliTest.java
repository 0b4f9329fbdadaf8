package io.cowkv.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code redis-cli} (Debian package redis-tools) against the packaged server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisCliTest {
    private CowKvProcess server;

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(ServerProcess.onPath("redis-cli"), "redis-cli is not on the PATH");
        server = CowKvProcess.started();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Runs redis-cli with the given arguments (stdin empty); returns stdout+stderr. */
    private String cli(String... args) throws IOException, InterruptedException {
        return cliWithInput(null, args);
    }

    private String cliWithInput(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", server.host(), "-p", Integer.toString(server.port())));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                throw new AssertionError("redis-cli " + args[0] + " did not finish in 20s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("redis-cli exit code; output: " + out).isZero();
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void basicCommands() throws Exception {
        assertThat(cli("PING")).isEqualTo("PONG\n");
        assertThat(cli("FLUSHALL")).isEqualTo("OK\n");
        assertThat(cli("SET", "cli:key", "hello world")).isEqualTo("OK\n");
        assertThat(cli("GET", "cli:key")).isEqualTo("hello world\n");
        assertThat(cli("EXISTS", "cli:key", "nokey")).isEqualTo("1\n");
        assertThat(cli("TYPE", "cli:key")).isEqualTo("string\n");
        assertThat(cli("--no-raw", "GET", "nokey")).isEqualTo("(nil)\n");
        assertThat(cli("--no-raw", "DEL", "cli:key")).isEqualTo("(integer) 1\n");
        assertThat(cli("-n", "5", "SET", "in5", "x")).isEqualTo("OK\n");
        assertThat(cli("-n", "5", "DBSIZE")).isEqualTo("1\n");
        assertThat(cli("--no-raw", "GET")).isEqualTo("(error) ERR wrong number of arguments for 'get' command\n");
        assertThat(cli("CONFIG", "GET", "maxmemory")).isEqualTo("maxmemory\n0\n");
    }

    /** redis-cli's key scans: --memkeys sizes keys with MEMORY USAGE, --bigkeys with STRLEN. */
    @Test
    void memkeysAndBigkeys() throws Exception {
        cli("-n", "7", "FLUSHDB");
        for (int i = 1; i <= 3; i++) {
            cli("-n", "7", "SET", "mk" + i, "x".repeat(i * 1000));
        }
        String usage = cli("-n", "7", "MEMORY", "USAGE", "mk3").trim();
        String mem = cli("-n", "7", "--memkeys");
        assertThat(mem).contains("Sampled 3 keys", "Biggest string found '\"mk3\"' has " + usage + " bytes",
                "3 strings with ");
        String big = cli("-n", "7", "--bigkeys");
        assertThat(big).contains("Sampled 3 keys", "Biggest string found '\"mk3\"' has 3000 bytes");
        cli("-n", "7", "FLUSHDB");
    }

    @Test
    void resp3Mode() throws Exception {
        assertThat(cli("-3", "--no-raw", "CONFIG", "GET", "maxmemory")).isEqualTo("1# \"maxmemory\" => \"0\"\n");
        assertThat(cli("-3", "--no-raw", "GET", "nokey")).isEqualTo("(nil)\n");
    }

    @Test
    void commandDocsGet() throws Exception {
        String out = cli("--no-raw", "COMMAND", "DOCS", "get");
        assertThat(out).contains("\"get\"", "\"summary\"", "\"since\"", "\"1.0.0\"", "\"group\"", "\"string\"",
                "\"arguments\"", "\"key\"");
    }

    @Test
    void info() throws Exception {
        String out = cli("INFO");
        assertThat(out).contains("# Server", "redis_version:", "tcp_port:" + server.port(), "# Clients",
                "# Memory", "# Stats", "# Keyspace");
        assertThat(cli("INFO", "server")).contains("# Server").doesNotContain("# Clients");
    }

    @Test
    void scriptOnStdin() throws Exception {
        String out = cliWithInput("SET a 1\nGET a\nECHO \"quoted arg\"\n");
        assertThat(out).isEqualTo("OK\n1\nquoted arg\n");
    }
}
