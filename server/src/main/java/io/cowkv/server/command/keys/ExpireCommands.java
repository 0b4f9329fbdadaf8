package io.cowkv.server.command.keys;

import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.cowkv.server.keyspace.Database;
import io.cowkv.server.keyspace.Entry;
import io.cowkv.server.protocol.CommandArgs;
import io.cowkv.server.protocol.Errors;
import io.cowkv.server.protocol.Reply;

import static io.cowkv.server.command.CommandSpec.command;

/** Expiry commands: EXPIRE PEXPIRE EXPIREAT PEXPIREAT (NX XX GT LT), TTL PTTL EXPIRETIME PEXPIRETIME PERSIST. */
public final class ExpireCommands {
    private static final int NX = 1;
    private static final int XX = 2;
    private static final int GT = 4;
    private static final int LT = 8;
    private final ServerContext server;
    private final long[] num = new long[1];

    public ExpireCommands(ServerContext server) {
        this.server = server;
    }

    public void register(CommandRegistry r) {
        r.register(command("expire", -3).flags("write", "fast").keys(1, 1, 1)
                .handler((s, a) -> expire(s, a, 1000, true, "expire")).build());
        r.register(command("pexpire", -3).flags("write", "fast").keys(1, 1, 1)
                .handler((s, a) -> expire(s, a, 1, true, "pexpire")).build());
        r.register(command("expireat", -3).flags("write", "fast").keys(1, 1, 1)
                .handler((s, a) -> expire(s, a, 1000, false, "expireat")).build());
        r.register(command("pexpireat", -3).flags("write", "fast").keys(1, 1, 1)
                .handler((s, a) -> expire(s, a, 1, false, "pexpireat")).build());
        r.register(command("ttl", 2).flags("readonly", "fast").keys(1, 1, 1)
                .handler((s, a) -> ttl(s, a, false, false)).build());
        r.register(command("pttl", 2).flags("readonly", "fast").keys(1, 1, 1)
                .handler((s, a) -> ttl(s, a, true, false)).build());
        r.register(command("expiretime", 2).flags("readonly", "fast").keys(1, 1, 1)
                .handler((s, a) -> ttl(s, a, false, true)).build());
        r.register(command("pexpiretime", 2).flags("readonly", "fast").keys(1, 1, 1)
                .handler((s, a) -> ttl(s, a, true, true)).build());
        r.register(command("persist", 2).flags("write", "fast").keys(1, 1, 1).handler(this::persist).build());
    }

    private void expire(Session s, CommandArgs a, long unit, boolean relative, String cmd) {
        Reply r = s.reply();
        int flags = 0;
        for (int i = 3; i < a.count(); i++) {
            if (a.is(i, "nx")) {
                flags |= NX;
            } else if (a.is(i, "xx")) {
                flags |= XX;
            } else if (a.is(i, "gt")) {
                flags |= GT;
            } else if (a.is(i, "lt")) {
                flags |= LT;
            } else {
                r.error("ERR Unsupported option " + a.string(i));
                return;
            }
        }
        if ((flags & NX) != 0 && (flags & (XX | GT | LT)) != 0) {
            r.error(Errors.NX_XX_GT_LT);
            return;
        }
        if ((flags & GT) != 0 && (flags & LT) != 0) {
            r.error("ERR GT and LT options at the same time are not compatible");
            return;
        }
        if (!a.parseLong(2, num)) {
            r.error(Errors.NOT_INTEGER);
            return;
        }
        long when = num[0];
        if (unit == 1000) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                r.error(Errors.invalidExpireTime(cmd));
                return;
            }
            when *= 1000;
        }
        long base = relative ? server.keyspace.clock().millis() : 0;
        if (when > Long.MAX_VALUE - base) {
            r.error(Errors.invalidExpireTime(cmd));
            return;
        }
        when += base;
        Database db = server.keyspace.db(s.db);
        Entry e = db.lookup(a.data(), a.offset(1), a.length(1));
        if (e == null) {
            r.integer(0);
            return;
        }
        long current = e.expireAt();
        if ((flags & NX) != 0 && current != Entry.NO_EXPIRE
                || (flags & XX) != 0 && current == Entry.NO_EXPIRE
                || (flags & GT) != 0 && (current == Entry.NO_EXPIRE || when <= current)
                || (flags & LT) != 0 && current != Entry.NO_EXPIRE && when >= current) {
            r.integer(0);
            return;
        }
        if (when <= server.keyspace.clock().millis()) {
            db.delete(a.data(), a.offset(1), a.length(1));
        } else {
            db.setExpire(e, when);
        }
        server.stats.dirty++;
        r.integer(1);
    }

    private void ttl(Session s, CommandArgs a, boolean ms, boolean absolute) {
        Entry e = server.keyspace.db(s.db).lookupRead(a.data(), a.offset(1), a.length(1));
        Reply r = s.reply();
        if (e == null) {
            r.integer(-2);
            return;
        }
        long at = e.expireAt();
        if (at == Entry.NO_EXPIRE) {
            r.integer(-1);
            return;
        }
        if (absolute) {
            r.integer(ms ? at : at / 1000);
            return;
        }
        long ttl = Math.max(0, at - server.keyspace.clock().millis());
        r.integer(ms ? ttl : (ttl + 500) / 1000);
    }

    private void persist(Session s, CommandArgs a) {
        Database db = server.keyspace.db(s.db);
        Entry e = db.lookup(a.data(), a.offset(1), a.length(1));
        if (e == null || e.expireAt() == Entry.NO_EXPIRE) {
            s.reply().integer(0);
            return;
        }
        db.setExpire(e, Entry.NO_EXPIRE);
        server.stats.dirty++;
        s.reply().integer(1);
    }
}
