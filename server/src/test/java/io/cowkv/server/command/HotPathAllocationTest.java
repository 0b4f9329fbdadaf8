package io.cowkv.server.command;

import io.cowkv.server.command.keys.KeyCommands;
import io.cowkv.server.command.string.StringCommands;
import io.cowkv.server.config.ServerConfig;
import io.cowkv.server.keyspace.Clock;
import io.cowkv.server.keyspace.Keyspace;
import io.cowkv.server.protocol.CommandArgs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dispatching GET, SET (also with EX), INCR, EXISTS, EXPIRE and DEL allocates nothing on the Java heap per command once
 * warm (the values live in the arena, the arguments in the connection's reusable buffers).
 * Measured with the JVM's per-thread allocation counter, not with time.
 */
class HotPathAllocationTest {
    private final Keyspace keyspace = new Keyspace(16, Clock.SYSTEM);

    @AfterEach
    void close() {
        keyspace.close();
    }

    @Test
    void stringCommandsDoNotAllocatePerCommand() {
        CommandRegistry registry = new CommandRegistry();
        ServerContext ctx = new ServerContext(keyspace, new ServerConfig(), registry, "7.0.15");
        new StringCommands(ctx).register(registry);
        new KeyCommands(ctx).register(registry);
        new io.cowkv.server.command.keys.ExpireCommands(ctx).register(registry);
        Dispatcher dispatcher = new Dispatcher(ctx);
        Session session = new Session(1, "127.0.0.1:1", "127.0.0.1:2", 0, () -> { });
        ByteBuf out = Unpooled.directBuffer(1 << 20);
        session.reply().target(out);
        CommandArgs args = new CommandArgs();
        byte[][] keys = new byte[1000][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ("key:" + i).getBytes(StandardCharsets.US_ASCII);
        }
        byte[] value = "x".repeat(100).getBytes(StandardCharsets.US_ASCII);
        byte[][] counters = new byte[7][];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = ("n" + i).getBytes(StandardCharsets.US_ASCII);
        }
        byte[][] ttlKeys = new byte[7][];
        for (int i = 0; i < ttlKeys.length; i++) {
            ttlKeys[i] = ("ttl" + i).getBytes(StandardCharsets.US_ASCII);
        }
        Runnable round = () -> {
            int i = 0;
            for (byte[] k : keys) {
                run(dispatcher, session, args, out, SET, k, value);
                run(dispatcher, session, args, out, GET, k, null);
                run(dispatcher, session, args, out, INCR, counters[i++ % 7], null);
                run(dispatcher, session, args, out, EXISTS, k, null);
                runSetEx(dispatcher, session, args, out, ttlKeys[i % 7], value);
                run(dispatcher, session, args, out, EXPIRE, ttlKeys[i % 7], SECONDS);
                runGetrange(dispatcher, session, args, out, k);
                runGetrange(dispatcher, session, args, out, counters[i % 7]); // int-encoded
            }
        };
        for (int i = 0; i < 20; i++) {
            round.run(); // warm-up: JIT, buffers, arena slabs and tables grown
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        int rounds = 20;
        for (int i = 0; i < rounds; i++) {
            round.run();
        }
        long perCommand = (mx.getThreadAllocatedBytes(tid) - before) / (rounds * keys.length * 8L);
        out.release();
        assertThat(perCommand).as("heap bytes allocated per command (%d)", perCommand).isLessThan(8);
    }

    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GET = "GET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INCR = "INCR".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXISTS = "EXISTS".getBytes(StandardCharsets.US_ASCII);

    private static final CommandArgs[] ONE = new CommandArgs[1];
    private static final byte[] EX = "EX".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXPIRE = "EXPIRE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SECONDS = "100".getBytes(StandardCharsets.US_ASCII);

    /** SET key value EX 100 (the TTL path: option parsing, the clock, a record with its expire field). */
    private static void runSetEx(Dispatcher d, Session s, CommandArgs args, ByteBuf out, byte[] key, byte[] value) {
        fill(args, SET, key, value);
        args.add(EX, 0, EX.length);
        args.add(SECONDS, 0, SECONDS.length);
        dispatch(d, s, args, out);
    }

    private static final byte[] GETRANGE = "GETRANGE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FROM = "2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TO = "-3".getBytes(StandardCharsets.US_ASCII);

    /** GETRANGE key 2 -3: the range streamed from the record, for raw and int-encoded values. */
    private static void runGetrange(Dispatcher d, Session s, CommandArgs args, ByteBuf out, byte[] key) {
        fill(args, GETRANGE, key, FROM);
        args.add(TO, 0, TO.length);
        dispatch(d, s, args, out);
    }

    private static void run(Dispatcher d, Session s, CommandArgs args, ByteBuf out, byte[] n, byte[] key, byte[] value) {
        fill(args, n, key, value);
        dispatch(d, s, args, out);
    }

    /** Arguments {@code n key [value]}. */
    private static void fill(CommandArgs args, byte[] n, byte[] key, byte[] value) {
        args.clear();
        args.add(n, 0, n.length);
        args.add(key, 0, key.length);
        if (value != null) {
            args.add(value, 0, value.length);
        }
    }

    private static void dispatch(Dispatcher d, Session s, CommandArgs args, ByteBuf out) {
        ONE[0] = args;
        out.clear();
        d.prefetch(s, ONE, 1); // the pipelined path warms the caches first; it must not allocate either
        d.dispatch(s, args);
    }
}
