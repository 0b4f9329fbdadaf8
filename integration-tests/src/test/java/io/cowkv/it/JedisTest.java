package io.cowkv.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The packaged server as Jedis sees it, in RESP2 and RESP3. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JedisTest {
    private CowKvProcess server;

    @BeforeAll
    void start() throws Exception {
        server = CowKvProcess.started();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Jedis connect(RedisProtocol protocol) {
        return new Jedis(new HostAndPort(server.host(), server.port()),
                DefaultJedisClientConfig.builder().protocol(protocol).timeoutMillis(10_000).build());
    }

    @BeforeEach
    void flush() {
        try (Jedis j = connect(RedisProtocol.RESP2)) {
            assertThat(j.flushAll()).isEqualTo("OK");
        }
    }

    @Test
    void stringsAndKeys() {
        try (Jedis j = connect(RedisProtocol.RESP2)) {
            assertThat(j.ping()).isEqualTo("PONG");
            assertThat(j.ping("hi")).isEqualTo("hi");
            assertThat(j.echo("héllo")).isEqualTo("héllo");
            assertThat(j.get("k")).isNull();
            assertThat(j.set("k", "v")).isEqualTo("OK");
            assertThat(j.get("k")).isEqualTo("v");
            assertThat(j.set("k", "w", SetParams.setParams().nx())).isNull();
            assertThat(j.set("k", "w", SetParams.setParams().xx().ex(100))).isEqualTo("OK");
            assertThat(j.setGet("k", "x")).isEqualTo("w");
            assertThat(j.type("k")).isEqualTo("string");
            assertThat(j.type("nokey")).isEqualTo("none");
            assertThat(j.exists("k", "k", "nokey")).isEqualTo(2);
            assertThat(j.exists("k")).isTrue();
            assertThat(j.del("k", "nokey")).isEqualTo(1);
            assertThat(j.exists("k")).isFalse();
            byte[] binary = {0, 1, (byte) 0xff, '\r', '\n'};
            assertThat(j.set("bin".getBytes(), binary)).isEqualTo("OK");
            assertThat(j.get("bin".getBytes())).isEqualTo(binary);
            assertThat(j.dbSize()).isEqualTo(1);
        }
    }

    @Test
    void selectIsolatesDatabases() {
        try (Jedis j = connect(RedisProtocol.RESP2)) {
            j.set("k", "db0");
            assertThat(j.select(3)).isEqualTo("OK");
            assertThat(j.get("k")).isNull();
            j.set("k", "db3");
            assertThat(j.select(0)).isEqualTo("OK");
            assertThat(j.get("k")).isEqualTo("db0");
            assertThatThrownBy(() -> j.select(16)).isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR DB index is out of range");
            assertThat(j.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void configInfoAndClient() {
        try (Jedis j = connect(RedisProtocol.RESP2)) {
            Map<String, String> cfg = j.configGet("maxmemory");
            assertThat(cfg).containsEntry("maxmemory", "0");
            assertThat(j.configGet("proto-max-bulk-len")).containsEntry("proto-max-bulk-len", "536870912");
            assertThat(j.configGet("port")).containsEntry("port", Integer.toString(server.port()));
            String info = j.info();
            assertThat(info).contains("# Server", "redis_version:", "tcp_port:" + server.port(), "# Clients",
                    "connected_clients:", "# Memory", "used_memory:", "# Stats", "total_commands_processed:");
            assertThat(j.info("keyspace")).startsWith("# Keyspace");
            assertThat(j.clientSetname("jedis-test")).isEqualTo("OK");
            assertThat(j.clientGetname()).isEqualTo("jedis-test");
            assertThat(j.clientInfo()).contains("name=jedis-test");
            assertThat(j.clientList()).contains("name=jedis-test");
            assertThatThrownBy(() -> j.sendCommand(Protocol.Command.GET)).isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR wrong number of arguments for 'get' command");
            assertThatThrownBy(() -> j.sendCommand(() -> "NOSUCH".getBytes(), "a")).isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR unknown command 'NOSUCH', with args beginning with: 'a' ");
        }
    }

    @Test
    void resp3Connection() {
        try (Jedis j = connect(RedisProtocol.RESP3)) {
            assertThat(j.ping()).isEqualTo("PONG");
            assertThat(j.set("k", "v")).isEqualTo("OK");
            assertThat(j.get("k")).isEqualTo("v");
            assertThat(j.get("nokey")).isNull();
            assertThat(j.configGet("maxmemory")).containsEntry("maxmemory", "0");
            assertThat(j.info("server")).contains("redis_version:");
            assertThat(j.exists("k", "nokey")).isEqualTo(1);
        }
    }

    @Test
    void pipeline() {
        try (Jedis j = connect(RedisProtocol.RESP2)) {
            Pipeline p = j.pipelined();
            List<Response<String>> gets = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                p.set("key:" + i, "value:" + i);
                gets.add(p.get("key:" + i));
            }
            Response<Long> size = p.dbSize();
            p.sync();
            for (int i = 0; i < 1000; i++) {
                assertThat(gets.get(i).get()).isEqualTo("value:" + i);
            }
            assertThat(size.get()).isEqualTo(1000);
        }
    }
}
