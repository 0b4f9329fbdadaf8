package io.cowkv.server.command.string;

import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.cowkv.server.keyspace.Database;
import io.cowkv.server.keyspace.Entry;
import io.cowkv.server.keyspace.ValueType;
import io.cowkv.server.protocol.CommandArgs;
import io.cowkv.server.protocol.Errors;
import io.cowkv.server.protocol.Reply;

import static io.cowkv.server.command.CommandSpec.command;

/**
 * The string family: GET SET SETNX SETEX PSETEX GETSET GETDEL GETEX MGET MSET MSETNX APPEND
 * STRLEN GETRANGE SUBSTR SETRANGE INCR DECR INCRBY DECRBY INCRBYFLOAT (LCS in {@link LcsCommand}).
 * Argument checks and replies follow Redis 7.0's t_string.c, error for error.
 */
public final class StringCommands {
    private final ServerContext server;
    private final long[] num = new long[1];

    public StringCommands(ServerContext server) {
        this.server = server;
    }

    public void register(CommandRegistry r) {
        r.register(command("get", 2).flags("readonly", "fast").keys(1, 1, 1).handler(this::get).build());
        r.register(command("set", -3).flags("write", "denyoom").keys(1, 1, 1).nativeValues(2, 0).handler(this::set).build());
        r.register(command("setnx", 3).flags("write", "denyoom", "fast").keys(1, 1, 1).nativeValues(2, 0).handler(this::setnx).build());
        r.register(command("setex", 4).flags("write", "denyoom").keys(1, 1, 1).nativeValues(3, 0)
                .handler((s, a) -> setex(s, a, 1000, "setex")).build());
        r.register(command("psetex", 4).flags("write", "denyoom").keys(1, 1, 1).nativeValues(3, 0)
                .handler((s, a) -> setex(s, a, 1, "psetex")).build());
        r.register(command("getset", 3).flags("write", "denyoom", "fast").keys(1, 1, 1).nativeValues(2, 0).handler(this::getset).build());
        r.register(command("getdel", 2).flags("write", "fast").keys(1, 1, 1).handler(this::getdel).build());
        r.register(command("getex", -2).flags("write", "fast").keys(1, 1, 1).handler(this::getex).build());
        r.register(command("mget", -2).flags("readonly", "fast").keys(1, -1, 1).handler(this::mget).build());
        r.register(command("mset", -3).flags("write", "denyoom").keys(1, -1, 2).nativeValues(2, 2).handler(this::mset).build());
        r.register(command("msetnx", -3).flags("write", "denyoom").keys(1, -1, 2).nativeValues(2, 2).handler(this::msetnx).build());
        r.register(command("append", 3).flags("write", "denyoom", "fast").keys(1, 1, 1).nativeValues(2, 0).handler(this::append).build());
        r.register(command("strlen", 2).flags("readonly", "fast").keys(1, 1, 1).handler(this::strlen).build());
        r.register(command("getrange", 4).flags("readonly").keys(1, 1, 1).handler(this::getrange).build());
        r.register(command("substr", 4).flags("readonly").keys(1, 1, 1).handler(this::getrange).build());
        r.register(command("setrange", 4).flags("write", "denyoom").keys(1, 1, 1).nativeValues(3, 0).handler(this::setrange).build());
        r.register(command("incr", 2).flags("write", "denyoom", "fast").keys(1, 1, 1)
                .handler((s, a) -> incr(s, a, 1)).build());
        r.register(command("decr", 2).flags("write", "denyoom", "fast").keys(1, 1, 1)
                .handler((s, a) -> incr(s, a, -1)).build());
        r.register(command("incrby", 3).flags("write", "denyoom", "fast").keys(1, 1, 1).handler(this::incrby).build());
        r.register(command("decrby", 3).flags("write", "denyoom", "fast").keys(1, 1, 1).handler(this::decrby).build());
        r.register(command("incrbyfloat", 3).flags("write", "denyoom", "fast").keys(1, 1, 1)
                .handler(this::incrbyfloat).build());
    }

    private Database db(Session s) {
        return server.keyspace.db(s.db);
    }

