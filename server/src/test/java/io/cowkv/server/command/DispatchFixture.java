package io.cowkv.server.command;

import io.cowkv.server.config.ServerConfig;
import io.cowkv.server.keyspace.Clock;
import io.cowkv.server.keyspace.Keyspace;
import io.cowkv.server.protocol.CommandArgs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * A server without a network for command tests: a keyspace, an empty command table (register the
 * families under test), a dispatcher and one RESP2 session whose replies {@link #run} returns.
 * Close it after the test (releases the reply buffer and the arena).
 */
public final class DispatchFixture implements AutoCloseable {
    public final Keyspace keyspace;
    public final CommandRegistry registry = new CommandRegistry();
    public final ServerConfig config = new ServerConfig();
    public final ServerContext ctx;
    public final Dispatcher dispatcher;
    public final Session session = new Session(1, "a", "b", 0, () -> { });
    private final ByteBuf out = Unpooled.buffer();

    public DispatchFixture() {
        this(Clock.SYSTEM);
    }

    /** With the keyspace on {@code clock} (expiry, idle times). */
    public DispatchFixture(Clock clock) {
        keyspace = new Keyspace(16, clock);
        ctx = new ServerContext(keyspace, config, registry, "7.0.15");
        dispatcher = new Dispatcher(ctx);
        session.reply().target(out);
    }

    /** As {@link #run}, from a one-off session of a client at {@code addr} ("ip:port"). */
    public String runFrom(String addr, String... words) {
        Session other = new Session(2, addr, "127.0.0.1:6379", 0, () -> { });
        other.reply().target(out);
        return dispatch(other, words);
    }

    /** Dispatches one command and returns its raw reply. */
    public String run(String... words) {
        return dispatch(session, words);
    }

    /**
     * Dispatches one command given as raw bytes, one char per byte (ISO-8859-1: {@code \u0000}
     * to {@code \u00ff}), and returns the raw reply the same way, so bytes that are not UTF-8
     * can be checked as they are.
     */
    public String runLatin1(String... words) {
        CommandArgs args = new CommandArgs();
        for (String w : words) {
            byte[] b = w.getBytes(StandardCharsets.ISO_8859_1);
            args.add(b, 0, b.length);
        }
        out.clear();
        dispatcher.dispatch(session, args);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private String dispatch(Session s, String... words) {
        CommandArgs args = new CommandArgs();
        for (String w : words) {
            args.add(w);
        }
        out.clear();
        dispatcher.dispatch(s, args);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        out.release();
        keyspace.close();
    }
}
