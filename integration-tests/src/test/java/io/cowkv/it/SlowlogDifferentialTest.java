package io.cowkv.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SLOWLOG GET's entries from CowKV and a real redis-server after the same commands, with every
 * command logged (slowlog-log-slower-than 0). Ids, times and durations differ between servers and
 * runs, so they are checked for what they must be (ids consecutive, newest first; times now;
 * durations not negative; the peer this connection's own address) and then masked; everything
 * else, the arguments as cut and redacted, the client names and the order, must be the same bytes.
 * The deterministic SLOWLOG replies are in differential/slowlog.redis.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowlogDifferentialTest {
    private static final Pattern ENTRY_HEAD = Pattern.compile("\\*6\r\n:(\\d+)\r\n:(\\d+)\r\n:(\\d+)\r\n");

    private ServerPair servers;
    private CowKvProcess cowkv;
    private RedisProcess redis;

    @BeforeAll
    void start() throws Exception {
        servers = ServerPair.start();
        cowkv = servers.cowkv;
        redis = servers.redis;
    }

    @AfterAll
    void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    /** Runs the commands on a fresh connection with every command logged; returns SLOWLOG GET -1, masked. */
    private String logAfter(ServerProcess server, List<String[]> commands) throws IOException {
        try (RespConnection c = new RespConnection(server)) {
            assertThat(c.callString("CONFIG", "SET", "slowlog-log-slower-than", "0")).isEqualTo("+OK\r\n");
            c.call("SLOWLOG", "RESET");
            long before = System.currentTimeMillis() / 1000;
            for (String[] cmd : commands) {
                c.call(cmd);
            }
            String log = new String(c.call("SLOWLOG", "GET", "-1"), StandardCharsets.UTF_8);
            long after = System.currentTimeMillis() / 1000;
            c.call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
            c.call("SLOWLOG", "RESET");

            Matcher m = ENTRY_HEAD.matcher(log);
            List<Long> ids = new ArrayList<>();
            StringBuilder masked = new StringBuilder();
            while (m.find()) {
                ids.add(Long.parseLong(m.group(1)));
                assertThat(Long.parseLong(m.group(2))).as(server + " entry time").isBetween(before, after);
                assertThat(Long.parseLong(m.group(3))).as(server + " entry duration").isNotNegative();
                m.appendReplacement(masked, "*6\r\n:ID\r\n:TIME\r\n:USEC\r\n");
            }
            m.appendTail(masked);
            for (int i = 1; i < ids.size(); i++) {
                assertThat(ids.get(i)).as(server + " ids, newest first").isEqualTo(ids.get(i - 1) - 1);
            }
            String peer = "127.0.0.1:" + c.localPort();
            String withPeer = "$" + peer.length() + "\r\n" + peer + "\r\n";
            assertThat(masked.toString()).as(server + " peer").contains(withPeer);
            return masked.toString().replace(withPeer, "$PEER\r\n");
        }
    }

    @Test
    void entriesMatchRedis() throws IOException {
        List<String[]> commands = new ArrayList<>();
        commands.add(new String[]{"SET", "k", "v"});
        commands.add(new String[]{"CLIENT", "SETNAME", "slowlog-diff"});
        commands.add(new String[]{"SET", "x".repeat(200), "y".repeat(128)});
        String[] mset = new String[35];
        mset[0] = "MSET";
        for (int i = 1; i < mset.length; i++) {
            mset[i] = "f" + i;
        }
        commands.add(mset);
        commands.add(java.util.Arrays.copyOf(mset, 32)); // an odd count: the command's own error, logged
        commands.add(java.util.Arrays.copyOf(mset, 33));
        commands.add(new String[]{"HELLO", "2", "AUTH", "default", "secret"});
        commands.add(new String[]{"HELLO", "2", "AUTH", "nobody", "pw", "SETNAME", "x"});
        commands.add(new String[]{"GET", "k"});
        commands.add(new String[]{"SET", "k"}); // wrong arity: never runs, not logged
        commands.add(new String[]{"NOSUCH", "a"}); // unknown: not logged
        commands.add(new String[]{"INCR", "k"}); // an error reply from a command that ran: logged
        commands.add(new String[]{"SLOWLOG", "LEN"});
        commands.add(new String[]{"CLIENT", "SETNAME", ""});
        commands.add(new String[]{"ECHO", "\u00e9t\u00e9"});

        String fromRedis = logAfter(redis, commands);
        String fromCowkv = logAfter(cowkv, commands);
        assertThat(fromRedis).startsWith("*14\r\n"); // the SLOWLOG RESET and 13 of the 15 commands
        assertThat(fromCowkv).isEqualTo(fromRedis);
    }
}
