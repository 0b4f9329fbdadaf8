package io.cowkv.rdb.encoding;

import io.cowkv.rdb.RdbFormatException;

/** Reads the entries of a listpack blob, checking every length against the blob. */
public final class ListpackCursor extends BlobCursor {
    private final long declared;
    private long seen;
    private boolean done;

    public ListpackCursor(byte[] blob, long baseOffset) throws RdbFormatException {
        super(blob, baseOffset, "listpack");
        if (blob.length < 7) {
            throw corrupt("shorter than header and end byte (" + blob.length + " bytes)");
        }
        long total = le(4);
        if (total != blob.length) {
            throw corrupt("header says " + total + " bytes but the blob has " + blob.length);
        }
        long n = le(2);
        declared = n == 65535 ? -1 : n;
        if ((blob[blob.length - 1] & 0xff) != 0xFF) {
            pos = blob.length - 1;
            throw corrupt("missing end byte 0xFF");
        }
    }

    @Override
    public long declaredCount() {
        return declared;
    }

    @Override
    public byte[] next() throws RdbFormatException {
        if (done) {
            return null;
        }
        int start = pos;
        int e = u8();
        byte[] r;
        if (e == 0xFF) {
            if (pos != b.length) {
                throw corrupt("end byte before the end of the blob");
            }
            if (declared >= 0 && declared != seen) {
                throw corrupt("header announces " + declared + " entries but holds " + seen);
            }
            done = true;
            return null;
        } else if ((e & 0x80) == 0) {
            r = RedisNumbers.toBytes(e);
        } else if ((e & 0xC0) == 0x80) {
            r = bytes(e & 0x3F);
        } else if ((e & 0xE0) == 0xC0) {
            long v = ((e & 0x1F) << 8) | u8();
            r = RedisNumbers.toBytes(v >= 4096 ? v - 8192 : v);
        } else if ((e & 0xF0) == 0xE0) {
            r = bytes(((e & 0x0F) << 8) | u8());
        } else {
            switch (e) {
                case 0xF0:
                    r = bytes(le(4));
                    break;
                case 0xF1:
                    r = RedisNumbers.toBytes(sle(2));
                    break;
                case 0xF2:
                    r = RedisNumbers.toBytes(sle(3));
                    break;
                case 0xF3:
                    r = RedisNumbers.toBytes(sle(4));
                    break;
                case 0xF4:
                    r = RedisNumbers.toBytes(sle(8));
                    break;
                default:
                    pos = start;
                    throw corrupt("invalid entry encoding byte 0x" + Integer.toHexString(e));
            }
        }
        long l = pos - start;
        int bl = l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
        need(bl);
        pos += bl;
        seen++;
        return r;
    }
}
