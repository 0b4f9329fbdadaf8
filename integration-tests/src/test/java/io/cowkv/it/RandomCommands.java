package io.cowkv.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates random string and key-space commands over a small key pool, for
 * {@link RandomDifferentialTest}. The same seed always gives the same commands.
 *
 * <p>Arguments mix the ordinary with the edge cases where implementations differ: empty strings,
 * numbers at the 64-bit limits and just past them, numbers with spaces or signs Redis refuses,
 * float specials, binary bytes, values on both sides of the inline and embstr thresholds, unknown
 * options, wrong arities. Expiry times are either far in the future (hundreds of seconds or an
 * absolute time in 2100) or already past, so no key expires while a sequence runs and both
 * servers see the same key space at every step.
 */
final class RandomCommands {
    /** How a reply is compared. */
    enum Compare {
        /** Byte for byte. */
        EXACT,
        /** An array compared as a set of elements (KEYS). */
        SORTED,
        /** A full SCAN iteration, see {@link DiffScanAll}. */
        SCAN_ALL,
        /** Integer replies within {@link Command#tolerance} of each other (TTL-like values). */
        NEAR,
        /** Only the reply's type byte (HELLO: its map holds the client id, which differs). */
        TYPE,
        /** INFO keyspace with every {@code avg_ttl=} value masked (it depends on the moment). */
        INFO_KEYSPACE
    }

