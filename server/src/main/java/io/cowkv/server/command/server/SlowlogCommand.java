package io.cowkv.server.command.server;

import io.cowkv.server.command.CommandHandler;
import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.CommandSpec;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.cowkv.server.metrics.SlowLog;
import io.cowkv.server.protocol.CommandArgs;
import io.cowkv.server.protocol.Errors;
import io.cowkv.server.protocol.Reply;

import static io.cowkv.server.command.CommandSpec.command;

/**
 * SLOWLOG GET [count] | LEN | RESET | HELP, with Redis 7.0's replies, over the server's
 * {@link SlowLog}. Keyspace thread only.
 */
public final class SlowlogCommand {
    private final ServerContext server;
    private final long[] num = new long[1];

    public SlowlogCommand(ServerContext server) {
        this.server = server;
    }

    public void register(CommandRegistry r) {
        // Arity and flags as Redis 7.0's command table; docs come from Redis's metadata.
        r.register(command("slowlog", -2)
                .sub(sub("get", -2, this::get))
                .sub(command("help", 2).flags("loading", "stale").handler(this::help).build())
                .sub(sub("len", 2, this::len))
                .sub(sub("reset", 2, this::reset))
                .build());
    }

    private static CommandSpec sub(String name, int arity, CommandHandler h) {
        return command(name, arity).flags("admin", "loading", "stale").handler(h).build();
    }

    /** SLOWLOG GET [count]: count 10 by default, -1 for all; newest first. */
    private void get(Session s, CommandArgs a) {
        Reply r = s.reply();
        if (a.count() > 3) {
            r.error(Errors.unknownSubcommandOrArity(a, 1, "slowlog"));
            return;
        }
        long count = 10;
        if (a.count() == 3) {
            // getRangeLongFromObjectOrReply: one message for "not an integer" and "out of range"
            if (!a.parseLong(2, num) || num[0] < -1) {
                r.error("ERR count should be greater than or equal to -1");
                return;
            }
            count = num[0] == -1 ? Long.MAX_VALUE : num[0];
        }
        var entries = server.slowlog.newest(count);
        r.array(entries.size());
        for (SlowLog.Entry e : entries) {
            r.array(6);
            r.integer(e.id());
            r.integer(e.timeSeconds());
            r.integer(e.durationMicros());
            r.array(e.args().length);
            for (byte[] arg : e.args()) {
                r.bulk(arg);
            }
            r.bulk(e.peer());
            r.bulk(e.clientName());
        }
    }

    private void len(Session s, CommandArgs a) {
        s.reply().integer(server.slowlog.length());
    }

    private void reset(Session s, CommandArgs a) {
        server.slowlog.reset();
        s.reply().ok();
    }

    private void help(Session s, CommandArgs a) {
        s.reply().simpleLines(
                "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "GET [<count>]",
                "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                "    Entries are made of:",
                "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                "    client name",
                "LEN",
                "    Return the length of the slowlog.",
                "RESET",
                "    Reset the slowlog.",
                "HELP",
                "    Prints this help.");
    }
}
