package io.cowkv.server.util;

import io.cowkv.rdb.encoding.RedisNumbers;

/**
 * Redis's number rules: {@code string2ll} (strict integers) and {@code ll2string}, without allocation.
 */
public final class Numbers {
    private Numbers() {
    }

    /**
     * Redis's string2ll: optional '-', digits, no leading zeros (except "0"), at most 20 chars, in
     * range. One implementation for the whole project: the RDB library's, which applies the same
     * rule when it decides whether a string is stored as an integer.
     */
    public static boolean parseLong(byte[] b, int off, int len, long[] out) {
        return RedisNumbers.parseCanonicalLong(b, off, len, out);
    }

    /** Number of bytes {@link #writeLong} produces for {@code v}. */
    public static int digits(long v) {
        if (v == Long.MIN_VALUE) {
            return 20;
        }
        int n = 1;
        if (v < 0) {
            n++;
            v = -v;
        }
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }

    /** Writes the decimal form of {@code v} into {@code dst} at {@code at}; returns the position after it. */
    public static int writeLong(long v, byte[] dst, int at) {
        int n = digits(v);
        int end = at + n;
        if (v == Long.MIN_VALUE) {
            byte[] min = "-9223372036854775808".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            System.arraycopy(min, 0, dst, at, min.length);
            return end;
        }
        if (v < 0) {
            dst[at] = '-';
            v = -v;
        }
        int p = end;
        do {
            dst[--p] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
        return end;
    }
}
