package io.cowkv.server.command.string;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * INCRBYFLOAT arithmetic as Redis does it on x86-64: operands parsed by {@code strtold} into an
 * 80-bit {@code long double} (64-bit significand), added in that precision, and printed with
 * {@code %.17Lf} with trailing zeros removed. Java has no long double, so values are held as
 * exact {@link BigDecimal}s that are always rounded to the nearest 64-bit-significand binary
 * value; this reproduces Redis's digits, including its rounding noise (10.6 + 5.0e3 gives
 * "5010.60000000000000009" in both).
 */
final class FloatValue {
    /** Stands for an infinite operand or result (Redis then refuses the increment). */
    static final BigDecimal INFINITE = new BigDecimal("1e5000");
    private static final int SIGNIFICAND_BITS = 64;
    private static final int MAX_EXPONENT = 16383;

    private FloatValue() {
    }

    /**
     * Parses as Redis's string2ld: no leading space, not NaN, "inf"/"infinity" allowed (giving
     * {@link #INFINITE}); null when invalid. The result is rounded to a long double.
     */
    static BigDecimal parse(byte[] b) {
        if (b.length == 0 || b.length > 5000) {
            return null;
        }
        String s = new String(b, StandardCharsets.ISO_8859_1);
        if (Character.isWhitespace(s.charAt(0))) {
            return null;
        }
        String body = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
        String lower = body.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) {
            return s.startsWith("-") ? INFINITE.negate() : INFINITE;
        }
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (!(Character.isDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) {
                return null;
            }
        }
        try {
            return toLongDouble(new BigDecimal(s));
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** The sum formatted as Redis replies; null when it is infinite (or NaN). */
    static String add(BigDecimal a, BigDecimal b) {
        if (isInfinite(a) || isInfinite(b)) {
            return null;
        }
        BigDecimal sum = toLongDouble(a.add(b));
        if (isInfinite(sum)) {
            return null;
        }
        // LD_STR_HUMAN: "%.17Lf" then trailing zeros (and a trailing '.') removed.
        BigDecimal r = sum.setScale(17, RoundingMode.HALF_EVEN).stripTrailingZeros();
        if (r.signum() == 0) {
            return sum.signum() < 0 ? "-0" : "0";
        }
        return r.toPlainString();
    }

    private static boolean isInfinite(BigDecimal v) {
        return v.abs().compareTo(INFINITE) >= 0;
    }

    /** Rounds an exact value to the nearest long double (round half to even); huge values become infinite. */
    static BigDecimal toLongDouble(BigDecimal v) {
        if (v.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal abs = v.abs();
        // Estimate e so that abs / 2^e has 64 integer bits, then correct.
        long unscaledBits = abs.unscaledValue().bitLength();
        int e = (int) Math.floor(unscaledBits - abs.scale() * (Math.log(10) / Math.log(2))) - SIGNIFICAND_BITS;
        BigInteger low = BigInteger.ONE.shiftLeft(SIGNIFICAND_BITS - 1);
        BigInteger high = BigInteger.ONE.shiftLeft(SIGNIFICAND_BITS);
        for (int guard = 0; guard < 8; guard++) {
            BigInteger m = scaled(abs, e).setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
            if (m.compareTo(high) >= 0) {
                e++;
            } else if (m.compareTo(low) < 0) {
                e--;
            } else {
                if (e + SIGNIFICAND_BITS > MAX_EXPONENT) {
                    return v.signum() < 0 ? INFINITE.negate() : INFINITE;
                }
                BigDecimal exact = e >= 0 ? new BigDecimal(m.shiftLeft(e))
                        : new BigDecimal(m).divide(new BigDecimal(BigInteger.ONE.shiftLeft(-e)));
                return v.signum() < 0 ? exact.negate() : exact;
            }
        }
        throw new ArithmeticException("no long double for " + v);
    }

    /** abs / 2^e, exactly. */
    private static BigDecimal scaled(BigDecimal abs, int e) {
        if (e >= 0) {
            return abs.divide(new BigDecimal(BigInteger.ONE.shiftLeft(e)));
        }
        return abs.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(-e)));
    }
}
