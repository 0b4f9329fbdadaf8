package io.cowkv.server.config;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * One configuration parameter: its Redis name, whether CONFIG SET may change it at run time,
 * and how its value is parsed and shown. Values are held in the parameter itself.
 */
abstract class Param {
    final String name;
    final boolean mutable;
    Consumer<Param> onChange = p -> { };

    Param(String name, boolean mutable) {
        this.name = name;
        this.mutable = mutable;
    }

    /** The value as CONFIG GET shows it. */
    abstract String show();

    /** Parses and stores a value; the exception message is Redis's reason text. */
    abstract void parse(String value) throws ConfigException;

    /** A numeric parameter in [min, max]; subclasses say how the text becomes a number. */
    abstract static class NumberParam extends Param {
        long value;
        final long min;
        final long max;

        NumberParam(String name, boolean mutable, long def, long min, long max) {
            super(name, mutable);
            this.value = def;
            this.min = min;
            this.max = max;
        }

        /** The number the text stands for; the exception says why it is not one. */
        abstract long convert(String s) throws ConfigException;

        @Override
        String show() {
            return Long.toString(value);
        }

        @Override
        void parse(String s) throws ConfigException {
            long v = convert(s);
            if (v < min || v > max) {
                throw new ConfigException("argument must be between " + min + " and " + max + " inclusive");
            }
            value = v;
        }
    }

    static final class IntParam extends NumberParam {
        IntParam(String name, boolean mutable, long def, long min, long max) {
            super(name, mutable, def, min, max);
        }

        @Override
        long convert(String s) throws ConfigException {
            return parseInteger(s);
        }

        /** Redis's string2ll: an optional '-', digits, nothing else (no spaces, no '+'). */
        static long parseInteger(String s) throws ConfigException {
            if (s.isEmpty() || s.charAt(0) == '+' || !s.equals(s.trim())) {
                throw new ConfigException("argument couldn't be parsed into an integer");
            }
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new ConfigException("argument couldn't be parsed into an integer");
            }
        }
    }

    /**
     * An integer that Redis stores clamped (hz: any value from 0 to INT_MAX is accepted, and
     * CONFIG GET then shows it brought into [lo, hi], as Redis's updateHZ does).
     */
    static final class ClampedIntParam extends NumberParam {
        private final long lo;
        private final long hi;

        ClampedIntParam(String name, boolean mutable, long def, long min, long max, long lo, long hi) {
            super(name, mutable, def, min, max);
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        long convert(String s) throws ConfigException {
            return IntParam.parseInteger(s);
        }

        @Override
        void parse(String s) throws ConfigException {
            super.parse(s);
            value = Math.max(lo, Math.min(hi, value));
        }
    }

    static final class MemoryParam extends NumberParam {
        MemoryParam(String name, boolean mutable, long def, long min, long max) {
            super(name, mutable, def, min, max);
        }

        @Override
        long convert(String s) throws ConfigException {
            long v = s.isEmpty() ? 0 : parseMemory(s); // memtoull("") is 0
            if (v < 0 && isDigits(s)) {
                // digits beyond a long: Redis reads them (strtoull) and refuses the range
                throw new ConfigException("argument must be between " + min + " and " + max + " inclusive");
            }
            if (v < 0) {
                throw new ConfigException("argument must be a memory value");
            }
            return v;
        }

        private static boolean isDigits(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (!Character.isDigit(s.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        /** Redis's memtoull: plain bytes or with k/kb/m/mb/g/gb (case-insensitive); -1 when invalid. */
        static long parseMemory(String s) {
            String t = s.toLowerCase(Locale.ROOT); // no trimming: memtoull refuses spaces
            long mul = 1;
            String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"},
                {"k", "1000"}, {"m", "1000000"}, {"g", "1000000000"}, {"b", "1"}};
            for (String[] u : units) {
                if (t.endsWith(u[0])) {
                    mul = Long.parseLong(u[1]);
                    t = t.substring(0, t.length() - u[0].length());
                    break;
                }
            }
            if (t.isEmpty()) {
                return -1;
            }
            for (int i = 0; i < t.length(); i++) {
                if (!Character.isDigit(t.charAt(i))) {
                    return -1;
                }
            }
            try {
                return Math.multiplyExact(Long.parseLong(t), mul);
            } catch (ArithmeticException | NumberFormatException e) {
                return -1;
            }
        }
    }

    static final class BoolParam extends Param {
        boolean value;

        BoolParam(String name, boolean mutable, boolean def) {
            super(name, mutable);
            this.value = def;
        }

        @Override
        String show() {
            return value ? "yes" : "no";
        }

        @Override
        void parse(String s) throws ConfigException {
            String t = s.toLowerCase(Locale.ROOT); // no trimming: yesnotoi compares the whole string
            if (t.equals("yes")) {
                value = true;
            } else if (t.equals("no")) {
                value = false;
            } else {
                throw new ConfigException("argument must be 'yes' or 'no'");
            }
        }
    }

    static final class EnumParam extends Param {
        String value;
        final String[] allowed;

        EnumParam(String name, boolean mutable, String def, String... allowed) {
            super(name, mutable);
            this.value = def;
            this.allowed = allowed;
        }

        @Override
        String show() {
            return value;
        }

        @Override
        void parse(String s) throws ConfigException {
            String t = s.toLowerCase(Locale.ROOT); // no trimming: Redis compares the whole string
            for (String a : allowed) {
                if (a.equals(t)) {
                    value = a;
                    return;
                }
            }
            throw new ConfigException("argument(s) must be one of the following: " + String.join(", ", allowed));
        }
    }

    static class StringParam extends Param {
        String value;

        StringParam(String name, boolean mutable, String def) {
            super(name, mutable);
            this.value = def;
        }

        @Override
        String show() {
            return value;
        }

        @Override
        void parse(String s) {
            value = s;
        }
    }

    /**
     * {@code latency-tracking-info-percentiles}: space-separated percentiles in [0, 100], as Redis 7
     * (config.c, a MULTI_ARG_CONFIG): the value is split on single spaces (so two spaces make an
     * empty, invalid word), each word parsed as C's strtod through Redis's string2d, and shown with
     * {@code %f} with trailing zeros and dot trimmed. The empty string means no percentiles. On an
     * error nothing changes.
     */
    static final class PercentilesParam extends Param {
        double[] values = {50, 99, 99.9};

        PercentilesParam() {
            super("latency-tracking-info-percentiles", true);
        }

        @Override
        String show() {
            StringBuilder sb = new StringBuilder();
            for (double v : values) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(io.cowkv.server.util.CFormat.fixed6Trimmed(v));
            }
            return sb.toString();
        }

        @Override
        void parse(String s) throws ConfigException {
            String[] words = s.isEmpty() ? new String[0] : s.split(" ", -1);
            double[] out = new double[words.length];
            for (int i = 0; i < words.length; i++) {
                double v = io.cowkv.server.util.CFormat.string2d(words[i]);
                if (Double.isNaN(v)) {
                    throw new ConfigException("Invalid latency-tracking-info-percentiles parameters");
                }
                if (v > 100.0 || v < 0.0) {
                    throw new ConfigException("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
                }
                out[i] = v;
            }
            values = out;
        }
    }
}
