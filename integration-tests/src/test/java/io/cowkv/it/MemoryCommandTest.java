package io.cowkv.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MEMORY's numbers, which differential/memory.redis compares only by type: USAGE is the arena
 * bytes of a key and adds up to used_memory with the bucket tables STATS reports; STATS has
 * Redis's fields in Redis's order; DOCTOR reports an instance with data; PURGE gives freed chunks
 * back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MemoryCommandTest {
    private ServerPair servers;

    @BeforeAll
    void start() throws Exception {
        servers = ServerPair.start();
    }

    @AfterAll
    void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    private static Jedis connect(ServerProcess s) {
        return new Jedis(new HostAndPort(s.host(), s.port()), DefaultJedisClientConfig.builder().build());
    }

    private static Object memory(Jedis j, String... args) {
        return j.sendCommand(() -> "MEMORY".getBytes(StandardCharsets.US_ASCII), args);
    }

    private static long usedMemory(Jedis j) {
        return Long.parseLong(j.info("memory").lines().filter(l -> l.startsWith("used_memory:"))
                .findFirst().orElseThrow().substring("used_memory:".length()).trim());
    }

    /** STATS as a list of its field names (db.N entries included), and the value of {@code field}. */
    private static List<String> statsNames(Object stats) {
        List<String> names = new ArrayList<>();
        List<?> l = (List<?>) stats;
        for (int i = 0; i < l.size(); i += 2) {
            names.add(new String((byte[]) l.get(i), StandardCharsets.UTF_8));
        }
        return names;
    }

    private static Object statsValue(Object stats, String field) {
        List<?> l = (List<?>) stats;
        for (int i = 0; i < l.size(); i += 2) {
            if (new String((byte[]) l.get(i), StandardCharsets.UTF_8).equals(field)) {
                return l.get(i + 1);
            }
        }
        throw new AssertionError("no " + field);
    }

    @Test
    void usageIsTheKeysArenaBytesAndAddsUpToUsedMemory() {
        try (Jedis j = connect(servers.cowkv)) {
            j.flushAll();
            assertThat(usedMemory(j)).as("an empty keyspace holds nothing").isZero();
            String v64 = "v".repeat(64);
            long sum = 0;
            int keys = 1000;
            for (int i = 0; i < keys; i++) {
                j.set("key:" + (100_000 + i), v64);
            }
            for (int i = 0; i < keys; i++) {
                sum += (Long) memory(j, "USAGE", "key:" + (100_000 + i));
            }
            assertThat((Long) memory(j, "USAGE", "key:100000"))
                    .as("14-byte header + 10-byte key + 64-byte value = 88, plus the 8-byte bucket slot").isEqualTo(96);
            Object stats = memory(j, "STATS");
            List<?> db0 = (List<?>) statsValue(stats, "db.0");
            long table = (Long) db0.get(1);
            assertThat(table).as("1,024 bucket slots of 8 bytes").isEqualTo(1024 * 8);
            assertThat(sum - 8L * keys + table).as("records and the table are all of used_memory").isEqualTo(usedMemory(j));
            assertThat(statsValue(stats, "keys.count")).isEqualTo((long) keys);
            assertThat(statsValue(stats, "total.allocated")).isEqualTo(usedMemory(j));

            j.set("n", "12345");
            assertThat((Long) memory(j, "USAGE", "n")).as("int: 14 + 8 + 1 = 23, class 24, plus the slot").isEqualTo(32);
            j.set("big", "x".repeat(100_000));
            assertThat((Long) memory(j, "USAGE", "big", "SAMPLES", "0"))
                    .as("a 40-byte record, its slot and 25 pages of value").isEqualTo(40 + 8 + 25 * 4096);
        }
    }

    @Test
    void statsHasRedisFieldsInRedisOrder() {
        List<List<String>> names = new ArrayList<>();
        for (ServerProcess s : List.of(servers.cowkv, servers.redis)) {
            try (Jedis j = connect(s)) {
                j.flushAll();
                j.set("a", "1");
                j.select(3);
                j.set("b", "2");
                names.add(statsNames(memory(j, "STATS")));
                j.flushAll();
            }
        }
        assertThat(names.get(0)).contains("db.0", "db.3").isEqualTo(names.get(1));
    }

    /** INFO memory has all of Redis 7.0's fields in Redis's order (CowKV's own arena fields follow), and STATS agrees with it. */
    @Test
    void infoMemoryHasRedisFieldsInRedisOrderAndAgreesWithStats() {
        List<List<String>> names = new ArrayList<>();
        for (ServerProcess s : List.of(servers.cowkv, servers.redis)) {
            try (Jedis j = connect(s)) {
                names.add(j.info("memory").lines().filter(l -> l.contains(":"))
                        .map(l -> l.substring(0, l.indexOf(':'))).toList());
            }
        }
        List<String> cowkv = names.get(0);
        List<String> redis = names.get(1);
        assertThat(cowkv.subList(0, Math.min(redis.size(), cowkv.size()))).isEqualTo(redis);
        assertThat(cowkv.subList(redis.size(), cowkv.size())).allMatch(n -> n.startsWith("arena_") || n.startsWith("jvm_"));
        try (Jedis j = connect(servers.cowkv)) {
            j.flushAll();
            for (int i = 0; i < 100; i++) {
                j.set("s" + i, "v".repeat(i));
            }
            Object stats = memory(j, "STATS");
            String info = j.info("memory");
            assertThat(statsValue(stats, "dataset.bytes")).isEqualTo(infoField(info, "used_memory_dataset"));
            assertThat(statsValue(stats, "overhead.total")).isEqualTo(infoField(info, "used_memory_overhead"));
            assertThat(infoField(info, "used_memory_dataset") + infoField(info, "used_memory_overhead"))
                    .isEqualTo(infoField(info, "used_memory"));
            j.flushAll();
        }
    }

    private static long infoField(String info, String name) {
        return Long.parseLong(info.lines().filter(l -> l.startsWith(name + ":")).findFirst().orElseThrow()
                .substring(name.length() + 1).trim());
    }

    @Test
    void doctorReportsOnAnInstanceWithDataAndPurgeGivesFreedChunksBack() {
        try (Jedis j = connect(servers.cowkv)) {
            j.flushAll();
            String v = "z".repeat(1000);
            for (int i = 0; i < 20_000; i++) { // 20 MB: past DOCTOR's 5 MB "empty instance" line
                j.set("d" + i, v);
            }
            Object doctor = memory(j, "DOCTOR");
            String text = new String((byte[]) doctor, StandardCharsets.UTF_8);
            assertThat(text).doesNotStartWith("Hi Sam, this instance is empty");
            // the JVM's own memory is RSS the arena does not hold: Redis's "High total RSS" rule fires
            assertThat(text).startsWith("Sam, I detected a few issues in this Redis instance memory implants:")
                    .contains(" * High total RSS:").endsWith("I'm here to keep you safe, Sam. I want to help you.\n");
            long peak = usedMemory(j);
            j.flushAll();
            doctor = memory(j, "DOCTOR");
            assertThat(new String((byte[]) doctor, StandardCharsets.UTF_8)).as("under 5 MB again")
                    .startsWith("Hi Sam, this instance is empty");
            long reserved = arenaNative(j);
            assertThat(memory(j, "PURGE")).isEqualTo("OK".getBytes(StandardCharsets.US_ASCII));
            assertThat(arenaNative(j)).as("the freed chunks' native memory went back (%d bytes were used)", peak)
                    .isLessThan(reserved);
        }
    }

    private static long arenaNative(Jedis j) {
        return Long.parseLong(j.info("memory").lines().filter(l -> l.startsWith("arena_native_bytes:"))
                .findFirst().orElseThrow().substring("arena_native_bytes:".length()).trim());
    }
}
