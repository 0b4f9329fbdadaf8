package io.cowkv.server.command.keys;

import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.cowkv.server.command.server.Glob;
import io.cowkv.server.keyspace.Database;
import io.cowkv.server.keyspace.Entry;

import io.cowkv.server.protocol.CommandArgs;
import io.cowkv.server.protocol.Errors;
import io.cowkv.server.protocol.Reply;

import java.util.ArrayList;
import java.util.List;

import static io.cowkv.server.command.CommandSpec.command;

/**
 * The generic key family: DEL UNLINK EXISTS TYPE TOUCH KEYS SCAN RANDOMKEY RENAME RENAMENX COPY
 * MOVE. Expiry commands are in {@link ExpireCommands}, OBJECT in {@link ObjectCommand}.
 */
public final class KeyCommands {
    private final ServerContext server;
    private final long[] num = new long[1];

    public KeyCommands(ServerContext server) {
        this.server = server;
    }

    public void register(CommandRegistry r) {
        r.register(command("del", -2).flags("write").keys(1, -1, 1).handler(this::del).build());
        r.register(command("unlink", -2).flags("write", "fast").keys(1, -1, 1).handler(this::del).build());
        r.register(command("exists", -2).flags("readonly", "fast").keys(1, -1, 1).handler(this::exists).build());
        r.register(command("touch", -2).flags("readonly", "fast").keys(1, -1, 1).handler(this::exists).build());
        r.register(command("type", 2).flags("readonly", "fast").keys(1, 1, 1).handler(this::type).build());
        r.register(command("keys", 2).flags("readonly").handler(this::keys).build());
        r.register(command("scan", -2).flags("readonly").handler(this::scan).build());
        r.register(command("randomkey", 1).flags("readonly").handler(this::randomkey).build());
        r.register(command("rename", 3).flags("write").keys(1, 2, 1).handler((s, a) -> rename(s, a, false)).build());
        r.register(command("renamenx", 3).flags("write", "fast").keys(1, 2, 1)
                .handler((s, a) -> rename(s, a, true)).build());
        r.register(command("copy", -3).flags("write", "denyoom").keys(1, 2, 1).handler(this::copy).build());
        r.register(command("move", 3).flags("write", "fast").keys(1, 1, 1).handler(this::move).build());
    }

    private Database db(Session s) {
        return server.keyspace.db(s.db);
    }

    private void del(Session s, CommandArgs a) {
        Database db = db(s);
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
        Database db = db(s);
        long n = 0;
        for (int i = 1; i < a.count(); i++) {
            if (db.lookup(a.data(), a.offset(i), a.length(i)) != null) {
                n++;
            }
        }
        s.reply().integer(n);
    }

    private void type(Session s, CommandArgs a) {
        Entry e = db(s).lookup(a.data(), a.offset(1), a.length(1));
        s.reply().simple(e == null ? "none" : e.type().redisName());
    }

    private void keys(Session s, CommandArgs a) {
        byte[] pattern = a.copy(1);
        boolean all = pattern.length == 1 && pattern[0] == '*';
        List<byte[]> out = new ArrayList<>();
        for (byte[] k : db(s).keys()) {
            if (all || Glob.matches(pattern, k, false)) {
                out.add(k);
            }
        }
        Reply r = s.reply();
        r.array(out.size());
        for (byte[] k : out) {
            r.bulk(k);
        }
    }