    /**
     * Stores argument {@code v} as the string value of the key in argument {@code k}, like
     * {@link Database#setString} in {@link Entry#AUTO} mode; a big argument received off the heap
     * (the commands registered with {@code nativeValues}) goes from there straight into the arena.
     */
    private static Entry store(Database db, CommandArgs a, int k, int v, boolean keepTtl, long expireAt) {
        if (a.isNative(v)) {
            return db.setStringNative(a.data(), a.offset(k), a.length(k), a.address(v), a.length(v), keepTtl, expireAt);
        }
        return db.setString(a.data(), a.offset(k), a.length(k), a.data(), a.offset(v), a.length(v), keepTtl,
                Entry.AUTO, expireAt);
    }

    /** {@link Database#writeAt} of argument {@code v}, heap or native. */
    private static long writeAt(Database db, Entry e, long at, CommandArgs a, int v) {
        if (a.isNative(v)) {
            return db.writeAtNative(e, at, a.address(v), a.length(v));
        }
        return db.writeAt(e, at, a.data(), a.offset(v), a.length(v));
    }

    /** The entry {@link #readString} found (null when the key is missing). */
    private Entry read;

    /**
     * Looks up argument {@code i} as a key for reading into {@link #read}; when it holds another
     * type, replies WRONGTYPE and returns false (the handler then returns).
     */
    private boolean readString(Session s, CommandArgs a, int i) {
        Entry e = db(s).lookupRead(a.data(), a.offset(i), a.length(i));
        if (e != null && e.type() != ValueType.STRING) {
            s.reply().error(Errors.WRONGTYPE);
            return false;
        }
        read = e;
        return true;
    }

    private void get(Session s, CommandArgs a) {
        if (!readString(s, a, 1)) {
            return;
        }
        Entry e = read;
        if (e == null) {
            s.reply().nullBulk();
        } else {
            s.sink().stringValue(e);
        }
    }

    private static final int NX = 1;
    private static final int XX = 2;
    private static final int GET = 4;
    private static final int KEEPTTL = 8;
    private static final int EXPIRE = 16;
    private static final int PERSIST = 32;

    /** The argument index of the expire option {@link #parseOptions} found (EX/PX/EXAT/PXAT), or -1. */
    private int expireOption;

    /**
     * Parses the options shared by SET and GETEX (Redis's parseExtendedStringArgumentsOrReply):
     * syntax only. Returns the flags, or -1 after replying with an error; the expire option's
     * index goes to {@link #expireOption}, and {@link #expireTime} turns it into a time. Redis
     * validates that number at different points: SET before it looks at the key, GETEX only
     * after it found a string there (a missing key gets nil whatever the number).
     */
    private int parseOptions(Session s, CommandArgs a, int from, boolean isSet) {
        int flags = 0;
        // The same expire option may repeat (the last one wins), a different one is a syntax
        // error, and the value is checked only after every option is parsed, so a syntax error
        // anywhere wins over a bad number.
        int expireOpt = -1;
        for (int i = from; i < a.count(); i++) {
            boolean hasNext = i + 1 < a.count();
            if (isSet && a.is(i, "nx") && (flags & XX) == 0) {
                flags |= NX;
            } else if (isSet && a.is(i, "xx") && (flags & NX) == 0) {
                flags |= XX;
            } else if (isSet && a.is(i, "get")) {
                flags |= GET;
            } else if (isSet && a.is(i, "keepttl") && (flags & EXPIRE) == 0) {
                flags |= KEEPTTL;
            } else if (!isSet && a.is(i, "persist") && (flags & EXPIRE) == 0) {
                flags |= PERSIST;
            } else if ((flags & (KEEPTTL | PERSIST)) == 0 && hasNext
                    && (a.is(i, "ex") || a.is(i, "px") || a.is(i, "exat") || a.is(i, "pxat"))
                    && (expireOpt < 0 || a.lower(i).equals(a.lower(expireOpt)))) {
                expireOpt = i;
                flags |= EXPIRE;
                i++;
            } else {
                s.reply().error(Errors.SYNTAX);
                return -1;
            }
        }
        expireOption = expireOpt;
        return flags;
    }

