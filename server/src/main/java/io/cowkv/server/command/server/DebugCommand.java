package io.cowkv.server.command.server;

import io.cowkv.rdb.RdbWriter;
import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.cowkv.server.keyspace.Database;
import io.cowkv.server.keyspace.Entry;
import io.cowkv.server.protocol.CommandArgs;
import io.cowkv.server.protocol.Errors;
import io.cowkv.server.protocol.Reply;
import io.cowkv.server.snapshot.DumpLoader;
import io.cowkv.server.snapshot.SnapshotCoordinator;
import io.cowkv.server.util.Numbers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.cowkv.server.command.CommandSpec.command;

/**
 * DEBUG, the subcommands of Redis 7.0's debug.c that mean something for CowKV: RELOAD [MERGE]
 * [NOFLUSH] [NOSAVE], SLEEP, OBJECT, POPULATE, SET-ACTIVE-EXPIRE, DIGEST, DIGEST-VALUE, PROTOCOL,
 * ERROR, LOG, HELP, with Redis's replies and errors. Crash, allocator, replication, cluster and
 * encoding-internals subcommands (SEGFAULT, MALLCTL, LISTPACK...) are not offered and get Redis's
 * "unknown subcommand" error; HELP lists only what is here.
 *
 * <p>A protected command, as in Redis: refused unless {@code enable-debug-command} is {@code yes},
 * or {@code local} and the client is on loopback (checked by the dispatcher). Keyspace thread;
 * SLEEP, RELOAD and POPULATE block it, as they block Redis's main thread.
 */
public final class DebugCommand {
    private static final String RELOAD_LOAD_FAILED = "ERR Error trying to load the RDB dump, check server logs.";
    private static final String PROTOCOL_TYPES =
            "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false";
    /** C's atoi: leading white space, an optional sign, digits. */
    private static final Pattern ATOI = Pattern.compile("^\\s*[+-]?\\d+");
    /** DEBUG POPULATE formats keys into a 128-byte buffer: longer names are cut to 127 bytes. */
    private static final int POPULATE_KEY_MAX = 127;

    private final ServerContext server;
    private final SnapshotCoordinator snapshots;
    private final Consumer<String> warningLog;
    private final DatasetDigest digest = new DatasetDigest();

    /** {@code warningLog} receives DEBUG LOG's line (Redis logs it at warning level). */
    public DebugCommand(ServerContext server, SnapshotCoordinator snapshots, Consumer<String> warningLog) {
        this.server = server;
        this.snapshots = snapshots;
        this.warningLog = warningLog;
    }

    public void register(CommandRegistry r) {
        r.register(command("debug", -2).flags("admin", "noscript", "loading", "stale").protectedCommand()
                .handler(this::debug).build());
    }

    private void debug(Session s, CommandArgs a) {
        int argc = a.count();
        String sub = a.string(1).toLowerCase(Locale.ROOT);
        switch (sub) {
            case "help" -> {
                if (argc == 2) {
                    help(s);
                    return;
                }
            }
            case "reload" -> {
                reload(s, a);
                return;
            }
            case "sleep" -> {
                if (argc == 3) {
                    sleep(s, a.string(2));
                    return;
                }
            }
            case "object" -> {
                if (argc == 3) {
                    object(s, a);
                    return;
                }
            }
            case "populate" -> {
                if (argc >= 3 && argc <= 5) {
                    populate(s, a);
                    return;
                }
            }
            case "set-active-expire" -> {
                if (argc == 3) {
                    server.keyspace.activeExpireEnabled(atoi(a.string(2)) != 0);
                    s.reply().ok();
                    return;
                }
            }
            case "digest" -> {
                if (argc == 2) {
                    s.reply().simple(DatasetDigest.hex(digest.dataset(server.keyspace)));
                    return;
                }
            }
            case "digest-value" -> {
                Database db = server.keyspace.db(s.db);
                s.reply().array(argc - 2);
                for (int i = 2; i < argc; i++) {
                    s.reply().simple(DatasetDigest.hex(digest.value(db.peek(a.data(), a.offset(i), a.length(i)))));
                }
                return;
            }
            case "protocol" -> {
                if (argc == 3) {
                    protocol(s.reply(), a.string(2).toLowerCase(Locale.ROOT));
                    return;
                }
            }
            case "error" -> {
                if (argc == 3) {
                    // Redis sends the argument itself as the error line (no "ERR " added); line
                    // breaks become spaces so the reply stays one RESP line.
                    s.reply().error(a.string(2).replace('\r', ' ').replace('\n', ' '));
                    return;
                }
            }
            case "log" -> {
                if (argc == 3) {
                    warningLog.accept("DEBUG LOG: " + a.string(2));
                    s.reply().ok();
                    return;
                }
            }
            default -> {
            }
        }
        s.reply().error(Errors.unknownSubcommandOrArity(a, 1, "DEBUG"));
    }

