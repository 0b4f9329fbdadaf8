package io.cowkv.rdb.encoding;

import java.util.Arrays;

/** Encodes Redis intset blobs: u32 encoding (2, 4 or 8), u32 length, sorted little-endian values. */
public final class Intsets {
    private Intsets() {
    }

    /** An intset holding {@code values} (sorted and de-duplicated here; the array is sorted in place). */
    public static byte[] encode(long[] values) {
        Arrays.sort(values);
        int n = 0;
        for (int i = 0; i < values.length; i++) {
            if (i == 0 || values[i] != values[i - 1]) {
                values[n++] = values[i];
            }
        }
        int enc = 2;
        for (int i = 0; i < n; i++) {
            long v = values[i];
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                enc = 8;
                break;
            } else if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                enc = 4;
            }
        }
        byte[] out = new byte[8 + n * enc];
        putLe(out, 0, enc, 4);
        putLe(out, 4, n, 4);
        for (int i = 0; i < n; i++) {
            putLe(out, 8 + i * enc, values[i], enc);
        }
        return out;
    }

    private static void putLe(byte[] b, int off, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
