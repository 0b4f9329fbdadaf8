package io.cowkv.it;

import io.cowkv.it.RandomCommands.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of string and key-space commands ({@link RandomCommands}) sent to CowKV and to
 * a real redis-server, every reply compared byte for byte (KEYS as a set, SCAN as a full
 * iteration, TTLs within a tolerance); after each sequence, every pool key in every database used
 * is compared by type, value digest ({@code DEBUG DIGEST-VALUE}) and TTL, and CowKV's arena must
 * be empty after a FLUSHALL ({@code used_memory:0}, no page in use): nothing leaked.
 *
 * <p>The scripted differential tests check the cases someone thought of; this one finds the
 * combinations nobody wrote down (an option order, a value that changes encoding, a key moved
 * between databases with a TTL). Seeds are fixed, so a failure reproduces: its message names the
 * seed, the step, both replies and the commands before it. Odd seeds speak RESP3 (HELLO 3); every
 * third seed starts with 1,000-7,000 more keys in database 0 (DEBUG POPULATE).
 * {@code -Dcowkv.randomdiff.seeds=N} and {@code -Dcowkv.randomdiff.commands=M} run a longer
 * search than the default 24 sequences of 600 commands (a few seconds).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RandomDifferentialTest {
    private static final int SEEDS = Integer.getInteger("cowkv.randomdiff.seeds", 24);
    private static final int COMMANDS = Integer.getInteger("cowkv.randomdiff.commands", 600);
    private static final int HISTORY = 25;

    private ServerPair servers;
    private CowKvProcess cowkv;
    private RedisProcess redis;

    @BeforeAll
    void startServers() throws Exception {
        // DEBUG DIGEST-VALUE, SET-ACTIVE-EXPIRE; Netty's leak detector on, checked at the end
        servers = ServerPair.startWithLeakDetection("--enable-debug-command", "local");
        cowkv = servers.cowkv;
        redis = servers.redis;
    }

    @AfterAll
    void stopServers() throws Exception {
        if (servers != null) {
            servers.closeAfterLeakCheck();
        }
    }

    @TestFactory
    Stream<DynamicTest> sequences() {
        return LongStream.range(1, SEEDS + 1)
                .mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> run(seed)));
    }

    private void run(long seed) throws IOException {
        try (RespConnection c = new RespConnection(cowkv); RespConnection r = new RespConnection(redis)) {
            for (RespConnection conn : List.of(c, r)) {
                assertThat(Resp.escape(conn.call("FLUSHALL"))).isEqualTo("+OK\\r\\n");
                // keys whose time passed (SET ... PXAT 1 keeps such a key) stay until a command
                // touches them, on both servers alike: no cron racing the comparison
                assertThat(Resp.escape(conn.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"))).isEqualTo("+OK\\r\\n");
                if (seed % 2 == 1) {
                    conn.call("HELLO", "3");
                }
                if (seed % 3 == 0) {
                    // a bigger dictionary under the pool keys: resizes, rehashing, long SCANs
                    assertThat(Resp.escape(conn.call("DEBUG", "POPULATE", Long.toString(1000 * (seed % 7 + 1)))))
                            .isEqualTo("+OK\\r\\n");
                }
            }
            RandomCommands commands = new RandomCommands(seed);
            Deque<String> history = new ArrayDeque<>();
            java.util.Random pipelining = new java.util.Random(-seed);
            Command held = null;
            for (int step = 1; step <= COMMANDS; ) {
                // now and then a pipeline: several commands written before any reply is read
                List<Command> batch = new ArrayList<>();
                int size = pipelining.nextInt(8) == 0 ? 2 + pipelining.nextInt(15) : 1;
                while (batch.size() < size && step + batch.size() <= COMMANDS) {
                    Command command = held != null ? held : commands.next();
                    held = null;
                    if (command.compare() == RandomCommands.Compare.SCAN_ALL && !batch.isEmpty()) {
                        held = command; // a full iteration is a conversation of its own: next round
                        break;
                    }
                    batch.add(command);
                    if (command.compare() == RandomCommands.Compare.SCAN_ALL) {
                        break;
                    }
                }
                if (batch.size() == 1) {
                    Command command = batch.get(0);
                    remember(history, step, command, check(seed, c, r, command, "step " + step + ": " + command.text(), history));
                } else {
                    checkPipeline(seed, c, r, batch, step, history);
                }
                step += batch.size();
            }
            compareKeySpace(seed, c, r, history);
            assertThat(cowkv.isAlive()).as("cowkv alive after seed " + seed + "; output:\n" + cowkv.output()).isTrue();
            // nothing leaks in the arena: with every key gone, no byte is allocated and no page used
            c.call("FLUSHALL");
            String memory = new String(c.call("INFO", "memory"), StandardCharsets.UTF_8);
            assertThat(memory).as("seed %d: INFO memory after FLUSHALL", seed)
                    .contains("\r\nused_memory:0\r\n").contains("\r\narena_frames_in_use:0\r\n");
        }
    }

    /** Every pool key in every database the generator uses: type, value digest, TTL; then DBSIZE. */
    private void compareKeySpace(long seed, RespConnection c, RespConnection r, Deque<String> history)
            throws IOException {
        List<String> keys = new ArrayList<>(RandomCommands.KEYS);
        keys.addAll(List.of(RandomCommands.LCS_KEYS));
        for (int db = 0; db < RandomCommands.DATABASES; db++) {
            List<Command> checks = new ArrayList<>();
            checks.add(exact("SELECT", Integer.toString(db)));
            checks.add(exact("DBSIZE"));
            for (String k : keys) {
                checks.add(exact("TYPE", k));
                checks.add(exact("DEBUG", "DIGEST-VALUE", k));
                checks.add(new Command(RandomCommands.bytes(List.of("TTL", k)), RandomCommands.Compare.NEAR, 1));
            }
            for (Command check : checks) {
                check(seed, c, r, check, "final key space, db " + db + ": " + check.text(), history);
            }
        }
    }

    /** Writes the batch to each server in one write, then reads and compares the replies in order. */
    private void checkPipeline(long seed, RespConnection c, RespConnection r, List<Command> batch, int firstStep,
                               Deque<String> history) throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (Command command : batch) {
            all.writeBytes(Resp.encode(command.args()));
        }
        c.write(all.toByteArray());
        r.write(all.toByteArray());
        for (int i = 0; i < batch.size(); i++) {
            Command command = batch.get(i);
            int step = firstStep + i;
            String where = "step " + step + " (pipelined, " + (i + 1) + " of " + batch.size() + "): " + command.text();
            byte[] mine = read(c, seed, "cowkv", where, history);
            byte[] theirs = read(r, seed, "redis", where, history);
            String problem = compare(command, mine, theirs);
            if (problem != null) {
                throw mismatch(seed, where, problem, mine, theirs, history);
            }
            remember(history, step, command, theirs);
        }
    }

    private static void remember(Deque<String> history, int step, Command command, byte[] reply) {
        history.addLast(step + ": " + command.text() + " -> " + abbreviate(Resp.escape(reply)));
        if (history.size() > HISTORY) {
            history.removeFirst();
        }
    }

    private byte[] read(RespConnection conn, long seed, String who, String where, Deque<String> history) {
        try {
            return conn.readReply();
        } catch (IOException e) {
            throw brokenConnection(seed, who, where, history, e);
        }
    }

    /** Sends the command to both servers and compares the replies; returns Redis's, fails on a difference. */
    private byte[] check(long seed, RespConnection c, RespConnection r, Command command, String where,
                         Deque<String> history) throws IOException {
        byte[] mine = call(c, command, seed, "cowkv", where, history);
        byte[] theirs = call(r, command, seed, "redis", where, history);
        String problem = compare(command, mine, theirs);
        if (problem != null) {
            throw mismatch(seed, where, problem, mine, theirs, history);
        }
        return theirs;
    }

    private static Command exact(String... args) {
        return new Command(RandomCommands.bytes(List.of(args)), RandomCommands.Compare.EXACT, 0);
    }

    /** The command's reply from one server; a broken connection fails with the seed, step and history. */
    private byte[] call(RespConnection conn, Command command, long seed, String who, String where,
                        Deque<String> history) {
        try {
            if (command.compare() == RandomCommands.Compare.SCAN_ALL) {
                return DiffScanAll.run(conn, command.args());
            }
            conn.send(command.args());
            return conn.readReply();
        } catch (IOException e) {
            throw brokenConnection(seed, who, where, history, e);
        }
    }

    private AssertionFailedError brokenConnection(long seed, String who, String where, Deque<String> history,
                                                  IOException e) {
        AssertionFailedError failure = mismatch(seed, where, who + " gave no reply: " + e
                + "\n  cowkv's output:\n" + cowkv.output(), null, null, history);
        failure.initCause(e);
        return failure;
    }

    /** Null when the replies agree, else what differs. */
    static String compare(Command command, byte[] mine, byte[] theirs) throws IOException {
        switch (command.compare()) {
            case SORTED:
                return DifferentialTest.compare(DiffScript.Mode.SORTED, mine, theirs);
            case TYPE:
                return mine[0] == theirs[0] ? null : "reply types differ";
            case INFO_KEYSPACE:
                return Arrays.equals(maskAvgTtl(mine), maskAvgTtl(theirs)) ? null : "INFO keyspace differs (avg_ttl masked)";
            case NEAR: {
                Long a = integer(mine);
                Long b = integer(theirs);
                if (a != null && b != null && a >= 0 && b >= 0) {
                    return Math.abs(a - b) <= command.tolerance() ? null
                            : "integers differ by more than " + command.tolerance();
                }
                return Arrays.equals(mine, theirs) ? null : "replies differ";
            }
            default:
                return Arrays.equals(mine, theirs) ? null : "replies differ";
        }
    }

    private static byte[] maskAvgTtl(byte[] reply) {
        String s = new String(reply, StandardCharsets.ISO_8859_1).replaceAll("avg_ttl=\\d+", "avg_ttl=*");
        // the bulk's length header changes with the digits masked: drop it
        return s.substring(s.indexOf('\n') + 1).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Long integer(byte[] reply) {
        if (reply.length < 4 || reply[0] != ':') {
            return null;
        }
        try {
            return Long.parseLong(new String(reply, 1, reply.length - 3, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static AssertionFailedError mismatch(long seed, String where, String problem, byte[] mine, byte[] theirs,
                                                 Deque<String> history) {
        StringBuilder sb = new StringBuilder();
        sb.append("seed ").append(seed).append(seed % 2 == 1 ? " (RESP3)" : " (RESP2)").append(", ").append(where)
                .append("\n  ").append(problem)
                .append("\n  cowkv: \"").append(abbreviate(Resp.escape(mine))).append('"')
                .append("\n  redis: \"").append(abbreviate(Resp.escape(theirs))).append('"')
                .append("\n  the commands before it (with Redis's replies):");
        for (String h : history) {
            sb.append("\n    ").append(h);
        }
        return new AssertionFailedError(sb.toString(), Resp.escape(theirs), Resp.escape(mine));
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...(" + s.length() + " chars)";
    }
}
