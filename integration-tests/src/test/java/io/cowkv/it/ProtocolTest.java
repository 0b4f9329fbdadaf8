package io.cowkv.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raw bytes on a socket: inline commands, quoting, protocol errors (and the connection closed
 * after them, as Redis does), limits. Each case's expectation is Redis 7's exact reply; when
 * redis-server is installed the same case also runs against it, so the expectations themselves
 * are checked against the oracle. After every case a fresh client must still be served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolTest {
    /** How long to wait for more bytes (or the close) after the expected reply. */
    private static final int SETTLE_MILLIS = 300;

    private CowKvProcess cowkv;
    private RedisProcess redis;

    @BeforeAll
    void start() throws Exception {
        cowkv = CowKvProcess.started();
        if (RedisProcess.available()) {
            redis = RedisProcess.started();
        }
    }

    @AfterAll
    void stop() {
        try {
            if (cowkv != null) {
                cowkv.close();
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    /** Bytes sent, the complete output expected, and whether the server then closes the connection. */
    record Case(String name, byte[] input, String expected, boolean closes) {
        static Case of(String name, String input, String expected, boolean closes) {
            return new Case(name, input.getBytes(StandardCharsets.ISO_8859_1), expected, closes);
        }
    }

    private static final String PONG = "+PONG\r\n";

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // protocol errors: reply, then close
        c.add(Case.of("invalid multibulk length", "*abc\r\n", "-ERR Protocol error: invalid multibulk length\r\n", true));
        c.add(Case.of("empty multibulk length", "*\r\n", "-ERR Protocol error: invalid multibulk length\r\n", true));
        c.add(Case.of("multibulk length above INT_MAX", "*2147483648\r\n", "-ERR Protocol error: invalid multibulk length\r\n", true));
        c.add(Case.of("expected $", "*1\r\nx\r\n", "-ERR Protocol error: expected '$', got 'x'\r\n", true));
        c.add(Case.of("invalid bulk length", "*1\r\n$abc\r\n", "-ERR Protocol error: invalid bulk length\r\n", true));
        c.add(Case.of("negative bulk length", "*1\r\n$-1\r\n", "-ERR Protocol error: invalid bulk length\r\n", true));
        c.add(Case.of("empty bulk length", "*1\r\n$\r\n", "-ERR Protocol error: invalid bulk length\r\n", true));
        c.add(Case.of("bulk above proto-max-bulk-len", "*1\r\n$536870913\r\n", "-ERR Protocol error: invalid bulk length\r\n", true));
        c.add(Case.of("too big inline request", "x".repeat(70_000), "-ERR Protocol error: too big inline request\r\n", true));
        c.add(Case.of("too big bulk count string", "*1\r\n" + "1".repeat(70_000), "-ERR Protocol error: too big bulk count string\r\n", true));
        c.add(Case.of("unbalanced double quote", "ECHO \"abc\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n", true));
        c.add(Case.of("unbalanced single quote", "ECHO 'abc\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n", true));
        c.add(Case.of("closing quote not followed by space", "ECHO \"a\"b\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n", true));
        c.add(Case.of("replies before the error are kept", "*1\r\n$4\r\nPING\r\n*abc\r\n*1\r\n$4\r\nPING\r\n",
                PONG + "-ERR Protocol error: invalid multibulk length\r\n", true));
        // inline commands
        c.add(Case.of("inline PING CRLF", "PING\r\n", PONG, false));
        c.add(Case.of("inline PING LF", "PING\n", PONG, false));
        c.add(Case.of("inline blank line ignored", "\r\n\nPING\r\n", PONG, false));
        c.add(Case.of("inline extra spaces", "  ECHO   a  \r\n", "$1\r\na\r\n", false));
        c.add(Case.of("inline double quotes", "ECHO \"hello world\"\r\n", "$11\r\nhello world\r\n", false));
        c.add(Case.of("inline escapes", "ECHO \"a\\x41\\n\\t\\\"\"\r\n", "$5\r\naA\n\t\"\r\n", false));
        c.add(Case.of("inline single quotes", "ECHO 'it\\'s'\r\n", "$4\r\nit's\r\n", false));
        c.add(Case.of("inline empty quoted arg", "ECHO \"\"\r\n", "$0\r\n\r\n", false));
        c.add(Case.of("inline SET then GET", "SET proto:k \"a b\"\r\nGET proto:k\r\n", "+OK\r\n$3\r\na b\r\n", false));
        c.add(Case.of("inline unknown command", "NOSUCH a b\r\n",
                "-ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b' \r\n", false));
        c.add(Case.of("bulk outside multibulk is inline", "$5\r\n",
                "-ERR unknown command '$5', with args beginning with: \r\n", false));
        // multibulk edge cases
        c.add(Case.of("empty and negative multibulk skipped", "*0\r\n*-1\r\nPING\r\n", PONG, false));
        c.add(Case.of("empty command name", "*1\r\n$0\r\n\r\n", "-ERR unknown command '', with args beginning with: \r\n", false));
        c.add(Case.of("several commands in one packet", "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n*1\r\n$4\r\nPING\r\n",
                PONG + "$2\r\nhi\r\n" + PONG, false));
        c.add(Case.of("mixed inline and multibulk", "PING\r\n*1\r\n$4\r\nPING\r\nPING\r\n", PONG + PONG + PONG, false));
        c.add(Case.of("incomplete command waits", "*2\r\n$4\r\nECHO\r\n$5\r\nhel", "", false));
        c.add(Case.of("binary-safe bulk", "*2\r\n$4\r\nECHO\r\n$4\r\n\r\n\u0000\u00ff\r\n", "$4\r\n\r\n\u0000\u00ff\r\n", false));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> cowkv() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(cowkv, c)));
    }

    @TestFactory
    Stream<DynamicTest> redisAgreesWithTheExpectations() {
        RedisProcess.assumeAvailable();
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(redis, c)));
    }

    private static void check(ServerProcess server, Case c) throws IOException {
        try (RespConnection conn = new RespConnection(server)) {
            conn.write(c.input());
            RespConnection.Drained got = conn.drain(c.closes() ? 5000 : SETTLE_MILLIS);
            String text = new String(got.bytes(), StandardCharsets.ISO_8859_1);
            assertThat(Resp.escape(got.bytes())).as(server.name() + ": reply to \"" + Resp.escape(abbreviate(c.input())) + "\"")
                    .isEqualTo(Resp.escape(c.expected().getBytes(StandardCharsets.ISO_8859_1)));
            assertThat(got.closed()).as(server.name() + ": connection closed after " + c.name() + " (got " + Resp.escape(text) + ")")
                    .isEqualTo(c.closes());
        }
        stillServes(server);
    }

    private static byte[] abbreviate(byte[] b) {
        return b.length <= 80 ? b : java.util.Arrays.copyOf(b, 80);
    }

    private static void stillServes(ServerProcess server) throws IOException {
        assertThat(server.isAlive()).as(server.name() + " alive; output:\n" + server.output()).isTrue();
        try (RespConnection other = new RespConnection(server)) {
            assertThat(new String(other.call("PING"), StandardCharsets.UTF_8)).isEqualTo(PONG);
        }
    }

    @Test
    void quitRepliesOkAndCloses() throws IOException {
        try (RespConnection c = new RespConnection(cowkv)) {
            c.write(Resp.encode("QUIT"));
            RespConnection.Drained got = c.drain(5000);
            assertThat(got.text()).isEqualTo("+OK\r\n");
            assertThat(got.closed()).isTrue();
        }
        stillServes(cowkv);
    }

    @Test
    void errorOnOneConnectionLeavesOthersAlone() throws IOException {
        try (RespConnection a = new RespConnection(cowkv); RespConnection b = new RespConnection(cowkv)) {
            assertThat(new String(a.call("SET", "shared", "1"), StandardCharsets.UTF_8)).isEqualTo("+OK\r\n");
            b.write("*abc\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(b.drain(5000).closed()).isTrue();
            assertThat(new String(a.call("GET", "shared"), StandardCharsets.UTF_8)).isEqualTo("$1\r\n1\r\n");
        }
    }
}
