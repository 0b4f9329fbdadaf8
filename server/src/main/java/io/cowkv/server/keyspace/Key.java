package io.cowkv.server.keyspace;

import java.util.Arrays;

/**
 * A key of the provisional on-heap dictionary: an owned byte array with its hash.
 * {@link Probe} is a reusable look-up key over a slice of someone else's array, so look-ups
 * allocate nothing; both compare equal when their bytes are equal.
 */
public class Key {
    byte[] bytes;
    int off;
    int len;
    int hash;

    Key() {
    }

    public Key(byte[] bytes) {
        set(bytes, 0, bytes.length);
    }

    final Key set(byte[] b, int o, int l) {
        this.bytes = b;
        this.off = o;
        this.len = l;
        int h = 1;
        for (int i = o, end = o + l; i < end; i++) {
            h = 31 * h + b[i];
        }
        this.hash = h;
        return this;
    }

    public byte[] toBytes() {
        return off == 0 && len == bytes.length ? bytes : Arrays.copyOfRange(bytes, off, off + len);
    }

    @Override
    public final int hashCode() {
        return hash;
    }

    @Override
    public final boolean equals(Object o) {
        if (!(o instanceof Key)) {
            return false;
        }
        Key k = (Key) o;
        return k.hash == hash && Arrays.equals(bytes, off, off + len, k.bytes, k.off, k.off + k.len);
    }

    /** A mutable look-up key; never stored in a dictionary. */
    static final class Probe extends Key {
    }
}
