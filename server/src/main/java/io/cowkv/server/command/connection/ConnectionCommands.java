package io.cowkv.server.command.connection;

import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.CommandSpec;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.cowkv.server.protocol.CommandArgs;
import io.cowkv.server.protocol.Errors;
import io.cowkv.server.protocol.Reply;

import static io.cowkv.server.command.CommandSpec.command;

/** The connection family: PING ECHO QUIT HELLO SELECT RESET. CLIENT lives in {@link ClientCommand}. */
public final class ConnectionCommands {
    private final ServerContext server;
    private final long[] num = new long[1];

    public ConnectionCommands(ServerContext server) {
        this.server = server;
    }

    public void register(CommandRegistry r) {
        r.register(command("ping", -1).flags("fast").nativeValues(1, 0).handler(this::ping).build());
        r.register(command("echo", 2).flags("fast", "stale", "loading").nativeValues(1, 0).handler(this::echo).build());
        r.register(command("quit", -1).flags("noscript", "loading", "stale", "fast", "no_auth", "allow_busy")
                .handler(this::quit).build());
        r.register(command("hello", -1).flags("noscript", "loading", "stale", "fast", "no_auth", "allow_busy")
                .handler(this::hello).build());
        r.register(command("select", 2).flags("loading", "stale", "fast").handler(this::select).build());
        r.register(command("reset", 1).flags("noscript", "loading", "stale", "fast", "no_auth", "allow_busy")
                .handler(this::reset).build());
    }

    private void ping(Session s, CommandArgs a) {
        Reply r = s.reply();
        if (a.count() > 2) {
            r.error(Errors.wrongArity("ping"));
        } else if (a.count() == 2) {
            bulkArgument(r, a, 1);
        } else {
            r.simple("PONG");
        }
    }

    private void echo(Session s, CommandArgs a) {
        bulkArgument(s.reply(), a, 1);
    }

    /**
     * Replies argument {@code i} as a bulk string. A big argument received off the heap (ECHO and
     * PING take them, see {@code CommandSpec.nativeValues}) is copied from there into the reply,
     * so echoing a value larger than the Java heap works as in Redis.
     */
    private static void bulkArgument(Reply r, CommandArgs a, int i) {
        if (a.isNative(i) && r.nativeCopySupported()) {
            r.beginBulk(a.length(i));
            r.payload(a.address(i), a.length(i));
            r.endBulk();
            return;
        }
        if (a.isNative(i)) {
            a.toHeap(i);
        }
        r.bulk(a.data(), a.offset(i), a.length(i));
    }

    private void quit(Session s, CommandArgs a) {
        s.reply().ok();
        s.closeAfterReply = true;
    }

    private void select(Session s, CommandArgs a) {
        if (!io.cowkv.server.command.IntArg.parse(s, a, 1, num)) { // Redis 7.0: getIntFromObjectOrReply(..., NULL)
            return;
        }
        if (num[0] < 0 || num[0] >= server.keyspace.databases()) {
            s.reply().error(Errors.DB_INDEX_RANGE);
            return;
        }
        s.db = (int) num[0];
        s.reply().ok();
    }

    private void reset(Session s, CommandArgs a) {
        s.db = 0;
        s.name = "";
        s.reply().protocol(2);
        s.replyMode = Session.ReplyMode.ON;
        s.skipNext = false;
        s.noEvict = false;
        s.noTouch = false;
        s.reply().simple("RESET");
    }

    private void hello(Session s, CommandArgs a) {
        Reply r = s.reply();
        int ver = r.protocol();
        int i = 1;
        if (a.count() >= 2) {
            if (!a.parseLong(1, num)) {
                r.error("ERR Protocol version is not an integer or out of range");
                return;
            }
            if (num[0] < 2 || num[0] > 3) {
                r.error(Errors.NOPROTO);
                return;
            }
            ver = (int) num[0];
            i = 2;
        }
        String newName = null;
        for (; i < a.count(); i++) {
            int left = a.count() - i - 1;
            if (a.is(i, "auth") && left >= 2) {
                a.redact(i + 1); // the slow log shows neither user nor password, as Redis
                a.redact(i + 2);
                // No ACL users: the default user has no password (nopass), as a fresh Redis.
                if (!a.string(i + 1).equals("default")) {
                    r.error("WRONGPASS invalid username-password pair or user is disabled.");
                    return;
                }
                i += 2;
            } else if (a.is(i, "setname") && left >= 1) {
                newName = a.string(i + 1);
                if (!ClientCommand.validName(newName)) {
                    r.error(ClientCommand.BAD_NAME);
                    return;
                }
                i++;
            } else {
                r.error("ERR Syntax error in HELLO option '" + a.string(i) + "'");
                return;
            }
        }
        if (newName != null) {
            s.name = newName;
        }
        r.protocol(ver);
        r.map(7);
        r.bulk("server");
        r.bulk("redis");
        r.bulk("version");
        r.bulk(server.version);
        r.bulk("proto");
        r.integer(ver);
        r.bulk("id");
        r.integer(s.id);
        r.bulk("mode");
        r.bulk("standalone");
        r.bulk("role");
        r.bulk("master");
        r.bulk("modules");
        r.array(0);
    }
}
