package io.cowkv.server.command.keys;

import io.cowkv.server.protocol.CommandArgs;

/** Parses a SCAN cursor as Redis does (strtoull: decimal digits only, within 64 bits unsigned). */
final class ScanCursor {
    private ScanCursor() {
    }

    static boolean parse(CommandArgs a, int i, long[] out) {
        int len = a.length(i);
        if (len == 0 || len > 20) {
            return false;
        }
        byte[] d = a.data();
        long v = 0;
        for (int p = a.offset(i), end = p + len; p < end; p++) {
            int c = d[p] - '0';
            if (c < 0 || c > 9) {
                return false;
            }
            long next = v * 10 + c;
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0 || Long.compareUnsigned(next, v) < 0) {
                return false;
            }
            v = next;
        }
        out[0] = v;
        return true;
    }
}
