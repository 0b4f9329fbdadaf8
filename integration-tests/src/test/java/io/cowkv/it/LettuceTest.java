package io.cowkv.it;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The packaged server as Lettuce sees it: RESP3 by default (HELLO 3), and RESP2. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LettuceTest {
    private CowKvProcess server;
    private RedisClient client;

    @BeforeAll
    void start() throws Exception {
        server = CowKvProcess.started();
        client = RedisClient.create(RedisURI.Builder.redis(server.host(), server.port())
                .withTimeout(Duration.ofSeconds(10)).build());
    }

    @AfterAll
    void stop() {
        try {
            if (client != null) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private StatefulRedisConnection<String, String> connect(ProtocolVersion version) {
        client.setOptions(ClientOptions.builder().protocolVersion(version).build());
        return client.connect();
    }

    @Test
    void resp3ByDefault() {
        try (StatefulRedisConnection<String, String> c = connect(ProtocolVersion.RESP3)) {
            RedisCommands<String, String> r = c.sync();
            r.flushall();
            assertThat(r.ping()).isEqualTo("PONG");
            assertThat(r.set("k", "v")).isEqualTo("OK");
            assertThat(r.get("k")).isEqualTo("v");
            assertThat(r.get("nokey")).isNull();
            assertThat(r.set("k", "v2", SetArgs.Builder.nx())).isNull();
            assertThat(r.setGet("k", "v3")).isEqualTo("v");
            assertThat(r.type("k")).isEqualTo("string");
            assertThat(r.exists("k", "k", "nokey")).isEqualTo(2);
            assertThat(r.del("k", "nokey")).isEqualTo(1);
            assertThat(r.configGet("maxmemory")).containsEntry("maxmemory", "0");
            assertThat(r.configGet("proto-max-bulk-len", "maxmemory-policy"))
                    .containsEntry("proto-max-bulk-len", "536870912").containsEntry("maxmemory-policy", "noeviction");
            assertThat(r.info("server")).contains("redis_version:", "tcp_port:" + server.port());
            assertThat(r.clientSetname("lettuce")).isEqualTo("OK");
            assertThat(r.clientGetname()).isEqualTo("lettuce");
            assertThat(r.clientId()).isPositive();
            assertThat(r.echo("échо")).isEqualTo("échо");
        }
    }

    @Test
    void helloThreeReplyAndSelect() {
        try (StatefulRedisConnection<String, String> c = connect(ProtocolVersion.RESP3)) {
            RedisCommands<String, String> r = c.sync();
            // HELLO's reply is a map in RESP3
            List<Object> hello = r.dispatch(CommandType.HELLO, new io.lettuce.core.output.ArrayOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add(3));
            assertThat(hello).contains("server", "redis", "proto", 3L, "mode", "standalone", "role", "master");
            assertThat(r.select(2)).isEqualTo("OK");
            r.set("in2", "x");
            assertThat(r.dbsize()).isEqualTo(1);
            assertThat(r.select(0)).isEqualTo("OK");
            assertThat(r.get("in2")).isNull();
            assertThatThrownBy(() -> r.select(16)).isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessage("ERR DB index is out of range");
            assertThat(r.dispatch(CommandType.PING, new StatusOutput<>(StringCodec.UTF8))).isEqualTo("PONG");
            r.select(2);
            r.flushdb();
        }
    }

    @Test
    void resp2AndAsyncPipelining() throws Exception {
        try (StatefulRedisConnection<String, String> c = connect(ProtocolVersion.RESP2)) {
            RedisAsyncCommands<String, String> a = c.async();
            List<RedisFuture<String>> gets = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                a.set("lk:" + i, "lv:" + i);
                gets.add(a.get("lk:" + i));
            }
            for (int i = 0; i < gets.size(); i++) {
                assertThat(gets.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("lv:" + i);
            }
            RedisCommands<String, String> r = c.sync();
            assertThat(r.configGet("maxmemory")).containsEntry("maxmemory", "0");
            assertThatThrownBy(() -> r.configSet("nosuchparam", "1")).isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessageContaining("Unknown option or number of arguments for CONFIG SET - 'nosuchparam'");
        }
    }
}