    /**
     * The absolute expire time in ms of the option {@link #parseOptions} found, into
     * {@code num[0]}; false after replying with Redis's error for a number that is not an
     * integer, not positive, or overflows.
     */
    private boolean expireTime(Session s, CommandArgs a, String cmd) {
        Reply r = s.reply();
        int i = expireOption;
        if (!a.parseLong(i + 1, num)) {
            r.error(Errors.NOT_INTEGER);
            return false;
        }
        long v = num[0];
        boolean seconds = a.is(i, "ex") || a.is(i, "exat");
        boolean relative = a.is(i, "ex") || a.is(i, "px");
        if (v <= 0 || (seconds && v > Long.MAX_VALUE / 1000)) {
            r.error(Errors.invalidExpireTime(cmd));
            return false;
        }
        long ms = seconds ? v * 1000 : v;
        if (relative) {
            long now = server.keyspace.clock().millis(); // read only when needed: SET without EX/PX reads no clock
            if (ms > Long.MAX_VALUE - now) {
                r.error(Errors.invalidExpireTime(cmd));
                return false;
            }
            ms += now;
        }
        num[0] = ms;
        return true;
    }

    private void set(Session s, CommandArgs a) {
        int flags = parseOptions(s, a, 3, true);
        if (flags < 0 || ((flags & EXPIRE) != 0 && !expireTime(s, a, "set"))) {
            return;
        }
        long expireAt = num[0];
        Reply r = s.reply();
        Database db = db(s);
        Entry old = db.lookup(a.data(), a.offset(1), a.length(1));
        if ((flags & GET) != 0) {
            if (old != null && old.type() != ValueType.STRING) {
                r.error(Errors.WRONGTYPE);
                return;
            }
            if (old == null) {
                r.nullBulk();
            } else {
                s.sink().stringValue(old);
            }
        }
        if (((flags & NX) != 0 && old != null) || ((flags & XX) != 0 && old == null)) {
            if ((flags & GET) == 0) {
                r.nullBulk();
            }
            return;
        }
        store(db, a, 1, 2, (flags & KEEPTTL) != 0, (flags & EXPIRE) != 0 ? expireAt : Entry.NO_EXPIRE);
        server.stats.dirty++;
        if ((flags & GET) == 0) {
            r.ok();
        }
    }

    private void setnx(Session s, CommandArgs a) {
        Database db = db(s);
        if (db.lookup(a.data(), a.offset(1), a.length(1)) != null) {
            s.reply().integer(0);
            return;
        }
        store(db, a, 1, 2, false, Entry.NO_EXPIRE);
        server.stats.dirty++;
        s.reply().integer(1);
    }

    private void setex(Session s, CommandArgs a, long unit, String cmd) {
        if (!a.parseLong(2, num)) {
            s.reply().error(Errors.NOT_INTEGER);
            return;
        }
        long v = num[0];
        long now = server.keyspace.clock().millis();
        if (v <= 0 || v > Long.MAX_VALUE / unit || v * unit > Long.MAX_VALUE - now) {
            s.reply().error(Errors.invalidExpireTime(cmd));
            return;
        }
        Database db = db(s);
        store(db, a, 1, 3, false, now + v * unit);
        server.stats.dirty++;
        s.reply().ok();
    }

    private void getset(Session s, CommandArgs a) {
        if (!readString(s, a, 1)) {
            return;
        }
        Entry old = read;
        if (old == null) {
            s.reply().nullBulk();
        } else {
            s.sink().stringValue(old);
        }
        store(db(s), a, 1, 2, false, Entry.NO_EXPIRE);
        server.stats.dirty++;
    }

    private void getdel(Session s, CommandArgs a) {
        if (!readString(s, a, 1)) {
            return;
        }
        Entry e = read;
        if (e == null) {
            s.reply().nullBulk();
        } else {
            s.sink().stringValue(e);
            db(s).delete(a.data(), a.offset(1), a.length(1));
            server.stats.dirty++;
        }
    }

    private void getex(Session s, CommandArgs a) {
        int flags = parseOptions(s, a, 2, false);
        if (flags < 0 || !readString(s, a, 1)) {
            return;
        }
        Entry e = read;
        if (e == null) {
            s.reply().nullBulk();
            return;
        }
        if ((flags & EXPIRE) != 0 && !expireTime(s, a, "getex")) {
            return;
        }
        long expireAt = num[0];
        s.sink().stringValue(e);
        Database db = db(s);
        if ((flags & EXPIRE) != 0) {
            if (expireAt <= server.keyspace.clock().millis()) {
                db.delete(a.data(), a.offset(1), a.length(1));
            } else {
                db.setExpire(e, expireAt);
            }
            server.stats.dirty++;
        } else if ((flags & PERSIST) != 0 && e.expireAt() != Entry.NO_EXPIRE) {
            db.setExpire(e, Entry.NO_EXPIRE);
            server.stats.dirty++;
        }
    }

