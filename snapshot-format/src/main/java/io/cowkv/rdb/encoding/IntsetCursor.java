package io.cowkv.rdb.encoding;

import io.cowkv.rdb.RdbFormatException;

/** Reads an intset blob; elements as decimal ASCII. */
public final class IntsetCursor extends BlobCursor {
    private final int enc;
    private final long length;
    private long seen;

    public IntsetCursor(byte[] blob, long baseOffset) throws RdbFormatException {
        super(blob, baseOffset, "intset");
        if (blob.length < 8) {
            throw corrupt("shorter than its 8-byte header");
        }
        long e = le(4);
        if (e != 2 && e != 4 && e != 8) {
            pos = 0;
            throw corrupt("invalid encoding " + e);
        }
        enc = (int) e;
        length = le(4);
        if (length * enc + 8 != blob.length) {
            throw corrupt("header announces " + length + " entries of " + enc + " bytes but the blob has "
                    + blob.length + " bytes");
        }
    }

    @Override
    public long declaredCount() {
        return length;
    }

    @Override
    public byte[] next() throws RdbFormatException {
        if (seen == length) {
            return null;
        }
        seen++;
        return RedisNumbers.toBytes(sle(enc));
    }
}
