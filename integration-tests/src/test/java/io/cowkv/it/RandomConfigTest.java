package io.cowkv.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random CONFIG SET (one or several parameters at once) and CONFIG GET on CowKV and a real
 * redis-server, replies compared byte for byte (CONFIG GET with a pattern as a set): the value
 * forms each parameter accepts or refuses (units, percentages, signs, limits, enum names, case),
 * the error texts, immutable parameters, duplicates in one CONFIG SET, and what CONFIG GET shows
 * afterwards.
 *
 * <p>The parameters are those both servers have ({@code CONFIG GET *} on each, intersected), less
 * the ones that would move or break the test's own connection or make the servers diverge for
 * reasons outside CONFIG: addresses and paths, {@code maxmemory} (the two data sets differ in
 * size), save points (they would start saves), {@code appendonly}, and the client limits
 * ({@code maxclients}, {@code timeout}, {@code client-query-buffer-limit},
 * {@code proto-max-bulk-len}, {@code maxmemory-clients}). Seeds are fixed; 12 sequences of 300
 * commands by default ({@code -Dcowkv.randomconfig.seeds=N} for more).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RandomConfigTest {
    private static final int SEEDS = Integer.getInteger("cowkv.randomconfig.seeds", 12);
    private static final int COMMANDS = 300;
    private static final Set<String> EXCLUDED = Set.of("bind", "port", "dir", "dbfilename", "logfile", "pidfile",
            "maxmemory", "save", "appendonly", "maxclients", "timeout", "client-query-buffer-limit",
            "proto-max-bulk-len", "maxmemory-clients");
    private static final String[] VALUES = {"0", "1", "-1", "2", "10", "100", "1000", "65536", "1000000000",
        "yes", "no", "YES", "No", "abc", "", " 1", "1 ", "+5", "1k", "1kb", "1KB", "1mb", "1gb", "1g", "10%", "100%",
        "101%", "-1%", "1.5", "0x10", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "2147483647", "2147483648", "4294967296", "noeviction", "allkeys-lru", "volatile-lfu", "ALLKEYS-LFU",
        "warning", "notice", "debug", "verbose", "nothing", "NOTICE", "local", "50 99", "50 99.9 99.99",
        "100 50", "0.5", "99.999", "100", "101", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17"};

    private ServerPair servers;
    private List<String> parameters;
    private Set<String> common;
    private java.util.Map<String, String> cowkvStart;
    private java.util.Map<String, String> redisStart;

    @BeforeAll
    void startServers() throws Exception {
        servers = ServerPair.start();
        cowkvStart = values(servers.cowkv);
        redisStart = values(servers.redis);
        common = new TreeSet<>(cowkvStart.keySet());
        common.retainAll(redisStart.keySet());
        parameters = new ArrayList<>(common);
        parameters.removeAll(EXCLUDED);
        assertThat(parameters).as("parameters both servers have").hasSizeGreaterThan(20);
    }

    @AfterAll
    void stopServers() {
        if (servers != null) {
            servers.close();
        }
    }

    /** Every parameter and its value, from CONFIG GET *. */
    private static java.util.Map<String, String> values(ServerProcess server) throws IOException {
        try (RespConnection c = new RespConnection(server)) {
            return pairs(c.call("CONFIG", "GET", "*"));
        }
    }

    private static java.util.Map<String, String> pairs(byte[] reply) throws IOException {
        List<byte[]> all = RespReader.elements(reply);
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        for (int i = 1; i + 1 < all.size(); i += 2) {
            out.put(new String(DiffScanAll.bulkContent(all.get(i)), StandardCharsets.UTF_8),
                    new String(DiffScanAll.bulkContent(all.get(i + 1)), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Each server's parameters back to the values it started with, so every seed starts alike. */
    private void restore(RespConnection c, RespConnection r) throws IOException {
        for (String name : parameters) {
            c.call("CONFIG", "SET", name, cowkvStart.get(name));
            r.call("CONFIG", "SET", name, redisStart.get(name));
        }
    }

    @TestFactory
    Stream<DynamicTest> sequences() {
        return LongStream.range(1, SEEDS + 1)
                .mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> run(seed)));
    }

    private void run(long seed) throws IOException {
        Random random = new Random(seed);
        List<String> history = new ArrayList<>();
        try (RespConnection c = new RespConnection(servers.cowkv); RespConnection r = new RespConnection(servers.redis)) {
            restore(c, r);
            for (int step = 1; step <= COMMANDS; step++) {
                List<String> command = new ArrayList<>();
                boolean sorted = false;
                int pick = random.nextInt(10);
                if (pick < 6) {
                    command.addAll(List.of("CONFIG", "SET"));
                    int pairs = random.nextInt(5) == 0 ? 2 + random.nextInt(2) : 1;
                    for (int i = 0; i < pairs; i++) {
                        String name = parameters.get(random.nextInt(parameters.size()));
                        command.add(random.nextInt(10) == 0 ? name.toUpperCase(java.util.Locale.ROOT) : name);
                        command.add(VALUES[random.nextInt(VALUES.length)]);
                    }
                    if (random.nextInt(20) == 0) {
                        command.add(command.get(2)); // the same parameter twice, or an odd argument count
                        if (random.nextBoolean()) {
                            command.add("1");
                        }
                    }
                } else if (pick < 9) {
                    command.addAll(List.of("CONFIG", "GET", parameters.get(random.nextInt(parameters.size()))));
                } else {
                    command.addAll(List.of("CONFIG", "GET", new String[]{"*max*", "slowlog*", "*-*-*", "latency*",
                        "rdb*", "*policy*"}[random.nextInt(6)]));
                    sorted = true;
                }
                byte[] mine = c.call(command.toArray(String[]::new));
                byte[] theirs = r.call(command.toArray(String[]::new));
                String problem;
                if (sorted) { // a pattern: compared over the parameters both servers have
                    java.util.Map<String, String> a = pairs(mine);
                    java.util.Map<String, String> b = pairs(theirs);
                    a.keySet().retainAll(common);
                    b.keySet().retainAll(common);
                    problem = a.equals(b) ? null : "CONFIG GET differs on common parameters: " + a + " vs " + b;
                } else {
                    problem = Arrays.equals(mine, theirs) ? null : "replies differ";
                }
                if (problem != null) {
                    throw new AssertionFailedError("seed " + seed + ", step " + step + ": " + command + "\n  " + problem
                            + "\n  cowkv: \"" + Resp.escape(mine) + "\"\n  redis: \"" + Resp.escape(theirs) + "\""
                            + "\n  the commands before it (with Redis's replies):\n    " + String.join("\n    ", history),
                            Resp.escape(theirs), Resp.escape(mine));
                }
                history.add(step + ": " + command + " -> " + Resp.escape(Arrays.copyOf(theirs, Math.min(theirs.length, 200))));
                if (history.size() > 15) {
                    history.remove(0);
                }
            }
        }
        assertThat(servers.cowkv.isAlive()).as("cowkv alive; output:\n" + servers.cowkv.output()).isTrue();
    }
}
