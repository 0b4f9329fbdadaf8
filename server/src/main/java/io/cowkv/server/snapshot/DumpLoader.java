package io.cowkv.server.snapshot;

import io.cowkv.rdb.RdbFormatException;
import io.cowkv.rdb.RdbKeyInfo;
import io.cowkv.rdb.RdbReader;
import io.cowkv.rdb.RdbUnsupportedException;
import io.cowkv.rdb.RdbValueKind;
import io.cowkv.rdb.RdbVisitor;
import io.cowkv.server.keyspace.Database;
import io.cowkv.server.keyspace.Entry;
import io.cowkv.server.keyspace.Keyspace;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Start-up loading: reads the dump (written by CowKV or by a real Redis, RDB versions 1 to 12)
 * into the keyspace through the ordinary {@link Database} API. Keys whose TTL has passed are
 * dropped and counted, as a Redis master does. The file is only read, never changed.
 *
 * <p>Contract: runs on the thread that owns the keyspace, before connections are accepted. A
 * missing file is not an error (empty data set). Anything else that prevents loading every key
 * (unreadable file, corrupt content, a value type CowKV does not store yet, a database number
 * beyond {@code databases}) raises {@link LoadException} whose message names the file and the
 * problem; the keyspace is then partially filled and the caller must not serve it.
 */
public final class DumpLoader {
    private DumpLoader() {
    }

    /** What a load found. {@code found} is false when there was no dump file. */
    public record Result(boolean found, long keysLoaded, long keysExpired, long nanos, String producedBy,
                         long ctimeSeconds, long usedMemory) {
        static final Result NONE = new Result(false, 0, 0, 0, null, -1, -1);
    }

    /** The dump cannot be loaded; the message says which file and why, for a start-up that stops. */
    public static final class LoadException extends Exception {
        private final String reason;

        LoadException(Path file, String why, Throwable cause) {
            super(fatal(file, why), cause);
            this.reason = "Error trying to load the RDB dump " + file + ": " + why;
        }

        /** The problem without start-up's "Exiting" (DEBUG RELOAD keeps running). */
        public String reason() {
            return reason;
        }
    }

    /**
     * Loads {@code file} into {@code keyspace} (whose databases should be empty), dropping keys that
     * expired before {@code nowMillis}.
     */
    public static Result load(Path file, Keyspace keyspace, long nowMillis) throws LoadException {
        return read(file, new Loader(keyspace, nowMillis, Mode.LOAD));
    }

    /**
     * Reads {@code file} completely as {@link #load} would, changing nothing: throws what
     * {@code load} would throw (corrupt content, unsupported types, a database beyond the
     * configured number) and, with {@code refuseExisting}, when a key it would load already
     * exists in {@code keyspace}. The result counts what {@code load} would load.
     */
    public static Result check(Path file, Keyspace keyspace, long nowMillis, boolean refuseExisting)
            throws LoadException {
        return read(file, new Loader(keyspace, nowMillis, refuseExisting ? Mode.CHECK_NEW_KEYS : Mode.CHECK));
    }

    private static Result read(Path file, Loader v) throws LoadException {
        long start = System.nanoTime();
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            return Result.NONE;
        } catch (IOException e) {
            throw new LoadException(file, DumpFile.reason(e), e);
        }
        try (InputStream in = new BufferedInputStream(raw, 1 << 16)) {
            RdbReader.read(in, v);
        } catch (Unsupported e) {
            throw new LoadException(file, e.getMessage(), e);
        } catch (RdbUnsupportedException e) {
            throw new LoadException(file, "it holds data CowKV cannot load yet: " + e.getMessage(), e);
        } catch (RdbFormatException e) {
            throw new LoadException(file, "the file is corrupt or truncated: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new LoadException(file, DumpFile.reason(e), e);
        }
        return new Result(true, v.loaded, v.expired, System.nanoTime() - start, v.producedBy, v.ctime, v.usedMem);
    }

    private static String fatal(Path file, String why) {
        return "Fatal error loading the DB from " + file + ": " + why + ". The file was left untouched. Exiting.";
    }

    /** A record CowKV cannot hold; aborts the read. */
    private static final class Unsupported extends IOException {
        Unsupported(String message) {
            super(message);
        }
    }

    /** What the visitor does with each key: store it, or only check that it could be stored. */
    private enum Mode { LOAD, CHECK, CHECK_NEW_KEYS }

