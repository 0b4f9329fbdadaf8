package io.cowkv.rdb.encoding;

import io.cowkv.rdb.RdbFormatException;

/** Reads a (Redis 2.x) zipmap blob: alternately field, value. */
public final class ZipmapCursor extends BlobCursor {
    private boolean field = true;
    private boolean done;

    public ZipmapCursor(byte[] blob, long baseOffset) throws RdbFormatException {
        super(blob, baseOffset, "zipmap");
        if (blob.length < 2) {
            throw corrupt("shorter than 2 bytes");
        }
        u8(); // zmlen: count if < 254, not trusted
    }

    @Override
    public long declaredCount() {
        return -1;
    }

    @Override
    public byte[] next() throws RdbFormatException {
        if (done) {
            return null;
        }
        int l = u8();
        if (l == 0xFF) {
            if (!field) {
                throw corrupt("end byte where a value was expected");
            }
            if (pos != b.length) {
                throw corrupt("end byte before the end of the blob");
            }
            done = true;
            return null;
        }
        long len = l;
        if (l == 254) {
            len = le(4);
        } else if (l == 253) {
            pos--;
            throw corrupt("invalid length byte 253");
        }
        int free = 0;
        if (!field) {
            free = u8();
        }
        byte[] r = bytes(len);
        need(free);
        pos += free;
        field = !field;
        return r;
    }
}
