package io.cowkv.rdb;

import io.cowkv.rdb.encoding.BlobCursor;
import io.cowkv.rdb.encoding.IntsetCursor;
import io.cowkv.rdb.encoding.ListpackCursor;
import io.cowkv.rdb.encoding.RedisNumbers;
import io.cowkv.rdb.encoding.ZiplistCursor;
import io.cowkv.rdb.encoding.ZipmapCursor;
import io.cowkv.rdb.lzf.Lzf;
import io.cowkv.rdb.lzf.LzfStreamDecoder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Streaming reader of RDB files, versions 1 to 12, calling an {@link RdbVisitor}.
 *
 * <p>Decodes every type and encoding Redis up to 7.x writes for strings, lists, sets, sorted sets and
 * hashes (plain, int, LZF; linked list, ziplist, quicklist, quicklist-2 with listpack and plain nodes;
 * intset, listpack; zset, zset-2, ziplist; zipmap). Functions are passed to the visitor; module values,
 * module aux data and streams raise {@link RdbUnsupportedException} unless
 * {@link Options#skipUnsupported} is set, in which case they are skipped (and reported through
 * {@link RdbVisitor#skipped}). Hashes with field TTLs (Redis 7.4 types 22 to 25) are always unsupported.
 *
 * <p>Safety: the CRC-64 is verified (unless disabled or stored as 0). Bad input of any kind raises a
 * {@link RdbFormatException} naming the byte offset, never another exception type; lengths are capped
 * by {@link Options#maxStringLength} and strings are read incrementally so a hostile length in a short
 * file allocates no more than about twice the bytes actually present (LZF output is allocated only
 * after its input was read and is bounded by 88 times it). Every loop consumes input, so no input
 * makes the reader hang.
 *
 * <p>A reader instance reads one stream and is not thread-safe. It does not close the stream.
 */
public final class RdbReader {

    /** Reader settings; immutable. */
    public static final class Options {
        final boolean verifyChecksum;
        final boolean skipUnsupported;
        final int maxStringLength;

        private Options(boolean verifyChecksum, boolean skipUnsupported, int maxStringLength) {
            this.verifyChecksum = verifyChecksum;
            this.skipUnsupported = skipUnsupported;
            this.maxStringLength = maxStringLength;
        }

        /** Verify the checksum, fail on unsupported records, strings up to 2 GB - 16. */
        public static Options defaults() {
            return new Options(true, false, Integer.MAX_VALUE - 16);
        }

        public Options withVerifyChecksum(boolean v) {
            return new Options(v, skipUnsupported, maxStringLength);
        }

        public Options withSkipUnsupported(boolean v) {
            return new Options(verifyChecksum, v, maxStringLength);
        }

        /** Largest string (key, value, encoded blob) accepted; longer is reported as corrupt. */
        public Options withMaxStringLength(int max) {
            if (max < 0 || max > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("maxStringLength out of range: " + max);
            }
            return new Options(verifyChecksum, skipUnsupported, max);
        }
    }

    private static final int CHUNK = 1 << 20;

    private final InputStream in;
    private final Options opt;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private long before; // bytes of the stream consumed by previous fills
    private int crcFrom;
    private boolean crcOn = true;
    private long crc;
    private int version;

    private RdbReader(InputStream in, Options opt) {
        this.in = in;
        this.opt = opt;
    }

    /** Reads a whole RDB stream with default options. */
    public static void read(InputStream in, RdbVisitor visitor) throws IOException {
        read(in, visitor, Options.defaults());
    }

    /**
     * Reads a whole RDB stream, from the header to the checksum, calling {@code visitor}.
     *
     * @throws RdbFormatException for any corrupt, truncated or unsupported input
     * @throws IOException        from the stream, or whatever the visitor throws
     */
    public static void read(InputStream in, RdbVisitor visitor, Options options) throws IOException {
        RdbReader r = new RdbReader(in, options);
        Guard g = new Guard(visitor);
        try {
            r.readAll(g);
        } catch (VisitorFailure f) {
            throw f.unwrap();
        } catch (RdbFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RdbFormatException("corrupt input (" + e + ")", r.offset(), e);
        }
    }

    // ------------------------------------------------------------------ structure

    private void readAll(RdbVisitor v) throws IOException {
        byte[] magic = new byte[9];
        for (int i = 0; i < 9; i++) {
            magic[i] = (byte) u8();
        }
        if (!new String(magic, 0, 5, StandardCharsets.ISO_8859_1).equals("REDIS")) {
            throw new RdbFormatException("not an RDB file: missing REDIS magic", 0);
        }
        int ver = 0;
        for (int i = 5; i < 9; i++) {
            if (magic[i] < '0' || magic[i] > '9') {
                throw new RdbFormatException("bad version digits in header", i);
            }
            ver = ver * 10 + (magic[i] - '0');
        }
        if (ver < RdbConstants.MIN_VERSION || ver > RdbConstants.MAX_VERSION) {
            throw new RdbUnsupportedException("unsupported RDB version " + ver + " (this reader supports "
                    + RdbConstants.MIN_VERSION + ".." + RdbConstants.MAX_VERSION + ")", 5);
        }
        version = ver;
        v.startRdb(ver);

        long db = 0;
        long expire = -1;
        long idle = -1;
        int freq = -1;
        while (true) {
            long typeOffset = offset();
            int op = u8();
            switch (op) {
                case RdbConstants.OPCODE_EXPIRETIME:
                    expire = sle(4) * 1000L;
                    continue;
                case RdbConstants.OPCODE_EXPIRETIME_MS:
                    expire = sle(8);
                    continue;
                case RdbConstants.OPCODE_IDLE:
                    idle = readLength();
                    continue;
                case RdbConstants.OPCODE_FREQ:
                    freq = u8();
                    continue;
                case RdbConstants.OPCODE_SELECTDB:
                    db = readLength();
                    v.selectDb(db);
                    continue;
                case RdbConstants.OPCODE_RESIZEDB: {
                    long a = readLength();
                    long b = readLength();
                    v.resizeDb(a, b);
                    continue;
                }
                case RdbConstants.OPCODE_SLOT_INFO:
                    readLength();
                    readLength();
                    readLength();
                    continue;
                case RdbConstants.OPCODE_AUX: {
                    byte[] k = readString();
                    byte[] val = readString();
                    v.aux(k, val);
                    continue;
                }
                case RdbConstants.OPCODE_FUNCTION2:
                    v.function(readString());
                    continue;
                case RdbConstants.OPCODE_FUNCTION_PRE_GA:
                    unsupportedOrSkip(v, null, "pre-GA function record", typeOffset);
                    skipString(); // name
                    skipString(); // engine
                    if (readLength() != 0) {
                        skipString(); // description
                    }
                    skipString(); // code
                    continue;
                case RdbConstants.OPCODE_MODULE_AUX: {
                    unsupportedOrSkip(v, null, "module aux data", typeOffset);
                    readLength(); // module id
                    long whenOpcode = readLength();
                    if (whenOpcode != RdbConstants.MODULE_OPCODE_UINT) {
                        throw new RdbFormatException("bad module aux 'when' opcode " + whenOpcode, offset());
                    }
                    readLength(); // when
                    skipModuleValue();
                    continue;
                }
                case RdbConstants.OPCODE_EOF:
                    finishEof(v);
                    return;
                default:
                    break;
            }
            RdbValueKind kind = RdbValueKind.ofRdbType(op);
            if (kind == null) {
                throw new RdbFormatException("unknown RDB opcode or value type " + op, typeOffset);
            }
            byte[] key = readString();
            readValue(v, new RdbKeyInfo(db, key, op, kind, expire, idle, freq, -1, typeOffset));
            expire = -1;
            idle = -1;
            freq = -1;
        }
    }

    private void finishEof(RdbVisitor v) throws IOException {
        if (version < 5) {
            v.endRdb(0, false);
            return;
        }
        syncCrc();
        crcOn = false;
        long computed = crc;
        long stored = le(8);
        boolean verified = false;
        if (opt.verifyChecksum && stored != 0) {
            if (stored != computed) {
                throw new RdbFormatException(String.format("wrong RDB checksum: stored %016x, computed %016x",
                        stored, computed), offset() - 8);
            }
            verified = true;
        }
        v.endRdb(stored, verified);
    }

    private void unsupportedOrSkip(RdbVisitor v, RdbKeyInfo key, String what, long at) throws IOException {
        if (!opt.skipUnsupported) {
            String k = key == null ? "" : " for key '" + printable(key.key()) + "'";
            throw new RdbUnsupportedException("unsupported record: " + what + k, at);
        }
        v.skipped(key, what);
    }

    static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length && i < 64; i++) {
            int c = b[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        if (b.length > 64) {
            sb.append("...");
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ values

    private RdbKeyInfo withSize(RdbKeyInfo k, long size) {
        return new RdbKeyInfo(k.db(), k.key(), k.rdbType(), k.kind(), k.expireAtMs(), k.idleSeconds(), k.lfuFreq(),
                size, k.offset());
    }

    private void readValue(RdbVisitor v, RdbKeyInfo k) throws IOException {
        int t = k.rdbType();
        switch (t) {
            case RdbConstants.TYPE_STRING: {
                v.beginKey(k);
                readStringValue(v);
                break;
            }
            case RdbConstants.TYPE_LIST:
            case RdbConstants.TYPE_SET: {
                long n = readLength();
                v.beginKey(withSize(k, n));
                for (long i = 0; i < n; i++) {
                    byte[] e = readString();
                    if (t == RdbConstants.TYPE_LIST) {
                        v.listElement(e);
                    } else {
                        v.setMember(e);
                    }
                }
                break;
            }
            case RdbConstants.TYPE_ZSET:
            case RdbConstants.TYPE_ZSET_2: {
                long n = readLength();
                v.beginKey(withSize(k, n));
                for (long i = 0; i < n; i++) {
                    byte[] m = readString();
                    double score = t == RdbConstants.TYPE_ZSET ? readStringDouble()
                            : Double.longBitsToDouble(le(8));
                    v.zsetMember(m, score);
                }
                break;
            }
            case RdbConstants.TYPE_HASH: {
                long n = readLength();
                v.beginKey(withSize(k, n));
                for (long i = 0; i < n; i++) {
                    byte[] f = readString();
                    byte[] val = readString();
                    v.hashField(f, val);
                }
                break;
            }
            case RdbConstants.TYPE_HASH_ZIPMAP: {
                long at = offset();
                byte[] blob = readString();
                BlobCursor c = new ZipmapCursor(blob, at);
                v.beginKey(k);
                pairs(v, c, false);
                break;
            }
            case RdbConstants.TYPE_HASH_ZIPLIST:
            case RdbConstants.TYPE_HASH_LISTPACK:
            case RdbConstants.TYPE_ZSET_ZIPLIST:
            case RdbConstants.TYPE_ZSET_LISTPACK: {
                long at = offset();
                byte[] blob = readString();
                BlobCursor c = (t == RdbConstants.TYPE_HASH_ZIPLIST || t == RdbConstants.TYPE_ZSET_ZIPLIST)
                        ? new ZiplistCursor(blob, at) : new ListpackCursor(blob, at);
                long n = c.declaredCount();
                v.beginKey(withSize(k, n < 0 ? -1 : n / 2));
                pairs(v, c, t == RdbConstants.TYPE_ZSET_ZIPLIST || t == RdbConstants.TYPE_ZSET_LISTPACK);
                break;
            }
            case RdbConstants.TYPE_LIST_ZIPLIST:
            case RdbConstants.TYPE_SET_INTSET:
            case RdbConstants.TYPE_SET_LISTPACK: {
                long at = offset();
                byte[] blob = readString();
                BlobCursor c = t == RdbConstants.TYPE_LIST_ZIPLIST ? new ZiplistCursor(blob, at)
                        : t == RdbConstants.TYPE_SET_INTSET ? new IntsetCursor(blob, at) : new ListpackCursor(blob, at);
                v.beginKey(withSize(k, c.declaredCount()));
                byte[] e;
                while ((e = c.next()) != null) {
                    if (t == RdbConstants.TYPE_LIST_ZIPLIST) {
                        v.listElement(e);
                    } else {
                        v.setMember(e);
                    }
                }
                break;
            }
            case RdbConstants.TYPE_LIST_QUICKLIST:
            case RdbConstants.TYPE_LIST_QUICKLIST_2: {
                long nodes = readLength();
                v.beginKey(k);
                for (long i = 0; i < nodes; i++) {
                    long container = RdbConstants.QUICKLIST_NODE_PACKED;
                    if (t == RdbConstants.TYPE_LIST_QUICKLIST_2) {
                        long cAt = offset();
                        container = readLength();
                        if (container != RdbConstants.QUICKLIST_NODE_PACKED
                                && container != RdbConstants.QUICKLIST_NODE_PLAIN) {
                            throw new RdbFormatException("invalid quicklist node container " + container, cAt);
                        }
                    }
                    long at = offset();
                    byte[] blob = readString();
                    if (container == RdbConstants.QUICKLIST_NODE_PLAIN) {
                        v.listElement(blob);
                        continue;
                    }
                    BlobCursor c = t == RdbConstants.TYPE_LIST_QUICKLIST ? new ZiplistCursor(blob, at)
                            : new ListpackCursor(blob, at);
                    byte[] e;
                    while ((e = c.next()) != null) {
                        v.listElement(e);
                    }
                }
                break;
            }
            case RdbConstants.TYPE_MODULE_2:
                unsupportedOrSkip(v, k, "module value (" + k.encoding() + ")", k.offset());
                readLength(); // module id
                skipModuleValue();
                return;
            case RdbConstants.TYPE_STREAM_LISTPACKS:
            case RdbConstants.TYPE_STREAM_LISTPACKS_2:
            case RdbConstants.TYPE_STREAM_LISTPACKS_3:
                unsupportedOrSkip(v, k, "stream value (" + k.encoding() + ")", k.offset());
                skipStream(t);
                return;
            default:
                throw new RdbUnsupportedException("unsupported value type " + t + " (" + k.encoding() + ") for key '"
                        + printable(k.key()) + "'", k.offset());
        }
        v.endKey();
    }

    private void pairs(RdbVisitor v, BlobCursor c, boolean zset) throws IOException {
        while (true) {
            byte[] a = c.next();
            if (a == null) {
                return;
            }
            long at = c.fileOffset();
            byte[] b = c.next();
            if (b == null) {
                throw new RdbFormatException("odd number of entries in a " + (zset ? "sorted set" : "hash")
                        + " blob", at);
            }
            if (zset) {
                double score;
                try {
                    score = RedisNumbers.parseDouble(b, 0, b.length);
                } catch (NumberFormatException e) {
                    throw new RdbFormatException("invalid score '" + printable(b) + "'", at);
                }
                v.zsetMember(a, score);
            } else {
                v.hashField(a, b);
            }
        }
    }

    private double readStringDouble() throws IOException {
        long at = offset();
        int len = u8();
        switch (len) {
            case 253:
                return Double.NaN;
            case 254:
                return Double.POSITIVE_INFINITY;
            case 255:
                return Double.NEGATIVE_INFINITY;
            default:
                byte[] b = readBytes(len);
                try {
                    return RedisNumbers.parseDouble(b, 0, b.length);
                } catch (NumberFormatException e) {
                    throw new RdbFormatException("invalid double '" + printable(b) + "'", at);
                }
        }
    }

    private void skipModuleValue() throws IOException {
        while (true) {
            long at = offset();
            long op = readLength();
            switch ((int) Math.min(op, 99)) {
                case RdbConstants.MODULE_OPCODE_EOF:
                    return;
                case RdbConstants.MODULE_OPCODE_SINT:
                case RdbConstants.MODULE_OPCODE_UINT:
                    readLength();
                    break;
                case RdbConstants.MODULE_OPCODE_FLOAT:
                    skip(4);
                    break;
                case RdbConstants.MODULE_OPCODE_DOUBLE:
                    skip(8);
                    break;
                case RdbConstants.MODULE_OPCODE_STRING:
                    skipString();
                    break;
                default:
                    throw new RdbFormatException("unknown module value opcode " + op, at);
            }
        }
    }

    private void skipStream(int t) throws IOException {
        long listpacks = readLength();
        for (long i = 0; i < listpacks; i++) {
            skipString(); // node key (stream id)
            skipString(); // listpack
        }
        readLength(); // length
        readLength(); // last id ms
        readLength(); // last id seq
        if (t >= RdbConstants.TYPE_STREAM_LISTPACKS_2) {
            for (int i = 0; i < 5; i++) {
                readLength(); // first id, max deleted id, entries added
            }
        }
        long groups = readLength();
        for (long g = 0; g < groups; g++) {
            skipString(); // name
            readLength();
            readLength(); // last id
            if (t >= RdbConstants.TYPE_STREAM_LISTPACKS_2) {
                readLength(); // entries read
            }
            long pel = readLength();
            for (long p = 0; p < pel; p++) {
                skip(16 + 8); // raw id, delivery time
                readLength(); // delivery count
            }
            long consumers = readLength();
            for (long c = 0; c < consumers; c++) {
                skipString(); // name
                skip(8); // seen time
                if (t >= RdbConstants.TYPE_STREAM_LISTPACKS_3) {
                    skip(8); // active time
                }
                long cpel = readLength();
                for (long p = 0; p < cpel; p++) {
                    skip(16);
                }
            }
        }
    }

    // ------------------------------------------------------------------ lengths and strings

    /** Reads a length; an encoded-value marker here is corrupt. */
    private long readLength() throws IOException {
        long at = offset();
        int b = u8();
        switch (b >>> 6) {
            case 0:
                return b & 0x3F;
            case 1:
                return ((b & 0x3F) << 8) | u8();
            case 2:
                if (b == RdbConstants.LEN_32BIT) {
                    return be(4);
                } else if (b == RdbConstants.LEN_64BIT) {
                    long v = be(8);
                    if (v < 0) {
                        throw new RdbFormatException("length " + Long.toUnsignedString(v) + " out of range", at);
                    }
                    return v;
                }
                throw new RdbFormatException("invalid length encoding byte 0x" + Integer.toHexString(b), at);
            default:
                throw new RdbFormatException("encoded value where a length was expected (0x"
                        + Integer.toHexString(b) + ")", at);
        }
    }

    /**
     * A string key's value: whole through {@link RdbVisitor#stringValue}, or, for a raw string the
     * visitor asks for in pieces ({@link RdbVisitor#streamString}), straight from the read buffer.
     */
    private void readStringValue(RdbVisitor v) throws IOException {
        int b = u8();
        if ((b >>> 6) == 3 && (b & 0x3F) == RdbConstants.ENC_LZF) {
            long at = offset() - 1;
            long clen = readLength();
            long ulen = readLength();
            checkLzfLengths(clen, ulen, at);
            if (!v.streamString(ulen)) {
                v.stringValue(readLzf(clen, ulen));
                return;
            }
            long dataAt = offset();
            String err = LzfStreamDecoder.decode(lzfInput, clen, ulen, v::stringPiece);
            if (err != null) {
                throw new RdbFormatException("corrupt LZF data: " + err, dataAt);
            }
            v.stringEnd();
            return;
        }
        unread();
        if ((b >>> 6) == 3) {
            v.stringValue(readString());
            return;
        }
        long len = readLength();
        checkLen(len, offset());
        if (!v.streamString(len)) {
            v.stringValue(readBytes(len));
            return;
        }
        for (long left = len; left > 0; ) {
            if (pos == limit) {
                fill();
            }
            int n = (int) Math.min(limit - pos, left);
            v.stringPiece(buf, pos, n);
            pos += n;
            left -= n;
        }
        v.stringEnd();
    }

    /** Reads a string: raw, INT8/16/32 (as decimal ASCII) or LZF. */
    private byte[] readString() throws IOException {
        long at = offset();
        int b = u8();
        if ((b >>> 6) != 3) {
            unread();
            return readBytes(readLength());
        }
        switch (b & 0x3F) {
            case RdbConstants.ENC_INT8:
                return RedisNumbers.toBytes(sle(1));
            case RdbConstants.ENC_INT16:
                return RedisNumbers.toBytes(sle(2));
            case RdbConstants.ENC_INT32:
                return RedisNumbers.toBytes(sle(4));
            case RdbConstants.ENC_LZF: {
                long clen = readLength();
                long ulen = readLength();
                checkLzfLengths(clen, ulen, at);
                return readLzf(clen, ulen);
            }
            default:
                throw new RdbFormatException("unknown string encoding " + (b & 0x3F), at);
        }
    }

    private void checkLzfLengths(long clen, long ulen, long at) throws RdbFormatException {
        checkLen(clen, at);
        checkLen(ulen, at);
        if (clen == 0 || ulen == 0) {
            throw new RdbFormatException("LZF string with zero length", at);
        }
        if (ulen > clen * Lzf.MAX_EXPANSION) {
            throw new RdbFormatException("LZF string claims " + ulen + " bytes from " + clen
                    + " compressed bytes, more than LZF can expand", at);
        }
    }

    /** The {@code clen} compressed bytes that follow, decompressed whole into {@code ulen} bytes. */
    private byte[] readLzf(long clen, long ulen) throws IOException {
        long dataAt = offset();
        byte[] c = readBytes(clen);
        byte[] u = new byte[(int) ulen];
        String err = Lzf.decompress(c, 0, c.length, u, 0, u.length);
        if (err != null) {
            throw new RdbFormatException("corrupt LZF data: " + err, dataAt);
        }
        return u;
    }

    /** The compressed bytes of a streamed LZF string, straight from the read buffer. */
    private final LzfStreamDecoder.Input lzfInput = new LzfStreamDecoder.Input() {
        @Override
        public int u8() throws IOException {
            return RdbReader.this.u8();
        }

        @Override
        public void read(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (pos == limit) {
                    fill();
                }
                int n = Math.min(limit - pos, len);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                off += n;
                len -= n;
            }
        }
    };

    private void skipString() throws IOException {
        int b = u8();
        if ((b >>> 6) != 3) {
            unread();
            skip(readLength());
            return;
        }
        switch (b & 0x3F) {
            case RdbConstants.ENC_INT8:
                skip(1);
                return;
            case RdbConstants.ENC_INT16:
                skip(2);
                return;
            case RdbConstants.ENC_INT32:
                skip(4);
                return;
            case RdbConstants.ENC_LZF: {
                long clen = readLength();
                readLength();
                skip(clen);
                return;
            }
            default:
                throw new RdbFormatException("unknown string encoding " + (b & 0x3F), offset() - 1);
        }
    }

    private void checkLen(long n, long at) throws RdbFormatException {
        if (n > opt.maxStringLength) {
            throw new RdbFormatException("string length " + n + " exceeds the limit of " + opt.maxStringLength, at);
        }
    }

    /** Reads n bytes, growing the array only as data actually arrives. */
    private byte[] readBytes(long n) throws IOException {
        checkLen(n, offset());
        int len = (int) n;
        byte[] r = new byte[Math.min(len, CHUNK)];
        int filled = 0;
        while (filled < len) {
            if (filled == r.length) {
                r = Arrays.copyOf(r, (int) Math.min(len, r.length * 2L));
            }
            if (pos == limit) {
                fill();
            }
            int k = Math.min(limit - pos, r.length - filled);
            System.arraycopy(buf, pos, r, filled, k);
            pos += k;
            filled += k;
        }
        return r;
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            if (pos == limit) {
                fill();
            }
            int k = (int) Math.min(limit - pos, n);
            pos += k;
            n -= k;
        }
    }

    // ------------------------------------------------------------------ bytes

    private long offset() {
        return before + pos;
    }

    private int u8() throws IOException {
        if (pos == limit) {
            fill();
        }
        return buf[pos++] & 0xff;
    }

    /** Steps back one byte; only valid right after {@link #u8()}. */
    private void unread() {
        pos--;
    }

    private long le(int n) throws IOException {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) u8() << (8 * i);
        }
        return v;
    }

    private long sle(int n) throws IOException {
        long v = le(n);
        int shift = 64 - 8 * n;
        return (v << shift) >> shift;
    }

    private long be(int n) throws IOException {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | u8();
        }
        return v;
    }

    private void syncCrc() {
        if (crcOn && pos > crcFrom) {
            crc = Crc64.update(crc, buf, crcFrom, pos - crcFrom);
        }
        crcFrom = Math.max(crcFrom, pos);
    }

    /**
     * Refills the buffer when it is exhausted. Keeps the last byte so {@link #unread()} still works
     * after a refill.
     */
    private void fill() throws IOException {
        syncCrc();
        int keep = limit > 0 ? 1 : 0;
        if (keep == 1) {
            buf[0] = buf[limit - 1];
        }
        before += limit - keep;
        pos = keep;
        limit = keep;
        crcFrom = keep;
        int n;
        do {
            n = in.read(buf, keep, buf.length - keep);
        } while (n == 0);
        if (n < 0) {
            throw new RdbFormatException("unexpected end of file", offset());
        }
        limit = keep + n;
    }

    // ------------------------------------------------------------------ visitor guard

    /** Carries a visitor's own exception through the reader's catch of runtime exceptions. */
    private static final class VisitorFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        VisitorFailure(Throwable cause) {
            super(cause);
        }

        IOException unwrap() throws IOException {
            Throwable c = getCause();
            if (c instanceof IOException) {
                throw (IOException) c;
            }
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            if (c instanceof Error) {
                throw (Error) c;
            }
            throw new IOException(c);
        }
    }

    /** Wraps every visitor call so its exceptions are told apart from the reader's own failures. */
    private static final class Guard implements RdbVisitor {
        private final RdbVisitor d;

        Guard(RdbVisitor d) {
            this.d = d;
        }

        private interface Call {
            void run() throws IOException;
        }

        private static void call(Call c) {
            try {
                c.run();
            } catch (IOException | RuntimeException e) {
                throw new VisitorFailure(e);
            }
        }

        @Override public void startRdb(int version) { call(() -> d.startRdb(version)); }
        @Override public void aux(byte[] key, byte[] value) { call(() -> d.aux(key, value)); }
        @Override public void selectDb(long db) { call(() -> d.selectDb(db)); }
        @Override public void resizeDb(long a, long b) { call(() -> d.resizeDb(a, b)); }
        @Override public void function(byte[] code) { call(() -> d.function(code)); }
        @Override public void beginKey(RdbKeyInfo key) { call(() -> d.beginKey(key)); }
        @Override public void stringValue(byte[] value) { call(() -> d.stringValue(value)); }
        @Override public boolean streamString(long length) {
            try {
                return d.streamString(length);
            } catch (IOException | RuntimeException e) {
                throw new VisitorFailure(e);
            }
        }
        @Override public void stringPiece(byte[] b, int off, int len) { call(() -> d.stringPiece(b, off, len)); }
        @Override public void stringEnd() { call(d::stringEnd); }
        @Override public void listElement(byte[] e) { call(() -> d.listElement(e)); }
        @Override public void setMember(byte[] m) { call(() -> d.setMember(m)); }
        @Override public void zsetMember(byte[] m, double s) { call(() -> d.zsetMember(m, s)); }
        @Override public void hashField(byte[] f, byte[] v) { call(() -> d.hashField(f, v)); }
        @Override public void endKey() { call(d::endKey); }
        @Override public void skipped(RdbKeyInfo key, String what) { call(() -> d.skipped(key, what)); }
        @Override public void endRdb(long c, boolean verified) { call(() -> d.endRdb(c, verified)); }
    }
}