    private static final class Loader implements RdbVisitor {
        private final Keyspace keyspace;
        private final long now;
        private final Mode mode;
        private Database db;
        private RdbKeyInfo key;
        private boolean skipping;
        long loaded;
        long expired;
        String producedBy;
        long ctime = -1;
        long usedMem = -1;

        Loader(Keyspace keyspace, long now, Mode mode) {
            this.keyspace = keyspace;
            this.now = now;
            this.mode = mode;
            this.db = keyspace.db(0);
        }

        @Override
        public void aux(byte[] k, byte[] v) {
            String name = new String(k, StandardCharsets.UTF_8);
            String value = new String(v, StandardCharsets.UTF_8);
            try {
                switch (name) {
                    case "redis-ver" -> producedBy = value;
                    case "ctime" -> ctime = Long.parseLong(value);
                    case "used-mem" -> usedMem = Long.parseLong(value);
                    default -> {
                    }
                }
            } catch (NumberFormatException ignored) {
                // informational fields only
            }
        }

        @Override
        public void selectDb(long index) throws IOException {
            if (index < 0 || index >= keyspace.databases()) {
                throw new Unsupported("the data file was created with a server configured to handle more than "
                        + keyspace.databases() + " databases (it selects database " + index
                        + "); raise 'databases'");
            }
            db = keyspace.db((int) index);
        }

        @Override
        public void beginKey(RdbKeyInfo info) throws IOException {
            key = info;
            skipping = info.expireAtMs() >= 0 && info.expireAtMs() < now;
            if (skipping) {
                expired++; // dropped whatever its type, as Redis does
                return;
            }
            if (info.kind() != RdbValueKind.STRING) {
                throw new Unsupported("key '" + printable(info.key()) + "' in database " + info.db() + " holds a "
                        + info.kind().redisName() + " (" + info.encoding() + " at byte offset " + info.offset()
                        + "); CowKV can only load string values so far");
            }
            if (mode == Mode.CHECK_NEW_KEYS && db.peek(info.key(), 0, info.key().length) != null) {
                // Redis: "Duplicated key found in RDB file" (it exits)
                throw new Unsupported("key '" + printable(info.key()) + "' in database " + info.db()
                        + " already exists (RELOAD NOFLUSH without MERGE)");
            }
        }

        @Override
        public void stringValue(byte[] value) {
            if (skipping) {
                return;
            }
            if (mode != Mode.LOAD) {
                loaded++;
                return;
            }
            RdbKeyInfo k = key;
            long expireAt = k.expireAtMs();
            byte[] kb = k.key();
            db.setString(kb, 0, kb.length, value, 0, value.length, false, Entry.AUTO,
                    expireAt >= 0 ? expireAt : Entry.NO_EXPIRE);
            loaded++;
        }

        /**
         * The entry whose value is being loaded a piece at a time (null when none), and how many of
         * its bytes came so far. Nothing else writes to the database between its pieces, so the
         * entry stays valid (its value never moves: it was reserved at its full size), and it is
         * not looked up again, which could expire it half-loaded.
         */
        private Entry streamed;
        private long streamedAt;

        /**
         * Raw string values too large for the heap (as the save path decides:
         * {@code Keyspace.STREAM_VALUES_FROM}) are loaded a piece at a time into a value
         * reserved at its full size.
         */
        @Override
        public boolean streamString(long length) {
            if (length < Keyspace.STREAM_VALUES_FROM) {
                return false;
            }
            streamed = null;
            if (!skipping && mode == Mode.LOAD) {
                RdbKeyInfo k = key;
                byte[] kb = k.key();
                streamed = db.reserveString(kb, 0, kb.length, Math.toIntExact(length),
                        k.expireAtMs() >= 0 ? k.expireAtMs() : Entry.NO_EXPIRE);
                streamedAt = 0;
            }
            return true;
        }

        @Override
        public void stringPiece(byte[] b, int off, int len) {
            if (streamed != null) {
                db.writeAt(streamed, streamedAt, b, off, len);
                streamedAt += len;
            }
        }

        @Override
        public void stringEnd() {
            streamed = null;
            if (!skipping) {
                loaded++;
            }
        }

        private static String printable(byte[] b) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < b.length && i < 64; i++) {
                int c = b[i] & 0xff;
                sb.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format(Locale.ROOT, "\\x%02x", c));
            }
            return b.length > 64 ? sb + "..." : sb.toString();
        }
    }
}
