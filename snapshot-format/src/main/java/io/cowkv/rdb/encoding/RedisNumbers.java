package io.cowkv.rdb.encoding;

import java.nio.charset.StandardCharsets;

/** Integer and double conversions with exactly Redis's rules ({@code string2ll}, {@code ll2string}, scores). */
public final class RedisNumbers {
    private RedisNumbers() {
    }

    /**
     * Parses {@code b[off..off+len)} as Redis's {@code string2ll} does: canonical decimal only (no sign
     * but '-', no leading zeros, no "-0", at most 20 characters, fits a signed 64-bit long).
     *
     * @param out receives the value at index 0 if parsing succeeds
     * @return whether the bytes are a canonical integer
     */
    public static boolean parseCanonicalLong(byte[] b, int off, int len, long[] out) {
        if (len <= 0 || len >= 21) {
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
        // accumulate as a negative number so Long.MIN_VALUE fits
        long v = 0;
        while (p < end) {
            int d = b[p] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (v < Long.MIN_VALUE / 10) {
                return false;
            }
            v *= 10;
            if (v < Long.MIN_VALUE + d) {
                return false;
            }
            v -= d;
            p++;
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

    /** Decimal ASCII bytes of {@code v}, as {@code ll2string}. */
    public static byte[] toBytes(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A string for a score that Redis's {@code strtod} reads back as exactly {@code d}: "inf"/"-inf",
     * "nan", or the shortest round-trip decimal.
     */
    public static String formatDouble(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == Math.rint(d) && Math.abs(d) < 4503599627370496.0) {
            if (d == 0 && 1 / d < 0) {
                return "-0";
            }
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    /**
     * Parses a score written by Redis ({@code %.17g}, "inf", "-inf", "nan", integers).
     *
     * @throws NumberFormatException if the bytes are not a number
     */
    public static double parseDouble(byte[] b, int off, int len) {
        if (len <= 0 || len > 512) {
            throw new NumberFormatException("bad double length " + len);
        }
        String s = new String(b, off, len, StandardCharsets.ISO_8859_1);
        String l = s.toLowerCase(java.util.Locale.ROOT);
        switch (l) {
            case "inf": case "+inf": case "infinity": case "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf": case "-infinity":
                return Double.NEGATIVE_INFINITY;
            case "nan": case "-nan": case "+nan":
                return Double.NaN;
            default:
                break;
        }
        for (int i = 0; i < l.length(); i++) {
            char c = l.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e')) {
                throw new NumberFormatException("not a double: " + s);
            }
        }
        return Double.parseDouble(l);
    }
}
