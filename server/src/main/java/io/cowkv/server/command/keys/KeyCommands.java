package io.cowkv.server.command.keys;

import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.cowkv.server.keyspace.Database;
import io.cowkv.server.keyspace.Entry;
import io.cowkv.server.protocol.CommandArgs;

import static io.cowkv.server.command.CommandSpec.command;

/** The generic key family: DEL UNLINK EXISTS TYPE. */
public final class KeyCommands {
    private final ServerContext server;

    public KeyCommands(ServerContext server) {
        this.server = server;
    }

    public void register(CommandRegistry r) {
        r.register(command("del", -2).flags("write").keys(1, -1, 1).group("generic")
                .doc("Deletes one or more keys.", "1.0.0", "O(N) where N is the number of keys that will be removed.")
                .args("key:key ...").handler(this::del).build());
        r.register(command("unlink", -2).flags("write", "fast").keys(1, -1, 1).group("generic")
                .doc("Asynchronously deletes one or more keys.", "4.0.0", "O(1) for each key removed regardless of its size.")
                .args("key:key ...").handler(this::del).build());
        r.register(command("exists", -2).flags("readonly", "fast").keys(1, -1, 1).group("generic")
                .doc("Determines whether one or more keys exist.", "1.0.0", "O(N) where N is the number of keys to check.")
                .args("key:key ...").handler(this::exists).build());
        r.register(command("type", 2).flags("readonly", "fast").keys(1, 1, 1).group("generic")
                .doc("Determines the type of value stored at a key.", "1.0.0", "O(1)")
                .args("key:key").handler(this::type).build());
    }

    private void del(Session s, CommandArgs a) {
        Database db = server.keyspace.db(s.db);
        long n = 0;
        for (int i = 1; i < a.count(); i++) {
            if (db.delete(a.data(), a.offset(i), a.length(i))) {
                n++;
            }
        }
        server.stats.dirty += n;
        s.reply().integer(n);
    }

    private void exists(Session s, CommandArgs a) {
        Database db = server.keyspace.db(s.db);
        long n = 0;
        for (int i = 1; i < a.count(); i++) {
            if (db.lookup(a.data(), a.offset(i), a.length(i)) != null) {
                n++;
            }
        }
        s.reply().integer(n);
    }

    private void type(Session s, CommandArgs a) {
        Entry e = server.keyspace.db(s.db).lookup(a.data(), a.offset(1), a.length(1));
        s.reply().simple(e == null ? "none" : e.type().redisName());
    }
}
