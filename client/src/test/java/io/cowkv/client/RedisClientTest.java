package io.cowkv.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client against a real redis-server on 127.0.0.1. */
class RedisClientTest {
    static RedisServerProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServerProcess.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) redis.close();
    }

    static Throwable failureOf(CompletableFuture<?> f) {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("future did not fail in time", e);
        }
        throw new AssertionError("future succeeded");
    }

    @Test
    void basicCommandsAndTypedReplies() {
        try (RedisClient c = RedisClient.create(redis.options().build())) {
            assertThat(c.send("SET", "basic:k", "v1").join()).isEqualTo(SimpleStringReply.OK);
            assertThat(c.send("GET", "basic:k").join().asString()).isEqualTo("v1");
            assertThat(c.send("GET", "basic:missing").join().isNull()).isTrue();
            assertThat(c.send("INCRBY", "basic:n", "5").join()).isEqualTo(new IntegerReply(5));
            c.send("RPUSH", "basic:l", "a", "b").join();
            assertThat(c.send("LRANGE", "basic:l", "0", "-1").join())
                    .isEqualTo(new ArrayReply(List.of(BulkReply.of("a"), BulkReply.of("b"))));
            byte[] binary = {0, 1, '\r', '\n', (byte) 0xff};
            c.send("SET".getBytes(), "basic:bin".getBytes(), binary).join();
            assertThat(c.send("GET".getBytes(), "basic:bin".getBytes()).join().asBytes()).isEqualTo(binary);
        }
    }

    @Test
    void pipelinesTenThousandCommandsInOrder() {
        try (RedisClient c = RedisClient.create(redis.options().build())) {
            RedisConnection conn = c.connection(0).join();
            List<CompletableFuture<Reply>> fs = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) fs.add(conn.send("INCR", "pipe:counter"));
            for (int i = 0; i < fs.size(); i++) {
                assertThat(fs.get(i).join()).isEqualTo(new IntegerReply(i + 1));
            }
            // and with values that round-trip
            List<CompletableFuture<Reply>> sets = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) sets.add(conn.send("SET", "pipe:" + i, "value-" + i));
            CompletableFuture.allOf(sets.toArray(CompletableFuture[]::new)).join();
            List<CompletableFuture<Reply>> gets = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) gets.add(conn.send("GET", "pipe:" + i));
            for (int i = 0; i < gets.size(); i++) assertThat(gets.get(i).join().asString()).isEqualTo("value-" + i);
        }
    }

    @Test
    void severalConnectionsShareTheLoad() {
        try (RedisClient c = RedisClient.create(redis.options().connections(4).build())) {
            c.connect().join();
            List<CompletableFuture<Reply>> fs = new ArrayList<>();
            for (int i = 0; i < 4; i++) fs.add(c.send("CLIENT", "ID"));
            long distinct = fs.stream().map(f -> f.join().asLong()).distinct().count();
            assertThat(distinct).isEqualTo(4);
        }
    }

    @Test
    void serverErrorsFailTheFutureWithTheServersText() {
        try (RedisClient c = RedisClient.create(redis.options().build())) {
            Throwable t = failureOf(c.send("GET"));
            assertThat(t).isInstanceOf(RedisServerException.class)
                    .hasMessage("ERR wrong number of arguments for 'get' command");
            c.send("SET", "err:str", "x").join();
            RedisServerException wt = (RedisServerException) failureOf(c.send("LPUSH", "err:str", "y"));
            assertThat(wt.errorCode()).isEqualTo("WRONGTYPE");
            assertThat(wt.errorText()).isEqualTo("WRONGTYPE Operation against a key holding the wrong kind of value");
            // the connection is still fine afterwards, and errors inside EXEC stay values
            RedisConnection conn = c.connection(0).join();
            conn.send("MULTI");
            conn.send("INCR", "err:str");
            conn.send("SET", "err:other", "1");
            ArrayReply exec = (ArrayReply) conn.send("EXEC").join();
            assertThat(exec.get(0)).isInstanceOf(ErrorReply.class);
            assertThat(exec.get(1)).isEqualTo(SimpleStringReply.OK);
        }
    }

    @Test
    void resp3ViaHello() {
        try (RedisClient c = RedisClient.create(redis.options().protocol(3).build())) {
            RedisConnection conn = c.connection(0).join();
            assertThat(conn.protocol()).isEqualTo(3);
            c.send("HSET", "r3:h", "f1", "v1", "f2", "v2").join();
            MapReply m = (MapReply) c.send("HGETALL", "r3:h").join();
            assertThat(m.get("f1").asString()).isEqualTo("v1");
            assertThat(m.entries()).hasSize(2);
            c.send("SADD", "r3:s", "a", "b").join();
            assertThat(c.send("SMEMBERS", "r3:s").join()).isInstanceOf(SetReply.class);
            c.send("ZADD", "r3:z", "1.5", "m").join();
            assertThat(c.send("ZSCORE", "r3:z", "m").join()).isEqualTo(new DoubleReply(1.5));
            assertThat(c.send("GET", "r3:none").join()).isSameAs(NullReply.INSTANCE);
            MapReply hello = (MapReply) c.send("HELLO", "3").join();
            assertThat(hello.get("proto").asLong()).isEqualTo(3);
        }
    }

    @Test
    void resp3PushMessagesGoToTheListener() throws Exception {
        try (RedisClient sub = RedisClient.create(redis.options().protocol(3).build());
                RedisClient pub = RedisClient.create(redis.options().build())) {
            RedisConnection conn = sub.connection(0).join();
            List<PushReply> pushes = new CopyOnWriteArrayList<>();
            conn.onPush(pushes::add);
            PushReply confirm = (PushReply) conn.send("SUBSCRIBE", "news").join();
            assertThat(confirm.get(0).asString()).isEqualTo("subscribe");
            pub.send("PUBLISH", "news", "hello").join();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (pushes.isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(pushes).hasSize(1);
            assertThat(pushes.get(0).get(2).asString()).isEqualTo("hello");
            // in RESP3 a subscribed connection still answers ordinary commands
            assertThat(conn.send("PING").join().asString()).isEqualTo("PONG");
        }
    }

    @Test
    void commandTimeoutKeepsTheConnectionUsable() {
        try (RedisClient c = RedisClient.create(redis.options().commandTimeout(Duration.ofMillis(200)).build())) {
            RedisConnection conn = c.connection(0).join();
            CompletableFuture<Reply> slow = conn.send("BLPOP", "timeout:list", "0");
            assertThat(failureOf(slow)).isInstanceOf(RedisTimeoutException.class).hasMessageContaining("BLPOP");
            // unblock BLPOP from another connection: its late reply is matched to BLPOP and dropped,
            // so the next command on this connection gets its own reply
            try (RedisClient other = RedisClient.create(redis.options().build())) {
                other.send("LPUSH", "timeout:list", "x").join();
            }
            assertThat(conn.send("ECHO", "after").join().asString()).isEqualTo("after");
            assertThat(conn.send("ECHO", "again").join().asString()).isEqualTo("again");
        }
    }

    @Test
    void unreachableServerGivesAConnectionException() throws Exception {
        int port = RedisServerProcess.freePort();
        try (RedisClient c = RedisClient.create(ClientOptions.builder().port(port).connectTimeout(Duration.ofSeconds(2)).build())) {
            Throwable t = failureOf(c.send("PING"));
            assertThat(t).isInstanceOf(RedisConnectionException.class).hasMessageContaining("cannot connect to 127.0.0.1:" + port);
        }
    }

    @Test
    void brokenConnectionFailsFuturesAndTheClientReconnectsOnNextUse() throws Exception {
        RedisServerProcess own = RedisServerProcess.start();
        try (RedisClient c = RedisClient.create(own.options().build())) {
            RedisConnection first = c.connection(0).join();
            assertThat(first.send("PING").join().asString()).isEqualTo("PONG");
            // commands blocked on the server are in flight when it dies
            List<CompletableFuture<Reply>> inFlight = new ArrayList<>();
            for (int i = 0; i < 5; i++) inFlight.add(first.send("BLPOP", "broken:never", "0"));
            own.kill();
            for (CompletableFuture<Reply> f : inFlight) {
                assertThat(failureOf(f)).isInstanceOf(RedisConnectionException.class).hasMessageContaining("127.0.0.1:" + own.port());
            }
            first.closeFuture().get(5, TimeUnit.SECONDS);
            assertThat(first.isOpen()).isFalse();
            assertThat(failureOf(first.send("PING"))).isInstanceOf(RedisConnectionException.class).hasMessageContaining("closed");
            // while the server is down, the client's reconnect attempt fails clearly
            assertThat(failureOf(c.send("PING"))).isInstanceOf(RedisConnectionException.class).hasMessageContaining("cannot connect");
            own.launch();
            // the next command opens a new connection
            assertThat(c.send("PING").join().asString()).isEqualTo("PONG");
            assertThat(c.connection(0).join()).isNotSameAs(first);
        } finally {
            own.close();
        }
    }

    @Test
    void closingTheClientFailsPendingCommands() {
        RedisClient c = RedisClient.create(redis.options().build());
        RedisConnection conn = c.connection(0).join();
        CompletableFuture<Reply> blocked = conn.send("BLPOP", "close:never", "0");
        conn.close();
        assertThat(failureOf(blocked)).isInstanceOf(RedisConnectionException.class);
        c.close();
        assertThat(failureOf(c.send("PING"))).isInstanceOf(RedisConnectionException.class).hasMessageContaining("client is closed");
    }

    @Test
    void joinWrapsOurExceptionInCompletionException() {
        try (RedisClient c = RedisClient.create(redis.options().build())) {
            assertThatThrownBy(() -> c.send("NOSUCHCOMMAND".getBytes(StandardCharsets.UTF_8)).join())
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(RedisServerException.class)
                    .hasRootCauseMessage("ERR unknown command 'NOSUCHCOMMAND', with args beginning with: ");
        }
    }
}
