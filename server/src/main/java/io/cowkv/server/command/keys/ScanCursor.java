package io.cowkv.server.command.keys;

import io.cowkv.server.protocol.CommandArgs;

/**
 * Parses a SCAN cursor as Redis 7.0's parseScanCursorOrReply does with strtoul: no leading
 * space, an optional '+' or '-' (a negative value wraps around modulo 2^64, so "-1" is the
 * largest cursor), decimal digits only, within 64 bits unsigned. An empty argument is cursor 0
 * (strtoul converts nothing and stops at the end); a lone sign is invalid.
 */
final class ScanCursor {
    private ScanCursor() {
    }

    static boolean parse(CommandArgs a, int i, long[] out) {
        int len = a.length(i);
        byte[] d = a.data();
        int p = a.offset(i);
        int end = p + len;
        boolean negative = false;
        if (p < end && (d[p] == '+' || d[p] == '-')) {
            negative = d[p] == '-';
            p++;
            if (p == end) {
                return false;
            }
        }
        long v = 0;
        for (; p < end; p++) {
            int c = d[p] - '0';
            if (c < 0 || c > 9) {
                return false;
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
                return false;
            }
            long next = v * 10 + c;
            if (Long.compareUnsigned(next, v * 10) < 0) {
                return false;
            }
            v = next;
        }
        out[0] = negative ? -v : v;
        return true;
    }
}
