package io.cowkv.rdb;

import io.cowkv.rdb.encoding.RedisNumbers;

/**
 * Encodes string key records and SELECTDB opcodes into a caller's byte array, exactly as
 * {@link RdbWriter} writes them with compression off (integer encodings for canonical 32-bit
 * integers, raw strings otherwise, never LZF). Meant for producing pieces of a dump on another
 * thread, to be spliced in with {@link RdbWriter#writeRaw}.
 *
 * <p>Contract: the caller makes room first ({@link #maxStringRecordSize}, {@link #MAX_SELECTDB_SIZE});
 * nothing here allocates. Not thread-safe (one scratch cell): one encoder per thread.
 */
public final class RdbRecordEncoder {
    /** Upper bound of the bytes {@link #selectDb} writes. */
    public static final int MAX_SELECTDB_SIZE = 1 + 9;

    private final long[] tmp = new long[1];

    /** Upper bound of the bytes {@link #stringRecord} writes for these lengths. */
    public static int maxStringRecordSize(int keyLen, int valueLen) {
        return 9 + 1 + 9 + keyLen + 9 + valueLen;
    }

    /** Writes SELECTDB {@code db} at {@code pos}; returns the position after it. */
    public static int selectDb(byte[] dst, int pos, long db) {
        dst[pos++] = (byte) RdbConstants.OPCODE_SELECTDB;
        return length(dst, pos, db);
    }

    /**
     * Writes a string key record (an EXPIRETIME_MS opcode first when {@code expireAtMs >= 0}) at
     * {@code pos}; returns the position after it.
     */
    public int stringRecord(byte[] dst, int pos, byte[] key, int keyOff, int keyLen, byte[] value, int valOff,
                            int valLen, long expireAtMs) {
        if (expireAtMs >= 0) {
            dst[pos++] = (byte) RdbConstants.OPCODE_EXPIRETIME_MS;
            for (int i = 0; i < 8; i++) {
                dst[pos++] = (byte) (expireAtMs >>> (8 * i));
            }
        }
        dst[pos++] = (byte) RdbConstants.TYPE_STRING;
        pos = string(dst, pos, key, keyOff, keyLen);
        return string(dst, pos, value, valOff, valLen);
    }

    private int string(byte[] dst, int pos, byte[] b, int off, int len) {
        if (len <= 11 && RedisNumbers.parseCanonicalLong(b, off, len, tmp)) {
            int end = intString(dst, pos, tmp[0]);
            if (end >= 0) {
                return end;
            }
        }
        pos = length(dst, pos, len);
        System.arraycopy(b, off, dst, pos, len);
        return pos + len;
    }

    /** Most bytes {@link #intString} writes. */
    static final int MAX_INT_STRING_SIZE = 5;

    /**
     * A string holding the integer {@code v} in RDB's integer encodings ({@code rdbTryIntegerEncoding}:
     * 8, 16 or 32 bit) at {@code pos}; returns the position after it, or -1 (nothing written) when
     * {@code v} does not fit in 32 bits. Shared with {@link RdbWriter}.
     */
    static int intString(byte[] dst, int pos, long v) {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            dst[pos++] = (byte) (0xC0 | RdbConstants.ENC_INT8);
            dst[pos++] = (byte) v;
            return pos;
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            dst[pos++] = (byte) (0xC0 | RdbConstants.ENC_INT16);
            dst[pos++] = (byte) v;
            dst[pos++] = (byte) (v >>> 8);
            return pos;
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            dst[pos++] = (byte) (0xC0 | RdbConstants.ENC_INT32);
            for (int i = 0; i < 4; i++) {
                dst[pos++] = (byte) (v >>> (8 * i));
            }
            return pos;
        }
        return -1;
    }

    /** Most bytes {@link #length} writes. */
    static final int MAX_LENGTH_SIZE = 9;

    /** An RDB length, as {@code rdbSaveLen}: 6, 14, 32 or 64 bit form. Shared with {@link RdbWriter}. */
    static int length(byte[] dst, int pos, long len) {
        if (len < 0) {
            throw new IllegalArgumentException("negative length " + len);
        }
        if (len < (1 << 6)) {
            dst[pos++] = (byte) len;
        } else if (len < (1 << 14)) {
            dst[pos++] = (byte) ((len >>> 8) | 0x40);
            dst[pos++] = (byte) len;
        } else if (len <= 0xFFFFFFFFL) {
            dst[pos++] = (byte) RdbConstants.LEN_32BIT;
            for (int i = 3; i >= 0; i--) {
                dst[pos++] = (byte) (len >>> (8 * i));
            }
        } else {
            dst[pos++] = (byte) RdbConstants.LEN_64BIT;
            for (int i = 7; i >= 0; i--) {
                dst[pos++] = (byte) (len >>> (8 * i));
            }
        }
        return pos;
    }
}