    /**
     * SCAN with the dictionary's reverse-binary cursor, as Redis: visit buckets until COUNT keys
     * were collected (at most COUNT*10 buckets), then filter by MATCH and TYPE.
     */
    private void scan(Session s, CommandArgs a) {
        Reply r = s.reply();
        if (!ScanCursor.parse(a, 1, num)) {
            r.error("ERR invalid cursor");
            return;
        }
        long cursor = num[0];
        long count = 10;
        byte[] pattern = null;
        String type = null;
        for (int i = 2; i < a.count(); i += 2) {
            if (i + 1 >= a.count()) {
                r.error(Errors.SYNTAX);
                return;
            }
            if (a.is(i, "count")) {
                if (!a.parseLong(i + 1, num)) {
                    r.error(Errors.NOT_INTEGER);
                    return;
                }
                if (num[0] < 1) {
                    r.error(Errors.SYNTAX);
                    return;
                }
                count = num[0];
            } else if (a.is(i, "match")) {
                pattern = a.copy(i + 1);
                if (pattern.length == 1 && pattern[0] == '*') {
                    pattern = null; // as Redis: "*" is no filter at all, so it also returns the empty key
                }
            } else if (a.is(i, "type")) {
                type = a.lower(i + 1);
            } else {
                r.error(Errors.SYNTAX);
                return;
            }
        }
        Database db = db(s);
        List<byte[]> found = new ArrayList<>();
        Database.KeyVisitor collect = e -> found.add(e.key());
        long maxIterations = count * 10;
        do {
            cursor = db.scan(cursor, collect);
        } while (cursor != 0 && maxIterations-- > 0 && found.size() < count);
        // Redis's filter step, in its order: MATCH; then TYPE, by a lookup that expires the key
        // if its time passed (and counts a keyspace hit or miss); then a key whose time passed
        // is deleted and left out. So an expired key is deleted only if it matched the pattern.
        List<byte[]> out = new ArrayList<>(found.size());
        for (byte[] k : found) {
            if (pattern != null && !Glob.matches(pattern, k, false)) {
                continue;
            }
            if (type != null) {
                Entry e = db.peekRead(k);
                if (type.equals(e == null ? "none" : e.type().redisName())) {
                    out.add(k); // live, or (TYPE none) just expired: Redis 7.0 returns that one too
                }
            } else if (db.peek(k, 0, k.length) != null) {
                out.add(k);
            }
        }
        r.array(2);
        r.bulk(Long.toUnsignedString(cursor));
        r.array(out.size());
        for (byte[] k : out) {
            r.bulk(k);
        }
    }

    private void randomkey(Session s, CommandArgs a) {
        byte[] k = db(s).randomKey();
        if (k == null) {
            s.reply().nullBulk();
        } else {
            s.reply().bulk(k);
        }
    }

    private void rename(Session s, CommandArgs a, boolean nx) {
        Database db = db(s);
        byte[] src = a.copy(1);
        byte[] dst = a.copy(2);
        if (db.lookup(src) == null) {
            s.reply().error(Errors.NO_SUCH_KEY);
            return;
        }
        boolean same = java.util.Arrays.equals(src, dst);
        if (nx && (same || db.lookup(dst) != null)) {
            s.reply().integer(0);
            return;
        }
        db.rename(src, dst);
        if (!same) {
            server.stats.dirty++;
        }
        if (nx) {
            s.reply().integer(1);
        } else {
            s.reply().ok();
        }
    }

    private void copy(Session s, CommandArgs a) {
        Reply r = s.reply();
        int dstDb = s.db;
        boolean replace = false;
        for (int i = 3; i < a.count(); i++) {
            if (a.is(i, "replace")) {
                replace = true;
            } else if (a.is(i, "db") && i + 1 < a.count()) {
                if (!io.cowkv.server.command.IntArg.parse(s, a, i + 1, num)) {
                    return;
                }
                if (num[0] < 0 || num[0] >= server.keyspace.databases()) {
                    r.error(Errors.DB_INDEX_RANGE);
                    return;
                }
                dstDb = (int) num[0];
                i++;
            } else {
                r.error(Errors.SYNTAX);
                return;
            }
        }
        byte[] src = a.copy(1);
        byte[] dst = a.copy(2);
        if (dstDb == s.db && java.util.Arrays.equals(src, dst)) {
            r.error(Errors.SAME_OBJECT);
            return;
        }
        boolean done = db(s).copy(src, server.keyspace.db(dstDb), dst, replace);
        if (done) {
            server.stats.dirty++;
        }
        r.integer(done ? 1 : 0);
    }

    private void move(Session s, CommandArgs a) {
        Reply r = s.reply();
        if (!io.cowkv.server.command.IntArg.parse(s, a, 2, num)) {
            return;
        }
        if (num[0] < 0 || num[0] >= server.keyspace.databases()) {
            r.error(Errors.DB_INDEX_RANGE);
            return;
        }
        if (num[0] == s.db) {
            r.error(Errors.SAME_OBJECT);
            return;
        }
        boolean moved = db(s).move(a.copy(1), server.keyspace.db((int) num[0]));
        if (moved) {
            server.stats.dirty++;
        }
        r.integer(moved ? 1 : 0);
    }

}