    /** One command: its arguments, how its reply is compared, and (for NEAR) the tolerance. */
    record Command(List<byte[]> args, Compare compare, long tolerance) {
        String text() {
            StringBuilder sb = new StringBuilder();
            for (byte[] a : args) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                String s = new String(a, StandardCharsets.ISO_8859_1);
                if (s.length() > 40) {
                    s = s.substring(0, 20) + "...(" + s.length() + " bytes)";
                }
                sb.append('"').append(Resp.escape(s.getBytes(StandardCharsets.ISO_8859_1))).append('"');
            }
            return sb.toString();
        }
    }

    /** The key pool; every generated command touches only these keys (in databases 0-2). */
    static final List<String> KEYS = List.of("a", "b", "c", "{t}d", "", "n");
    /** LCS's own keys (see {@link #lcs()}). */
    static final String[] LCS_KEYS = {"l1", "l2", "l3"};
    static final int DATABASES = 3;
    /** 2100-01-01 in seconds and milliseconds: far enough that nothing expires during a test. */
    private static final String FUTURE_S = "4102444800";
    private static final String FUTURE_MS = "4102444800123";

    private static final String[] NUMBERS = {"0", "1", "-1", "2", "3", "7", "10", "100", "-100", "1000000", "-0", "007",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
        "4611686018427387904", " 1", "1 ", "+1", "1.5", "abc", "", "0x10", "1e3"};
    private static final String[] FLOATS = {"0", "1", "-1", "1.5", "-0.25", "0.1", "3.0e5", "1e-5", "1e308",
        "-1e308", "inf", "-inf", "+inf", "nan", "abc", "", " 1", "1.", ".5", "5e", "10", "-0"};
    private static final String[] OFFSETS = {"0", "1", "2", "3", "5", "-1", "-2", "-5", "-100", "100", "50",
        "9223372036854775807", "-9223372036854775808", "x"};

    private final Random random;

    RandomCommands(long seed) {
        this.random = new Random(seed);
    }

    Command next() {
        int pick = random.nextInt(100);
        if (pick < 14) {
            return exact(set());
        }
        if (pick < 24) {
            return exact("GET", key());
        }
        if (pick < 32) {
            return numeric();
        }
        if (pick < 40) {
            return ranges();
        }
        if (pick < 50) {
            return expiry();
        }
        if (pick < 62) {
            return keyCommand();
        }
        if (pick < 72) {
            return multiKey();
        }
        if (pick < 78) {
            return getFamily();
        }
        if (pick < 82) {
            return lcs();
        }
        if (pick < 88) {
            return objectCommand();
        }
        if (pick < 94) {
            return databases();
        }
        if (pick < 97) {
            return connection();
        }
        if (pick < 98) {
            // a save and load of the whole data set (Redis's own RDB round trip against CowKV's):
            // values, encodings and TTLs must come back the same on both
            return random.nextInt(3) == 0 ? exact("SAVE") : exact("DEBUG", "RELOAD");
        }
        return arityError();
    }

    // ---- families ----

    private List<String> set() {
        List<String> c = new ArrayList<>(List.of("SET", key(), value()));
        int options = random.nextInt(4) == 0 ? random.nextInt(4) : random.nextInt(2);
        for (int i = 0; i < options; i++) {
            switch (random.nextInt(10)) {
                case 0 -> c.addAll(List.of("EX", relativeSeconds()));
                case 1 -> c.addAll(List.of("PX", relativeMillis()));
                case 2 -> c.addAll(List.of("EXAT", absoluteSeconds()));
                case 3 -> c.addAll(List.of("PXAT", absoluteMillis()));
                case 4 -> c.add("KEEPTTL");
                case 5 -> c.add("NX");
                case 6 -> c.add("XX");
                case 7, 8 -> c.add("GET");
                default -> c.add(oneOf("ex", "px", "nx", "get", "keepttl", "FOO", "EX"));
            }
        }
        return c;
    }

    private Command numeric() {
        String k = key();
        return switch (random.nextInt(8)) {
            case 0 -> exact("INCR", k);
            case 1 -> exact("DECR", k);
            case 2 -> exact("INCRBY", k, number());
            case 3 -> exact("DECRBY", k, number());
            case 4, 5 -> exact("INCRBYFLOAT", k, oneOf(FLOATS));
            case 6 -> exact("SET", k, number());
            default -> exact("SETNX", k, number());
        };
    }

    private Command ranges() {
        String k = key();
        return switch (random.nextInt(7)) {
            case 0 -> exact("APPEND", k, value());
            case 1 -> exact("STRLEN", k);
            case 2 -> exact("GETRANGE", k, oneOf(OFFSETS), oneOf(OFFSETS));
            case 3 -> exact("SUBSTR", k, oneOf(OFFSETS), oneOf(OFFSETS));
            case 4, 5 -> exact("SETRANGE", k, oneOf("0", "1", "3", "10", "40", "100", "-1", "x", "536870912", "70000"),
                    random.nextInt(6) == 0 ? "" : value());
            default -> exact("APPEND", k, oneOf("1", "x", ""));
        };
    }

    private Command expiry() {
        String k = key();
        switch (random.nextInt(12)) {
            case 0, 1: {
                List<String> c = new ArrayList<>(List.of(oneOf("EXPIRE", "PEXPIRE"), k));
                c.add(c.get(0).equals("EXPIRE") ? relativeSeconds() : relativeMillis());
                expireFlags(c);
                return exact(c);
            }
            case 2, 3: {
                List<String> c = new ArrayList<>(List.of(oneOf("EXPIREAT", "PEXPIREAT"), k));
                c.add(c.get(0).equals("EXPIREAT") ? absoluteSeconds() : absoluteMillis());
                expireFlags(c);
                return exact(c);
            }
            case 4, 5:
                return near(1, "TTL", k);
            case 6:
                return near(2000, "PTTL", k);
            case 7:
                return near(1, "EXPIRETIME", k);
            case 8:
                return near(2000, "PEXPIRETIME", k);
            case 9:
                return exact("PERSIST", k);
            case 10:
                return exact("SETEX", k, relativeSeconds(), value());
            default:
                return exact("PSETEX", k, relativeMillis(), value());
        }
    }

    private Command keyCommand() {
        String k = key();
        return switch (random.nextInt(11)) {
            case 0 -> exact("DEL", k);
            case 1 -> exact("UNLINK", k, key());
            case 2 -> exact("TYPE", k);
            case 3 -> exact("RENAME", k, key());
            case 4 -> exact("RENAMENX", k, key());
            case 5 -> {
                List<String> c = new ArrayList<>(List.of("COPY", k, key()));
                if (random.nextBoolean()) {
                    c.addAll(List.of("DB", oneOf("0", "1", "2", "16", "-1", "x")));
                }
                if (random.nextBoolean()) {
                    c.add("REPLACE");
                }
                if (random.nextInt(8) == 0) {
                    c.add("FOO");
                }
                yield exact(c);
            }
            case 6 -> exact("MOVE", k, oneOf("0", "1", "2", "16", "x"));
            case 7 -> exact("TOUCH", k, key(), key());
            case 8 -> new Command(bytes(List.of("KEYS", oneOf("*", "a*", "?", "[ab]*", "*d*", "\\{t\\}*", "[^a]", ""))),
                    Compare.SORTED, 0);
            case 9 -> {
                List<String> c = new ArrayList<>(List.of("SCAN", "0"));
                if (random.nextBoolean()) {
                    c.addAll(List.of("MATCH", oneOf("*", "a*", "?", "*d")));
                }
                if (random.nextBoolean()) {
                    c.addAll(List.of("COUNT", oneOf("1", "2", "10", "0", "-1", "x")));
                }
                if (random.nextBoolean()) {
                    c.addAll(List.of("TYPE", oneOf("string", "list", "STRING", "nosuch")));
                }
                yield new Command(bytes(c), Compare.SCAN_ALL, 0);
            }
            default -> exact("EXISTS", k, key(), k);
        };
    }

    private Command multiKey() {
        return switch (random.nextInt(4)) {
            case 0 -> exact("MGET", key(), key(), key());
            case 1 -> exact("MSET", key(), value(), key(), value());
            case 2 -> exact("MSETNX", key(), value(), key(), value());
            default -> exact("DBSIZE");
        };
    }

    private Command getFamily() {
        String k = key();
        switch (random.nextInt(5)) {
            case 0:
                return exact("GETSET", k, value());
            case 1:
                return exact("GETDEL", k);
            default: {
                List<String> c = new ArrayList<>(List.of("GETEX", k));
                int options = random.nextInt(3);
                for (int i = 0; i < options; i++) {
                    switch (random.nextInt(6)) {
                        case 0 -> c.addAll(List.of("EX", relativeSeconds()));
                        case 1 -> c.addAll(List.of("PX", relativeMillis()));
                        case 2 -> c.addAll(List.of("EXAT", absoluteSeconds()));
                        case 3 -> c.addAll(List.of("PXAT", absoluteMillis()));
                        case 4 -> c.add("PERSIST");
                        default -> c.add(oneOf("KEEPTTL", "NX", "ex"));
                    }
                }
                return exact(c);
            }
        }
    }

    /**
     * LCS on its own two keys, which only this family writes, with values of at most a few hundred
     * bytes: LCS's work and memory grow with the product of the two lengths.
     */
    private Command lcs() {
        if (random.nextInt(3) == 0) {
            int pick = random.nextInt(4);
            return exact("SET", oneOf(LCS_KEYS), pick == 0 ? "" : pick == 1 ? number() : letters(1 + random.nextInt(300)));
        }
        List<String> c = new ArrayList<>(List.of("LCS", oneOf(LCS_KEYS), oneOf(LCS_KEYS)));
        int options = random.nextInt(4);
        for (int i = 0; i < options; i++) {
            switch (random.nextInt(5)) {
                case 0 -> c.add("LEN");
                case 1 -> c.add("IDX");
                case 2 -> c.addAll(List.of("MINMATCHLEN", oneOf("0", "1", "2", "4", "-1", "x")));
                case 3 -> c.add("WITHMATCHLEN");
                default -> c.add("FOO");
            }
        }
        return exact(c);
    }

    private Command objectCommand() {
        return switch (random.nextInt(4)) {
            case 0, 1 -> exact("OBJECT", "ENCODING", key());
            case 2 -> exact("OBJECT", "REFCOUNT", key());
            default -> exact("OBJECT", "FREQ", key());
        };
    }

    private Command databases() {
        return switch (random.nextInt(6)) {
            case 0, 1 -> exact("SELECT", oneOf("0", "1", "2", "0", "1", "16", "-1", "x"));
            case 2 -> exact("SWAPDB", oneOf("0", "1", "2"), oneOf("0", "1", "2", "16", "x"));
            case 3 -> random.nextInt(4) == 0 ? exact("FLUSHDB") : exact("DBSIZE");
            default -> exact("RENAME", key(), key());
        };
    }

    /** The connection family: replies that depend only on the connection's own state. */
    private Command connection() {
        return switch (random.nextInt(7)) {
            case 0 -> exact("PING", value());
            case 1 -> exact("ECHO", value());
            case 2 -> exact("CLIENT", "SETNAME", oneOf("conn", "", "a b", "x\ny", "name-1", "\u00e9"));
            case 3 -> exact("CLIENT", "GETNAME");
            case 4 -> new Command(bytes(List.of("HELLO", oneOf("2", "3", "3", "4", "x"))), Compare.TYPE, 0);
            case 5 -> new Command(bytes(List.of("INFO", "keyspace")), Compare.INFO_KEYSPACE, 0);
            default -> exact("PING");
        };
    }

    /** A command with one argument too few or too many. */
    private Command arityError() {
        return switch (random.nextInt(8)) {
            case 0 -> exact("GET");
            case 1 -> exact("GET", key(), key());
            case 2 -> exact("SET", key());
            case 3 -> exact("INCRBY", key());
            case 4 -> exact("MSET", key(), value(), key());
            case 5 -> exact("GETRANGE", key(), "0");
            case 6 -> exact("EXPIRE", key());
            default -> exact("SETRANGE", key(), "0");
        };
    }

    // ---- arguments ----

    private void expireFlags(List<String> c) {
        int n = random.nextInt(4) == 0 ? 2 : random.nextInt(2);
        for (int i = 0; i < n; i++) {
            c.add(oneOf("NX", "XX", "GT", "LT", "nx", "FOO"));
        }
    }

    private String key() {
        return KEYS.get(random.nextInt(KEYS.size()));
    }

    /**
     * Seconds from now for EX/EXPIRE: long enough never to pass during a test, or invalid. Valid
     * durations are multiples of 10 s from a wide range, and {@link #relativeMillis()} adds 5 s,
     * so two durations are equal only by a rare draw and otherwise differ by at least 5 s: GT/LT
     * compare "now + duration" with a time set by an earlier command, and a few ms passing
     * between the two on one server and not on the other must not decide the answer.
     */
    private String relativeSeconds() {
        if (random.nextInt(3) > 0) {
            return Long.toString(validSeconds());
        }
        return oneOf("0", "-1", "-100", "x", "1.5", "9223372036854775807", "92233720368547758");
    }

    private String relativeMillis() {
        if (random.nextInt(3) > 0) {
            return Long.toString(validSeconds() * 1000 + 5000);
        }
        return oneOf("0", "-1", "x", "9223372036854775807");
    }

    private long validSeconds() {
        return 100 + 10L * random.nextInt(1_000_000);
    }

    private String absoluteSeconds() {
        return oneOf(FUTURE_S, "4102444900", "4102444700", "1", "0", "-1", "x");
    }

    private String absoluteMillis() {
        return oneOf(FUTURE_MS, "4102444900000", "4102444700000", "1", "0", "-1", "x");
    }

    private String number() {
        return oneOf(NUMBERS);
    }

    private String value() {
        int pick = random.nextInt(20);
        if (pick < 6) {
            return number();
        }
        if (pick < 10) {
            return oneOf("", "v", "hello", "hello world", "abc", "xyz", "aXbYc", "3.14", "inf", "-", "\u0000\u00ff");
        }
        if (pick < 16) {
            return letters(1 + random.nextInt(60)); // around the 44-byte embstr boundary
        }
        if (pick < 19) {
            return letters(60 + random.nextInt(600));
        }
        return letters(4000 + random.nextInt(70_000)); // page runs, past one 64 KiB page
    }

    private String letters(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + random.nextInt(4)));
        }
        return sb.toString();
    }

    private String oneOf(String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    // ---- building commands ----

    private static Command exact(String... args) {
        return exact(List.of(args));
    }

    private static Command exact(List<String> args) {
        return new Command(bytes(args), Compare.EXACT, 0);
    }

    private static Command near(long tolerance, String... args) {
        return new Command(bytes(List.of(args)), Compare.NEAR, tolerance);
    }

    /** Arguments as bytes, one byte per char (ISO-8859-1), so \u0000-\u00ff stand for raw bytes. */
    static List<byte[]> bytes(List<String> args) {
        List<byte[]> out = new ArrayList<>(args.size());
        for (String a : args) {
            out.add(a.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out;
    }
}
