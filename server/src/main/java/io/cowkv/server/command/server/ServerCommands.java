package io.cowkv.server.command.server;

import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.cowkv.server.protocol.CommandArgs;
import io.cowkv.server.protocol.Errors;
import io.cowkv.server.protocol.Reply;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.cowkv.server.command.CommandSpec.command;

/** The server family: DBSIZE FLUSHDB FLUSHALL SWAPDB TIME INFO SHUTDOWN. */
public final class ServerCommands {
    private final ServerContext server;
    private final long[] num = new long[1];
    /** Runs after FLUSHALL emptied the data (persistence: cancel a BGSAVE, save with save points). */
    private Runnable afterFlushAll = () -> { };

    public ServerCommands(ServerContext server) {
        this.server = server;
    }

    public ServerCommands afterFlushAll(Runnable hook) {
        this.afterFlushAll = hook;
        return this;
    }

    public void register(CommandRegistry r) {
        r.register(command("dbsize", 1).flags("readonly", "fast").handler(this::dbsize).build());
        r.register(command("flushdb", -1).flags("write").handler(this::flushdb).build());
        r.register(command("flushall", -1).flags("write").handler(this::flushall).build());
        r.register(command("swapdb", 3).flags("write", "fast").handler(this::swapdb).build());
        r.register(command("time", 1).flags("loading", "stale", "fast").handler(this::time).build());
        r.register(command("info", -1).flags("loading", "stale").handler(this::info).build());
        r.register(command("shutdown", -1).flags("admin", "noscript", "loading", "stale", "no_multi", "allow_busy")
                .handler(this::shutdown).build());
    }

    private void dbsize(Session s, CommandArgs a) {
        s.reply().integer(server.keyspace.db(s.db).size());
    }

    /** FLUSHDB/FLUSHALL take an optional ASYNC or SYNC; both free memory before replying here. */
    private boolean flushOption(Session s, CommandArgs a) {
        if (a.count() > 2 || (a.count() == 2 && !a.is(1, "async") && !a.is(1, "sync"))) {
            s.reply().error(Errors.SYNTAX);
            return false;
        }
        return true;
    }

    private void flushdb(Session s, CommandArgs a) {
        if (flushOption(s, a)) {
            server.stats.dirty += server.keyspace.db(s.db).size();
            server.keyspace.db(s.db).clear();
            s.reply().ok();
        }
    }

    private void flushall(Session s, CommandArgs a) {
        if (flushOption(s, a)) {
            server.stats.dirty += server.keyspace.totalKeys();
            server.keyspace.flushAll();
            afterFlushAll.run();
            s.reply().ok();
        }
    }

    private void swapdb(Session s, CommandArgs a) {
        if (!a.parseLong(1, num) || num[0] > Integer.MAX_VALUE || num[0] < Integer.MIN_VALUE) {
            s.reply().error("ERR invalid first DB index");
            return;
        }
        long first = num[0];
        if (!a.parseLong(2, num) || num[0] > Integer.MAX_VALUE || num[0] < Integer.MIN_VALUE) {
            s.reply().error("ERR invalid second DB index");
            return;
        }
        long second = num[0];
        int n = server.keyspace.databases();
        if (first < 0 || first >= n || second < 0 || second >= n) {
            s.reply().error(Errors.DB_INDEX_RANGE);
            return;
        }
        server.keyspace.swap((int) first, (int) second);
        server.stats.dirty++;
        s.reply().ok();
    }

    private void time(Session s, CommandArgs a) {
        java.time.Instant now = java.time.Instant.now();
        Reply r = s.reply();
        r.array(2);
        r.bulkLong(now.getEpochSecond());
        r.bulkLong(now.getNano() / 1000);
    }

    private void info(Session s, CommandArgs a) {
        List<String> sections = new ArrayList<>();
        for (int i = 1; i < a.count(); i++) {
            sections.add(a.string(i).toLowerCase(Locale.ROOT));
        }
        s.reply().verbatim(server.info().infoText(sections));
    }

    private void shutdown(Session s, CommandArgs a) {
        Boolean save = null;
        for (int i = 1; i < a.count(); i++) {
            if (a.is(i, "nosave") && save == null) {
                save = Boolean.FALSE;
            } else if (a.is(i, "save") && save == null) {
                save = Boolean.TRUE;
            } else if (a.is(i, "now") || a.is(i, "force")) {
                continue;
            } else if (a.is(i, "abort") && a.count() == 2) {
                s.reply().error("ERR No shutdown in progress.");
                return;
            } else {
                s.reply().error(Errors.SYNTAX);
                return;
            }
        }
        String err = server.lifecycle().shutdown(save);
        if (err != null) {
            s.reply().error(err);
        }
        // On success the connection closes without a reply, as in Redis.
    }
}
