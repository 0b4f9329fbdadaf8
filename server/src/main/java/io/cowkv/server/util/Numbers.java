package io.cowkv.server.util;

/**
 * Redis's number rules: {@code string2ll} (strict integers) and {@code ll2string}, without allocation.
 */
public final class Numbers {
    private Numbers() {
    }

    /** Redis's string2ll: optional '-', digits, no leading zeros (except "0"), at most 20 chars, in range. */
    public static boolean parseLong(byte[] b, int off, int len, long[] out) {
        if (len == 0 || len > 20) {
            return false;
        }
        int p = off;
        int end = off + len;
        if (len == 1 && b[p] == '0') {
            out[0] = 0;
            return true;
        }
        boolean negative = false;
        if (b[p] == '-') {
            negative = true;
            p++;
            if (p == end) {
                return false;
            }
        }
        if (b[p] < '1' || b[p] > '9') {
            return false;
        }
        long v = 0; // accumulate negatively to reach Long.MIN_VALUE
        for (; p < end; p++) {
            int d = b[p] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (v < (Long.MIN_VALUE + d) / 10) {
                return false;
            }
            v = v * 10 - d;
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) {
                return false;
            }
            v = -v;
        }
        out[0] = v;
        return true;
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
