package io.cowkv.rdb;

import io.cowkv.rdb.encoding.Intsets;
import io.cowkv.rdb.encoding.ListpackBuilder;
import io.cowkv.rdb.encoding.RedisNumbers;
import io.cowkv.rdb.lzf.Lzf;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streaming writer of Redis RDB files (version 10 by default, which every Redis from 7.0 loads).
 *
 * <p>Call order: {@link #writeHeader()}, any {@code writeAux}, then per database {@link #selectDb},
 * optionally {@link #resizeDb}, then keys: {@link #writeStringKey} or a collection as
 * {@code beginX(key, expireAtMs, size)}, exactly {@code size} element calls, {@code endX()}; finally
 * {@link #finish()}, which writes EOF and the CRC-64 and flushes (the stream is not closed).
 *
 * <p>Encodings chosen, as Redis 7.0 would save them: strings as INT8/16/32 when they are canonical
 * 32-bit integers, LZF above 20 bytes when compression is on and it saves at least 4 bytes; lists as
 * quicklist-2 with listpack nodes of {@link Options#listNodeEntries} elements (so the node count
 * follows from the announced size); sets as intset (all canonical integers, at most
 * {@link Options#setMaxIntsetEntries}), listpack (version 11+, small) or plain; sorted sets as
 * listpack (small, sorted by score then member here) or zset-2; hashes as listpack (small) or plain.
 * Small collections (at most the listpack/intset thresholds) are buffered until {@code endX()} to pick
 * the encoding; larger ones are streamed with no buffering beyond one list node.
 *
 * <p>Contracts: the caller passes distinct set members, zset members and hash fields (Redis refuses
 * duplicates); collections are never empty (Redis has no empty collections); scores are never NaN.
 * Element arrays are copied or written before the call returns, so callers may reuse them. If a call
 * throws, the output is unusable. Not thread-safe: one thread (the snapshot thread) drives a writer.
 */
public final class RdbWriter {
    /** Pass as {@code expireAtMs} for a key without a TTL (any negative value means none). */
    public static final long NO_EXPIRY = -1;

    /** Writer settings; immutable, use the {@code with*} methods. */
    public static final class Options {
        final int version;
        final boolean compress;
        final int listNodeEntries;
        final int setMaxIntsetEntries;
        final int setMaxListpackEntries;
        final int setMaxListpackValue;
        final int zsetMaxListpackEntries;
        final int zsetMaxListpackValue;
        final int hashMaxListpackEntries;
        final int hashMaxListpackValue;

        private Options(int version, boolean compress, int listNodeEntries, int setMaxIntsetEntries,
                        int setMaxListpackEntries, int setMaxListpackValue, int zsetMaxListpackEntries,
                        int zsetMaxListpackValue, int hashMaxListpackEntries, int hashMaxListpackValue) {
            if (version < 10 || version > RdbConstants.MAX_VERSION) {
                throw new IllegalArgumentException("can write RDB versions 10.." + RdbConstants.MAX_VERSION
                        + ", not " + version);
            }
            if (listNodeEntries < 1) {
                throw new IllegalArgumentException("listNodeEntries must be positive");
            }
            this.version = version;
            this.compress = compress;
            this.listNodeEntries = listNodeEntries;
            this.setMaxIntsetEntries = setMaxIntsetEntries;
            this.setMaxListpackEntries = setMaxListpackEntries;
            this.setMaxListpackValue = setMaxListpackValue;
            this.zsetMaxListpackEntries = zsetMaxListpackEntries;
            this.zsetMaxListpackValue = zsetMaxListpackValue;
            this.hashMaxListpackEntries = hashMaxListpackEntries;
            this.hashMaxListpackValue = hashMaxListpackValue;
        }

        /** Version 10, LZF on, Redis 7 default thresholds (hash 512 entries, zset and set listpack 128, intset 512, values 64 bytes). */
        public static Options defaults() {
            return new Options(RdbConstants.DEFAULT_VERSION, true, 128, 512, 128, 64, 128, 64, 512, 64);
        }

        public Options withVersion(int v) {
            return new Options(v, compress, listNodeEntries, setMaxIntsetEntries, setMaxListpackEntries,
                    setMaxListpackValue, zsetMaxListpackEntries, zsetMaxListpackValue, hashMaxListpackEntries,
                    hashMaxListpackValue);
        }

        public Options withCompression(boolean c) {
            return new Options(version, c, listNodeEntries, setMaxIntsetEntries, setMaxListpackEntries,
                    setMaxListpackValue, zsetMaxListpackEntries, zsetMaxListpackValue, hashMaxListpackEntries,
                    hashMaxListpackValue);
        }

        /** Elements per quicklist listpack node. */
        public Options withListNodeEntries(int n) {
            return new Options(version, compress, n, setMaxIntsetEntries, setMaxListpackEntries,
                    setMaxListpackValue, zsetMaxListpackEntries, zsetMaxListpackValue, hashMaxListpackEntries,
                    hashMaxListpackValue);
        }

        /** Thresholds under which small collections get compact encodings (Redis config names). */
        public Options withThresholds(int setMaxIntsetEntries, int setMaxListpackEntries, int setMaxListpackValue,
                                      int zsetMaxListpackEntries, int zsetMaxListpackValue,
                                      int hashMaxListpackEntries, int hashMaxListpackValue) {
            return new Options(version, compress, listNodeEntries, setMaxIntsetEntries, setMaxListpackEntries,
                    setMaxListpackValue, zsetMaxListpackEntries, zsetMaxListpackValue, hashMaxListpackEntries,
                    hashMaxListpackValue);
        }

        public int version() {
            return version;
        }

        public boolean compress() {
            return compress;
        }
    }

    private enum State { NEW, KEYS, LIST, SET, ZSET, HASH, FINISHED }

    private final OutputStream out;
    private final Options opt;
    private final byte[] buf = new byte[1 << 16];
    private int bufPos;
    private long flushed;
    private long crc;
    private final Lzf lzf;
    private final long[] tmpLong = new long[1];
    private final ListpackBuilder lp = new ListpackBuilder();

    private State state = State.NEW;
    // current collection
    private byte[] curKey;
    private long curExpire;
    private long curSize;
    private long curCount;
    private boolean buffered;
    private final List<byte[]> pending = new ArrayList<>();
    private final List<Double> pendingScores = new ArrayList<>();

    public RdbWriter(OutputStream out) {
        this(out, Options.defaults());
    }

    public RdbWriter(OutputStream out, Options options) {
        this.out = out;
        this.opt = options;
        this.lzf = options.compress ? new Lzf() : null;
    }

    // ---------------------------------------------------------------- framing

    /** Writes the magic {@code REDIS} and the four-digit version. */
    public void writeHeader() throws IOException {
        expect(State.NEW);
        raw(String.format("REDIS%04d", opt.version).getBytes(StandardCharsets.US_ASCII));
        state = State.KEYS;
    }

    /** Writes an AUX field (opcode 0xFA). Allowed anywhere between keys. */
    public void writeAux(byte[] key, byte[] value) throws IOException {
        expect(State.KEYS);
        writeByte(RdbConstants.OPCODE_AUX);
        writeString(key, 0, key.length);
        writeString(value, 0, value.length);
    }

    public void writeAux(String key, String value) throws IOException {
        writeAux(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the AUX fields Redis 7 writes: redis-ver, redis-bits, ctime (seconds), used-mem, aof-base. */
    public void writeStandardAux(String redisVersion, long ctimeSeconds, long usedMem) throws IOException {
        writeAux("redis-ver", redisVersion);
        writeAux("redis-bits", "64");
        writeAux("ctime", Long.toString(ctimeSeconds));
        writeAux("used-mem", Long.toString(usedMem));
        writeAux("aof-base", "0");
    }

    /** SELECTDB: the keys that follow belong to database {@code db}. */
    public void selectDb(long db) throws IOException {
        expect(State.KEYS);
        if (db < 0) {
            throw new IllegalArgumentException("negative db " + db);
        }
        writeByte(RdbConstants.OPCODE_SELECTDB);
        writeLength(db);
    }

    /** RESIZEDB: size hints for the current database (number of keys, number with a TTL). */
    public void resizeDb(long dbSize, long expiresSize) throws IOException {
        expect(State.KEYS);
        writeByte(RdbConstants.OPCODE_RESIZEDB);
        writeLength(dbSize);
        writeLength(expiresSize);
    }

    /** Writes EOF and the CRC-64, flushes the stream (it stays open) and returns the checksum. */
    public long finish() throws IOException {
        expect(State.KEYS);
        writeByte(RdbConstants.OPCODE_EOF);
        flushBuffer();
        long c = crc;
        for (int i = 0; i < 8; i++) {
            buf[bufPos++] = (byte) (c >>> (8 * i));
        }
        out.write(buf, 0, bufPos);
        flushed += bufPos;
        bufPos = 0;
        out.flush();
        state = State.FINISHED;
        return c;
    }

    /** Bytes produced so far (including those still buffered). */
    public long bytesWritten() {
        return flushed + bufPos;
    }

    // ---------------------------------------------------------------- strings

    public void writeStringKey(byte[] key, byte[] value, long expireAtMs) throws IOException {
        writeStringKey(key, 0, key.length, value, 0, value.length, expireAtMs);
    }

    public void writeStringKey(byte[] key, int keyOff, int keyLen, byte[] value, int valOff, int valLen,
                               long expireAtMs) throws IOException {
        expect(State.KEYS);
        keyPrefix(RdbConstants.TYPE_STRING, key, keyOff, keyLen, expireAtMs);
        writeString(value, valOff, valLen);
    }

    /** Supplies a value's bytes in pieces, for {@link #writeStringKeyStreamed}. */
    public interface ValueSource {
        /** Copies {@code len} bytes starting at byte {@code from} of the value into {@code dst[0, len)}. */
        void read(long from, byte[] dst, int len) throws IOException;
    }

    /**
     * A string key whose value of {@code valueLen} bytes is copied from {@code src} a piece at a
     * time, never whole on the heap: for values too large for the writer's heap. Written as a raw
     * string (no LZF, no integer encoding): Redis reads it the same way, but its own dump of a
     * compressible value this large would be compressed, so the file differs from Redis's bytes.
     */
    public void writeStringKeyStreamed(byte[] key, int keyOff, int keyLen, long valueLen, ValueSource src,
                                       long expireAtMs) throws IOException {
        expect(State.KEYS);
        keyPrefix(RdbConstants.TYPE_STRING, key, keyOff, keyLen, expireAtMs);
        writeLength(valueLen);
        byte[] piece = new byte[(int) Math.min(valueLen, 1 << 16)];
        for (long done = 0; done < valueLen; ) {
            int n = (int) Math.min(piece.length, valueLen - done);
            src.read(done, piece, n);
            raw(piece, 0, n);
            done += n;
        }
    }

    // ---------------------------------------------------------------- lists

    /** Starts a list of exactly {@code size} (&gt; 0) elements. */
    public void beginList(byte[] key, long expireAtMs, long size) throws IOException {
        begin(State.LIST, key, expireAtMs, size);
        buffered = false;
        keyPrefix(RdbConstants.TYPE_LIST_QUICKLIST_2, key, 0, key.length, expireAtMs);
        writeLength((size + opt.listNodeEntries - 1) / opt.listNodeEntries);
        lp.reset();
    }

    public void listElement(byte[] e) throws IOException {
        listElement(e, 0, e.length);
    }

    public void listElement(byte[] e, int off, int len) throws IOException {
        element(State.LIST);
        lp.append(e, off, len);
        if (lp.count() == opt.listNodeEntries || curCount == curSize) {
            writeLength(RdbConstants.QUICKLIST_NODE_PACKED);
            byte[] node = lp.toByteArray();
            writeString(node, 0, node.length);
            lp.reset();
        }
    }

    public void endList() throws IOException {
        end(State.LIST);
    }

    // ---------------------------------------------------------------- sets

    /** Starts a set of exactly {@code size} (&gt; 0) distinct members. */
    public void beginSet(byte[] key, long expireAtMs, long size) throws IOException {
        begin(State.SET, key, expireAtMs, size);
        long small = Math.max(opt.setMaxIntsetEntries, opt.version >= 11 ? opt.setMaxListpackEntries : 0);
        buffered = size <= small;
        if (!buffered) {
            keyPrefix(RdbConstants.TYPE_SET, key, 0, key.length, expireAtMs);
            writeLength(size);
        }
    }

    public void setMember(byte[] m) throws IOException {
        setMember(m, 0, m.length);
    }

    public void setMember(byte[] m, int off, int len) throws IOException {
        element(State.SET);
        if (buffered) {
            pending.add(Arrays.copyOfRange(m, off, off + len));
        } else {
            writeString(m, off, len);
        }
    }

    public void endSet() throws IOException {
        end(State.SET);
    }

    private void flushSet() throws IOException {
        int n = pending.size();
        boolean allInts = n <= opt.setMaxIntsetEntries;
        long[] ints = allInts ? new long[n] : null;
        int maxLen = 0;
        for (int i = 0; i < n; i++) {
            byte[] m = pending.get(i);
            maxLen = Math.max(maxLen, m.length);
            if (allInts) {
                if (RedisNumbers.parseCanonicalLong(m, 0, m.length, tmpLong)) {
                    ints[i] = tmpLong[0];
                } else {
                    allInts = false;
                }
            }
        }
        if (allInts) {
            keyPrefix(RdbConstants.TYPE_SET_INTSET, curKey, 0, curKey.length, curExpire);
            byte[] blob = Intsets.encode(ints);
            writeString(blob, 0, blob.length);
        } else if (opt.version >= 11 && n <= opt.setMaxListpackEntries && maxLen <= opt.setMaxListpackValue) {
            keyPrefix(RdbConstants.TYPE_SET_LISTPACK, curKey, 0, curKey.length, curExpire);
            lp.reset();
            for (byte[] m : pending) {
                lp.append(m);
            }
            byte[] blob = lp.toByteArray();
            writeString(blob, 0, blob.length);
        } else {
            keyPrefix(RdbConstants.TYPE_SET, curKey, 0, curKey.length, curExpire);
            writeLength(n);
            for (byte[] m : pending) {
                writeString(m, 0, m.length);
            }
        }
    }

    // ---------------------------------------------------------------- sorted sets

    /** Starts a sorted set of exactly {@code size} (&gt; 0) distinct members. */
    public void beginZSet(byte[] key, long expireAtMs, long size) throws IOException {
        begin(State.ZSET, key, expireAtMs, size);
        buffered = size <= opt.zsetMaxListpackEntries;
        if (!buffered) {
            keyPrefix(RdbConstants.TYPE_ZSET_2, key, 0, key.length, expireAtMs);
            writeLength(size);
        }
    }

    public void zsetMember(byte[] member, double score) throws IOException {
        zsetMember(member, 0, member.length, score);
    }

    public void zsetMember(byte[] member, int off, int len, double score) throws IOException {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("NaN score (Redis refuses to load it)");
        }
        element(State.ZSET);
        if (buffered) {
            pending.add(Arrays.copyOfRange(member, off, off + len));
            pendingScores.add(score);
        } else {
            writeString(member, off, len);
            long bits = Double.doubleToLongBits(score);
            for (int i = 0; i < 8; i++) {
                writeByte((int) (bits >>> (8 * i)));
            }
        }
    }

    public void endZSet() throws IOException {
        end(State.ZSET);
    }

    private void flushZSet() throws IOException {
        int n = pending.size();
        int maxLen = 0;
        for (byte[] m : pending) {
            maxLen = Math.max(maxLen, m.length);
        }
        if (maxLen <= opt.zsetMaxListpackValue) {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> {
                double sa = pendingScores.get(a);
                double sb = pendingScores.get(b);
                if (sa < sb) {
                    return -1;
                }
                if (sa > sb) {
                    return 1;
                }
                return Arrays.compareUnsigned(pending.get(a), pending.get(b));
            });
            keyPrefix(RdbConstants.TYPE_ZSET_LISTPACK, curKey, 0, curKey.length, curExpire);
            lp.reset();
            for (int i : order) {
                lp.append(pending.get(i));
                byte[] s = RedisNumbers.formatDouble(pendingScores.get(i)).getBytes(StandardCharsets.US_ASCII);
                lp.append(s);
            }
            byte[] blob = lp.toByteArray();
            writeString(blob, 0, blob.length);
        } else {
            keyPrefix(RdbConstants.TYPE_ZSET_2, curKey, 0, curKey.length, curExpire);
            writeLength(n);
            for (int i = 0; i < n; i++) {
                byte[] m = pending.get(i);
                writeString(m, 0, m.length);
                long bits = Double.doubleToLongBits(pendingScores.get(i));
                for (int k = 0; k < 8; k++) {
                    writeByte((int) (bits >>> (8 * k)));
                }
            }
        }
    }

    // ---------------------------------------------------------------- hashes

    /** Starts a hash of exactly {@code size} (&gt; 0) distinct fields. */
    public void beginHash(byte[] key, long expireAtMs, long size) throws IOException {
        begin(State.HASH, key, expireAtMs, size);
        buffered = size <= opt.hashMaxListpackEntries;
        if (!buffered) {
            keyPrefix(RdbConstants.TYPE_HASH, key, 0, key.length, expireAtMs);
            writeLength(size);
        }
    }

    public void hashField(byte[] field, byte[] value) throws IOException {
        hashField(field, 0, field.length, value, 0, value.length);
    }

    public void hashField(byte[] field, int fOff, int fLen, byte[] value, int vOff, int vLen) throws IOException {
        element(State.HASH);
        if (buffered) {
            pending.add(Arrays.copyOfRange(field, fOff, fOff + fLen));
            pending.add(Arrays.copyOfRange(value, vOff, vOff + vLen));
        } else {
            writeString(field, fOff, fLen);
            writeString(value, vOff, vLen);
        }
    }

    public void endHash() throws IOException {
        end(State.HASH);
    }

    private void flushHash() throws IOException {
        int maxLen = 0;
        for (byte[] m : pending) {
            maxLen = Math.max(maxLen, m.length);
        }
        if (maxLen <= opt.hashMaxListpackValue) {
            keyPrefix(RdbConstants.TYPE_HASH_LISTPACK, curKey, 0, curKey.length, curExpire);
            lp.reset();
            for (byte[] m : pending) {
                lp.append(m);
            }
            byte[] blob = lp.toByteArray();
            writeString(blob, 0, blob.length);
        } else {
            keyPrefix(RdbConstants.TYPE_HASH, curKey, 0, curKey.length, curExpire);
            writeLength(pending.size() / 2);
            for (byte[] m : pending) {
                writeString(m, 0, m.length);
            }
        }
    }

    // ---------------------------------------------------------------- collection state

    private void begin(State s, byte[] key, long expireAtMs, long size) {
        expect(State.KEYS);
        if (size <= 0) {
            throw new IllegalArgumentException("collection size must be positive (Redis has no empty "
                    + "collections), got " + size);
        }
        state = s;
        curKey = key.clone();
        curExpire = expireAtMs;
        curSize = size;
        curCount = 0;
        pending.clear();
        pendingScores.clear();
    }

    private void element(State s) {
        expect(s);
        if (curCount == curSize) {
            throw new IllegalStateException("more elements than the announced size " + curSize);
        }
        curCount++;
    }

    private void end(State s) throws IOException {
        expect(s);
        if (curCount != curSize) {
            throw new IllegalStateException("announced " + curSize + " elements, got " + curCount);
        }
        if (buffered) {
            switch (s) {
                case SET:
                    flushSet();
                    break;
                case ZSET:
                    flushZSet();
                    break;
                case HASH:
                    flushHash();
                    break;
                default:
                    throw new AssertionError(s);
            }
        }
        pending.clear();
        pendingScores.clear();
        curKey = null;
        state = State.KEYS;
    }

    private void expect(State s) {
        if (state != s) {
            throw new IllegalStateException("writer is in state " + state + ", call needs " + s);
        }
    }

    // ---------------------------------------------------------------- primitives

    private void keyPrefix(int type, byte[] key, int off, int len, long expireAtMs) throws IOException {
        if (expireAtMs >= 0) {
            writeByte(RdbConstants.OPCODE_EXPIRETIME_MS);
            for (int i = 0; i < 8; i++) {
                writeByte((int) (expireAtMs >>> (8 * i)));
            }
        }
        writeByte(type);
        writeString(key, off, len);
    }

    /** Writes an RDB length (6, 14, 32 or 64 bit form, as {@code rdbSaveLen}). */
    void writeLength(long len) throws IOException {
        room(RdbRecordEncoder.MAX_LENGTH_SIZE);
        bufPos = RdbRecordEncoder.length(buf, bufPos, len);
    }

    /** Writes a string as {@code rdbSaveRawString}: integer encoding, then LZF, then raw. */
    void writeString(byte[] b, int off, int len) throws IOException {
        if (len <= 11 && RedisNumbers.parseCanonicalLong(b, off, len, tmpLong)) {
            room(RdbRecordEncoder.MAX_INT_STRING_SIZE);
            int end = RdbRecordEncoder.intString(buf, bufPos, tmpLong[0]);
            if (end >= 0) {
                bufPos = end;
                return;
            }
        }
        if (lzf != null && len > 20) {
            int clen = lzf.compress(b, off, len);
            if (clen > 0) {
                writeByte(0xC0 | RdbConstants.ENC_LZF);
                writeLength(clen);
                writeLength(len);
                raw(lzf.buffer(), 0, clen);
                return;
            }
        }
        writeLength(len);
        raw(b, off, len);
    }

    /** Makes room for {@code n} more bytes in the buffer (n is far below its size). */
    private void room(int n) throws IOException {
        if (buf.length - bufPos < n) {
            flushBuffer();
        }
    }

    private void writeByte(int v) throws IOException {
        if (bufPos == buf.length) {
            flushBuffer();
        }
        buf[bufPos++] = (byte) v;
    }

    private void raw(byte[] b) throws IOException {
        raw(b, 0, b.length);
    }

    /**
     * Splices bytes that are already complete RDB records or opcodes (for example key records
     * encoded by {@link RdbRecordEncoder} on another thread) into the stream, between keys. The bytes
     * go through the same buffer and CRC-64 as everything else. The caller is responsible for their
     * validity and for the database they belong to (a SELECTDB inside them changes it for the
     * records that follow).
     */
    public void writeRaw(byte[] b, int off, int len) throws IOException {
        expect(State.KEYS);
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        raw(b, off, len);
    }

    private void raw(byte[] b, int off, int len) throws IOException {
        if (len <= buf.length - bufPos) {
            System.arraycopy(b, off, buf, bufPos, len);
            bufPos += len;
        } else {
            flushBuffer();
            if (len <= buf.length / 2) {
                System.arraycopy(b, off, buf, 0, len);
                bufPos = len;
            } else {
                crc = Crc64.update(crc, b, off, len);
                out.write(b, off, len);
                flushed += len;
            }
        }
    }

    private void flushBuffer() throws IOException {
        if (bufPos > 0) {
            crc = Crc64.update(crc, buf, 0, bufPos);
            out.write(buf, 0, bufPos);
            flushed += bufPos;
            bufPos = 0;
        }
    }
}
