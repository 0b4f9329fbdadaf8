package io.cowkv.server.config;

import java.util.Locale;

/**
 * {@code client-output-buffer-limit <class> <hard> <soft> <soft-seconds> [...]}, as Redis 7.0's
 * config.c (a MULTI_ARG_CONFIG): the value is split on single spaces; the words come in fours, the
 * class ({@code normal}, {@code replica} or {@code slave}, {@code pubsub}; any case) and then two
 * memory values (memtoull, digits beyond 64 bits saturate) and a number of seconds; all are checked
 * before any is applied; classes not named keep their limits; the empty string changes nothing.
 * {@code CONFIG GET} shows all three classes, the replica class as {@code slave}. Only the normal
 * class has clients in CowKV (no replication or pub/sub yet).
 */
final class OutputBufferLimitParam extends Param {
    static final int NORMAL = 0;
    static final int REPLICA = 1;
    static final int PUBSUB = 2;
    private static final String[] SHOWN = {"normal", "slave", "pubsub"};
    private static final String WRONG_COUNT = "Wrong number of arguments in buffer limit configuration.";
    private static final String BAD_CLASS = "Invalid client class specified in buffer limit configuration.";
    private static final String BAD_NUMBER = "Error in hard, soft or soft_seconds setting in buffer limit configuration.";

    /** Per class: hard limit, soft limit (bytes, unsigned; 0 = none), soft seconds. */
    final long[][] limits = {{0, 0, 0}, {256L << 20, 64L << 20, 60}, {32L << 20, 8L << 20, 60}};

    OutputBufferLimitParam() {
        super("client-output-buffer-limit", true);
    }

    @Override
    String show() {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < SHOWN.length; c++) {
            if (c > 0) {
                sb.append(' ');
            }
            sb.append(SHOWN[c]).append(' ').append(Long.toUnsignedString(limits[c][0])).append(' ')
                    .append(Long.toUnsignedString(limits[c][1])).append(' ').append(limits[c][2]);
        }
        return sb.toString();
    }

    @Override
    void parse(String value) throws ConfigException {
        if (value.isEmpty()) {
            return;
        }
        String[] words = value.split(" ", -1);
        if (words.length % 4 != 0) {
            throw new ConfigException(WRONG_COUNT);
        }
        long[][] parsed = new long[words.length / 4][4];
        for (int i = 0; i < words.length; i += 4) {
            int c = classOf(words[i]);
            if (c < 0) {
                throw new ConfigException(BAD_CLASS);
            }
            long hard = memtoull(words[i + 1]);
            long soft = memtoull(words[i + 2]);
            long seconds = seconds(words[i + 3]);
            if (seconds < 0) {
                throw new ConfigException(BAD_NUMBER);
            }
            parsed[i / 4] = new long[]{c, hard, soft, seconds};
        }
        for (long[] p : parsed) {
            limits[(int) p[0]] = new long[]{p[1], p[2], p[3]};
        }
    }

    private static int classOf(String word) {
        switch (word.toLowerCase(Locale.ROOT)) {
            case "normal":
                return NORMAL;
            case "replica":
            case "slave":
                return REPLICA;
            case "pubsub":
                return PUBSUB;
            default:
                return -1; // "master" too: Redis refuses it here
        }
    }

    /**
     * Redis's memtoull, C semantics: digits then an optional unit (b, k, kb, m, mb, g, gb; any case),
     * the digits saturating at 2^64-1 as strtoull does, the product wrapping as C's unsigned
     * multiplication; no digits read as 0. Returns the unsigned value.
     */
    static long memtoull(String s) throws ConfigException {
        int u = 0;
        while (u < s.length() && Character.isDigit(s.charAt(u)) && s.charAt(u) < 128) {
            u++;
        }
        long mul;
        switch (s.substring(u).toLowerCase(Locale.ROOT)) {
            case "":
            case "b":
                mul = 1;
                break;
            case "k":
                mul = 1000;
                break;
            case "kb":
                mul = 1024;
                break;
            case "m":
                mul = 1000 * 1000;
                break;
            case "mb":
                mul = 1024 * 1024;
                break;
            case "g":
                mul = 1000L * 1000 * 1000;
                break;
            case "gb":
                mul = 1024L * 1024 * 1024;
                break;
            default:
                throw new ConfigException(BAD_NUMBER);
        }
        if (u >= 128) {
            throw new ConfigException(BAD_NUMBER); // Redis copies the digits into a 128-byte buffer
        }
        long digits;
        try {
            digits = u == 0 ? 0 : Long.parseUnsignedLong(s.substring(0, u));
        } catch (NumberFormatException e) {
            digits = -1L; // saturated: ULLONG_MAX
        }
        return digits * mul;
    }

    /** strtoll over the whole word, at least 0; -1 when not. */
    private static long seconds(String s) {
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
