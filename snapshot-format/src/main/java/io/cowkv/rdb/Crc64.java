package io.cowkv.rdb;

/**
 * CRC-64/Jones as used by Redis for RDB checksums: reflected input and output, polynomial
 * 0xad93d23594c935a9, initial value 0, no final xor. {@code crc64("123456789") == 0xe9c6d914c4b8d9caL}.
 *
 * <p>Not thread-safe: one instance accumulates one checksum. The static {@link #update(long, byte[], int, int)}
 * is pure and thread-safe. Implemented with slicing-by-8 tables.
 */
public final class Crc64 {
    /** Reflected form of the Jones polynomial 0xad93d23594c935a9. */
    private static final long POLY_REFLECTED = 0x95ac9329ac4bc9b5L;
    private static final long[][] T = new long[8][256];

    static {
        for (int n = 0; n < 256; n++) {
            long c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY_REFLECTED : c >>> 1;
            }
            T[0][n] = c;
        }
        for (int k = 1; k < 8; k++) {
            for (int n = 0; n < 256; n++) {
                long c = T[k - 1][n];
                T[k][n] = (c >>> 8) ^ T[0][(int) (c & 0xff)];
            }
        }
    }

    private long crc;

    /** Adds {@code len} bytes of {@code b} from {@code off} to this checksum. */
    public void update(byte[] b, int off, int len) {
        crc = update(crc, b, off, len);
    }

    /** Adds one byte. */
    public void update(int b) {
        crc = T[0][(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
    }

    /** The checksum of everything added so far. */
    public long value() {
        return crc;
    }

    public void reset() {
        crc = 0;
    }

    /** Continues {@code crc} over the given bytes and returns the new value. */
    public static long update(long crc, byte[] b, int off, int len) {
        long c = crc;
        int i = off;
        int end = off + len;
        long[] t0 = T[0], t1 = T[1], t2 = T[2], t3 = T[3], t4 = T[4], t5 = T[5], t6 = T[6], t7 = T[7];
        while (end - i >= 8) {
            c ^= (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24
                    | (b[i + 4] & 0xffL) << 32 | (b[i + 5] & 0xffL) << 40 | (b[i + 6] & 0xffL) << 48
                    | (b[i + 7] & 0xffL) << 56;
            c = t7[(int) (c & 0xff)] ^ t6[(int) ((c >>> 8) & 0xff)] ^ t5[(int) ((c >>> 16) & 0xff)]
                    ^ t4[(int) ((c >>> 24) & 0xff)] ^ t3[(int) ((c >>> 32) & 0xff)] ^ t2[(int) ((c >>> 40) & 0xff)]
                    ^ t1[(int) ((c >>> 48) & 0xff)] ^ t0[(int) (c >>> 56)];
            i += 8;
        }
        while (i < end) {
            c = t0[(int) ((c ^ b[i++]) & 0xff)] ^ (c >>> 8);
        }
        return c;
    }

    /** The checksum of the given bytes. */
    public static long of(byte[] b) {
        return update(0, b, 0, b.length);
    }
}
