package io.cowkv.rdb.encoding;

import io.cowkv.rdb.RdbFormatException;

/**
 * Base of the bounds-checked cursors over the compact blobs Redis embeds in RDB strings (listpack,
 * ziplist, zipmap, intset). Every read is checked against the blob; a violation is a
 * {@link RdbFormatException} naming the file offset ({@code base} + position in the blob).
 * Not thread-safe.
 */
public abstract class BlobCursor {
    protected final byte[] b;
    protected final long base;
    protected final String what;
    protected int pos;

    protected BlobCursor(byte[] blob, long baseOffset, String what) {
        this.b = blob;
        this.base = baseOffset;
        this.what = what;
    }

    /**
     * The next element as bytes (integers as decimal ASCII), or {@code null} when the blob is exhausted
     * (after which the blob's trailer has been validated).
     */
    public abstract byte[] next() throws RdbFormatException;

    /** Number of elements the blob header announces, or -1 if unknown. */
    public abstract long declaredCount();

    protected RdbFormatException corrupt(String msg) {
        return new RdbFormatException("corrupt " + what + ": " + msg, base + pos);
    }

    protected void need(long n) throws RdbFormatException {
        if (n < 0 || pos + n > b.length) {
            throw corrupt("entry runs past the end of the blob (needs " + n + " bytes, "
                    + (b.length - pos) + " left)");
        }
    }

    protected int u8() throws RdbFormatException {
        need(1);
        return b[pos++] & 0xff;
    }

    protected long le(int n) throws RdbFormatException {
        need(n);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (b[pos + i] & 0xffL) << (8 * i);
        }
        pos += n;
        return v;
    }

    /** Little-endian signed integer of n bytes. */
    protected long sle(int n) throws RdbFormatException {
        long v = le(n);
        int shift = 64 - 8 * n;
        return (v << shift) >> shift;
    }

    protected byte[] bytes(long n) throws RdbFormatException {
        need(n);
        byte[] r = java.util.Arrays.copyOfRange(b, pos, pos + (int) n);
        pos += (int) n;
        return r;
    }

    /** Position (in the blob) of the next read. */
    public int position() {
        return pos;
    }

    /** File offset of the next read. */
    public long fileOffset() {
        return base + pos;
    }
}
