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
    /** Redis's MAX_LONG_DOUBLE_CHARS: string2ld refuses inputs of this length or more. */
    private static final int MAX_LONG_DOUBLE_CHARS = 5 * 1024;

    private FloatValue() {
    }

    /**
     * Parses as Redis's string2ld: no leading space, not NaN, "inf"/"infinity" allowed (giving
     * {@link #INFINITE}); null when invalid. The result is rounded to a long double.
     */
    static BigDecimal parse(byte[] b) {
        if (b.length == 0 || b.length >= MAX_LONG_DOUBLE_CHARS) {
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
        if (body.startsWith("-") || body.startsWith("+")) {
            return null;
        }
        BigDecimal exact;
        if (lower.startsWith("0x")) {
            exact = parseHex(lower.substring(2));
        } else {
            for (int i = 0; i < body.length(); i++) {
                char c = body.charAt(i);
                if (!(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) {
                    return null;
                }
            }
            try {
                exact = new BigDecimal(body);
            } catch (NumberFormatException | ArithmeticException e) {
                return null;
            }
        }
        if (exact == null) {
            return null;
        }
        if (exact.signum() != 0) {
            // strtold's ERANGE: overflow to infinity and underflow to zero are "not a valid float"
            double magnitude = exact.unscaledValue().abs().bitLength() - exact.scale() * LOG2_10;
            if (magnitude > MAX_EXPONENT + 2 || magnitude < MIN_SUBNORMAL_EXPONENT - 2) {
                return null;
            }
        }
        BigDecimal v;
        try {
            v = toLongDouble(exact);
        } catch (ArithmeticException e) {
            return null;
        }
        if (isInfinite(v) || (exact.signum() != 0 && v.signum() == 0)) {
            return null;
        }
        return s.startsWith("-") ? v.negate() : v;
    }

    private static final double LOG2_10 = Math.log(10) / Math.log(2);
    /** The exponent of the smallest subnormal long double, 2^-16445. */
    private static final int MIN_SUBNORMAL_EXPONENT = -16445;

    /**
     * A C99 hexadecimal float after its "0x" (lower case): hex digits with an optional point,
     * then an optional binary exponent "p[+-]digits"; null when strtold would not consume it all.
     */
    private static BigDecimal parseHex(String h) {
        int p = h.indexOf('p');
        String mant = p < 0 ? h : h.substring(0, p);
        int dot = mant.indexOf('.');
        String digits = dot < 0 ? mant : mant.substring(0, dot) + mant.substring(dot + 1);
        if (digits.isEmpty() || mant.indexOf('.', dot + 1) >= 0 && dot >= 0) {
            return null;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), 16) < 0) {
                return null;
            }
        }
        long exp = 0;
        if (p >= 0) {
            String e = h.substring(p + 1);
            String ed = e.startsWith("+") || e.startsWith("-") ? e.substring(1) : e;
            if (ed.isEmpty() || !ed.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            exp = ed.length() > 9 ? 1_000_000_000L : Long.parseLong(ed);
            if (e.startsWith("-")) {
                exp = -exp;
            }
        }
        BigInteger m = new BigInteger(digits, 16);
        if (m.signum() == 0) {
            return BigDecimal.ZERO;
        }
        exp -= 4L * (dot < 0 ? 0 : mant.length() - dot - 1);
        long top = exp + m.bitLength();
        if (top > MAX_EXPONENT + 2 || top < MIN_SUBNORMAL_EXPONENT - 2) {
            return null;
        }
        return exp >= 0 ? new BigDecimal(m.shiftLeft((int) exp))
                : new BigDecimal(m).divide(new BigDecimal(BigInteger.ONE.shiftLeft((int) -exp)));
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