    private void help(Session s) {
        s.reply().simpleLines(
                "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "DIGEST",
                "    Output a hex signature representing the current DB content.",
                "DIGEST-VALUE <key> [<key> ...]",
                "    Output a hex signature of the values of all the specified keys.",
                "ERROR <string>",
                "    Return a Redis protocol error with <string> as message. Useful for clients",
                "    unit tests to simulate Redis errors.",
                "LOG <message>",
                "    Write <message> to the server log.",
                "OBJECT <key>",
                "    Show low level info about `key` and associated value.",
                "POPULATE <count> [<prefix>] [<size>]",
                "    Create <count> string keys named key:<num>. If <prefix> is specified then",
                "    it is used instead of the 'key' prefix. These are not propagated to",
                "    replicas. Cluster slots are not respected so keys not belonging to the",
                "    current node can be created in cluster mode.",
                "PROTOCOL <type>",
                "    Reply with a test value of the specified type. <type> can be: string,",
                "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
                "    true, false.",
                "RELOAD [option ...]",
                "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
                "    * MERGE: conflicting keys will be loaded from RDB.",
                "    * NOFLUSH: the existing database will not be removed before load, but",
                "      conflicting keys will generate an exception and kill the server.",
                "    * NOSAVE: the database will be loaded from an existing RDB file.",
                "    Examples:",
                "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
                "      the database.",
                "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
                "      existing RDB file.",
                "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
                "      file to the database.",
                "SET-ACTIVE-EXPIRE <0|1>",
                "    Setting it to 0 disables expiring keys in background when they are not",
                "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
                "    default.",
                "SLEEP <seconds>",
                "    Stop the server for <seconds>. Decimals allowed.",
                "HELP",
                "    Prints this help.");
    }

    /**
     * RELOAD [MERGE] [NOFLUSH] [NOSAVE]. Where Redis would exit (a corrupt dump, or NOFLUSH without
     * MERGE meeting a key that exists), CowKV checks the dump before changing anything and replies
     * the load error with the data set untouched (SnapshotCoordinator#reload).
     */
    private void reload(Session s, CommandArgs a) {
        boolean merge = false;
        boolean flush = true;
        boolean save = true;
        for (int i = 2; i < a.count(); i++) {
            if (a.is(i, "merge")) {
                merge = true;
            } else if (a.is(i, "noflush")) {
                flush = false;
            } else if (a.is(i, "nosave")) {
                save = false;
            } else {
                s.reply().error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
                return;
            }
        }
        boolean refuseExisting = !flush && !merge;
        var keyspace = server.keyspace;
        SnapshotCoordinator.ReloadReply r = snapshots.reload(save,
                (file, now) -> DumpLoader.check(file, keyspace, now, refuseExisting),
                flush ? keyspace::flushAll : null,
                (file, now) -> DumpLoader.load(file, keyspace, now));
        switch (r) {
            case OK -> s.reply().ok();
            case SAVE_FAILED -> s.reply().error("ERR");
            default -> s.reply().error(RELOAD_LOAD_FAILED);
        }
    }

