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

    /** C's {@code %.17g}. */
    static String formatG17(double d) {
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        String s = String.format("%.16e", d); // 17 significant digits
        int e = s.indexOf('e');
        int exp = Integer.parseInt(s.substring(e + 1));
        if (exp < -4 || exp >= 17) {
            String mant = stripZeros(s.substring(0, e));
            String es = (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
            return mant + "e" + es;
        }
        String plain = new BigDecimal(d).round(new java.math.MathContext(17)).toPlainString();
        return plain.contains(".") ? stripZeros(plain) : plain;
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
        return s.contains(".") ? stripZeros(s) : s;
    }

    private static String stripZeros(String s) {
        if (!s.contains(".")) {
            return s;
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }
}
