package io.cowkv.server.util;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * C number conversions Redis's replies and configuration depend on, with C's exact results:
 * {@code printf("%f")} (rounded from the exact binary value, half to even, as glibc does; Java's
 * {@code %f} rounds the shortest decimal form half up instead) and Redis's {@code string2d}
 * (strtod accepting the whole word). Pure functions, any thread.
 */
public final class CFormat {
    private CFormat() {
    }

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern HEX = Pattern.compile("[+-]?0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)([pP][+-]?\\d+)?");
    private static final Pattern INF = Pattern.compile("[+-]?(?i:inf|infinity)");

    /**
     * C's {@code %f} (six decimals) of {@code v}, then Redis's {@code trimDoubleString}: trailing
     * zeros and a trailing dot removed ({@code 50.000000} -> {@code 50}, {@code 99.900000} ->
     * {@code 99.9}). For finite values.
     */
    public static String fixed6Trimmed(double v) {
        return trimDoubleString(fixed(v, 6));
    }

    /** Redis's {@code trimDoubleString}: in a number with a dot, trailing zeros and then a trailing dot removed. */
    public static String trimDoubleString(String s) {
        if (s.indexOf('.') < 0) {
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

    /**
     * C's {@code %.Nf} with {@code decimals} = N: rounded half to even from the exact binary value;
     * {@code inf}, {@code -inf}, {@code nan} as glibc prints them.
     */
    public static String fixed(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        if (s.charAt(0) != '-' && (v < 0 || v == 0 && 1 / v < 0)) {
            s = "-" + s; // C keeps the sign of negative zero and of values rounding to zero
        }
        return s;
    }

    /**
     * C's {@code strtod} for decimal numbers, as DEBUG SLEEP parses its argument: leading white
     * space skipped, then the longest decimal number at the start; 0 when there is none.
     */
    public static double decimalPrefix(String s) {
        int i = 0;
        while (i < s.length() && " \t\n\u000B\f\r".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        java.util.regex.Matcher m = DECIMAL.matcher(s).region(i, s.length());
        return m.lookingAt() ? Double.parseDouble(m.group()) : 0;
    }

    /**
     * Redis's {@code string2d}: the whole word must be a number strtod reads (decimal, hexadecimal,
     * {@code inf}/{@code infinity}; no leading space, nothing after it); overflow to infinity,
     * underflow to zero and NaN are refused. Returns the value, or NaN when the word is refused.
     */
    public static double string2d(String s) {
        if (INF.matcher(s).matches()) {
            return s.charAt(0) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        double v;
        String digits;
        if (DECIMAL.matcher(s).matches()) {
            v = Double.parseDouble(s);
            int e = s.indexOf('e') >= 0 ? s.indexOf('e') : s.indexOf('E');
            digits = e >= 0 ? s.substring(0, e) : s;
        } else if (HEX.matcher(s).matches()) {
            boolean exponent = s.indexOf('p') >= 0 || s.indexOf('P') >= 0;
            v = Double.parseDouble(exponent ? s : s + "p0");
            int p = Math.max(s.indexOf('p'), s.indexOf('P'));
            digits = (p >= 0 ? s.substring(0, p) : s).replaceFirst("0[xX]", "");
        } else {
            return Double.NaN;
        }
        if (Double.isInfinite(v)) {
            return Double.NaN; // ERANGE with HUGE_VAL
        }
        if (v == 0 && digits.chars().anyMatch(c -> c >= '1' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
            return Double.NaN; // ERANGE with zero: underflow
        }
        return v;
    }
}
