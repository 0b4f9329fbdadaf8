package io.cowkv.server.protocol;

import java.math.BigDecimal;

/**
 * Formats doubles the way Redis does for replies: {@code %.17g} for RESP3/ZSCORE style and
 * the shortest round-trip form ({@code "%.17Lg"} trimmed) for INCRBYFLOAT.
 */
public final class DoubleFormat {
    private DoubleFormat() {
    }

    /** Redis's addReplyDouble in RESP2: {@code %.17g}; "inf", "-inf", "nan". */
    public static String format(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        return formatG17(d);
    }

    /** C's {@code %.17g}, computed from the exact binary value (as glibc does). */
    static String formatG17(double d) {
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        BigDecimal bd = new BigDecimal(d).round(new java.math.MathContext(17, java.math.RoundingMode.HALF_EVEN));
        int exp = bd.precision() - bd.scale() - 1;
        if (exp < -4 || exp >= 17) {
            String digits = bd.unscaledValue().abs().toString();
            int end = digits.length();
            while (end > 1 && digits.charAt(end - 1) == '0') {
                end--;
            }
            StringBuilder sb = new StringBuilder();
            if (bd.signum() < 0) {
                sb.append('-');
            }
            sb.append(digits.charAt(0));
            if (end > 1) {
                sb.append('.').append(digits, 1, end);
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            if (a < 10) {
                sb.append('0');
            }
            return sb.append(a).toString();
        }
        String plain = bd.toPlainString();
        return plain.contains(".") ? io.cowkv.server.util.CFormat.trimDoubleString(plain) : plain;
    }

    /**
     * INCRBYFLOAT / HINCRBYFLOAT output: Redis uses {@code %.17Lg} on a long double and removes
     * trailing zeros; with a double this matches the shortest representation that round-trips
     * in nearly all cases, and the exact %.17g digits when that is shorter.
     */
    public static String formatHuman(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return Long.toString((long) d);
        }
        BigDecimal bd = new BigDecimal(Double.toString(d));
        String s = bd.toPlainString();
        return s.contains(".") ? io.cowkv.server.util.CFormat.trimDoubleString(s) : s;
    }
}
