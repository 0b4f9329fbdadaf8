package io.cowkv.rdb.encoding;

import io.cowkv.rdb.RdbFormatException;

/** Reads the entries of a (pre Redis 7) ziplist blob, checking every length against the blob. */
public final class ZiplistCursor extends BlobCursor {
    private final long declared;
    private long seen;
    private boolean done;

    public ZiplistCursor(byte[] blob, long baseOffset) throws RdbFormatException {
        super(blob, baseOffset, "ziplist");
        if (blob.length < 11) {
            throw corrupt("shorter than header and end byte (" + blob.length + " bytes)");
        }
        long total = le(4);
        if (total != blob.length) {
            throw corrupt("header says " + total + " bytes but the blob has " + blob.length);
        }
        long tail = le(4);
        if (tail > blob.length - 1) {
            throw corrupt("tail offset " + tail + " beyond the blob");
        }
        long n = le(2);
        declared = n == 65535 ? -1 : n;
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
        int first = u8();
        if (first == 0xFF) {
            if (pos != b.length) {
                throw corrupt("end byte before the end of the blob");
            }
            if (declared >= 0 && declared != seen) {
                throw corrupt("header announces " + declared + " entries but holds " + seen);
            }
            done = true;
            return null;
        }
        if (first == 0xFE) {
            le(4); // previous entry length, 5-byte form
        }
        int e = u8();
        byte[] r;
        switch (e >>> 6) {
            case 0:
                r = bytes(e & 0x3F);
                break;
            case 1:
                r = bytes(((e & 0x3F) << 8) | u8());
                break;
            case 2: {
                if (e != 0x80) {
                    pos--;
                    throw corrupt("invalid string encoding byte 0x" + Integer.toHexString(e));
                }
                need(4);
                long len = ((b[pos] & 0xffL) << 24) | ((b[pos + 1] & 0xffL) << 16) | ((b[pos + 2] & 0xffL) << 8)
                        | (b[pos + 3] & 0xffL);
                pos += 4;
                r = bytes(len);
                break;
            }
            default:
                switch (e) {
                    case 0xC0:
                        r = RedisNumbers.toBytes(sle(2));
                        break;
                    case 0xD0:
                        r = RedisNumbers.toBytes(sle(4));
                        break;
                    case 0xE0:
                        r = RedisNumbers.toBytes(sle(8));
                        break;
                    case 0xF0:
                        r = RedisNumbers.toBytes(sle(3));
                        break;
                    case 0xFE:
                        r = RedisNumbers.toBytes(sle(1));
                        break;
                    default:
                        if (e >= 0xF1 && e <= 0xFD) {
                            r = RedisNumbers.toBytes((e & 0x0F) - 1);
                        } else {
                            pos--;
                            throw corrupt("invalid entry encoding byte 0x" + Integer.toHexString(e));
                        }
                }
        }
        seen++;
        return r;
    }
}
