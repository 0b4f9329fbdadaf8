package io.cowkv.rdb.encoding;

import java.util.Arrays;

/**
 * Builds a Redis listpack blob (the encoding Redis 7 uses for small hashes, sets, zsets and quicklist
 * nodes) byte for byte as Redis's {@code lpAppend} does: strings that are canonical integers are stored
 * as integers. Not thread-safe; {@link #reset()} to reuse the buffer.
 */
public final class ListpackBuilder {
    private static final int HEADER = 6;
    private byte[] buf = new byte[256];
    private int pos = HEADER;
    private long count;
    private final long[] tmp = new long[1];

    public ListpackBuilder reset() {
        pos = HEADER;
        count = 0;
        return this;
    }

    /** Number of entries appended since the last reset. */
    public long count() {
        return count;
    }

    /** Bytes the finished listpack would take. */
    public long sizeInBytes() {
        return pos + 1L;
    }

    public ListpackBuilder append(byte[] b) {
        return append(b, 0, b.length);
    }

    /** Appends an element, as an integer entry if it is a canonical integer string. */
    public ListpackBuilder append(byte[] b, int off, int len) {
        if (RedisNumbers.parseCanonicalLong(b, off, len, tmp)) {
            return appendLong(tmp[0]);
        }
        int enc;
        if (len < 64) {
            ensure(1 + len + 5);
            buf[pos] = (byte) (0x80 | len);
            enc = 1;
        } else if (len < 4096) {
            ensure(2 + len + 5);
            buf[pos] = (byte) (0xE0 | (len >>> 8));
            buf[pos + 1] = (byte) len;
            enc = 2;
        } else {
            ensure(5L + len + 5);
            buf[pos] = (byte) 0xF0;
            buf[pos + 1] = (byte) len;
            buf[pos + 2] = (byte) (len >>> 8);
            buf[pos + 3] = (byte) (len >>> 16);
            buf[pos + 4] = (byte) (len >>> 24);
            enc = 5;
        }
        System.arraycopy(b, off, buf, pos + enc, len);
        pos += enc + len;
        backlen(enc + len);
        count++;
        return this;
    }

    /** Appends an integer entry using the smallest integer encoding. */
    public ListpackBuilder appendLong(long v) {
        ensure(9 + 5);
        int n;
        if (v >= 0 && v <= 127) {
            buf[pos] = (byte) v;
            n = 1;
        } else if (v >= -4096 && v <= 4095) {
            long u = v < 0 ? (1L << 13) + v : v;
            buf[pos] = (byte) ((u >>> 8) | 0xC0);
            buf[pos + 1] = (byte) u;
            n = 2;
        } else if (v >= -32768 && v <= 32767) {
            buf[pos] = (byte) 0xF1;
            le(v, 2);
            n = 3;
        } else if (v >= -8388608 && v <= 8388607) {
            buf[pos] = (byte) 0xF2;
            le(v, 3);
            n = 4;
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            buf[pos] = (byte) 0xF3;
            le(v, 4);
            n = 5;
        } else {
            buf[pos] = (byte) 0xF4;
            le(v, 8);
            n = 9;
        }
        pos += n;
        backlen(n);
        count++;
        return this;
    }

    private void le(long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            buf[pos + 1 + i] = (byte) (v >>> (8 * i));
        }
    }

    private void backlen(int l) {
        if (l <= 127) {
            buf[pos++] = (byte) l;
        } else if (l < 16383) {
            buf[pos++] = (byte) (l >>> 7);
            buf[pos++] = (byte) ((l & 127) | 128);
        } else if (l < 2097151) {
            buf[pos++] = (byte) (l >>> 14);
            buf[pos++] = (byte) (((l >>> 7) & 127) | 128);
            buf[pos++] = (byte) ((l & 127) | 128);
        } else if (l < 268435455) {
            buf[pos++] = (byte) (l >>> 21);
            buf[pos++] = (byte) (((l >>> 14) & 127) | 128);
            buf[pos++] = (byte) (((l >>> 7) & 127) | 128);
            buf[pos++] = (byte) ((l & 127) | 128);
        } else {
            buf[pos++] = (byte) (l >>> 28);
            buf[pos++] = (byte) (((l >>> 21) & 127) | 128);
            buf[pos++] = (byte) (((l >>> 14) & 127) | 128);
            buf[pos++] = (byte) (((l >>> 7) & 127) | 128);
            buf[pos++] = (byte) ((l & 127) | 128);
        }
    }

    private void ensure(long extra) {
        long need = pos + extra + 1;
        if (need > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("listpack larger than 2 GB");
        }
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(need, buf.length * 2L)));
        }
    }

    /** The finished listpack: header (total bytes, entry count or 65535 if unknown), entries, end byte. */
    public byte[] toByteArray() {
        ensure(1);
        buf[pos] = (byte) 0xFF;
        int total = pos + 1;
        buf[0] = (byte) total;
        buf[1] = (byte) (total >>> 8);
        buf[2] = (byte) (total >>> 16);
        buf[3] = (byte) (total >>> 24);
        int n = count < 65535 ? (int) count : 65535;
        buf[4] = (byte) n;
        buf[5] = (byte) (n >>> 8);
        return Arrays.copyOf(buf, total);
    }
}
