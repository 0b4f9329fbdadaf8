package io.cowkv.server.command.string;

import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.cowkv.server.keyspace.Database;
import io.cowkv.server.keyspace.Entry;
import io.cowkv.server.keyspace.ValueType;
import io.cowkv.server.protocol.CommandArgs;
import io.cowkv.server.protocol.Errors;
import io.cowkv.server.protocol.Numbers;
import io.cowkv.server.protocol.Reply;

import static io.cowkv.server.command.CommandSpec.command;

/** The string family: GET SET and friends. */
public final class StringCommands {
    private final ServerContext server;
    private final long[] num = new long[1];

    public StringCommands(ServerContext server) {
        this.server = server;
    }

    public void register(CommandRegistry r) {
        r.register(command("get", 2).flags("readonly", "fast").keys(1, 1, 1).group("string")
                .doc("Returns the string value of a key.", "1.0.0", "O(1)")
                .args("key:key").handler(this::get).build());
        r.register(command("set", -3).flags("write", "denyoom").keys(1, 1, 1).group("string")
                .doc("Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.", "1.0.0", "O(1)")
                .args("key:key value:string [NX|XX] [GET] [EX seconds:integer|PX milliseconds:integer|EXAT unix-time-seconds:unix-time|PXAT unix-time-milliseconds:unix-time|KEEPTTL]")
                .handler(this::set).build());
    }

    /** Writes a string entry's value as a bulk reply. */
    static void replyValue(Reply r, Entry e) {
        Object v = e.value();
        if (v instanceof Long) {
            r.bulkLong((Long) v);
        } else {
            r.bulk((byte[]) v);
        }
    }

    /** The value to store for these bytes: a Long when Redis would use the "int" encoding. */
    static Object encode(byte[] b, int off, int len, long[] tmp) {
        if (len <= 20 && Numbers.parseLong(b, off, len, tmp)) {
            return tmp[0];
        }
        byte[] copy = new byte[len];
        System.arraycopy(b, off, copy, 0, len);
        return copy;
    }

    private void get(Session s, CommandArgs a) {
        Entry e = server.keyspace.db(s.db).lookupRead(a.data(), a.offset(1), a.length(1));
        Reply r = s.reply();
        if (e == null) {
            r.nullBulk();
        } else if (e.type() != ValueType.STRING) {
            r.error(Errors.WRONGTYPE);
        } else {
            replyValue(r, e);
        }
    }

    private static final int NX = 1;
    private static final int XX = 2;
    private static final int GET = 4;
    private static final int KEEPTTL = 8;
    private static final int EXPIRE = 16;

    private void set(Session s, CommandArgs a) {
        Reply r = s.reply();
        int flags = 0;
        long expireAt = Entry.NO_EXPIRE;
        long now = server.keyspace.clock().millis();
        // As Redis's parseExtendedStringArgumentsOrReply: the same expire option may repeat (the
        // last one wins), a different one is a syntax error, and the value is checked only after
        // every option parsed (so a syntax error anywhere wins over a bad number).
        int expireOpt = -1;
        for (int i = 3; i < a.count(); i++) {
            boolean hasNext = i + 1 < a.count();
            if (a.is(i, "nx") && (flags & XX) == 0) {
                flags |= NX;
            } else if (a.is(i, "xx") && (flags & NX) == 0) {
                flags |= XX;
            } else if (a.is(i, "get")) {
                flags |= GET;
            } else if (a.is(i, "keepttl") && (flags & EXPIRE) == 0) {
                flags |= KEEPTTL;
            } else if ((flags & KEEPTTL) == 0 && hasNext
                    && (a.is(i, "ex") || a.is(i, "px") || a.is(i, "exat") || a.is(i, "pxat"))
                    && (expireOpt < 0 || a.lower(i).equals(a.lower(expireOpt)))) {
                expireOpt = i;
                flags |= EXPIRE;
                i++;
            } else {
                r.error(Errors.SYNTAX);
                return;
            }
        }
        if (expireOpt >= 0) {
            int i = expireOpt;
            if (!a.parseLong(i + 1, num)) {
                r.error(Errors.NOT_INTEGER);
                return;
            }
            long v = num[0];
            boolean seconds = a.is(i, "ex") || a.is(i, "exat");
            boolean relative = a.is(i, "ex") || a.is(i, "px");
            if (v <= 0 || (seconds && v > Long.MAX_VALUE / 1000)) {
                r.error(Errors.INVALID_EXPIRE_SET);
                return;
            }
            long ms = seconds ? v * 1000 : v;
            if (relative) {
                if (ms > Long.MAX_VALUE - now) {
                    r.error(Errors.INVALID_EXPIRE_SET);
                    return;
                }
                ms += now;
            }
            expireAt = ms;
        }
        Database db = server.keyspace.db(s.db);
        Entry old = db.lookup(a.data(), a.offset(1), a.length(1));
        if ((flags & GET) != 0 && old != null && old.type() != ValueType.STRING) {
            r.error(Errors.WRONGTYPE);
            return;
        }
        boolean blocked = ((flags & NX) != 0 && old != null) || ((flags & XX) != 0 && old == null);
        if ((flags & GET) != 0) {
            if (old == null) {
                r.nullBulk();
            } else {
                replyValue(r, old);
            }
        }
        if (blocked) {
            if ((flags & GET) == 0) {
                r.nullBulk();
            }
            return;
        }
        Object value = encode(a.data(), a.offset(2), a.length(2), num);
        Entry e = db.setString(a.data(), a.offset(1), a.length(1), value, (flags & KEEPTTL) != 0);
        if ((flags & EXPIRE) != 0) {
            db.setExpire(e, expireAt);
        }
        server.stats.dirty++;
        if ((flags & GET) == 0) {
            r.ok();
        }
    }
}
