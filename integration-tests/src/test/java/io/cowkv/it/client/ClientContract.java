package io.cowkv.it.client;

import io.cowkv.client.ArrayReply;
import io.cowkv.client.BulkReply;
import io.cowkv.client.ClientOptions;
import io.cowkv.client.IntegerReply;
import io.cowkv.client.MapReply;
import io.cowkv.client.NullReply;
import io.cowkv.client.RedisClient;
import io.cowkv.client.RedisConnection;
import io.cowkv.client.RedisConnectionException;
import io.cowkv.client.RedisServerException;
import io.cowkv.client.Reply;
import io.cowkv.client.SimpleStringReply;
import io.cowkv.it.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The client library ({@code io.cowkv.client}) against one server kind, as a black box: the
 * same tests run against the packaged CowKV jar ({@link ClientAgainstCowKvTest}) and against a
 * real redis-server ({@link ClientAgainstRedisTest}), so a difference between the two shows up
 * as one class failing. One server per class; the reconnect test starts its own (it kills it and
 * restarts it on the same port).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class ClientContract {
    /** A server of the kind under test, not started yet; skips the test where that kind is not installed. */
    abstract ServerProcess newServer();

    private ServerProcess server;

    @BeforeAll
    void startServer() throws Exception {
        server = newServer().start();
    }

    @AfterAll
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void flush() {
        try (RedisClient c = client(2)) {
            assertThat(c.send("FLUSHALL").join().asString()).isEqualTo("OK");
        }
    }

    private RedisClient client(int protocol) {
        return client(server, protocol, 1);
    }

    static RedisClient client(ServerProcess s, int protocol, int connections) {
        return RedisClient.create(ClientOptions.builder().host(s.host()).port(s.port())
                .protocol(protocol).connections(connections)
                .connectTimeout(Duration.ofSeconds(5)).commandTimeout(Duration.ofSeconds(20)).build());
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ pipelining

    @Test
    void tenThousandPipelinedCommandsOnOneConnectionAnswerInOrder() throws Exception {
        try (RedisClient c = client(2)) {
            RedisConnection conn = get(c.connection(0));
            List<CompletableFuture<Reply>> sets = new ArrayList<>();
            List<CompletableFuture<Reply>> incrs = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                sets.add(conn.send("SET", "p:" + i, "v" + i));
                incrs.add(conn.send("INCR", "counter"));
            }
            List<CompletableFuture<Reply>> gets = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                gets.add(conn.send("GET", "p:" + i));
            }
            for (int i = 0; i < 10_000; i++) {
                assertThat(get(sets.get(i))).isEqualTo(new SimpleStringReply("OK"));
                // INCR replies arrive in the order they were sent: 1, 2, 3, ...
                assertThat(get(incrs.get(i))).isEqualTo(new IntegerReply(i + 1));
                assertThat(get(gets.get(i)).asString()).isEqualTo("v" + i);
            }
            assertThat(get(conn.send("DBSIZE")).asLong()).isEqualTo(10_001);
        }
    }

    @Test
    void pipelinedBinaryValuesFromSeveralThreadsOverAPoolRoundTrip() throws Exception {
        try (RedisClient c = client(server, 2, 4)) {
            get(c.connect());
            byte[] all = new byte[256];
            for (int i = 0; i < 256; i++) {
                all[i] = (byte) i; // CR, LF, NUL and non-UTF-8 bytes inside a bulk string
            }
            List<Thread> threads = new ArrayList<>();
            List<CompletableFuture<Reply>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 4; t++) {
                int base = t * 2_500;
                Thread th = new Thread(() -> {
                    for (int i = base; i < base + 2_500; i++) {
                        byte[] v = java.util.Arrays.copyOf(all, 1 + i % 256);
                        futures.add(c.send("SET".getBytes(StandardCharsets.US_ASCII), ("b:" + i).getBytes(StandardCharsets.US_ASCII), v));
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join();
            }
            assertThat(futures).hasSize(10_000);
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            for (int i = 0; i < 10_000; i += 97) {
                Reply r = get(c.send("GET", "b:" + i));
                assertThat(r).isEqualTo(new BulkReply(java.util.Arrays.copyOf(all, 1 + i % 256)));
            }
            assertThat(get(c.send("DBSIZE")).asLong()).isEqualTo(10_000);
        }
    }

    // ------------------------------------------------------------------ errors

    /** Redis 7's exact error text, then the command that gets it. */
    static final String[][] ERRORS = {
        {"ERR wrong number of arguments for 'get' command", "GET"},
        {"ERR wrong number of arguments for 'get' command", "get", "a", "b"},
        {"ERR unknown command 'NOSUCHCMD', with args beginning with: 'a' ", "NOSUCHCMD", "a"},
        {"ERR value is not an integer or out of range", "INCR", "text"},
        {"ERR value is not a valid float", "INCRBYFLOAT", "f", "abc"},
        {"ERR DB index is out of range", "SELECT", "99"},
        {"ERR invalid expire time in 'set' command", "SET", "k", "v", "EX", "0"},
        {"ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'", "CONFIG", "SET", "nosuch", "1"},
        {"NOPROTO unsupported protocol version", "HELLO", "4"},
    };

    @Test
    void serverErrorsCarryTheServersExactTextAndTheConnectionKeepsWorking() throws Exception {
        try (RedisClient c = client(2)) {
            RedisConnection conn = get(c.connection(0));
            get(conn.send("SET", "text", "abc"));
            for (String[] e : ERRORS) {
                String[] cmd = java.util.Arrays.copyOfRange(e, 1, e.length);
                Throwable t = catchThrowable(conn.send(cmd)::join);
                assertThat(t).as(String.join(" ", cmd)).isInstanceOf(CompletionException.class);
                assertThat(t.getCause()).as(String.join(" ", cmd)).isInstanceOf(RedisServerException.class);
                RedisServerException se = (RedisServerException) t.getCause();
                assertThat(se.errorText()).as(String.join(" ", cmd)).isEqualTo(e[0]);
                assertThat(se.getMessage()).isEqualTo(e[0]);
                assertThat(se.errorCode()).isEqualTo(e[0].substring(0, e[0].indexOf(' ')));
            }
            // SET with conflicting options, then pipelined: an error in the middle of a pipeline fails
            // only its own future
            CompletableFuture<Reply> a = conn.send("SET", "x", "1");
            CompletableFuture<Reply> bad = conn.send("SET", "x", "2", "XX", "NX");
            CompletableFuture<Reply> b = conn.send("GET", "x");
            assertThat(get(a).asString()).isEqualTo("OK");
            ExecutionException ee = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> get(bad));
            assertThat(((RedisServerException) ee.getCause()).errorText()).isEqualTo("ERR syntax error");
            assertThat(get(b).asString()).isEqualTo("1");
            assertThat(conn.isOpen()).isTrue();
        }
    }

    // ------------------------------------------------------------------ RESP3

    @Test
    void resp3ThroughHello3GivesMapsAndTypedNulls() throws Exception {
        try (RedisClient c3 = client(3); RedisClient c2 = client(2)) {
            RedisConnection conn = get(c3.connection(0));
            assertThat(conn.protocol()).isEqualTo(3);
            Reply hello = get(conn.send("HELLO", "3"));
            assertThat(hello).isInstanceOf(MapReply.class);
            MapReply m = (MapReply) hello;
            assertThat(m.get("proto")).isEqualTo(new IntegerReply(3));
            assertThat(m.get("server").asString()).isEqualTo("redis");
            assertThat(m.get("version").asString()).startsWith("7.");

            Reply missing = get(conn.send("GET", "no-such-key"));
            assertThat(missing).isInstanceOf(NullReply.class);
            assertThat(missing.typeByte()).isEqualTo('_');
            Reply cfg = get(conn.send("CONFIG", "GET", "maxmemory"));
            assertThat(cfg).isInstanceOf(MapReply.class);
            assertThat(((MapReply) cfg).get("maxmemory").asString()).isEqualTo("0");
            assertThat(get(conn.send("CLIENT", "INFO")).asString()).contains("resp=3");

            // the same commands on a RESP2 connection: a flat array, a null bulk string
            RedisConnection conn2 = get(c2.connection(0));
            assertThat(conn2.protocol()).isEqualTo(2);
            assertThat(get(conn2.send("GET", "no-such-key")).isNull()).isTrue();
            Reply cfg2 = get(conn2.send("CONFIG", "GET", "maxmemory"));
            assertThat(cfg2).isInstanceOf(ArrayReply.class);
            assertThat(cfg2.asList()).extracting(Reply::asString).containsExactly("maxmemory", "0");
            assertThat(get(conn2.send("CLIENT", "INFO")).asString()).contains("resp=2");
        }
    }

    // ------------------------------------------------------------------ reconnect

    @Test
    void afterTheServerIsKilledCommandsFailCleanlyAndTheClientReconnectsOnceItIsBack() throws Exception {
        try (ServerProcess s = newServer().start(); RedisClient c = client(s, 3, 2)) {
            get(c.connect());
            RedisConnection before0 = get(c.connection(0));
            RedisConnection before1 = get(c.connection(1));
            assertThat(get(c.send("SET", "k", "v")).asString()).isEqualTo("OK");

            // commands in flight when the server dies: every future completes, none hangs; the
            // failures are connection failures
            List<CompletableFuture<Reply>> inFlight = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                inFlight.add(before0.send("INCR", "n"));
            }
            s.kill();
            for (CompletableFuture<Reply> f : inFlight) {
                Throwable t = catchThrowable(() -> f.get(20, TimeUnit.SECONDS));
                if (t != null) {
                    assertThat(t).isInstanceOf(ExecutionException.class);
                    assertThat(t.getCause()).isInstanceOf(RedisConnectionException.class);
                }
            }
            before0.closeFuture().get(20, TimeUnit.SECONDS);
            before1.closeFuture().get(20, TimeUnit.SECONDS);
            assertThat(before0.isOpen()).isFalse();

            // a RedisConnection never reconnects: sends on the broken one fail at once
            Throwable onOld = catchThrowable(() -> before1.send("PING").get(20, TimeUnit.SECONDS));
            assertThat(onOld).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RedisConnectionException.class);

            // while the server is down, the client tries to reconnect per command and says why it can't
            for (int i = 0; i < 4; i++) {
                Throwable down = catchThrowable(() -> c.send("PING").get(20, TimeUnit.SECONDS));
                assertThat(down).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RedisConnectionException.class);
                assertThat(down.getCause().getMessage()).startsWith("cannot connect to " + s.address());
            }

            s.restart();
            // both slots reconnect on their next command, with the same HELLO 3 handshake
            for (int i = 0; i < 4; i++) {
                assertThat(get(c.send("PING")).asString()).isEqualTo("PONG");
            }
            RedisConnection after0 = get(c.connection(0));
            assertThat(after0).isNotSameAs(before0);
            assertThat(after0.protocol()).isEqualTo(3);
            assertThat(get(after0.send("CLIENT", "INFO")).asString()).contains("resp=3");
            assertThat(get(c.send("GET", "k")).isNull()).isTrue(); // saving is off: the data went with the process
        }
    }

    @Test
    void anUnreachablePortIsAClearConnectionError() throws Exception {
        int port = ServerProcess.freePort();
        try (RedisClient c = RedisClient.create(ClientOptions.builder().host(ServerProcess.HOST).port(port)
                .connectTimeout(Duration.ofSeconds(2)).build())) {
            assertThatThrownBy(() -> c.send("PING").get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(RedisConnectionException.class)
                    .hasMessageContaining("cannot connect to 127.0.0.1:" + port);
        }
    }
}