    /** SLEEP seconds: blocks the keyspace thread (strtod parsing: junk reads as 0). */
    private void sleep(Session s, String arg) {
        double seconds = io.cowkv.server.util.CFormat.decimalPrefix(arg);
        long micros = (long) (seconds * 1_000_000);
        if (micros > 0) {
            try {
                TimeUnit.MICROSECONDS.sleep(micros);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        s.reply().ok();
    }

    /** OBJECT key: Redis's one-line summary; the address is the record's arena address. */
    private void object(Session s, CommandArgs a) {
        Entry e = server.keyspace.db(s.db).peek(a.data(), a.offset(2), a.length(2));
        if (e == null) {
            s.reply().error(Errors.NO_SUCH_KEY);
            return;
        }
        s.reply().simple("Value at:0x" + Long.toHexString(e.address())
                + " refcount:" + (e.sharedInteger() ? Integer.MAX_VALUE : 1)
                + " encoding:" + e.encoding()
                + " serializedlength:" + serializedLength(e.stringBytes())
                + " lru:" + e.lru()
                + " lru_seconds_idle:" + e.idleSeconds(server.keyspace.clock().millis()));
    }

    /** rdbSavedObjectLen of a string value: its RDB encoding's size (LZF when rdbcompression is on). */
    private long serializedLength(byte[] value) {
        try {
            RdbWriter w = new RdbWriter(OutputStream.nullOutputStream(),
                    RdbWriter.Options.defaults().withCompression(server.config.rdbcompression()));
            w.writeHeader();
            w.selectDb(0);
            long before = w.bytesWritten();
            w.writeStringKey(new byte[0], value, RdbWriter.NO_EXPIRY);
            return w.bytesWritten() - before - 2; // minus the type byte and the empty key's length byte
        } catch (IOException e) {
            throw new IllegalStateException("writing to a null stream failed", e);
        }
    }

    /** POPULATE count [prefix] [size]: key:N = value:N (cut or zero-padded to size); existing keys are kept. */
    private void populate(Session s, CommandArgs a) {
        long count = positiveLong(a, 2);
        if (count < 0) {
            s.reply().error(Errors.POSITIVE_VALUE);
            return;
        }
        long size = a.count() == 5 ? positiveLong(a, 4) : 0;
        if (size < 0) {
            s.reply().error(Errors.POSITIVE_VALUE);
            return;
        }
        if (size > Math.min(server.config.protoMaxBulkLen(), Integer.MAX_VALUE - 16)) {
            s.reply().error(Errors.STRING_TOO_LONG);
            return;
        }
        byte[] prefix = a.count() >= 4 ? a.copy(3) : "key".getBytes(StandardCharsets.US_ASCII);
        Database db = server.keyspace.db(s.db);
        byte[] key = new byte[POPULATE_KEY_MAX];
        byte[] value = new byte[(int) Math.max(size, 32)];
        for (long j = 0; j < count; j++) {
            int klen = Math.min(POPULATE_KEY_MAX, prefix.length);
            System.arraycopy(prefix, 0, key, 0, klen);
            if (klen < POPULATE_KEY_MAX) {
                key[klen++] = ':';
            }
            klen = appendNumber(key, klen, j);
            if (db.peek(key, 0, klen) != null) {
                continue;
            }
            int vlen = appendNumber(value, writeAscii(value, "value:"), j);
            if (size > 0) {
                java.util.Arrays.fill(value, Math.min(vlen, (int) size), (int) size, (byte) 0);
                vlen = (int) size;
            }
            db.setString(key, 0, klen, value, 0, vlen, false);
        }
        s.reply().ok();
    }

    /** getPositiveLongFromObjectOrReply: the value, or -1 when it is not an integer >= 0. */
    private static long positiveLong(CommandArgs a, int i) {
        long[] out = new long[1];
        if (!a.parseLong(i, out) || out[0] < 0) { // string2ll rules
            return -1;
        }
        return out[0];
    }

    private static int writeAscii(byte[] dst, String s) {
        for (int i = 0; i < s.length(); i++) {
            dst[i] = (byte) s.charAt(i);
        }
        return s.length();
    }

    /** Scratch for {@link #appendNumber}. */
    private final byte[] digits = new byte[20];

    /** Appends the decimal digits of {@code v} at {@code pos}, cut at the array's end; returns the new end. */
    private int appendNumber(byte[] dst, int pos, long v) {
        int n = Math.min(Numbers.writeLong(v, digits, 0), dst.length - pos);
        System.arraycopy(digits, 0, dst, pos, n);
        return pos + n;
    }

    /** C's atoi: optional sign and leading digits, 0 when none. */
    private static long atoi(String s) {
        Matcher m = ATOI.matcher(s);
        if (!m.find()) {
            return 0;
        }
        try {
            return Long.parseLong(m.group().trim());
        } catch (NumberFormatException e) {
            return 1; // out of int range: not zero, which is all SET-ACTIVE-EXPIRE asks
        }
    }

    /** PROTOCOL type: one test reply of each RESP3 type (RESP2 downgrades; push is refused there). */
    private static void protocol(Reply r, String type) {
        switch (type) {
            case "string" -> r.bulk("Hello World");
            case "integer" -> r.integer(12345);
            case "double" -> r.doubleValue(3.141);
            case "bignum" -> {
                String n = "1234567999999999999999999999999999999";
                if (r.resp3()) {
                    r.raw(("(" + n + "\r\n").getBytes(StandardCharsets.US_ASCII));
                } else {
                    r.bulk(n);
                }
            }
            case "null" -> r.nullBulk();
            case "array", "set" -> {
                if (type.equals("array")) {
                    r.array(3);
                } else {
                    r.set(3);
                }
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                }
            }
            case "map" -> {
                r.map(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                    r.bool(j == 1);
                }
            }
            case "attrib" -> {
                if (r.resp3()) {
                    r.raw("|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                // attributes are not replies: a real one follows
                r.bulk("Some real reply following the attribute");
            }
            case "push" -> {
                if (!r.resp3()) {
                    r.error("ERR RESP2 is not supported by this command");
                    return;
                }
                r.raw(">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n".getBytes(StandardCharsets.US_ASCII));
                // push data is not a reply either: clients that drop it still get one
                r.bulk("Some real reply following the push reply");
            }
            case "verbatim" -> r.verbatim("This is a verbatim\nstring");
            case "true" -> r.bool(true);
            case "false" -> r.bool(false);
            default -> r.error("ERR Wrong protocol type name. Please use one of the following: " + PROTOCOL_TYPES);
        }
    }
}
