package io.cowkv.rdb.testing;

import io.cowkv.rdb.Crc64;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-assembles RDB bytes (any version, legacy encodings) for reader tests. */
public final class RawRdb {
    private final ByteArrayOutputStream b = new ByteArrayOutputStream();

    public RawRdb(int version) {
        raw(String.format("REDIS%04d", version).getBytes(StandardCharsets.US_ASCII));
    }

    public RawRdb raw(byte[] x) {
        b.writeBytes(x);
        return this;
    }

    public RawRdb u8(int v) {
        b.write(v);
        return this;
    }

    public RawRdb le(long v, int n) {
        for (int i = 0; i < n; i++) {
            b.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    public RawRdb len(long n) {
        if (n < 64) {
            u8((int) n);
        } else if (n < 16384) {
            u8((int) (0x40 | (n >>> 8))).u8((int) n);
        } else {
            u8(0x80);
            for (int i = 3; i >= 0; i--) {
                u8((int) (n >>> (8 * i)));
            }
        }
        return this;
    }

    public RawRdb str(String s) {
        return str(Model.b(s));
    }

    public RawRdb str(byte[] s) {
        len(s.length);
        return raw(s);
    }

    /** EOF opcode, plus the CRC-64 if {@code checksum}. */
    public byte[] eof(boolean checksum) {
        u8(0xFF);
        if (checksum) {
            le(Crc64.of(b.toByteArray()), 8);
        }
        return b.toByteArray();
    }

    public byte[] bytes() {
        return b.toByteArray();
    }

    /** A ziplist of the given entries: Long values use integer encodings, Strings string encodings. */
    public static byte[] ziplist(Object... entries) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int prev = 0;
        int tail = 10;
        for (Object e : entries) {
            ByteArrayOutputStream en = new ByteArrayOutputStream();
            if (prev < 254) {
                en.write(prev);
            } else {
                en.write(0xFE);
                for (int i = 0; i < 4; i++) {
                    en.write(prev >>> (8 * i));
                }
            }
            if (e instanceof Long v) {
                if (v >= 0 && v <= 12) {
                    en.write((int) (0xF1 + v));
                } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                    en.write(0xFE);
                    leTo(en, v, 1);
                } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                    en.write(0xC0);
                    leTo(en, v, 2);
                } else if (v >= -8388608 && v <= 8388607) {
                    en.write(0xF0);
                    leTo(en, v, 3);
                } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                    en.write(0xD0);
                    leTo(en, v, 4);
                } else {
                    en.write(0xE0);
                    leTo(en, v, 8);
                }
            } else {
                byte[] s = Model.b((String) e);
                if (s.length <= 63) {
                    en.write(s.length);
                } else if (s.length <= 16383) {
                    en.write(0x40 | (s.length >>> 8));
                    en.write(s.length);
                } else {
                    en.write(0x80);
                    for (int i = 3; i >= 0; i--) {
                        en.write(s.length >>> (8 * i));
                    }
                }
                en.writeBytes(s);
            }
            tail = 10 + body.size();
            prev = en.size();
            body.writeBytes(en.toByteArray());
        }
        ByteArrayOutputStream zl = new ByteArrayOutputStream();
        int total = 10 + body.size() + 1;
        leTo(zl, total, 4);
        leTo(zl, tail, 4);
        leTo(zl, entries.length, 2);
        zl.writeBytes(body.toByteArray());
        zl.write(0xFF);
        return zl.toByteArray();
    }

    /** A zipmap of field/value pairs, with {@code free} unused bytes after each value. */
    public static byte[] zipmap(int free, String... kv) {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        z.write(kv.length / 2);
        for (int i = 0; i < kv.length; i++) {
            byte[] s = Model.b(kv[i]);
            if (s.length < 254) {
                z.write(s.length);
            } else {
                z.write(254);
                leTo(z, s.length, 4);
            }
            if (i % 2 == 1) {
                z.write(free);
            }
            z.writeBytes(s);
            if (i % 2 == 1) {
                z.writeBytes(new byte[free]);
            }
        }
        z.write(0xFF);
        return z.toByteArray();
    }

    /** An intset with the given element width (2, 4, 8) holding sorted values. */
    public static byte[] intset(int enc, long... values) {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        leTo(z, enc, 4);
        leTo(z, values.length, 4);
        for (long v : values) {
            leTo(z, v, enc);
        }
        return z.toByteArray();
    }

    private static void leTo(ByteArrayOutputStream o, long v, int n) {
        for (int i = 0; i < n; i++) {
            o.write((int) (v >>> (8 * i)));
        }
    }
}