    private void mget(Session s, CommandArgs a) {
        Reply r = s.reply();
        r.array(a.count() - 1);
        Database db = db(s);
        for (int i = 1; i < a.count(); i++) {
            Entry e = db.lookupRead(a.data(), a.offset(i), a.length(i));
            if (e == null || e.type() != ValueType.STRING) {
                r.nullBulk();
            } else {
                s.sink().stringValue(e);
            }
        }
    }

    private void mset(Session s, CommandArgs a) {
        if (a.count() % 2 == 0) {
            s.reply().error(Errors.wrongArity("mset"));
            return;
        }
        Database db = db(s);
        for (int i = 1; i < a.count(); i += 2) {
            store(db, a, i, i + 1, false, Entry.NO_EXPIRE);
        }
        server.stats.dirty += (a.count() - 1) / 2;
        s.reply().ok();
    }

    private void msetnx(Session s, CommandArgs a) {
        if (a.count() % 2 == 0) {
            s.reply().error(Errors.wrongArity("msetnx"));
            return;
        }
        Database db = db(s);
        for (int i = 1; i < a.count(); i += 2) {
            if (db.lookup(a.data(), a.offset(i), a.length(i)) != null) {
                s.reply().integer(0);
                return;
            }
        }
        for (int i = 1; i < a.count(); i += 2) {
            store(db, a, i, i + 1, false, Entry.NO_EXPIRE);
        }
        server.stats.dirty += (a.count() - 1) / 2;
        s.reply().integer(1);
    }

    private void append(Session s, CommandArgs a) {
        if (!readString(s, a, 1)) {
            return;
        }
        Entry e = read;
        Database db = db(s);
        int addLen = a.length(2);
        if (e == null) {
            Entry n = store(db, a, 1, 2, false, Entry.NO_EXPIRE);
            server.stats.dirty++;
            s.reply().integer(n.stringLength());
            return;
        }
        long total = (long) e.stringLength() + addLen;
        if (total > server.config.protoMaxBulkLen() || total > Integer.MAX_VALUE - 16) {
            s.reply().error(Errors.STRING_TOO_LONG);
            return;
        }
        writeAt(db, e, e.stringLength(), a, 2);
        server.stats.dirty++;
        s.reply().integer(total);
    }

    private void strlen(Session s, CommandArgs a) {
        if (readString(s, a, 1)) {
            s.reply().integer(read == null ? 0 : read.stringLength());
        }
    }

    private static final byte[] EMPTY = new byte[0];

