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
    public final Keyspace keyspace = new Keyspace(16, Clock.SYSTEM);
    public final CommandRegistry registry = new CommandRegistry();
    public final ServerConfig config = new ServerConfig();
    public final ServerContext ctx = new ServerContext(keyspace, config, registry, "7.0.15");
    public final Dispatcher dispatcher = new Dispatcher(ctx);
    public final Session session = new Session(1, "a", "b", 0, () -> { });
    private final ByteBuf out = Unpooled.buffer();

    public DispatchFixture() {
        session.reply().target(out);
    }

    /** Dispatches one command and returns its raw reply. */
    public String run(String... words) {
        CommandArgs args = new CommandArgs();
        for (String w : words) {
            args.add(w);
        }
        out.clear();
        dispatcher.dispatch(session, args);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        out.release();
        keyspace.close();
    }
}