    private void getrange(Session s, CommandArgs a) {
        if (!a.parseLong(2, num)) {
            s.reply().error(Errors.NOT_INTEGER);
            return;
        }
        long start = num[0];
        if (!a.parseLong(3, num)) {
            s.reply().error(Errors.NOT_INTEGER);
            return;
        }
        long end = num[0];
        if (!readString(s, a, 1)) {
            return;
        }
        Entry e = read;
        if (e == null) {
            s.reply().bulk(EMPTY);
            return;
        }
        long strlen = e.stringLength();
        if (start < 0 && end < 0 && start > end) {
            s.reply().bulk(EMPTY);
            return;
        }
        if (start < 0) {
            start = strlen + start;
        }
        if (end < 0) {
            end = strlen + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (end < 0) {
            end = 0;
        }
        if (end >= strlen) {
            end = strlen - 1;
        }
        if (start > end || strlen == 0) {
            s.reply().bulk(EMPTY);
            return;
        }
        s.sink().stringRange(e, (int) start, (int) (end - start + 1));
    }

    /** A new key's SETRANGE value up to this size is built on the heap (exact size), larger ones in the arena. */
    private static final int NEW_RANGE_ON_HEAP = 64 * 1024;

    private void setrange(Session s, CommandArgs a) {
        if (!a.parseLong(2, num)) {
            s.reply().error(Errors.NOT_INTEGER);
            return;
        }
        long offset = num[0];
        if (offset < 0) {
            s.reply().error(Errors.OFFSET_RANGE);
            return;
        }
        if (!readString(s, a, 1)) {
            return;
        }
        Entry e = read;
        int vlen = a.length(3);
        if (e == null && vlen == 0) {
            s.reply().integer(0);
            return;
        }
        if (e != null && vlen == 0) {
            s.reply().integer(e.stringLength());
            return;
        }
        // offset may be close to Long.MAX_VALUE: compare without computing offset + vlen first
        if (offset > server.config.protoMaxBulkLen() - vlen || offset > Integer.MAX_VALUE - 16 - vlen) {
            s.reply().error(Errors.STRING_TOO_LONG);
            return;
        }
        long total = Math.max(offset + vlen, e == null ? 0 : e.stringLength());
        if (total > Integer.MAX_VALUE - 16) {
            s.reply().error(Errors.STRING_TOO_LONG);
            return;
        }
        if (e != null) {
            writeAt(db(s), e, offset, a, 3); // in place when the value has room
        } else if (total <= NEW_RANGE_ON_HEAP && !a.isNative(3)) {
            byte[] out = new byte[(int) total]; // a new key: zeros, then the bytes, stored at its exact size
            System.arraycopy(a.data(), a.offset(3), out, (int) offset, vlen);
            db(s).setString(a.data(), a.offset(1), a.length(1), out, 0, out.length, true, Entry.RAW);
        } else {
            // a new key with a far offset: an empty value that the write zero-fills in the arena
            // (up to proto-max-bulk-len, 512 MB, which must not be built on the heap)
            Entry created = db(s).setString(a.data(), a.offset(1), a.length(1), a.data(), 0, 0, true, Entry.RAW);
            writeAt(db(s), created, offset, a, 3);
        }
        server.stats.dirty++;
        s.reply().integer(total);
    }

    private void incrby(Session s, CommandArgs a) {
        if (!a.parseLong(2, num)) {
            s.reply().error(Errors.NOT_INTEGER);
            return;
        }
        incr(s, a, num[0]);
    }

    private void decrby(Session s, CommandArgs a) {
        if (!a.parseLong(2, num)) {
            s.reply().error(Errors.NOT_INTEGER);
            return;
        }
        if (num[0] == Long.MIN_VALUE) {
            s.reply().error("ERR decrement would overflow");
            return;
        }
        incr(s, a, -num[0]);
    }

    private void incr(Session s, CommandArgs a, long by) {
        if (!readString(s, a, 1)) {
            return;
        }
        Entry e = read;
        long cur = 0;
        if (e != null) {
            if (e.isInt()) {
                cur = e.longValue();
            } else {
                // no integer has more than 20 characters (string2ll's limit): refuse a longer
                // value without copying it
                byte[] v = e.stringLength() > 20 ? null : e.stringBytes();
                if (v == null || !io.cowkv.server.util.Numbers.parseLong(v, 0, v.length, num)) {
                    s.reply().error(Errors.NOT_INTEGER);
                    return;
                }
                cur = num[0];
            }
        }
        if ((by < 0 && cur < 0 && by < Long.MIN_VALUE - cur) || (by > 0 && cur > 0 && by > Long.MAX_VALUE - cur)) {
            s.reply().error(Errors.OVERFLOW);
            return;
        }
        long v = cur + by;
        if (e == null || !db(s).setLongInPlace(e, v)) {
            db(s).setLong(a.data(), a.offset(1), a.length(1), v, true);
        }
        server.stats.dirty++;
        s.reply().integer(v);
    }

    private void incrbyfloat(Session s, CommandArgs a) {
        if (!readString(s, a, 1)) {
            return;
        }
        Entry e = read;
        java.math.BigDecimal cur = java.math.BigDecimal.ZERO;
        if (e != null) {
            cur = FloatValue.parse(e.stringBytes());
            if (cur == null) {
                s.reply().error(Errors.NOT_FLOAT);
                return;
            }
        }
        java.math.BigDecimal incr = FloatValue.parse(a.copy(2));
        if (incr == null) {
            s.reply().error(Errors.NOT_FLOAT);
            return;
        }
        String result = FloatValue.add(cur, incr);
        if (result == null) {
            s.reply().error(Errors.INCR_NAN_INF);
            return;
        }
        byte[] rb = result.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        db(s).setString(a.data(), a.offset(1), a.length(1), rb, 0, rb.length, true, Entry.NO_INT);
        server.stats.dirty++;
        s.reply().bulk(rb);
    }
}
